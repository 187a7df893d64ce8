"""Turning fetched bytes into clean text, a date and a language; pure code, no Scrapy, no database.

The pipeline stages and ``monitor extract`` share it, so that what a user previews is what the
crawl stores.
"""

from monitor.extraction.document import Extracted, detect_kind, extract_document

__all__ = ["Extracted", "detect_kind", "extract_document"]
