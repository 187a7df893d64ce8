"""Classes of the eighteenth round of blind batteries (2026-12-08): academic and research writing
as feeds deliver it (en, de, fr), newsletter roundups and link digests (en, de, fr), and
French-language press outside France with Italian and Spanish tech press. Each case has a trap
beside it that shares the words and must not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

CASES = [
    # Deciding itself where its data lies; Microsoft replaced by free software, told from that side.
    (
        "de",
        "Das Land stellt um",
        "Als Land wollen wir selbst bestimmen, wo die Daten unserer Bürger liegen.",
        "data_sovereignty",
    ),
    # Data with a provider under its own country's laws; France's Health Data Hub and Microsoft.
    (
        "fr",
        "Le choix de l'hébergeur",
        "Les données sont confiées à une entreprise américaine, soumise aux lois de son pays.",
        "data_sovereignty",
    ),
    (
        "fr",
        "Un feuilleton depuis 2019",
        "Le Health Data Hub va enfin quitter les serveurs de Microsoft.",
        "data_sovereignty",
    ),
    # The Swiss DPAs on international cloud services for public bodies, in French.
    (
        "fr",
        "Les préposés cantonaux",
        "privatim met les cantons en garde contre les logiciels en nuage.",
        "data_sovereignty",
    ),
    (
        "fr",
        "Un coup de frein",
        "Les communes ne devraient pas confier à de grands fournisseurs internationaux de logiciels en nuage "
        "des données personnelles sensibles.",
        "data_sovereignty",
    ),
    # Switzerland's surveillance ordinance, the EU's detection orders and the intelligence black boxes, in French.
    (
        "fr",
        "Proton fait ses valises",
        "La révision de l'OSCPT étendrait les obligations de surveillance aux messageries.",
        "government_access",
    ),
    (
        "fr",
        "Le compromis belge",
        "Les ordres de détection viseraient aussi les messageries chiffrées, selon le règlement.",
        "government_access",
    ),
    (
        "fr",
        "Dix ans après",
        "La loi de 2015 a autorisé les boîtes noires du renseignement chez les opérateurs.",
        "government_access",
    ),
]

TRAPS = [
    # A startup's "sovereign AI" assistant: a slogan (the newsletter's own words say so).
    (
        "en",
        "Launch Pad",
        "A Stuttgart startup unveiled what it bills as the first sovereign AI assistant for industry.",
    ),
    # A footballer under his country's laws; an aircraft's flight recorders; a help-desk tool.
    ("fr", "Le transfert", "Le joueur reste soumis aux lois de son pays, rappelle le club."),
    ("fr", "Crash", "Les enquêteurs ont récupéré les boîtes noires de l'avion, selon l'opérateur."),
    (
        "fr",
        "Service client",
        "Notre outil d'analyse des messages privés aide les équipes à répondre plus vite sur les plateformes.",
    ),
    # A review of two streaming series whose plot has a wiretap (a false flag of the real tuning part,
    # told in other words here): the review's words in the title or lead mark it as no news.
    (
        "de",
        "Netflix und Amazon starten die nächsten Qualitätsserien",
        "Wien – Die erste Folge beginnt in Kolumbien im Jahr 1989. Es gibt kein Internet und keine "
        "US-Regierung, die alles mithört; um Satellitentelefone abzuhören, musste man direkt darüberfliegen, "
        "erklärt der Ermittler aus dem Off. Die Kamera bleibt lange bei den Figuren, die Musik ist gut gewählt, "
        "und die zweite Serie, ein Familiendrama auf dem Land, kann sich ebenfalls sehen lassen.",
    ),
    # A research platform's annual report; the Swiss DPAs' annual meeting.
    ("fr", "Rapport annuel", "Le Health Data Hub publie son rapport annuel sur les projets de recherche."),
    ("fr", "Assemblée", "privatim a tenu son assemblée annuelle à Lausanne."),
]


test_the_eighteenth_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)
