"""The extraction worker's cache reset changes no result, and the worker imports no crawl machinery."""

from __future__ import annotations

import subprocess
import sys

from pipelines import extract_worker
from tests.helpers import FIXTURES_DIR, REPO_ROOT

PAGE = FIXTURES_DIR / "pages" / "edpb_statement.html"


def test_results_are_identical_across_a_cache_reset() -> None:
    args = (PAGE.read_bytes(), "https://edb.example/news/dpf_en", "text/html")
    before = extract_worker.extract_and_sign(args, {"timezone": "Europe/Brussels"})
    extract_worker.reset_caches()
    after = extract_worker.extract_and_sign(args, {"timezone": "Europe/Brussels"})
    assert before[0].text and before[1]
    assert (before[0].title, before[0].text, before[0].published_at, before[0].language) == (
        after[0].title,
        after[0].text,
        after[0].published_at,
        after[0].language,
    )
    assert before[0].content_hash == after[0].content_hash
    assert before[1] == after[1]


def test_the_worker_resets_its_caches_every_so_many_documents(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    resets: list[int] = []
    monkeypatch.setattr(extract_worker, "reset_caches", lambda: resets.append(extract_worker._documents))
    monkeypatch.setattr(extract_worker, "_documents", 0)
    args = (b"<html><body><p>short</p></body></html>", "https://edb.example/x", "text/html")
    for _ in range(2 * extract_worker.CACHE_RESET_EVERY):
        extract_worker.extract_and_sign(args, {})
    assert resets == [extract_worker.CACHE_RESET_EVERY, 2 * extract_worker.CACHE_RESET_EVERY]


def test_the_worker_returns_its_free_heap_after_a_large_page_only(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    trims: list[int] = []
    monkeypatch.setattr(extract_worker, "trim_heap", lambda: trims.append(extract_worker._documents))
    monkeypatch.setattr(extract_worker, "_documents", 0)
    page = PAGE.read_bytes()
    large = page.replace(b"</body>", b"<!-- " + b"x" * extract_worker.TRIM_AFTER_BYTES + b" --></body>")
    for body in (page, large, page):
        extract_worker.extract_and_sign((body, "https://edb.example/news/dpf_en", "text/html"), {})
    assert trims == [2]


def test_the_worker_module_imports_no_scrapy_twisted_or_matcher() -> None:
    code = (
        "import sys, pipelines.extract_worker as w; w.warm(); "
        "print(sorted(m for m in ('scrapy', 'twisted', 'sqlalchemy', 'monitor.matching.matcher', 'pycountry') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_worker_imports_pypdf_only_when_a_pdf_comes() -> None:
    # pypdf and cryptography are 11 MB a worker; an HTML-only crawl never needs them.
    code = (
        "import sys, pipelines.extract_worker as w\n"
        "from monitor.demo_sites import SITES_ROOT\n"
        "w.warm()\n"
        f"page = open({str(PAGE)!r}, 'rb').read()\n"
        "html, _ = w.extract_and_sign((page, 'https://edb.example/news/dpf_en', 'text/html'), {})\n"
        "print(html.status, 'pypdf' in sys.modules, 'cryptography' in sys.modules)\n"
        "pdf = (SITES_ROOT / 'regulator/documents/communique-acd-2026-11-03.pdf').read_bytes()\n"
        "document, _ = w.extract_and_sign((pdf, 'https://regulator.example/c.pdf', 'application/pdf'), {})\n"
        "print(document.kind, document.status, 'pypdf' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["ok", "False", "False", "pdf", "ok", "True"]


def test_the_model_module_loads_the_restricted_model_without_the_full_table() -> None:
    code = (
        "import monitor.extraction.language_model\n"
        "from monitor.extraction import language\n"
        "from monitor.matching import languages\n"
        "loaded = language._identifier.cache_info().currsize\n"
        "model = language._identifier(languages.detected_codes())\n"
        "print(loaded, model._full_model[0] is model.nb_ptc, model.nb_ptc.shape[1] < 100,\n"
        "      language.detect_language('Die Datenschutzbehörde hat heute eine Geldbuße verhängt.'))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "True", "True", "de"]


def test_the_forkserver_preloads_the_worker_module_and_model_only_for_several_workers(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Shared by several workers it saves a copy each; with one, the worker's copy-on-write would
    # leave it counted twice, so a single worker imports everything itself.
    import multiprocessing

    from scrapy.utils.test import get_crawler

    from pipelines import extract

    preloads: list[list[str]] = []

    class Context:
        def set_forkserver_preload(self, modules: list[str]) -> None:
            preloads.append(modules)

    monkeypatch.setattr(multiprocessing, "get_context", lambda method: Context())
    monkeypatch.setattr(extract, "ProcessPoolExecutor", lambda *args, **kwargs: object())
    for workers in (1, 2):
        extract.ExtractStage(get_crawler(), workers)._start_pool()
    assert preloads == [[], [*extract.WORKER_PRELOAD, *extract.SHARED_PRELOAD]]
    assert "monitor.extraction.language_model" in extract.SHARED_PRELOAD
