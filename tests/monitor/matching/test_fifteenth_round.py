"""Classes of the fifteenth round of blind batteries (2026-12-07, night): opinion pages and
long-form analysis in English, German, French and Spanish. Each case has a trap beside it that
shares the words and must not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

CASES = [
    (
        "es",
        "La agencia de IA",
        "La AESIA podrá imponer multas a quien no etiquete los contenidos generados por inteligencia artificial.",
        "ai_regulation",
    ),
    (
        "es",
        "Un reglamento por fases",
        "El Reglamento europeo de IA obliga a etiquetar los contenidos generados.",
        "ai_regulation",
    ),
    (
        "fr",
        "Ce que les modèles ont lu",
        "Les fournisseurs doivent publier un résumé des données d'entraînement et respecter le droit "
        "d'auteur, précise le Bureau de l'IA.",
        "ai_regulation",
    ),
    (
        "fr",
        "Le règlement européen",
        "Le règlement européen sur l'intelligence artificielle s'applique par étapes depuis 2024.",
        "ai_regulation",
    ),
    (
        "fr",
        "Les sites pour adultes",
        "Aylo proteste contre l'obligation de vérifier l'âge de ses utilisateurs, imposée par la loi.",
        "platform_regulation",
    ),
    (
        "es",
        "El Supremo y las redes",
        "Las plataformas solo respondían por lo que publicaban sus usuarios si desobedecían una orden judicial.",
        "platform_regulation",
    ),
    (
        "es",
        "Once años de una ley",
        "El artículo 19 del Marco Civil de Internet fue un dogma para las empresas tecnológicas.",
        "platform_regulation",
    ),
]

TRAPS = [
    # A fine for a shop's opening hours is not a competition case.
    (
        "de",
        "Apple und die Strafe",
        "Apple muss eine Geldbuße zahlen, weil ein Laden in München die Öffnungszeiten überschritt.",
    ),
    # An age check at the wine shop.
    (
        "fr",
        "Le caviste et la loi",
        "Le caviste doit vérifier l'âge des clients avant de vendre de l'alcool, selon la loi Evin.",
    ),
    # Oil platforms answering in court.
    (
        "es",
        "Derrame en el golfo",
        "Las plataformas petroleras responden ante el tribunal por el derrame y la ley ambiental.",
    ),
    # A club's training data.
    (
        "fr",
        "Le centre de formation",
        "Le club a analysé les données d'entraînement de ses joueurs avec un résumé pour la Commission des arbitres.",
    ),
]


test_the_fifteenth_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)
