"""Stage 3b, right after extraction: the text loses control and invisible formatting characters
(ESC, BEL, bidirectional overrides and the rest ``monitor.controls`` lists) before anything
matches, compares or stores it, so the matcher's evidence spans, the stored row, ``monitor items``
and the digest all see the same clean text."""

from __future__ import annotations

from scrapy import Spider

from monitor.controls import strip_controls
from spiders.items import DocumentItem


class CleanTextStage:
    def process_item(self, item: DocumentItem, spider: Spider | None = None) -> DocumentItem:
        item.title = strip_controls(item.title)
        item.text = strip_controls(item.text)
        item.summary = strip_controls(item.summary)
        return item
