"""Scrapy spiders: everything that fetches. Feeds, listings and sitemaps of configured sources,
and ad-hoc crawls of one site. They yield ``DocumentItem`` for the pipeline stages."""
