"""Write the demo sites' PDF press releases, by hand, with the standard library only.

Each PDF is the smallest honest shape a text extractor must handle: a catalog, a page tree, one
or more pages of A4, the standard Helvetica Type1 font with WinAnsiEncoding (so French and German
accents are single bytes) and a text content stream per page, an info dictionary and a correct
cross-reference table. The output is deterministic (fixed dates, no IDs), so the committed files
can be checked against a fresh run.

    python tools/demo_sites/make_pdf.py          # rewrite the PDFs under monitor/demo_sites/sites/
    python tools/demo_sites/make_pdf.py --check  # exit 1 if a committed PDF differs
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

SITES_ROOT = Path(__file__).resolve().parents[2] / "monitor" / "demo_sites" / "sites"

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 64
FONT_SIZE = 11
LEADING = 15
TITLE_SIZE = 15
# Helvetica at 11 pt averages about 5.3 pt per character of prose; 84 characters fill the
# 467 pt text width without running into the right margin.
WRAP = 84
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LEADING - 3


@dataclass(frozen=True)
class Document:
    path: str  # relative to sites/
    title: str
    author: str
    date: str  # PDF date, e.g. D:20261103090000+01'00'
    header: str
    paragraphs: tuple[str, ...]


DOCUMENTS: tuple[Document, ...] = (
    Document(
        path="regulator/documents/communique-acd-2026-11-03.pdf",
        title="Communiqué de presse – Hébergement des données de santé",
        author="Autorité de contrôle des données (ACD)",
        date="D:20261103090000+01'00'",
        header="Autorité de contrôle des données – Communiqué de presse – Paris, le 3 novembre 2026",
        paragraphs=(
            "Hébergement des données de santé : l’ACD recommande le recours à un cloud souverain "
            "pour les grands entrepôts de données",
            "L’Autorité de contrôle des données (ACD) publie aujourd’hui ses lignes directrices sur le "
            "choix d’un hébergeur pour les entrepôts de données de santé. Ce texte fait suite à une "
            "consultation publique ouverte de juillet à septembre 2026, qui a recueilli 140 contributions "
            "d’hôpitaux, d’éditeurs de logiciels, de chercheurs et d’associations de patients.",
            "Pour les entrepôts qui réunissent des données concernant plus d’un million de personnes, "
            "l’ACD recommande un hébergement des données dans l’Union européenne, une exploitation "
            "assurée depuis l’Union et un prestataire qui ne peut pas être contraint par une autorité "
            "d’un pays tiers de communiquer les données. La localisation des données sur le territoire "
            "européen ne suffit pas à elle seule : le capital et la gouvernance du prestataire doivent "
            "aussi être examinés au regard des lois extraterritoriales.",
            "Les nouveaux projets devront suivre ces recommandations à partir du 1er janvier 2027. Les "
            "entrepôts existants disposent d’un délai de dix-huit mois pour documenter leur analyse et, "
            "le cas échéant, préparer une migration vers une offre de cloud souverain.",
            "« La confiance des patients dans la recherche en santé repose sur la maîtrise de leurs "
            "données », a déclaré la présidente de l’ACD. « Ces lignes directrices donnent aux "
            "établissements une méthode claire pour choisir leur hébergeur. »",
            "Contact presse : service de presse de l’ACD, presse@acd.example, 01 53 00 00 00.",
        ),
    ),
    Document(
        path="ministry/SharedDocs/Downloads/DE/2026/eckpunkte-drittstaatenzugriff.pdf",
        title="Eckpunkte zum Schutz von Verwaltungsdaten vor dem Zugriff durch Drittstaaten",
        author="Bundesministerium für Digitales und Datenwirtschaft",
        date="D:20261105100000+01'00'",
        header="Bundesministerium für Digitales und Datenwirtschaft – Eckpunktepapier – Berlin, 5. November 2026",
        paragraphs=(
            "Eckpunkte zum Schutz von Verwaltungsdaten vor dem Zugriff ausländischer Behörden",
            "1. Ausgangslage. Behörden des Bundes nutzen zunehmend Cloud-Dienste. Viele Anbieter "
            "unterliegen dem Recht von Drittstaaten, das Behörden dieser Staaten einen Zugriff auf "
            "Kundendaten erlaubt, auch wenn die Daten in Rechenzentren in der Europäischen Union "
            "gespeichert sind. Beispiele sind der US CLOUD Act und Section 702 des Foreign Intelligence "
            "Surveillance Act.",
            "2. Transparenz. Auftragnehmer des Bundes legen vertraglich offen, ob sie ausländischem "
            "Recht unterliegen, das einen behördlichen Zugriff auf Kundendaten erlaubt, und melden "
            "jede Herausgabeanordnung unverzüglich, soweit das Recht des Drittstaats dies zulässt.",
            "3. Schutzbedarf. Besonders schutzbedürftige Daten werden nur bei Anbietern verarbeitet, "
            "die keiner solchen Pflicht unterliegen, oder so verschlüsselt, dass die Schlüssel "
            "ausschließlich bei der Behörde liegen. Die Datenhaltung erfolgt in Deutschland oder in "
            "der Europäischen Union.",
            "4. Europäische Zertifizierung. Die Bundesregierung setzt sich dafür ein, dass die höchste "
            "Stufe des europäischen Zertifizierungsschemas für Cloud-Dienste Anforderungen an die "
            "Immunität gegenüber außereuropäischem Recht enthält. Digitale Souveränität bedeutet, "
            "selbst zu entscheiden, wer auf Daten der Verwaltung zugreifen darf.",
            "5. Beteiligung. Stellungnahmen sind bis zum 15. Dezember 2026 erbeten an eckpunkte@bmdd.example.",
        ),
    ),
)


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (cp1252), escaped; non-ASCII bytes as octal."""
    out = bytearray(b"(")
    for byte in text.encode("cp1252"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif 32 <= byte < 127:
            out.append(byte)
        else:
            out += b"\\%03o" % byte
    out += b")"
    return bytes(out)


def info_string(text: str) -> bytes:
    """A text string for the info dictionary: UTF-16BE with a byte-order mark, as a hex string
    (info strings use PDFDocEncoding, not the font's WinAnsiEncoding, so accents need this)."""
    return b"<" + ("\ufeff" + text).encode("utf-16-be").hex().upper().encode("ascii") + b">"


def layout(doc: Document) -> list[list[tuple[int, str]]]:
    """Lines of text (font size, text) split into pages."""
    lines: list[tuple[int, str]] = [(FONT_SIZE - 2, doc.header), (FONT_SIZE, "")]
    for i, paragraph in enumerate(doc.paragraphs):
        if i == 0:
            for line in textwrap.wrap(paragraph, 60):
                lines.append((TITLE_SIZE, line))
        else:
            lines.extend((FONT_SIZE, line) for line in textwrap.wrap(paragraph, WRAP))
        lines.append((FONT_SIZE, ""))
    return [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]


def content_stream(lines: list[tuple[int, str]], page_no: int, pages: int) -> bytes:
    ops = [b"BT", b"/F1 %d Tf" % FONT_SIZE, b"%d TL" % LEADING, b"%d %d Td" % (MARGIN, PAGE_HEIGHT - MARGIN)]
    size = FONT_SIZE
    for line_size, text in lines:
        if line_size != size:
            ops.append(b"/F1 %d Tf" % line_size)
            size = line_size
        ops.append(pdf_string(text) + b" Tj T*")
    ops.append(b"ET")
    footer = f"{page_no}/{pages}"
    ops += [
        b"BT",
        b"/F1 8 Tf",
        b"%d %d Td" % (PAGE_WIDTH - MARGIN - 20, MARGIN // 2),
        pdf_string(footer) + b" Tj",
        b"ET",
    ]
    return b"\n".join(ops) + b"\n"


def build_pdf(doc: Document) -> bytes:
    pages = layout(doc)
    # Object numbers: 1 catalog, 2 page tree, 3 font, 4 info, then (page, contents) pairs.
    first_page = 5
    page_ids = [first_page + 2 * i for i in range(len(pages))]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % p for p in page_ids) + b"] /Count %d >>" % len(pages),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Title "
        + info_string(doc.title)
        + b" /Author "
        + info_string(doc.author)
        + b" /Producer (news-monitor make_pdf.py) /CreationDate "
        + pdf_string(doc.date)
        + b" /ModDate "
        + pdf_string(doc.date)
        + b" >>",
    }
    for index, (page_id, lines) in enumerate(zip(page_ids, pages, strict=True)):
        stream = content_stream(lines, index + 1, len(pages))
        objects[page_id] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] " % (
            PAGE_WIDTH,
            PAGE_HEIGHT,
        ) + b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_id + 1)
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")  # the binary comment marks the file as binary
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n" % size + b"0000000000 65535 f \n"
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=SITES_ROOT, help="sites directory (default: the package's)")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    stale = []
    for doc in DOCUMENTS:
        target = args.root / doc.path
        data = build_pdf(doc)
        if args.check:
            if not target.is_file() or target.read_bytes() != data:
                stale.append(doc.path)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if stale:
        print("stale PDFs (run make_pdf.py):", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
