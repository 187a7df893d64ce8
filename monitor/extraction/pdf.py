"""Text of PDF press releases with pypdf, within size, page and time limits, with an honest status.

A PDF whose text cannot be read is still a publication: the caller stores it with the status
(``encrypted``, ``scanned``, ``too_large``, ``failed``) so an analyst sees that the regulator
published something, instead of it vanishing.
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

log = logging.getLogger(__name__)

# Press releases and decisions run to a few dozen pages; a 500-page annual report is not news,
# and its text would cost seconds.
MAX_PAGES = 80
# The crawl's DOWNLOAD_MAXSIZE (10 MiB by default) already bounds fetched PDFs; this bounds
# what `monitor extract` reads from disk. Text-layer PDFs of 80 pages stay well under it.
MAX_BYTES = 25 * 1024 * 1024
# pypdf is pure Python: a PDF with huge content streams can take minutes. Past this budget the
# pages read so far are kept and the rest skipped (checked between pages).
MAX_SECONDS = 20.0
# Below this many characters per page a PDF is a scan (images of text) that we cannot read.
MIN_CHARS_PER_PAGE = 40


@dataclass(frozen=True)
class PdfExtraction:
    title: str
    text: str
    status: str  # ok | encrypted | scanned | too_large | failed
    detail: str = ""


def extract_pdf(body: bytes, *, max_bytes: int = MAX_BYTES, max_seconds: float = MAX_SECONDS) -> PdfExtraction:
    if len(body) > max_bytes:
        return PdfExtraction("", "", "too_large", f"{len(body)} bytes is over the {max_bytes}-byte limit")
    started = time.monotonic()
    detail = ""
    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            try:
                reader.decrypt("")  # many "protected" PDFs only restrict printing
            except (FileNotDecryptedError, NotImplementedError, PyPdfError) as exc:
                return PdfExtraction("", "", "encrypted", str(exc) or "needs a password")
        title = ""
        if reader.metadata is not None and reader.metadata.title:
            title = str(reader.metadata.title).strip()
        pages = reader.pages[:MAX_PAGES]
        chunks: list[str] = []
        for number, page in enumerate(pages, start=1):
            if time.monotonic() - started > max_seconds:
                detail = f"text of the first {number - 1} of {len(reader.pages)} pages (time limit)"
                log.warning("PDF extraction stopped after %d pages: time limit of %.0f s", number - 1, max_seconds)
                break
            chunks.append((page.extract_text() or "").strip())
        if not detail and len(reader.pages) > MAX_PAGES:
            detail = f"text of the first {MAX_PAGES} of {len(reader.pages)} pages"
    except FileNotDecryptedError as exc:
        return PdfExtraction("", "", "encrypted", str(exc) or "needs a password")
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return PdfExtraction("", "", "failed", f"{type(exc).__name__}: {exc}")
    text = "\n\n".join(chunk for chunk in chunks if chunk)
    if len(text) < MIN_CHARS_PER_PAGE * max(1, len(chunks)) // 2:
        if "time limit" in detail:
            return PdfExtraction(title, text, "failed", detail)
        return PdfExtraction(title, text, "scanned", "little or no text layer")
    if not title:
        title = next((line.strip() for line in text.splitlines() if len(line.strip()) > 10), "")
    return PdfExtraction(title, text, "ok", detail)
