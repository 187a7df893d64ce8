"""Classes of the third round of blind batteries (2026-12-07): feed summaries in eight languages,
English general and business press, German and French press. Each case has a trap beside it that
shares the words and must not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

CASES = [
    # Sensitive data sold to a state of concern (the US rule's own words).
    (
        "en",
        "Data brokers face fines",
        "Selling Americans' location data to buyers in China is now barred.",
        "cross_border_transfers",
    ),
    (
        "en",
        "Rule takes effect",
        "Brokers may no longer sell genetic data to countries of concern, the department said.",
        "cross_border_transfers",
    ),
    # A government's order against a provider's encryption.
    (
        "en",
        "Provider withdraws encrypted backups",
        "The company pulled end-to-end encrypted backups after a secret Home Office order.",
        "government_access",
    ),
    (
        "de",
        "Messenger unter Druck",
        "Die Regierung verlangt eine Hintertür für die Ende-zu-Ende-Verschlüsselung des Dienstes.",
        "government_access",
    ),
    # Dutch: the plain verb of a transfer, a storage duty "op servers in het land".
    (
        "nl",
        "Boete voor taxibedrijf",
        "Het bedrijf stuurde persoonsgegevens van chauffeurs naar de Verenigde Staten.",
        "cross_border_transfers",
    ),
    (
        "nl",
        "Boete voor berichtendienst",
        "Volgens de wet moeten gegevens van gebruikers op servers in het land worden opgeslagen.",
        "data_localization",
    ),
    # A DPA on training AI models on personal data, in the other languages.
    (
        "fr",
        "Données moissonnées",
        "La CNIL admet l'entraînement de modèles sur des données publiques sous conditions.",
        "ai_regulation",
    ),
    (
        "pt",
        "Autoridade age",
        "A ANPD suspendeu o uso de dados de brasileiros para treinar modelos de IA.",
        "ai_regulation",
    ),
    (
        "it",
        "Il Garante interviene",
        "Il Garante contesta l'addestramento di modelli di IA con dati personali degli utenti.",
        "ai_regulation",
    ),
    # Algorithmic video surveillance of the public.
    (
        "fr",
        "Caméras",
        "Le gouvernement veut prolonger la vidéosurveillance algorithmique dans les gares.",
        "government_access",
    ),
    (
        "de",
        "Bahnhöfe",
        "Der Innenminister will KI-gestützte Videoüberwachung an Bahnhöfen ausweiten.",
        "government_access",
    ),
    # China's AI measures by their names.
    ("zh", "新规施行", "《人工智能生成合成内容标识办法》将于九月起施行。", "ai_regulation"),
    # A state barring an app or AI service from its own devices and bodies; Latin names glued to Chinese.
    (
        "en",
        "Ministry acts",
        "The ministry banned DeepSeek on government devices, citing data security.",
        "data_sovereignty",
    ),
    ("zh", "数发部", "公务机关全面禁用DeepSeek，忧资料传回中国。", "data_sovereignty"),
    ("de", "Behörden", "Das Land verbietet TikTok auf Diensthandys der Landesverwaltung.", "data_sovereignty"),
    # Vendors stripped out of the networks for their state's hold.
    (
        "de",
        "Kernnetz",
        "Huawei und ZTE müssen bis 2026 raus aus dem 5G-Kernnetz, teilte das Bundesinnenministerium mit.",
        "data_sovereignty",
    ),
    (
        "en",
        "Telecoms",
        "Operators must rip and replace Huawei equipment in their 5G core networks.",
        "data_sovereignty",
    ),
    # Social networks cut by a state.
    (
        "fr",
        "Scrutin",
        "Les réseaux sociaux coupés à la veille du scrutin, l'ARPT invoque la sécurité.",
        "platform_regulation",
    ),
    (
        "en",
        "Vote",
        "Authorities cut off social networks and messaging apps ahead of the election.",
        "platform_regulation",
    ),
    # Training AI on copyrighted works before lawmakers; processing on servers located in the country.
    (
        "en",
        "Peers vote",
        "The Lords voted that companies must disclose the copyrighted works used to train AI models under the bill.",
        "ai_regulation",
    ),
    (
        "en",
        "Hospital moves records",
        "The law means health data has to be processed on servers located in Kenya.",
        "data_localization",
    ),
]

TRAPS = [
    (
        "en",
        "Broker breach",
        "Hackers stole location data from a broker and sold it on a forum; buyers in China were suspected.",
    ),
    ("en", "Backup feature", "The company launched end-to-end encrypted backups for all users this week."),
    ("nl", "Pakket", "Het bedrijf stuurde het pakket naar de Verenigde Staten."),
    ("fr", "Sport", "L'entraînement des joueurs a repris lundi avant le match."),
    ("de", "Überwachung", "Die Firma bietet Videoüberwachung für Lagerhallen an."),
    ("en", "App review", "DeepSeek's new model beat rivals on coding benchmarks."),
    ("de", "Handys", "Huawei stellt ein neues Handy vor; der Verkauf startet im Mai."),
    ("fr", "Panne", "Une panne géante a coupé les réseaux sociaux pendant deux heures, selon l'opérateur."),
    ("en", "Gallery", "The gallery trained its guides on copyright rules for photographs of paintings."),
    ("en", "Data centre opens", "The operator opened a data centre located in Nairobi to serve its cloud customers."),
]


test_the_third_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)
