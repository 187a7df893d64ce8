from __future__ import annotations

import pytest

from monitor.matching import Matcher


def topics(matcher: Matcher, title: str, text: str = "") -> set[str]:
    return {t.topic for t in matcher.match(title, text).topics}


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Russland verschärft die Datenlokalisierungspflicht", "", {"data_localization"}),
        ("Neue Datenlokalisierungsgesetze", "", {"data_localization"}),
        ("DSGVO: Drittlandtransfers auf dem Prüfstand", "", {"cross_border_transfers"}),
        ("Angemessenheitsbeschlüsse verlängert", "", {"adequacy_decisions"}),
        ("Transferts de données hors de l’UE", "", {"cross_border_transfers"}),
        ("Decisione di adeguatezza per il Giappone", "", {"adequacy_decisions"}),
        ("跨境數據流動新規", "數據出境安全評估", {"cross_border_transfers"}),
        ("EU-US DATA PRIVACY FRAMEWORK UPHELD", "", {"adequacy_decisions"}),
        ("Cláusulas-padrão contratuais aprovadas", "", {"standard_contractual_clauses"}),
        ("", "The data localisation law requires servers in the country.", {"data_localization"}),
    ],
)
def test_on_topic(matcher: Matcher, title: str, text: str, expected: set[str]) -> None:
    assert expected <= topics(matcher, title, text)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Transfer window: striker joins rivals", "The transfer fee was a club record; data analysts loved him."),
        ("Software localization team grows", "Localization of UI strings and translation data for the German version."),
        ("Sovereign debt fears", "Sovereign bonds fell; trade data showed weaker exports."),
        ("Banks must raise capital adequacy ratios", "Adequacy of capital buffers under Basel III."),
        ("CAC 40 ends higher", "The CAC index gained after jobs data."),
        ("ICO raises $40m", "The initial coin offering sold tokens."),
        ("Cross-border payments get cheaper", "Remittances and cross-border payments to migrant families."),
        ("Defense Security Assistance (DSA) budget", "The DSA line funds training for partner militaries."),
        ("DMA controller bug", "A direct memory access (DMA) flaw in the kernel."),
        ("Supreme Court of Canada (SCC) ruling", "The SCC struck down the provincial law."),
    ],
)
def test_traps_are_not_flagged(matcher: Matcher, title: str, text: str) -> None:
    result = matcher.match(title, text)
    assert not result.flagged, result.reason


def test_exclusion_is_local(matcher: Matcher) -> None:
    text = (
        "Sovereign debt markets were calm this week. "
        + "Filler sentence without anything relevant. " * 5
        + "Separately, ministers pledged to build a sovereign cloud for health records."
    )
    assert "data_sovereignty" in topics(matcher, "", text)


def test_localization_needs_context(matcher: Matcher) -> None:
    assert not topics(matcher, "", "Localization is hard.")
    assert "data_localization" in topics(matcher, "", "The new localization requirements for payment data worry banks.")
    assert not topics(matcher, "", "The localization of software strings requires translation data.")


def test_acronym_needs_context(matcher: Matcher) -> None:
    assert "platform_regulation" in topics(matcher, "", "The Commission opened DSA proceedings against the platform.")
    assert not topics(matcher, "", "The DSA budget grew.")


def test_evidence_spans_point_into_original(matcher: Matcher) -> None:
    title = "Neue DATENLOKALISIERUNGSPFLICHT für Cloud-Anbieter"
    text = (
        "Die Datenlokali\u00adsierungs\u00adpflicht gilt ab Mai; "
        "l’UE s’inquiète des transferts de données vers les États-Unis."
    )
    result = matcher.match(title, text)
    hits = {t.topic: t for t in result.topics}
    assert "data_localization" in hits and "cross_border_transfers" in hits
    for hit in result.topics:
        for ev in hit.evidence:
            source = title if ev.field == "title" else text
            assert source[ev.start : ev.end] == ev.term
    assert "DATENLOKALISIERUNGSPFLICHT" in hits["data_localization"].terms
    assert "Datenlokali\u00adsierungs\u00adpflicht" in hits["data_localization"].terms


def test_near_evidence_and_reason(matcher: Matcher) -> None:
    result = matcher.match("", "Vietnam says companies must store customer data locally from next year.")
    assert result.flagged
    hit = result.topics[0]
    assert hit.topic == "data_localization"
    # The NEAR rule's evidence is its anchor and its context; the duty-to-store rule agrees on the
    # same passage (and counts once for relevance).
    store_rule = [e for e in hit.evidence if e.term == "store"][0].rule
    assert {e.term for e in hit.evidence if e.rule == store_rule} >= {"store", "locally"}
    assert hit.features["rules"] == 0.0
    assert result.reason.startswith('data_localization: "store" near ')


def test_title_weighs_more(matcher: Matcher) -> None:
    title_hit = matcher.match("Data localisation law passed", "").topics[0]
    body_hit = matcher.match("", "Data localisation law passed").topics[0]
    assert title_hit.score > body_hit.score


def test_evidence_says_anchor_or_context(matcher: Matcher) -> None:
    # The digest highlights anchors only: "data" or "locally" let a rule fire but are not the story.
    hit = matcher.match("", "Vietnam says companies must store customer data locally from next year.").topics[0]
    rule = next(e.rule for e in hit.evidence if e.term == "store" and e.role == "anchor")
    roles = {e.term: e.role for e in hit.evidence if e.rule == rule}
    assert roles["store"] == "anchor" and roles["locally"] == "context"
    assert hit.evidence[0].to_dict()["role"] in ("anchor", "context")
