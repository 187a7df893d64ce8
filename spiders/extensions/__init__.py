"""Scrapy extensions of our own."""
