"""``MonitorLogFormatter``: a dropped item is logged as its reason, at the level its DropItem asks for."""

from __future__ import annotations

import logging

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from spiders.items import DocumentItem
from spiders.logformatter import MonitorLogFormatter


@pytest.mark.parametrize(("log_level", "expected"), [("INFO", logging.INFO), (None, logging.WARNING)])
def test_a_drop_is_logged_as_its_reason_alone(log_level: str | None, expected: int) -> None:
    crawler = get_crawler(Spider)
    spider = crawler._create_spider("test")
    item = DocumentItem(url="https://dpa.example/a", source_id="dpa", body=b"<html>BODY</html>")
    exception = DropItem("https://dpa.example/a: no article text found", log_level=log_level)
    result = MonitorLogFormatter().dropped(item, exception, None, spider)
    assert result["level"] == expected  # the DropItem's level, else DEFAULT_DROPITEM_LOG_LEVEL
    message = result["msg"] % result["args"]
    assert message == "Dropped: https://dpa.example/a: no article text found"
