"""Classes of the twelfth round of blind batteries (2026-12-07): UK national and tech press, and
French national and regional press. Each case has a trap beside it that shares the words and must
not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

CASES = [
    (
        "en",
        "Google handed strategic market status",
        "The CMA designated Google with strategic market status under the new digital competition regime, "
        "opening the way to binding rules on how it treats rivals.",
        "platform_regulation",
    ),
    (
        "en",
        "VPN downloads rocket as porn ID checks start",
        "New rules forced porn sites and social media apps to check users' ages under the Online Safety Act.",
        "platform_regulation",
    ),
    (
        "en",
        "Police ran facial searches on passport photos",
        "Police forces ran thousands of facial recognition searches against the passport database, figures "
        "show; campaigners say parliament never approved it.",
        "government_access",
    ),
    (
        "fr",
        "Les antennes Huawei reculent",
        "Les opérateurs doivent démonter leurs antennes Huawei : la loi soumet ces équipements à "
        "l'autorisation du Premier ministre.",
        "data_sovereignty",
    ),
    (
        "fr",
        "Le bilan des caméras intelligentes",
        "La loi sur les Jeux a autorisé à titre expérimental des logiciels qui analysent en temps réel les "
        "images des caméras de vidéoprotection.",
        "government_access",
    ),
    (
        "fr",
        "Messageries chiffrées",
        "Le règlement obligerait les messageries à analyser les contenus de leurs utilisateurs ; Berlin refuse "
        "toute détection obligatoire touchant aux communications chiffrées.",
        "government_access",
    ),
]

TRAPS = [
    # A market stall's ID checks for cider; a shop's smart cameras that count visitors.
    (
        "en",
        "Cider stall fined",
        "Trading standards fined a market stall after ID checks failed on two teenagers buying cider.",
    ),
    (
        "fr",
        "Caméras au supermarché",
        "Le supermarché installe des caméras qui comptent les clients aux caisses pour réduire l'attente.",
    ),
]


test_the_twelfth_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)
