"""Control and invisible formatting characters: removed on the way in, and wherever text is printed."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from rich.console import Console

from monitor.cli.tables import items_table
from monitor.controls import has_controls, strip_controls
from monitor.digest.stories import Story
from monitor.export.atom import build_feed
from monitor.storage.models import Article
from monitor.storage.queries import to_item
from pipelines.clean_text import CleanTextStage
from spiders.items import DocumentItem

HOSTILE_TITLE = "CNIL fines \x1b[31mCloudCo\x1b[0m\x07 \u202efdp.exe\u202c \u2066x\u2069 [sic] [/] <unknown>"
CLEAN_TITLE = "CNIL fines [31mCloudCo[0m fdp.exe x [sic] [/] <unknown>"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("ESC \x1b[2J and BEL \x07 and DEL \x7f and CSI \x9b", "ESC [2J and BEL  and DEL  and CSI "),
        ("over\u202erides \u202a\u202b\u202c\u202d and isolates \u2066\u2067\u2068\u2069", "overrides  and isolates "),
        ("hidden\U000e0041\U000e0042 text \ufeff\u2060\u2063\u206a\ufff9", "hidden text "),
        ("line\r\nbreaks\rand\x0bothers\x0c\x85\u2028\u2029end", "line\nbreaks\nand\nothers\n\n\n\nend"),
        ("tab\tand\nnewline kept", "tab\tand\nnewline kept"),
        # Persian needs ZWNJ, emoji sequences ZWJ, Thai ZWSP; Hebrew and Arabic the RLM/LRM/ALM marks.
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),
        ("\U0001f469\u200d\U0001f4bb", "\U0001f469\u200d\U0001f4bb"),
        (
            "\u0e02\u0e49\u0e2d\u0e21\u0e39\u0e25\u200b\u0e2a\u0e48\u0e27\u0e19",
            "\u0e02\u0e49\u0e2d\u0e21\u0e39\u0e25\u200b\u0e2a\u0e48\u0e27\u0e19",
        ),
        ("\u05d7\u05d5\u05e7 \u200f(2024)\u200e \u061c", "\u05d7\u05d5\u05e7 \u200f(2024)\u200e \u061c"),
        # The flag of Scotland is a tag sequence: kept whole.
        (
            "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland",
            "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland",
        ),
        ("", ""),
        (None, ""),
    ],
)
def test_strip_controls(raw: str | None, clean: str) -> None:
    assert strip_controls(raw) == clean
    assert has_controls(raw) == (raw is not None and raw != clean)


def test_the_clean_text_stage_cleans_title_text_and_summary_before_matching() -> None:
    item = DocumentItem(url="https://cnil.example/a", source_id="cnil", body=b"")
    item.title, item.text, item.summary = HOSTILE_TITLE, "Body\x1b[2J \u202etext", "Sum\x07mary"
    cleaned = CleanTextStage().process_item(item)
    assert (cleaned.title, cleaned.text, cleaned.summary) == (CLEAN_TITLE, "Body[2J text", "Summary")


def stored_before() -> Article:
    """A row written before the crawl stripped control characters."""
    return Article(
        id=1,
        canonical_url="https://cnil.example/a",
        url="https://cnil.example/a",
        source_id="cnil",
        title=HOSTILE_TITLE,
        text="Text \x1b[2J",
        summary="\u202eSummary",
        language="fr",
        published_at=datetime(2026, 11, 24, tzinfo=UTC),
        fetched_at=datetime(2026, 11, 24, tzinfo=UTC),
        flagged_at=datetime(2026, 11, 24, tzinfo=UTC),
        flagged=True,
        reason="why <unknown>\x1b",
        topics=[],
        countries=[],
    )


def test_items_table_prints_titles_literally_and_without_controls() -> None:
    console = Console(width=300, record=True, file=io.StringIO())
    console.print(items_table([stored_before()]))
    printed = console.export_text()
    # Rich markup in a title ("[sic]", "[/]") is text, not a style (nor a crash).
    assert CLEAN_TITLE in printed
    assert not has_controls(printed)


def test_the_item_contract_and_the_atom_feed_carry_no_controls() -> None:
    item = to_item(stored_before())
    assert (item["title"], item["text"], item["summary"]) == (CLEAN_TITLE, "Text [2J", "Summary")
    feed = build_feed([Story(stored_before())], {"cnil": "CNIL \u202eevil"})
    xml = ET.tostring(feed.getroot(), encoding="unicode")
    assert not has_controls(xml)
    assert "[sic] [/] &lt;unknown&gt;" in xml  # escaped by ElementTree, not deleted
    assert "why &lt;unknown&gt;" in xml and "CNIL evil" in xml
