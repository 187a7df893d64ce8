from __future__ import annotations

import re

import pytest

from monitor.matching.normalize import _tables, fold, normalize


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("DONNÉES", "donnees"),
        ("l’UE", "l'ue"),
        ("dell‘UE", "dell'ue"),
        ("EU–US", "eu-us"),
        ("EU—US", "eu-us"),
        ("data\u00a0transfer", "data transfer"),
        ("Daten\u00adlokalisierung", "datenlokalisierung"),
        ("Maßnahmen", "massnahmen"),
        ("ＧＤＰＲ", "gdpr"),
        ("ﬁnance", "finance"),
        ("數據出境", "数据出境"),
        ("個人資料", "个人资料"),
        ("Angemessenheitsbeschlüsse", "angemessenheitsbeschlusse"),
        ("e\u0301tats", "etats"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    "raw",
    [
        "Straße der Datenlokali\u00adsierung l’UE — ÉTATS-UNIS",
        "ﬁnance İstanbul x",
        "Plain ASCII text about the GDPR",
        "數據出境 和 個人資料",
        "zero\u200bwidth and soft\u00adhyphen",
    ],
)
def test_spans_map_back_to_original(raw: str) -> None:
    norm = normalize(raw)
    for m in re.finditer(r"\S+", norm.text):
        start, end = norm.span(m.start(), m.end())
        assert fold(raw[start:end]) == m.group()


def test_identity_map_for_length_preserving_text() -> None:
    assert normalize("Données à l’étranger").pieces is None
    assert normalize("Straße").pieces is not None


def _reference_fold(s: str) -> str:
    """The length-preserving fold by definition: ``str.lower`` then one ``str.translate``."""
    tables = _tables()
    return s.lower().translate(tables.translate)


@pytest.mark.parametrize("block", range(0, 0x10000, 0x800))
def test_fast_fold_equals_translate_for_every_bmp_character(block: int) -> None:
    """The fast path deletes skippable runs and applies one ``str.replace`` per distinct character
    left (or a regex pass): it must agree with a plain ``str.translate`` on every character, in
    any company (a Latin text, a Cyrillic text, a run of Traditional Chinese)."""
    tables = _tables()
    chars = [
        chr(cp)
        for cp in range(max(block, 0x80), block + 0x800)
        if not 0xD800 <= cp < 0xE000 and chr(cp) not in tables.special
    ]
    for company in ("Données ", "Данные ", "數據 ", ""):
        for i in range(0, len(chars), 16):
            s = company + "".join(chars[i : i + 16]) + " ΣΑΣ"
            assert normalize(s).text == _reference_fold(s), s


def test_fast_fold_with_many_distinct_characters() -> None:
    """More distinct folds than MAX_REPLACES: the regex pass gives the same string."""
    s = "".join(chr(cp) for cp in range(0x4E00, 0x5E00))  # thousands of CJK, many Traditional
    assert normalize(s).text == _reference_fold(s)
    s = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüý’—–"
    assert normalize(s).text == _reference_fold(s)
