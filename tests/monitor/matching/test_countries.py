from __future__ import annotations

import pytest

from monitor.matching import CountryMatcher, Matcher


def codes(matcher: Matcher, title: str, text: str = "", language: str | None = None) -> list[str]:
    return [c.code for c in matcher.match(title, text, language).countries]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The regulator enforces the GDPR.", {"EU"}),
        ("Michael Jordan wore Air Jordan sneakers.", set()),
        ("A set of fine china and bone china plates.", set()),
        ("Bank of America and American Express shares rose.", set()),
        ("Niger and Nigeria signed a pact.", {"NE", "NG"}),
        ("Papua New Guinea joins the forum.", {"PG"}),
        ("The New Mexico legislature met.", {"US"}),
        ("Turkey prices rose before Thanksgiving.", {"TR"}),
        ("We ate turkey at Thanksgiving.", set()),
        ("Let us know what the focus is.", set()),
        ("US regulators and the U.S. Congress.", {"US"}),
        ("Manchester City beat Atlético de Madrid.", set()),
        ("The Chinese Taipei team won.", {"TW"}),
        ("La CNIL et l’Union européenne.", {"FR", "EU"}),
        ("Die Übermittlung in die Vereinigten Staaten.", {"US"}),
        ("Los EE. UU. y la UE negocian.", {"US", "EU"}),
        ("Nederlandse toezichthouder AP", {"NL"}),
        ("The AP reported the story from New York.", {"US"}),
        ("国家网信办与欧盟会谈", {"CN", "EU"}),
        ("歐盟與美國", {"EU", "US"}),
        ("The German translation is ready.", set()),
        ("The app is now available in French.", set()),
        ("German regulators fined the firm.", {"DE"}),
        ("European startups raised money.", set()),
        ("European startups welcomed the GDPR.", {"EU"}),
        ("Diário Oficial da União publica decreto.", {"BR"}),
        ("ICO token sale raised millions.", set()),
        ("The ICO fined the retailer for a data breach.", {"GB"}),
        ("The CAC 40 index rose.", set()),
        ("The CAC ordered a security review of Chinese apps.", {"CN"}),
    ],
)
def test_gazetteer_traps(matcher: Matcher, text: str, expected: set[str]) -> None:
    assert set(codes(matcher, "", text)) == expected


def test_all_caps_headline_us(matcher: Matcher) -> None:
    assert codes(matcher, "LET US KNOW WHAT YOU THINK") == []
    assert "US" in codes(matcher, "", "LET US KNOW.\nThe US regulator said so.")


def test_georgia(matcher: Matcher) -> None:
    assert codes(matcher, "", "The Georgia General Assembly passed the bill; Gov. Kemp will sign it.") == ["US"]
    assert codes(matcher, "", "Georgia's parliament in Tbilisi passed the bill.") == ["GE"]


def test_brussels_and_luxembourg(matcher: Matcher) -> None:
    assert codes(matcher, "", "Brussels wants stricter platform rules.") == ["EU"]
    assert codes(matcher, "", "The Belgian government and Flanders argue over Brussels traffic.") == ["BE"]
    assert codes(matcher, "", "Luxembourg attracts new data centres.") == ["LU"]
    assert codes(matcher, "", "The Luxembourg court struck down the pact.") == ["EU"]


def test_salience_and_focus(matcher: Matcher) -> None:
    result = matcher.match(
        "CNIL fines cloud provider",
        "The French regulator said data went to the US. France's CNIL has fined firms before. "
        "A similar case is pending in Japan.",
    )
    by_code = {c.code: c for c in result.countries}
    assert result.countries[0].code == "FR"
    assert by_code["FR"].focus and not by_code["JP"].focus
    assert by_code["FR"].mentions == 4  # CNIL (title), French, France, CNIL
    assert "CNIL" in by_code["FR"].surfaces
    assert abs(sum(c.salience for c in result.countries) - 1.0) < 0.01


def test_countries_come_most_salient_first(matcher: Matcher) -> None:
    # Weight first: France is named twice, Germany once, although Germany comes first.
    assert codes(matcher, "Cloud rules", "Germany and France agree. France will host the servers.") == ["FR", "DE"]
    # A title mention outweighs lead mentions (3 against 2 each).
    assert codes(matcher, "Japan tightens data rules", "Officials in Brazil, Canada and Mexico watched.")[0] == "JP"
    # Equal weights: the first mention leads, so the order is the text's, not an accident of hashing.
    assert codes(matcher, "France and Germany agree on cloud rules") == ["FR", "DE"]
    assert codes(matcher, "Germany and France agree on cloud rules") == ["DE", "FR"]
    assert codes(matcher, "Cloud rules", "Mexico, Canada and Brazil watched.") == ["MX", "CA", "BR"]


def test_country_matcher_standalone(watchlists_path) -> None:
    cm = CountryMatcher.from_file(watchlists_path)
    assert [c.code for c in cm.match("Dutch watchdog fines Uber", "")] == ["NL"]
