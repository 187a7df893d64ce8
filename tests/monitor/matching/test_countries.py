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
        # German courts are German jurisdiction, named or abbreviated (case titles: "VG Köln - 13 K 1/22")
        ("Das Oberverwaltungsgericht bestätigte den Bescheid.", {"DE"}),
        ("BGH - VI ZR 10/24: Kontrollverlust ist ein Schaden.", {"DE"}),
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


def about(matcher: Matcher, title: str, text: str = "", language: str | None = None) -> list[str]:
    return matcher.match(title, text, language).about


def test_nationality_is_not_a_subject(matcher: Matcher) -> None:
    title, text = "Complaint against Meta", "The Austrian activist Max Schrems filed a complaint with the Irish DPC."
    result = matcher.match(title, text, "en")
    assert result.about == ["IE"]
    assert set(result.mentioned) == {"IE", "AT"}  # still mentioned (lexicon.md 3.1)
    # The same demonym next to an authority is the actor.
    assert "AT" in about(matcher, "Complaint against a website", "The Austrian DPA found the transfer unlawful.")


def test_city_in_passing_is_not_a_subject(matcher: Matcher) -> None:
    result = matcher.match(
        "Germany's BfDI warns on cloud contracts",
        "The German commissioner urged federal agencies to review their cloud contracts. "
        "Her office will publish guidance in the spring, she told a conference in Munich and later in Paris.",
    )
    assert result.about == ["DE"]
    assert "FR" in result.mentioned
    # A court's city in the title is the deciding court's country.
    assert about(matcher, "LG München I - 4 O 13063/22", "The court held the transfer to the US unlawful.") == [
        "DE",
        "US",
    ]


def test_language_list_is_no_country(matcher: Matcher) -> None:
    result = matcher.match(
        "CNIL publishes cookie guidance", "The guidance is available in English, Spanish and German."
    )
    assert result.mentioned == ["FR"]
    # A list that ends on a noun that is not a language is countries: "French, German and Dutch courts".
    assert set(codes(matcher, "", "Rulings in French, German and Dutch courts differ.")) == {"FR", "DE", "NL"}


def test_will_not_apply_in_is_not_a_subject(matcher: Matcher) -> None:
    result = matcher.match(
        "EU adopts the AI Act", "The European Parliament approved the law. The rules will not apply in the UK."
    )
    assert result.about == ["EU"]
    assert "GB" in result.mentioned


def test_deciding_authority_and_third_country_are_subjects(matcher: Matcher) -> None:
    result = matcher.match(
        "Datatilsynet (Norway) - 20/01727",
        "The Norwegian DPA fined a toll company under the GDPR for transferring car plate numbers to a "
        "processor in China. The company had signed the standard contractual clauses. "
        "Article 44 GDPR, Article 46 GDPR and the GDPR's Chapter V apply.",
    )
    assert result.about == ["NO", "CN"]
    assert "EU" in result.mentioned  # the frame of a member state's decision, not its subject
    # An EU body that decides makes the EU a subject; the US receives the data.
    edps = matcher.match(
        "EDPS - 2020-1013", "The EDPS found that the transfers to the US by the European Parliament..."
    )
    assert edps.about[0] == "EU" and "US" in edps.about


def test_chinese_state_is_china(matcher: Matcher) -> None:
    assert about(matcher, "我国出台数据出境新规", "", "zh") == ["CN"]
    assert about(matcher, "", "国家鼓励数据依法有序自由流动，保障数据安全。", "zh") == ["CN"]
    # "countries" in the plural, a national team, or another state named: 国家 is not China.
    assert codes(matcher, "", "国家队赢得了比赛。", "zh") == []
    assert codes(matcher, "", "美国和其他国家讨论数据安全。", "zh") == ["US"]
    # No policy context: 国家 alone says nothing.
    assert codes(matcher, "", "这个国家很美。", "zh") == []
