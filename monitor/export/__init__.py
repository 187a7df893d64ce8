"""Output formats for readers outside news-monitor: the Atom feed of flagged stories (``atom``)."""
