"""Classes of the thirteenth round of blind batteries (2026-12-07): an Austrian daily's sections,
law-firm client alerts (en, es, de), Asia-Pacific English-language press, and Brazilian and
Portuguese press. Each case has a trap beside it that shares the words and must not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

CASES = [
    (
        "de",
        "Gefährderüberwachung im Ministerrat",
        "Der Staatsschutz soll verschlüsselte Chats von Gefährdern mitlesen dürfen; der Entwurf geht nun in "
        "den Nationalrat.",
        "government_access",
    ),
    (
        "de",
        "Höchstgericht prüft",
        "Der Verfassungsgerichtshof prüft die Messenger-Überwachung, die im Sommer beschlossen wurde.",
        "government_access",
    ),
    (
        "de",
        "Noyb gegen Meta",
        "Der Konzern will seine KI-Modelle mit Nutzerdaten trainieren; die Datenschutzorganisation Noyb "
        "verlangt dafür eine Einwilligung.",
        "ai_regulation",
    ),
    (
        "de",
        "Heer verlässt Microsoft",
        "Das Heer will keine Daten bei einem Anbieter, der ausländischem Recht unterliegt, und stellt auf "
        "eigene Server um.",
        "data_sovereignty",
    ),
    (
        "en",
        "Platforms must hold a licence",
        "Social media platforms must hold a licence from January, the regulator said; operating without one "
        "is an offence under the Act.",
        "platform_regulation",
    ),
    (
        "es",
        "El reglamento indio",
        "La ley permite transferir datos a cualquier país salvo a los que el Gobierno incluya en una lista negativa.",
        "cross_border_transfers",
    ),
    (
        "pt",
        "Constitucional chumba",
        "O Tribunal Constitucional chumbou a lei dos metadados; as investigações em curso ficam em suspenso.",
        "government_access",
    ),
    (
        "pt",
        "Mais câmeras nas estradas",
        "O Ministério da Justiça amplia a rede de leitores de placas consultada pela polícia.",
        "government_access",
    ),
    (
        "pt",
        "Multas do X",
        "O X foi multado por descumprimento de ordens judiciais, e a rede social de Musk deixou o país.",
        "platform_regulation",
    ),
    (
        "pt",
        "Eleições municipais",
        "O TSE proíbe deepfakes na propaganda eleitoral dos candidatos.",
        "ai_regulation",
    ),
    (
        "pt",
        "Nuvem de governo",
        "Os dados dos aposentados ficam em servidores sob jurisdição estrangeira; o governo quer levá-los "
        "para uma nuvem própria.",
        "data_sovereignty",
    ),
]

TRAPS = [
    # An employer's clock-in by face or fingerprint is an ordinary workplace case.
    (
        "es",
        "Boletín laboral",
        "La AEPD publica su criterio sobre el fichaje con huella o reconocimiento facial de la plantilla.",
    ),
    # "Sovereign AI" as the name of a product sold to customers.
    (
        "en",
        "KT launches cloud",
        "KT rolls out a 'sovereign AI' cloud service for banks; customers keep their keys.",
    ),
    # A school phone ban, with social media named only as the problem at home.
    (
        "de",
        "Handyverbot an Schulen",
        "Seit September gilt an Schulen ein Handyverbot. Eltern bemängeln, dass das Verbot das eigentliche "
        "Problem nicht löse: den Umgang der Kinder mit sozialen Medien zu Hause.",
    ),
    # A music licensing deal with a platform.
    (
        "en",
        "Labels sign with TikTok",
        "The labels agreed new music licensing terms with social media platforms for the next three years.",
    ),
    # A labour court's order ignored by a company; sovereignty over food.
    (
        "pt",
        "Empresa condenada",
        "A construtora foi multada por descumprimento de decisão judicial trabalhista.",
    ),
    (
        "pt",
        "Agricultura familiar",
        "A soberania alimentar do país depende da agricultura familiar e dos dados da safra.",
    ),
]


test_the_thirteenth_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)
