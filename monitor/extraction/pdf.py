"""Text of PDF press releases with pypdf, within page and size limits, with an honest status."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

log = logging.getLogger(__name__)

# Press releases and decisions run to a few dozen pages; a 500-page annual report is not news,
# and its text would cost seconds.
MAX_PAGES = 80
# Below this many characters per page a PDF is a scan (images of text) that we cannot read.
MIN_CHARS_PER_PAGE = 40


@dataclass(frozen=True)
class PdfExtraction:
    title: str
    text: str
    status: str  # ok | encrypted | scanned | failed
    detail: str = ""


def extract_pdf(body: bytes) -> PdfExtraction:
    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            try:
                reader.decrypt("")  # many "protected" PDFs only restrict printing
            except (FileNotDecryptedError, NotImplementedError, PyPdfError) as exc:
                return PdfExtraction("", "", "encrypted", str(exc))
        title = ""
        if reader.metadata is not None and reader.metadata.title:
            title = str(reader.metadata.title).strip()
        pages = reader.pages[:MAX_PAGES]
        chunks = [(page.extract_text() or "").strip() for page in pages]
    except FileNotDecryptedError as exc:
        return PdfExtraction("", "", "encrypted", str(exc))
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as exc:
        return PdfExtraction("", "", "failed", f"{type(exc).__name__}: {exc}")
    text = "\n\n".join(chunk for chunk in chunks if chunk)
    if len(text) < MIN_CHARS_PER_PAGE * max(1, len(pages)) // 2:
        return PdfExtraction(title, text, "scanned", "little or no text layer")
    if not title:
        title = next((line.strip() for line in text.splitlines() if len(line.strip()) > 10), "")
    return PdfExtraction(title, text, "ok")
