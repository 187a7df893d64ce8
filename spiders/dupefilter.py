"""Scrapy's duplicate filter, told of redirects: a redirect to a page already fetched or stored is
not followed, and the URL that redirected is remembered as that page's alias.

A link to ``/news/x`` that answers ``301`` to ``/news/x/`` reaches a page this crawl may already
have fetched (or stored last week). Scrapy's own filter drops the redirected request silently when
this crawl requested ``/news/x/`` itself, and follows it when it was stored by an earlier crawl;
either way the crawl never learns that ``/news/x`` *is* that page, and the next crawl fetches it
again. Here the spider decides (``MonitorSpider.redirect_known``): it records the alias and says
whether the target is known.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter


class RedirectAwareDupeFilter(RFPDupeFilter):
    crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectAwareDupeFilter:
        dupefilter = super().from_crawler(crawler)
        dupefilter.crawler = crawler
        return dupefilter

    def request_seen(self, request: Request) -> bool:
        if request.meta.get("redirect_urls"):
            spider: Any = self.crawler.spider if self.crawler is not None else None
            decide = getattr(spider, "redirect_known", None)
            if decide is not None and decide(request):
                return True
        return super().request_seen(request)
