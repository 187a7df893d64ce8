"""Near-duplicate detection (syndicated copies of one story): MinHash signatures and their LSH index.

Pure code, no Scrapy or database: the extract workers make the signatures, the near-duplicate
pipeline stage looks them up, and the repository stores them.
"""
