"""Classes of the tenth round of blind batteries (2026-12-07): US national and state policy press,
and Italian press. Each case has a trap beside it that shares the words and must not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

CASES = [
    (
        "en",
        "Attorney General presses Apple",
        "The Attorney General called on Apple to help the FBI unlock two iPhones used by the gunman; Apple "
        "said it would not build a backdoor into its encryption.",
        "government_access",
    ),
    (
        "en",
        "FTC bans location-data brokers",
        "The FTC ordered two data brokers to stop selling location data; one sold it to federal agencies "
        "including ICE.",
        "government_access",
    ),
    (
        "en",
        "State delays its AI law",
        "Lawmakers delayed the state's artificial intelligence law, which requires companies using high-risk "
        "AI systems to run impact assessments.",
        "ai_regulation",
    ),
    (
        "en",
        "Authors settle with AI company",
        "A judge approved the settlement with authors who said the company trained its chatbot on pirated "
        "books in breach of copyright.",
        "ai_regulation",
    ),
    (
        "en",
        "State grounds Chinese-made drones",
        "The state ordered agencies to stop flying Chinese-made drones from countries of concern, citing "
        "the data they collect.",
        "data_sovereignty",
    ),
    (
        "en",
        "Another delay for the TikTok law",
        "The president again delayed enforcement of the law that forces ByteDance, TikTok's Chinese owner, to "
        "divest the app or face a ban.",
        "data_sovereignty",
    ),
    (
        "en",
        "Court lets state limit addictive feeds",
        "The appeals court let the state enforce its law that bars platforms from showing addictive feeds to "
        "minors without a parent's consent.",
        "platform_regulation",
    ),
    (
        "en",
        "Judge orders search remedies",
        "The judge, who ruled that Google illegally maintained a monopoly in online search, ordered it to "
        "share search data with rivals, the Justice Department said.",
        "platform_regulation",
    ),
    (
        "en",
        "Take It Down Act signed",
        "The Take It Down Act requires websites and apps to remove explicit deepfakes within 48 hours.",
        "platform_regulation",
    ),
    (
        "it",
        "Cloud per la PA",
        "Secondo la Strategia Cloud Italia le amministrazioni devono migrare i dati verso infrastrutture "
        "qualificate dall'Agenzia per la cybersicurezza.",
        "data_sovereignty",
    ),
    (
        "it",
        "Golden power sul 5G",
        "Il governo ha esercitato il golden power sugli apparati 5G di Huawei: vietato l'accesso da remoto "
        "dall'estero agli apparati della rete.",
        "data_sovereignty",
    ),
    (
        "it",
        "Server in Ue per i dati critici",
        "Per i dati critici della PA il regolamento impone server nell'Unione europea e backup in Italia per i dati.",
        "data_localization",
    ),
    (
        "it",
        "Graphite sul telefono di un giornalista",
        "Il Citizen Lab ha trovato tracce dello spyware Graphite sul telefono di un giornalista; il Copasir "
        "chiede chiarimenti.",
        "government_access",
    ),
    (
        "it",
        "Piracy Shield",
        "L'Agcom ha disposto migliaia di blocchi di indirizzi IP con la piattaforma Piracy Shield.",
        "platform_regulation",
    ),
]

TRAPS = [
    # Agencies urging carriers to harden their networks after a hack (an advisory).
    (
        "en",
        "FBI, CISA urge telecoms to harden networks",
        "The FBI and CISA urged telecoms to harden their networks as a Chinese hacking campaign lingers; "
        "carriers were told to patch routers.",
    ),
    # A thief who unlocks a stolen phone; a toy drone; a football transfer in Italian.
    (
        "en",
        "How thieves unlock stolen phones",
        "Police said the thieves unlock stolen iPhones with a spoofed message before selling them abroad.",
    ),
    (
        "it",
        "Calciomercato",
        "Il trasferimento dell'attaccante è ufficiale: il club ha depositato il contratto in Lega.",
    ),
]


test_the_tenth_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)
