"""Scrapy's log messages, minus the item dump after a dropped item (``LOG_FORMATTER``).

Scrapy's ``LogFormatter.dropped`` logs ``Dropped: <reason>`` followed by the item's repr. A
``DocumentItem`` carries the response headers, the extraction results and, before extraction,
the page body, so a crawl's log filled with them for pages that are simply not articles. Every
stage's ``DropItem`` message names the URL and the reason, which is all a reader needs; the level
is still the one the ``DropItem`` asks for (``log_level="INFO"`` for the expected drops), else
``DEFAULT_DROPITEM_LOG_LEVEL``.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


class MonitorLogFormatter(LogFormatter):
    def dropped(
        self,
        item: Any,  # noqa: ANN401 - Scrapy's signature: any item type
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        """The drop's reason at its level, without the item."""
        result = super().dropped(item, exception, response, spider)
        return {**result, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
