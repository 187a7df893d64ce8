"""Fetches a given list of URLs and hands back the responses: ``monitor extract URL`` uses it so
that even a one-off fetch goes through Scrapy's robots.txt, size limits and safety checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from monitor.urls import InvalidURL, checked_url
from spiders.errors import INVALID_URL, classify_failure


class FetchSpider(scrapy.Spider):
    name = "fetch"

    def __init__(self, urls: list[str], results: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.urls = urls
        self.results = results  # url -> Response, or (error_class, cause)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            try:
                checked = checked_url(url)
            except InvalidURL as error:  # this one is reported; the other URLs are fetched
                self.results[url] = (INVALID_URL, str(error))
                continue
            yield scrapy.Request(
                checked,
                callback=self.keep,
                errback=self.failed,
                dont_filter=True,
                cb_kwargs={"original": url},
                meta={"original": url},
            )

    def keep(self, response: Response, original: str) -> None:
        self.results[original] = response

    def failed(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        original = request.meta.get("original") if request is not None else None
        if original:
            self.results[original] = classify_failure(failure)
