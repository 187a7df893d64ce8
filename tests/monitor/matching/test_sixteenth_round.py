"""Classes of the sixteenth round of blind batteries (2026-12-08): NGO and civil-society
publications (en, de, fr), the public-sector IT press (en, de, fr, it) and the Chinese business,
technology and finance press. Each case has a trap beside it that shares the words and must not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

CASES = [
    # Phones taken and read at the border; the authorities reading refugees' phones.
    (
        "en",
        "At the coast",
        "Border Force officers took the phones of people arriving by small boat and copied their contents.",
        "government_access",
    ),
    (
        "de",
        "Die Handys der Geflüchteten",
        "Das BAMF darf die Handys von Geflüchteten nur noch in Ausnahmefällen auslesen, entschied das Gericht.",
        "government_access",
    ),
    # Plate-reader and camera data shared with other agencies.
    (
        "en",
        "Who else is looking",
        "The county shared its camera data with 300 law enforcement agencies across the country.",
        "government_access",
    ),
    # Spyware told by whom it is sold to.
    (
        "en",
        "A tool for states",
        "The Israeli firm sells its tool only to governments; once on a phone it reads every message.",
        "government_access",
    ),
    (
        "fr",
        "Un outil pour les États",
        "L'entreprise ne vend son logiciel qu'à des gouvernements, "
        "qui l'installent sur les téléphones de journalistes.",
        "government_access",
    ),
    # Telecom metadata kept for the state, in French.
    (
        "fr",
        "Conservation des métadonnées",
        "La loi impose aux opérateurs de conserver les métadonnées de toute la population pendant un an.",
        "government_access",
    ),
    # Administrations taking back control of their data from a US vendor.
    (
        "de",
        "Ohne Microsoft",
        "Die Landesverwaltung ist jetzt Microsoft-frei. Das Land will die Hoheit über seine Daten zurück.",
        "data_sovereignty",
    ),
    (
        "fr",
        "La mairie change de logiciels",
        "La ville tourne la page Microsoft pour reprendre la maîtrise de ses données.",
        "data_sovereignty",
    ),
    (
        "fr",
        "Hébergeurs étrangers",
        "La messagerie des agents est confiée à des fournisseurs soumis à des législations étrangères.",
        "data_sovereignty",
    ),
    # Public bodies made to replace a Russian or Chinese vendor's products.
    (
        "it",
        "Antivirus russi",
        "La PA completa la diversificazione dei prodotti antivirus russi imposta dal decreto.",
        "data_sovereignty",
    ),
    (
        "en",
        "Cameras on the estate",
        "Departments must remove cameras made by firms subject to China's National Intelligence Law "
        "from sensitive sites.",
        "data_sovereignty",
    ),
    # Data a public body's contract or a ministry's rule keeps in the country.
    (
        "en",
        "The council's hosting principles",
        "Social care records must be stored and processed in the UK, including backups, the contract says.",
        "data_localization",
    ),
    (
        "en",
        "MeitY's reminder",
        "Government data must stay on empanelled Indian clouds, the ministry reminded departments.",
        "data_localization",
    ),
    (
        "zh",
        "金管会修正云端委外规定",
        "客户重要资料存放地应以我国境内为原则；如存放于境外，须经核准并在境内保留备份。",
        "data_localization",
    ),
    # Data sent abroad, said as 境外传输; app-store duties set by a court or a law; GPAI duties in Chinese.
    (
        "zh",
        "监管调查",
        "调查发现，该应用将用户数据传输至境外服务器，且未告知用户。",
        "cross_border_transfers",
    ),
    ("zh", "日本新法", "日本智能手机软件竞争促进法全面施行。", "platform_regulation"),
    (
        "zh",
        "法院重批苹果",
        "法院裁定苹果不得对开发者引导用户至外部付款收取佣金。",
        "platform_regulation",
    ),
    ("zh", "欧盟新规", "通用人工智能模型提供者须履行训练数据摘要的公开义务。", "ai_regulation"),
]

TRAPS = [
    # Phones as evidence in a smuggling trial; phones stolen at a border crossing.
    (
        "en",
        "Smugglers convicted",
        "Border Force officers seized the smugglers' phones, and their messages were used as evidence at trial.",
    ),
    ("en", "Holiday warning", "Thieves took phones from tourists arriving at the border crossing."),
    (
        "de",
        "Schleuser angeklagt",
        "Ermittler werteten das Handy des Schleusers aus; die Bundespolizei legte es als Beweismittel vor.",
    ),
    # A zoo's nest cameras; armoured cars and tanker aircraft sold to governments.
    ("en", "Nest cams", "The zoo shares camera data from its nest cams with wildlife agencies."),
    ("en", "Armoured cars", "The company sells its armoured cars only to governments."),
    ("fr", "Avions ravitailleurs", "Airbus ne vend ses avions ravitailleurs qu'à des gouvernements."),
    # A retention period of an ordinary GDPR notice (la durée de conservation), not data kept for the state.
    (
        "fr",
        "Rappel de la CNIL",
        "La CNIL rappelle que la durée de conservation des données doit être limitée, conformément à la loi.",
    ),
    # A vendor's promise of control; Russia's import substitution.
    ("de", "Neue Cloud", "Microsoft verspricht Kunden volle Kontrolle über ihre Daten in der neuen Version."),
    (
        "it",
        "Mosca e le importazioni",
        "Le imprese russe puntano sulla sostituzione delle importazioni, prevista dal decreto del governo.",
    ),
    # Cheese matured in the country; gold kept abroad; goods in a bonded warehouse.
    ("en", "Protected name", "The cheese must be stored and matured in the UK to carry its name."),
    ("zh", "黄金储备", "黄金存放境外须经核准，央行有关规定如此。"),
    ("zh", "海关通知", "海关规定货物存放地应以我国境内为原则。"),
    # A model launch aimed at the EU market; App Store commissions in an earnings story.
    ("zh", "新品发布", "公司发布通用人工智能模型，面向欧盟市场。"),
    ("zh", "财报", "苹果App Store佣金收入同比增长，分析师上调目标价。"),
]


test_the_sixteenth_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)
