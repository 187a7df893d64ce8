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


def test_chinese_names_of_ambiguous_places_resolve(matcher: Matcher) -> None:
    # Names that need context (Georgia, Brussels) match in Chinese too: no capital letter to ask for.
    assert codes(matcher, "", "格鲁吉亚议会通过了新的个人数据保护法。", "zh") == ["GE"]
    assert "布鲁塞尔" in [s for c in matcher.match("", "新规周三在布鲁塞尔公布。", "zh").countries for s in c.surfaces]


def test_our_country_is_taiwan_in_a_text_from_taiwan(matcher: Matcher) -> None:
    # 我國 ("our country") is China, except where Taiwan's own institutions speak.
    assert about(matcher, "金管會：客戶資料應儲存於我國境內", "", "zh") == ["TW"]
    assert about(matcher, "立法院三讀通過修正案", "我國將設立個人資料保護委員會。", "zh") == ["TW"]
    assert about(matcher, "我国出台数据出境新规", "香港、澳门和台湾地区另行规定。", "zh")[0] == "CN"
    assert about(matcher, "衛福部：電子病歷應存放於我國境內", "", "zh") == ["TW"]
    # The mainland's Taiwan Affairs Office speaking of Taiwan's Executive Yuan: 我国 is China.
    assert "CN" in codes(
        matcher, "国台办回应", "国台办表示，台湾行政院禁用大陆云服务是政治操弄，我国企业依法经营。", "zh"
    )


def test_third_country_after_the_lead_stays_a_destination(matcher: Matcher) -> None:
    # Past the lead, an authority named next to the third country does not turn the destination
    # into a mere context mention: the story is still about the transfer to it.
    lead = (
        "The Hellenic DPA reviewed how a ministry runs its remote-learning platform for schools. "
        "The ministry answered the earlier reprimand with a new privacy notice, a cookie banner "
        "and a record of processing, and it trained the teachers who run the online classes. "
        "Parents had complained that the old notice was hard to read for children. "
    )
    text = (
        lead
        + "It added safeguards for data transfers to third countries, in particular the US. The DPA closed the case."
    )
    assert len(lead) > 300  # past the lead (countries.LEAD_CHARS)
    result = matcher.match("HDPA (Greece) - 12/2024", text, "en")
    assert result.about == ["GR", "US"]
    # An EEA country in the same place is context, not a subject: only third countries receive transfers.
    other = text.replace("in particular the US", "in particular France")
    assert "FR" not in matcher.match("HDPA (Greece) - 12/2024", other, "en").about


def test_source_jurisdiction_named_in_its_text_leads(matcher: Matcher) -> None:
    # A British paper on a Home Office decision: the UK is named once, in the body, the EU twice in
    # the lead. Named in the paper's own text, the paper's jurisdiction is a subject; the EU, named
    # twice up front, stays one too.
    title = "Ministers reject phone-tap evidence in court"
    text = (
        "The government refused again to let intercepted calls be used as evidence, a senior EU official "
        "said. The EU envoy said other countries use it. Police chiefs and several MPs back a change, "
        "saying it would end the need to hold terror suspects without charge. The Home Secretary said "
        "the intercept agencies feared their methods would be exposed in open court. "
        "Campaigners said the UK stood alone."
    )
    assert "GB" not in matcher.match(title, text, "en").about
    assert set(matcher.match(title, text, "en", jurisdiction="GB").about) == {"EU", "GB"}
    # A Brazilian text that cites the EU once in passing is about Brazil alone.
    brazil = (
        "O Congresso aprovou a emenda sobre conteúdo na internet durante as eleições. "
        "O texto segue para sanção. Críticos dizem que o Brasil arrisca abrir espaço para a censura. "
        "O relator defendeu a mudança e disse que o artigo protege os eleitores contra notícias falsas. "
        "Entidades de imprensa pediram o veto ao presidente da Câmara na mesma tarde. "
        "Na Europa, a União Europeia discute regras parecidas para as plataformas digitais."
    )
    assert matcher.match("Emenda da internet", brazil, "pt", jurisdiction="BR").about == ["BR"]
    assert "EU" in matcher.match("Emenda da internet", brazil, "pt").about  # no source: weight alone


def test_head_of_government_is_the_state(matcher: Matcher) -> None:
    # "die deutsche Kanzlerin" is Germany acting (or acted upon), not a German national.
    result = matcher.match(
        "Abhörliste veröffentlicht",
        "Der US-Geheimdienst NSA hat offenbar das Telefon der deutschen Kanzlerin abgehört, berichtet ein Portal.",
        "de",
    )
    assert set(result.about) == {"US", "DE"}
    sanctions = "Washington put the spyware maker on its entity list. The French president changed his phone."
    assert about(matcher, "US sanctions spyware maker", sanctions) == ["US", "FR"]
    # A national who is no office holder stays a nationality.
    assert "FR" not in about(
        matcher,
        "Spyware on activists' phones",
        "A French journalist found the implant on the phone, the Irish DPC said.",
    )


def test_capital_city_in_passing_is_not_a_subject(matcher: Matcher) -> None:
    # A capital is a city: where a conference or a leak happened weighs like any other city.
    result = matcher.match(
        "Israeli spyware found on reporters' phones",
        "The reporters compared the numbers at a meeting in Paris. A second meeting in Paris, a week "
        "later, confirmed what the consortium had found.",
        "en",
    )
    assert result.about == ["IL"]
    assert "FR" in result.mentioned
    # Next to an actor word, or in the title, the capital still stands for its state.
    assert about(matcher, "Paris fines a cloud provider")[0] == "FR"
    assert "AT" in about(matcher, "Cloud audit", "A court in Vienna ordered the ministry to stop the transfers.")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The UODO fined a hospital for a lost laptop.", "PL"),
        ("NAIH imposed a fine on a debt collector.", "HU"),
        ("The IMY found that the transfers had no legal basis.", "SE"),
        ("The HDPA reprimanded the ministry.", "GR"),
        ("Der HmbBfDI beendete das Verfahren gegen Zoom.", "DE"),
        ("A ANPD abriu processo contra a empresa.", "BR"),
        ("Tietosuojavaltuutetun toimisto issued a reprimand.", "FI"),
    ],
)
def test_data_protection_authority_named_is_its_country(matcher: Matcher, text: str, code: str) -> None:
    assert about(matcher, "Decision", text) == [code]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The Slovenian DPA found that the police could view the footage.", "SI"),
        ("Romanian authorities ordered the operator to keep the records.", "RO"),
        ("The Norwegian regulator suspended the transfers.", "NO"),
        ("Die ungarische Datenschutzbehörde verhängte ein Bußgeld.", "HU"),
        ("Le gouvernement marocain a adopté le décret.", "MA"),
        ("El gobierno mexicano presentó la iniciativa.", "MX"),
        ("The Saudi government bought the spyware.", "SA"),
        ("Thai police will be able to read the messages.", "TH"),
        ("Il governo greco ha approvato il decreto.", "GR"),
    ],
)
def test_a_demonym_next_to_an_actor_names_any_jurisdiction(matcher: Matcher, text: str, code: str) -> None:
    assert about(matcher, "Decision", text) == [code]


def test_demonyms_of_small_jurisdictions_follow_the_same_roles(matcher: Matcher) -> None:
    # A nationality next to a person noun is mentioned, not a subject.
    result = matcher.match("Complaint filed", "A Togolese activist complained to the Irish DPC.", "en")
    assert result.about == ["IE"] and "TG" in result.mentioned
    # Lower-case English words that look like demonyms name nobody.
    assert codes(matcher, "Release notes", "Then polish the tests and turkey is served.") == []
    # Longest match wins: South Sudanese is not Sudanese, South African not African.
    assert codes(matcher, "", "The South Sudanese government blocked the service.") == ["SS"]
