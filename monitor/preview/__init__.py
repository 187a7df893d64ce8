"""Dry runs: a crawl that fetches, extracts and matches as a run does and writes nothing
(``database``), and the ``sources.yaml`` entry a crawl suggests for the site it read (``suggest``)."""
