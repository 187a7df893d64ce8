"""Classes of the eighth round of blind batteries (2026-12-07): English-language regional press
outside the US and the EU (India, Singapore, Africa, the Gulf, Australia, New Zealand, Canada).
Each case has a trap beside it that shares the words and must not flag."""

from __future__ import annotations

import pytest

from monitor.matching import Matcher


def flagged(matcher: Matcher, title: str, text: str, lang: str) -> set[str]:
    return {t.topic for t in matcher.match(title, text, lang).topics}


CASES = [
    (
        "en",
        "Health records must stay in Kenya",
        "Every system connected to the exchange must store the records it handles in a data centre located "
        "in Kenya, the agency said; patient data has to stay in Kenya.",
        "data_localization",
    ),
    (
        "en",
        "Exemption for the health authority",
        "The law requires public bodies to ensure that personal information is stored and accessed only in "
        "Canada, unless the head of the body decides otherwise.",
        "data_localization",
    ),
    (
        "en",
        "Card network meets storage norms",
        "The central bank lifted its curbs after the network complied with its rules on storing payment data in India.",
        "data_localization",
    ),
    (
        "en",
        "Regulator to scrutinise offshore data",
        "The Information Regulator will scrutinise cross-border transfers under section 72 of POPIA more closely.",
        "cross_border_transfers",
    ),
    (
        "en",
        "A whitelist of trusted countries",
        "The reform amends Australian Privacy Principle 8 and lets the government prescribe a whitelist of "
        "countries to which personal information can flow.",
        "cross_border_transfers",
    ),
    (
        "en",
        "Correction directions for platforms",
        "The POFMA Office issued Targeted Correction Directions to Meta and TikTok over posts on flat prices.",
        "platform_regulation",
    ),
    (
        "en",
        "Police searches of plate cameras",
        "Police officers can query number-plate cameras run by petrol stations without a warrant, the review found.",
        "government_access",
    ),
]

TRAPS = [
    # Cross-border transfers of money; a plate of food; a player who stays in Kenya.
    (
        "en",
        "Remittances climb",
        "Cross-border transfers from the diaspora rose 12 per cent, central bank figures show.",
    ),
    (
        "en",
        "Licence plates for collectors",
        "The transport agency will auction vintage licence plates next month; proceeds go to road safety.",
    ),
    (
        "en",
        "Striker to stay in Kenya",
        "The striker will stay in Kenya for another season, his club said after talks with the federation.",
    ),
]


@pytest.mark.parametrize(("lang", "title", "text", "topic"), CASES)
def test_the_eighth_rounds_classes_flag(matcher: Matcher, lang: str, title: str, text: str, topic: str) -> None:
    assert topic in flagged(matcher, title, text, lang)


@pytest.mark.parametrize(("lang", "title", "text"), TRAPS)
def test_the_traps_beside_them_do_not(matcher: Matcher, lang: str, title: str, text: str) -> None:
    assert flagged(matcher, title, text, lang) == set()
