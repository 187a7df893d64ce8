"""PDF text within limits, and an honest status for what cannot be read."""

from __future__ import annotations

import io

from pypdf import PdfWriter

from monitor.demo_sites import SITES_ROOT
from monitor.extraction import extract_document
from monitor.extraction.pdf import extract_pdf

# The demo regulator's press release, as tools/demo_sites/make_pdf.py writes it.
PRESS_RELEASE = (SITES_ROOT / "regulator/documents/communique-acd-2026-11-03.pdf").read_bytes()


def blank_pdf(password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_text_layer_is_extracted_with_title() -> None:
    result = extract_pdf(PRESS_RELEASE)
    assert result.status == "ok"
    assert "cloud souverain" in result.text
    assert result.title.startswith("Communiqué de presse")


def test_encrypted_pdf_is_kept_with_its_status() -> None:
    result = extract_pdf(blank_pdf(password="secret"))
    assert (result.status, result.text) == ("encrypted", "")


def test_scanned_pdf_without_text_layer() -> None:
    assert extract_pdf(blank_pdf()).status == "scanned"


def test_size_and_time_limits() -> None:
    assert extract_pdf(blank_pdf(), max_bytes=100).status == "too_large"
    timed = extract_pdf(PRESS_RELEASE, max_seconds=0)
    assert timed.status == "failed" and "time limit" in timed.detail


def test_garbage_after_signature_fails_cleanly() -> None:
    assert extract_pdf(b"%PDF-1.7\n this is not a pdf").status == "failed"


def test_mislabelled_pdf_goes_through_document_extraction() -> None:
    result = extract_document(PRESS_RELEASE, "https://dpa.example/doc", "application/octet-stream")
    assert (result.kind, result.status) == ("pdf", "ok")
    assert result.language == "fr"
