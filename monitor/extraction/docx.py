"""Text of Word (DOCX) documents: a zip of XML parts, read with the standard library and lxml.

Regulators publish opinions and consultation papers as DOCX. Its text is the ``w:t`` runs of
``word/document.xml``, one paragraph per ``w:p``; the title is ``dc:title`` of
``docProps/core.xml``. No python-docx: reading the two parts needs nothing more, and a zip is
hostile input, so each part is read only up to a size limit (a zip bomb stops there) and parsed
without entities or network.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import lxml.etree

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP_SIGNATURE = b"PK\x03\x04"
DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
# Uncompressed bytes read of the main part at most: a 200-page opinion is a few MB of XML.
MAX_PART_BYTES = 20 * 1024 * 1024
MAX_BYTES = 25 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


@dataclass(frozen=True)
class DocxExtraction:
    title: str
    text: str
    status: str  # ok | empty | too_large | failed
    detail: str = ""


def looks_like_docx(body: bytes, content_type: str | None) -> bool:
    """A zip that holds ``word/document.xml`` (its name is in the zip's directory), or is labelled DOCX."""
    if body[:4] != ZIP_SIGNATURE:
        return False
    lowered = (content_type or "").split(";")[0].strip().lower()
    return lowered == DOCX_TYPE or DOCUMENT_PART.encode() in body


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise ValueError(f"{name} is {info.file_size} bytes uncompressed, over the {MAX_PART_BYTES}-byte limit")
    with archive.open(info) as part:
        data = part.read(MAX_PART_BYTES + 1)  # the header's size may lie: the read is bounded too
    if len(data) > MAX_PART_BYTES:
        raise ValueError(f"{name} is over the {MAX_PART_BYTES}-byte limit uncompressed")
    return data


def _paragraphs(document: bytes) -> list[str]:
    root = lxml.etree.fromstring(document, _PARSER)
    paragraphs: list[str] = []
    for paragraph in root.iter(f"{_W}p"):
        pieces: list[str] = []
        for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br"):
            if node.tag == f"{_W}t":
                pieces.append(node.text or "")
            else:
                pieces.append(" " if node.tag == f"{_W}tab" else "\n")
        line = "".join(pieces).strip()
        if line:
            paragraphs.append(line)
    return paragraphs


def extract_docx(body: bytes, *, max_bytes: int = MAX_BYTES) -> DocxExtraction:
    if len(body) > max_bytes:
        return DocxExtraction("", "", "too_large", f"{len(body)} bytes is over the {max_bytes}-byte limit")
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            document = _read_part(archive, DOCUMENT_PART)
            core = _read_part(archive, CORE_PART)
        if document is None:
            return DocxExtraction("", "", "failed", f"no {DOCUMENT_PART} in the archive")
        paragraphs = _paragraphs(document)
        title = ""
        if core is not None:
            node = lxml.etree.fromstring(core, _PARSER).find(f".//{_DC_TITLE}")
            title = (node.text or "").strip() if node is not None else ""
    except (zipfile.BadZipFile, lxml.etree.XMLSyntaxError, ValueError, NotImplementedError, OSError) as exc:
        return DocxExtraction("", "", "failed", f"{type(exc).__name__}: {exc}")
    text = "\n\n".join(paragraphs)
    if not text:
        return DocxExtraction(title, "", "empty", "no text in the document")
    return DocxExtraction(title or next((p for p in paragraphs if len(p) > 10), paragraphs[0])[:300], text, "ok")
