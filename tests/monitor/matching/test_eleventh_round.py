"""Classes of the eleventh round of blind batteries (2026-12-07): German tech and IT press, and
Spanish-language press of Latin America and Spain. Each case has a trap beside it that shares the
words and must not flag."""

from __future__ import annotations

from monitor.matching import Matcher
from tests.helpers.matching import flagged, round_tests

CASES = [
    (
        "es",
        "Conatel ordena bloquear X",
        "La comisión de telecomunicaciones ordenó a las operadoras bloquear el acceso a la red social X, "
        "horas después de que el presidente anunciara la medida.",
        "platform_regulation",
    ),
    (
        "es",
        "La nueva ley de inteligencia",
        "La ley de inteligencia permite a la Secretaría de Seguridad consultar bases de datos públicas y "
        "privadas, y obliga a las telefónicas a entregar la ubicación en tiempo real cuando se les pida.",
        "government_access",
    ),
    (
        "es",
        "Espiado con Pegasus",
        "El subsecretario fue espiado con el programa Pegasus mientras investigaba el caso, según el análisis forense.",
        "government_access",
    ),
    (
        "es",
        "Datos públicos en el Perú",
        "Los lineamientos obligan a las entidades a alojar sus bases de datos críticas en infraestructura "
        "ubicada en territorio nacional.",
        "data_localization",
    ),
    (
        "es",
        "La nube del gobierno",
        "La agencia quiere traer a casa los datos de las dependencias que hoy están en servidores fuera del país.",
        "data_localization",
    ),
]

TRAPS = [
    # A central bank's rules for instant transfers (BCRA is no binding corporate rule).
    (
        "es",
        "Transferencias: las nuevas reglas del BCRA",
        "El BCRA dispuso que las transferencias inmediatas entre cuentas deberán acreditarse en el momento y "
        "sin costo.",
    ),
    # Cell-site data as evidence in a burglary trial.
    (
        "de",
        "Handydaten überführen Einbrecherbande",
        "Entscheidend für die Verurteilung waren DNA-Spuren und Standortdaten. Die Ermittler hatten "
        "Funkzellendaten ausgewertet und zeigten, dass die Handys zu den Tatzeiten an den Tatorten waren.",
    ),
]


test_the_eleventh_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)


def test_the_ai_law_in_spanish_is_no_intelligence_law(matcher: Matcher) -> None:
    found = flagged(
        matcher,
        "Ley de Inteligencia Artificial",
        "La ley de inteligencia artificial de la UE obliga a publicar un resumen de los datos de entrenamiento.",
        "es",
    )
    assert "ai_regulation" in found
    assert "government_access" not in found
