"""Classes of the seventeenth round of blind batteries (2026-12-08): the health, science and
medical press (en, de, fr, nl), the telecom and internet-infrastructure trade press (en, de, fr,
es) and Portuguese and Dutch general press. Each case has a trap beside it that shares the words
and must not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

CASES = [
    # Records a law keeps on the country's soil, said by where they must (not) be.
    ("en", "A deadline for clinics", "Clinics must keep patient records on US soil from January.", "data_localization"),
    (
        "en",
        "Senate Bill 1188",
        "Every electronic health record must be physically stored in the United States under the law.",
        "data_localization",
    ),
    (
        "en",
        "My Health Record",
        "The Act prohibits the operator from holding or processing records outside Australia.",
        "data_localization",
    ),
    ("en", "Bidders told", "Bidders must keep to the onshore hosting rule, the agency said.", "data_localization"),
    # Satellite internet licensed on conditions: gateways at home, interception for the agencies.
    (
        "en",
        "Strings attached",
        "Starlink must route its traffic through gateways in India, the licence says.",
        "data_localization",
    ),
    (
        "en",
        "Security conditions",
        "Starlink must give the security agencies the means to decrypt its traffic.",
        "government_access",
    ),
    # Pandemic contact-tracing data in the hands of the police.
    (
        "de",
        "Der Mainzer Fall",
        "Die Polizei ließ Daten aus der Luca-App über das Gesundheitsamt abfragen.",
        "government_access",
    ),
    (
        "en",
        "The inquiry's chapter",
        "Police used contact-tracing data from the QR check-ins to find witnesses.",
        "government_access",
    ),
    # Surveillance law, wiretap storage, police body cameras, telecom data retention.
    (
        "de",
        "Proton und der Bundesrat",
        "Die Revision der VÜPF würde auch Mail-Dienste zur Mitwirkung verpflichten.",
        "government_access",
    ),
    (
        "es",
        "Un contrato polémico",
        "Interior adjudica a Huawei el almacenamiento de las escuchas de SITEL.",
        "government_access",
    ),
    (
        "pt",
        "Nas ruas",
        "As câmaras corporais da PSP chegam às ruas com reservas da CNPD.",
        "government_access",
    ),
    (
        "nl",
        "Opnieuw voor het Hof",
        "De dataretentiewet ligt opnieuw voor bij het Grondwettelijk Hof.",
        "government_access",
    ),
    # The US bulk-data rule by its long names and its department.
    (
        "en",
        "Genomics partnerships",
        "The rule restricts access to bulk US sensitive personal data.",
        "cross_border_transfers",
    ),
    ("en", "In force", "The DOJ data rule took effect in April.", "cross_border_transfers"),
    # The health data space's rules on third countries, in four languages.
    (
        "en",
        "Who holds the keys",
        "The European Health Data Space decides who outside the Union may reach the data.",
        "cross_border_transfers",
    ),
    (
        "nl",
        "Toegangsorgaan",
        "De Europese ruimte voor gezondheidsgegevens regelt de toegang vanuit derde landen.",
        "cross_border_transfers",
    ),
    (
        "de",
        "Gesundheitsdaten",
        "Der Gesundheitsdatenraum regelt, wer außerhalb der EU an die Daten kommt.",
        "cross_border_transfers",
    ),
    (
        "fr",
        "Données de santé",
        "L'espace européen des données de santé dit qui, hors de l'UE, peut accéder aux dossiers.",
        "cross_border_transfers",
    ),
    # International cloud services for public bodies; high-risk vendors; the ICC's mailbox.
    (
        "de",
        "Die rote Linie",
        "privatim: Spitäler sollen Patientendaten nicht an internationale Cloud-Dienste auslagern.",
        "data_sovereignty",
    ),
    (
        "en",
        "Brussels names names",
        "Two high-risk suppliers must be kept out of 5G networks, the Commission says.",
        "data_sovereignty",
    ),
    (
        "en",
        "The kill switch",
        "Microsoft cut off the ICC prosecutor's email account after the US sanctions.",
        "data_sovereignty",
    ),
    (
        "nl",
        "De stekker eruit",
        "Het Amerikaanse bedrijf sloot de mailbox van de aanklager van het Internationaal Strafhof af na de sancties.",
        "data_sovereignty",
    ),
    (
        "pt",
        "A casa arrendada",
        "A Microsoft cortou o e-mail do procurador do Tribunal Penal Internacional após as sanções.",
        "data_sovereignty",
    ),
    (
        "nl",
        "Huurder in eigen huis",
        "De Vlaamse overheid wil minder afhankelijk worden van Amerikaanse techbedrijven.",
        "data_sovereignty",
    ),
    # Brazil's AI bill by its long name; whole services and state media blocked.
    ("pt", "Na Câmara", "O marco da inteligência artificial chega à Câmara.", "ai_regulation"),
    (
        "es",
        "Caracas",
        "Los proveedores de internet bloquean la red social X por orden del Gobierno.",
        "platform_regulation",
    ),
    (
        "de",
        "Neue Sanktionsrunde",
        "Provider müssen russische Staatsmedien sperren, verlangt das neue Sanktionspaket.",
        "platform_regulation",
    ),
    (
        "en",
        "Sanctions",
        "Internet service providers must block RT and Sputnik under the sanctions.",
        "platform_regulation",
    ),
]

TRAPS = [
    # Soil, offshore drilling, a court's press release, the food chain's suppliers.
    ("en", "Parade", "Troops on US soil were cheered by the crowd."),
    ("en", "The reef", "Offshore drilling outside Australia's reef zone is banned, the Act says."),
    ("en", "Press release", "The International Criminal Court emailed its press release to the defence teams."),
    ("en", "Food safety", "High-risk suppliers in the food chain face more checks, the Commission said."),
    # A vaccine, a gateway opened for speed, a vendor's launch, a minister's deleted chats.
    ("en", "Vaccines", "Regulators banned the Sputnik V vaccine, and clinic operators complied."),
    (
        "en",
        "Faster in Nairobi",
        "Starlink opened a local gateway in Nairobi to cut latency for satellite internet users.",
    ),
    ("nl", "Nieuw voor het mkb", "Het Groningse bedrijf lanceert een soevereine cloud voor het mkb."),
    ("nl", "Woo-verzoek", "Ministeries wisten sms'jes en chats ondanks de bewaarplicht."),
]


test_the_seventeenth_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)
