"""Imported for its effect: loads the language model (``language.load_model``).

The extraction forkserver preloads this module when its pool has several workers
(``pipelines/extract.py``), so that the workers forked from it share the model's pages (about
50 MB of numpy and array buffers, which reference counting does not touch) instead of each
loading a copy. Nothing else imports it: the crawl process never needs the model.
"""

from __future__ import annotations

from monitor.extraction.language import load_model

load_model()
