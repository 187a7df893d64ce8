"""Classes of the sixth round of blind batteries (2026-12-07): the world desk, German political press,
business and markets press. Each case has a trap beside it that shares the words and must not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

CASES = [
    # A state that switches off a whole platform, named as Musk's X or "the platform".
    (
        "en",
        "Judge orders X blocked nationwide",
        "A supreme court judge ordered the platform suspended after it missed a deadline; the telecoms "
        "regulator told providers to block X within a day.",
        "platform_regulation",
    ),
    # A platform bound to name a local representative.
    (
        "en",
        "Platforms told to name a local representative",
        "Under the new law, social media platforms with more than a million users must appoint a legal "
        "representative in the country or face a ban, the ministry said.",
        "platform_regulation",
    ),
    # App stores' payment rules, worded as the payment systems developers must use.
    (
        "en",
        "Regulator to fine Google and Apple over in-app payments",
        "The communications regulator will fine Google and Apple for forcing app developers to use their "
        "own payment systems, the first penalty under the law.",
        "platform_regulation",
    ),
    # Laws that make websites or app stores check their users' ages.
    (
        "en",
        "State law makes app stores check ages",
        "The governor signed a law that requires app stores to verify the ages of users and get a parent's "
        "consent before minors download apps; websites with adult content must check ID.",
        "platform_regulation",
    ),
    # Platforms made to pay for news by a levy.
    (
        "en",
        "Levy to make platforms pay for news",
        "The government will charge digital platforms a levy unless they strike deals with news publishers, "
        "the treasurer said, after Meta refused to pay for news under the bargaining code.",
        "platform_regulation",
    ),
    # Social media users' identities verified by decree.
    (
        "en",
        "Decree orders account verification",
        "Social networks must verify their users' identities with phone numbers under a decree signed on "
        "Monday, and hand user information to the authorities on request.",
        "platform_regulation",
    ),
    # A competition authority's fine on a big platform, worded as the fine.
    (
        "en",
        "Tribunal upholds fine on Meta",
        "The tribunal upheld a penalty imposed on Meta by the competition commission, which found the company "
        "had abused its dominant position.",
        "platform_regulation",
    ),
    # Data kept inside the kingdom, and data sent out of the country.
    (
        "en",
        "Cloud rules keep data at home",
        "Government bodies must host their data within the kingdom, and the cloud framework requires that "
        "sensitive records be stored inside the country.",
        "data_localization",
    ),
    (
        "en",
        "Beijing eases rules on sending data abroad",
        "Companies will no longer need approval before sending data out of the country, the cyberspace "
        "regulator said, and small firms may transfer personal information abroad without a review.",
        "cross_border_transfers",
    ),
    # German political press: police software on public squares, faces matched against wanted images,
    # IP addresses kept for the police, phones hacked to read messengers, police data mining.
    (
        "de",
        "Software wertet Kamerabilder aus",
        "Die Kameras am Platz liefern ihre Bilder an eine Software, die in Echtzeit Schlägereien erkennt "
        "und der Polizei im Lagezentrum einen Hinweis gibt.",
        "government_access",
    ),
    (
        "de",
        "Fotos aus dem Netz abgleichen",
        "Das Bundeskriminalamt soll Bilder von Verdächtigen mit Fotos aus dem Internet abgleichen dürfen, "
        "sieht ein Gesetzentwurf vor.",
        "government_access",
    ),
    (
        "de",
        "Anhörung zur Speicherpflicht",
        "Anbieter sollen IP-Adressen drei Monate speichern, damit Strafverfolgungsbehörden Täter im Netz "
        "ermitteln können.",
        "government_access",
    ),
    (
        "de",
        "Neue Befugnisse für die Bundespolizei",
        "Die Bundespolizei soll Messenger mitlesen dürfen und dazu Überwachungssoftware auf Smartphones von "
        "Verdächtigen installieren.",
        "government_access",
    ),
    (
        "de",
        "Polizeigesetz verabschiedet",
        "Die Polizei darf ihre Datenbanken künftig mit einer Analysesoftware automatisiert durchsuchen und "
        "Verbindungen zwischen Personen sichtbar machen.",
        "government_access",
    ),
    # A provider subject to American law, in a Land's farewell to Outlook.
    (
        "de",
        "Land verabschiedet sich von Outlook",
        "Die Landesregierung ersetzt Outlook. Wer seine Daten einem Anbieter gebe, der amerikanischem Recht "
        "unterliege, gebe Kontrolle ab, sagt der Digitalisierungsminister.",
        "data_sovereignty",
    ),
    # Business press: data that could leave the mainland before a listing; customer data a regulator
    # orders brought home; payment data processed abroad against the rules; rival app stores forced
    # by law; a foreign state collecting data on Americans; vendors ripped out of 5G cores; in German,
    # a competition fine on a platform, China's export review, storage in the country as a rule.
    (
        "en",
        "Listing on hold",
        "The regulator asked whether any of the data could leave the mainland after the listing.",
        "cross_border_transfers",
    ),
    (
        "en",
        "Regulator orders bank to bring customer data home",
        "The banking regulator ordered the bank to move customer records back onto servers in the country.",
        "data_localization",
    ),
    (
        "en",
        "Gateway fined",
        "The central bank fined the operator because card transactions must be processed inside Indonesia "
        "under its rules.",
        "data_localization",
    ),
    (
        "en",
        "Smartphone act takes effect",
        "The new law forces Apple and Google to allow rival app stores and alternative payment systems.",
        "platform_regulation",
    ),
    (
        "en",
        "Car software ban",
        "Officials said Beijing could use connected cars to collect information on Americans.",
        "government_access",
    ),
    (
        "en",
        "Operators to rip Huawei out of 5G cores",
        "The operators agreed to rip Huawei out of the core of their 5G networks, the interior ministry said.",
        "data_sovereignty",
    ),
    (
        "de",
        "Milliardenstrafe gegen Google",
        "Die EU-Kommission verhängt eine Geldbuße gegen Google, weil der Konzern seine Marktmacht missbraucht habe.",
        "platform_regulation",
    ),
    (
        "de",
        "Warten auf die Datenprüfung",
        "Die Ausfuhr der Testdaten nach Deutschland braucht eine Sicherheitsprüfung der CAC.",
        "cross_border_transfers",
    ),
    (
        "de",
        "Rechenzentren in China",
        "Die Hersteller betreiben eigene Rechenzentren, um die Vorgaben zur Speicherung im Land einzuhalten.",
        "data_localization",
    ),
]

TRAPS = [
    # A platform that blocks accounts, and a clinic's X-rays.
    (
        "en",
        "X suspends accounts",
        "X suspended accounts linked to the government after a court case in California.",
    ),
    (
        "en",
        "Ministry widens access to X-rays",
        "The health ministry will widen access to X-rays in rural clinics, the minister said.",
    ),
    # Bars that must check ID.
    (
        "en",
        "Bars fined over ID checks",
        "Under the state law, bars must check ID of anyone who looks under 21; the court fined two bars.",
    ),
    # A job competition, not a competition case.
    (
        "en",
        "Regulator orders Google to de-list results",
        "The regulator ordered Google to remove search results about a public job competition, and "
        "fined the local council.",
    ),
    # Money sent out of the country, with "data" in the next clause.
    (
        "en",
        "Capital flight picks up",
        "Investors transferred funds out of the country last month, data from the central bank show.",
    ),
    # Staff kept in the country.
    (
        "en",
        "Staff kept at home",
        "The company said its engineers must be kept inside the country until the visa rules change.",
    ),
    # A shop's camera, a factory's image inspection, a web shop's logs, a parent reading chats.
    (
        "de",
        "Kamera im Supermarkt",
        "Die Kameras im Supermarkt zeichnen automatisch auf; die Polizei ermittelt nach dem Ladendiebstahl.",
    ),
    (
        "de",
        "Qualität am Band",
        "Im Werk werden die Kamerabilder jeder Schweißnaht automatisch ausgewertet, die Software meldet Fehler.",
    ),
    (
        "de",
        "Datenschutzerklärung erneuert",
        "Der Webshop speichert IP-Adressen sieben Tage, um Angriffe abzuwehren, und löscht sie danach.",
    ),
    (
        "de",
        "Eltern lesen mit",
        "Viele Eltern wollen die Chats ihrer Kinder mitlesen; Schulen raten zu Gesprächen statt Kontrolle.",
    ),
    # Executives who leave the country; a backup restored; a fine on a dairy for its adverts.
    (
        "en",
        "Executives leave China",
        "Several executives have left the country, and the firm moved its records to a new office.",
    ),
    (
        "en",
        "Backup restored",
        "After the outage, the bank moved customer data back from the backup within hours, its chief said.",
    ),
    (
        "de",
        "Strafe für Werbung",
        "Das Landgericht verhängt eine Strafe gegen einen Molkereikonzern wegen irreführender Werbung.",
    ),
]


test_the_sixth_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)
