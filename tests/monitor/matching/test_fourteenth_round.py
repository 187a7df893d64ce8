"""Classes of the fourteenth round of blind batteries (2026-12-07): parliamentary records,
regulators' press releases, finance and crypto press, consumer tech and gaming press. Each case has
a trap beside it that shares the words and must not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

CASES = [
    (
        "en",
        "Turkey's rule for banks",
        "Banks must keep their primary and secondary systems inside Turkey under the banking watchdog's regulation.",
        "data_localization",
    ),
    (
        "en",
        "SEBI's cloud framework",
        "Brokers must ensure that all their data is stored and processed within the legal boundaries of India.",
        "data_localization",
    ),
    (
        "en",
        "Court turns away challenge",
        "The IRS obtained the transaction records of 14,000 customers from the crypto exchange with a John Doe "
        "summons.",
        "government_access",
    ),
    (
        "es",
        "Hacienda y los exchanges",
        "Hacienda exige a un exchange de criptomonedas los datos de sus clientes residentes en España.",
        "government_access",
    ),
    (
        "de",
        "Finanzamt und Kryptobörse",
        "Das Finanzamt verlangt von der Kryptobörse die Transaktionsdaten ihrer Kunden.",
        "government_access",
    ),
    (
        "es",
        "El supervisor y la nube",
        "Las matrices están sujetas a la legislación de Estados Unidos, advierte el Banco de España.",
        "data_sovereignty",
    ),
    (
        "en",
        "Banks use the standard contract",
        "A standard contract lets Greater Bay Area banks move personal data to Hong Kong.",
        "standard_contractual_clauses",
    ),
    (
        "de",
        "Spielregeln aus Peking",
        "Die Aufsichtsbehörde legt einen Entwurf vor: Online-Spiele sollen Belohnungen verbieten und "
        "Minderjährigen keine Käufe mehr erlauben.",
        "platform_regulation",
    ),
    (
        "fr",
        "Apple et le Home Office",
        "Apple retire la fonction plutôt que de laisser le Home Office accéder aux données chiffrées de ses clients.",
        "government_access",
    ),
    (
        "en",
        "Regulator and the Assistant",
        "The regulator ordered Google to stop contractors listening to Assistant recordings; the DPA says it "
        "needs a legal basis.",
        "ai_regulation",
    ),
    (
        "en",
        "Roblox blocked",
        "Turkey has blocked access to Roblox nationwide, acting on an order from a criminal court.",
        "platform_regulation",
    ),
    (
        "fr",
        "Article 7",
        "L'article prévoit des traitements algorithmiques sur les images de vidéoprotection, signalés aux policiers.",
        "government_access",
    ),
    (
        "fr",
        "Article 3",
        "Cet article permettra aux enquêteurs d'activer à distance le téléphone d'une personne, sur autorisation "
        "d'un juge.",
        "government_access",
    ),
]

TRAPS = [
    # A vendor's "sovereign cloud" edition; a bank's new data centres; tax season advice.
    (
        "en",
        "Temenos launches cloud",
        "Temenos launches a 'sovereign cloud' edition of its core banking suite for launch customers.",
    ),
    (
        "en",
        "New data centres",
        "The bank opened two data centres inside the country to serve new customers in the region.",
    ),
    (
        "en",
        "Tax season",
        "The IRS told users of tax software to report their income before April.",
    ),
    # A DPA decision on a call centre's audio recordings is an ordinary GDPR case.
    (
        "en",
        "AEPD fines a call centre",
        "The DPA fined a call centre for keeping audio recordings of customers' calls without telling them, "
        "contrary to the GDPR.",
    ),
    # Parental controls for a child's console.
    (
        "de",
        "Kindersicherung einrichten",
        "So stellen Sie Spielzeit und Käufe für Kinder auf der Konsole ein: Online-Spiele lassen sich sperren.",
    ),
]


test_the_fourteenth_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)
