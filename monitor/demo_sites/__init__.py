"""Bundled offline demo sites and the fixture server that serves them.

``sites/<name>/`` holds one small, fictional but realistically shaped website each: a data
protection authority with a paginated listing and a PDF (``regulator``), a ministry with RSS feeds
(``ministry``), a tech-policy press site with an Atom feed and a Google News sitemap (``press``)
and a CAC-style Chinese regulator with static ``index_N.htm`` pages (``cnreg``).
``sites/MANIFEST.yaml`` lists every article with the topics and countries a human would label.

``monitor demo`` and the end-to-end tests serve them with :class:`server.FixtureServer`, one
listener per site on ``127.0.0.1`` (so that each has its own ``robots.txt``), and build the demo's
source catalogue with :func:`server.render_sources`. The HTML, feeds and MANIFEST are rendered by
``tools/demo_sites/build_sites.py`` (a developer tool outside the package) from its content and
templates; the PDFs by ``tools/demo_sites/make_pdf.py``.
"""

from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
SITES_ROOT = PACKAGE_ROOT / "sites"
SOURCES_TEMPLATE = PACKAGE_ROOT / "sources.yaml"
MANIFEST_PATH = SITES_ROOT / "MANIFEST.yaml"

__all__ = ["MANIFEST_PATH", "PACKAGE_ROOT", "SITES_ROOT", "SOURCES_TEMPLATE"]
