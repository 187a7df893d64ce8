from __future__ import annotations

import re

import pytest

from monitor.matching.normalize import fold, normalize


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
