"""Classes of the fourth round of blind batteries (2026-12-07): German technologists' blogs and
press, the security and tech-policy press, vendor blogs, decision summaries and Chinese laws. Each
case has a trap beside it that shares the words and must not flag."""

from __future__ import annotations

import pytest

from monitor.matching import Matcher


def flagged(matcher: Matcher, title: str, text: str, lang: str) -> set[str]:
    return {t.topic for t in matcher.match(title, text, lang).topics}


CASES = [
    # A state's blocking order against a list of apps.
    (
        "en",
        "Ministry orders block",
        "The ministry ordered a block on 59 mobile apps with Chinese links, citing the security of the state.",
        "platform_regulation",
    ),
    (
        "en",
        "More apps blocked",
        "Another 118 apps were blocked under Section 69A of the Information Technology Act.",
        "platform_regulation",
    ),
    (
        "de",
        "Regierung sperrt Apps",
        "Die Regierung sperrt 40 Apps chinesischer Anbieter und beruft sich auf die nationale Sicherheit.",
        "platform_regulation",
    ),
    # A whole service cut or restored by a state, and the law that frames it.
    (
        "en",
        "Service back after a year",
        "The interior ministry lifted its restrictions on X, formerly Twitter, after the court hearing.",
        "platform_regulation",
    ),
    (
        "en",
        "New authority for social media",
        "The amended Prevention of Electronic Crimes Act creates a social media regulatory authority.",
        "platform_regulation",
    ),
    # Intelligence-service laws and the powers they give.
    (
        "de",
        "Vernehmlassung eröffnet",
        "Der Bundesrat schickt die Revision des Nachrichtendienstgesetzes in die Vernehmlassung.",
        "government_access",
    ),
    (
        "de",
        "Mehr Rechte für den Dienst",
        "Der Nachrichtendienst soll neue Befugnisse erhalten, etwa bei der Kabelaufklärung.",
        "government_access",
    ),
    # The federal workplace built to leave the administration's dependence on US vendors.
    (
        "de",
        "Souveräner Arbeitsplatz im Test",
        "Die Stadt testet den souveränen Arbeitsplatz, den das ZenDiS für die Verwaltung bereitstellt.",
        "data_sovereignty",
    ),
    (
        "de",
        "Weg von Microsoft",
        "Die Abhängigkeit der Verwaltung von US-amerikanischen Softwareherstellern soll sinken.",
        "data_sovereignty",
    ),
]

TRAPS = [
    ("en", "Store cleanup", "Google blocked 50 malicious apps that hid adware, the company said."),
    ("en", "Limits", "Facebook restrictions on political ads in the campaign drew little attention."),
    ("de", "App-Store", "Apple sperrt gefälschte Apps, die sich als Banken ausgaben."),
    ("de", "Krimi", "Im Tatort spielt ein Ermittler heimlich einen Staatstrojaner auf das Handy des Verdächtigen."),
    ("de", "Neues Angebot", "Der Hoster erweitert sein Angebot um eine Sovereign Cloud für KMU."),
    ("de", "Status", "Die Stadt nutzt Nextcloud und Collabora für ihre Dateien."),
]


@pytest.mark.parametrize(("lang", "title", "text", "topic"), CASES)
def test_the_fourth_rounds_classes_flag(matcher: Matcher, lang: str, title: str, text: str, topic: str) -> None:
    assert topic in flagged(matcher, title, text, lang)


@pytest.mark.parametrize(("lang", "title", "text"), TRAPS)
def test_the_traps_beside_them_do_not(matcher: Matcher, lang: str, title: str, text: str) -> None:
    assert not flagged(matcher, title, text, lang)
