"""Downloader middlewares of our own: only what Scrapy's built-in ones do not do."""
