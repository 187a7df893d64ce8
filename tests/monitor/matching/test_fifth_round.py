"""Classes of the fifth round of blind batteries (2026-12-07): vendor blogs, business and markets
press, German and Austrian political press, Chinese news press and the world desk. Each case has a
trap beside it that shares the words and must not flag."""

from __future__ import annotations

import pytest

from monitor.matching import Matcher


def flagged(matcher: Matcher, title: str, text: str, lang: str) -> set[str]:
    return {t.topic for t in matcher.match(title, text, lang).topics}


CASES = [
    # Data that must stay in the country, or be brought back to it.
    (
        "en",
        "Why card data has to stay in India",
        "Under the central bank's circular, payment data has to stay in India; records processed abroad "
        "must be brought back to India within a day.",
        "data_localization",
    ),
    # Data export as China's outbound regime, not as a product feature.
    (
        "en",
        "Carmakers wait on data export reviews",
        "Foreign carmakers say China's data export rules still hold up their research centres.",
        "cross_border_transfers",
    ),
    # Dutch: a provider subject to US orders, and a foreign state that can reach the data.
    (
        "nl",
        "Amerikaanse cloud, Nederlands datacenter",
        "Een Amerikaanse aanbieder met een datacenter in Groningen blijft onderworpen aan Amerikaanse "
        "bevelen en valt onder Amerikaanse wetgeving.",
        "data_sovereignty",
    ),
    (
        "nl",
        "Wie kan erbij?",
        "De vraag is of een buitenlandse overheid toegang kan krijgen tot de gegevens van ministeries die "
        "in een publieke cloud staan.",
        "government_access",
    ),
]

TRAPS = [
    # A product feature.
    (
        "en",
        "Five analytics tools compared",
        "Simple dashboards, no cookies, good data export to CSV, and GDPR-compliant hosting in the EU.",
    ),
    # People who stay in the country.
    (
        "en",
        "Executives stay put",
        "The bank's executives had to stay in China while the investigation ran, its lawyers said.",
    ),
    # A Dutch firm subject to Dutch rules, with no foreign reach.
    (
        "nl",
        "Nieuwe huisregels",
        "Het bedrijf valt onder de nieuwe cao en past de toegang tot het kantoor aan.",
    ),
]


@pytest.mark.parametrize(("lang", "title", "text", "topic"), CASES)
def test_the_fifth_rounds_classes_flag(matcher: Matcher, lang: str, title: str, text: str, topic: str) -> None:
    assert topic in flagged(matcher, title, text, lang)


@pytest.mark.parametrize(("lang", "title", "text"), TRAPS)
def test_the_traps_beside_them_do_not(matcher: Matcher, lang: str, title: str, text: str) -> None:
    assert flagged(matcher, title, text, lang) == set()
