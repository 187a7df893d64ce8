"""The security and technology press: surveillance and tech-policy stories told in a threat
report's vocabulary, beside the threat reports, patches and scams that must not flag.

Classes found by a blind battery written in that press's style (2026-12-03; writers who never saw
the rules): police buying location data around a warrant, a state app that reports on its users,
vulnerability rules that route flaws to the state, a state app forced onto phones, critical-
infrastructure step-in powers, vendors shut out by their origin, a regulator summoning a foreign
vendor over backdoors; and the traps beside them: a patch note's boilerplate on surveillance
vendors, a crime story's location evidence, a tariff, a bug bounty, a phishing lure.
"""

from __future__ import annotations

import pytest

from monitor.matching import Matcher
from tests.helpers.matching import flagged


@pytest.mark.parametrize(
    ("title", "text", "topic"),
    [
        (
            "Sheriff's office",
            "Records show the police department bought phone location data from a data broker without a warrant.",
            "government_access",
        ),
        (
            "Researchers",
            "The mandatory government app uploads users' precise location to the interior ministry every hour.",
            "government_access",
        ),
        (
            "Disclosure rules",
            "China's vulnerability disclosure rules require companies to report flaws to MIIT within two days.",
            "government_access",
        ),
        (
            "Handsets",
            "The ministry ordered phone makers to preinstall a government app that cannot be deleted by users.",
            "government_access",
        ),
        (
            "Step-in powers for critical infrastructure",
            "The bill's step-in powers let the government direct the Signals Directorate inside private networks.",
            "government_access",
        ),
        (
            "Grid security",
            "The government moved to ban Chinese-made inverters over remote access and national security risks.",
            "data_sovereignty",
        ),
        (
            "Beijing",
            "The CAC summoned the chipmaker to explain alleged backdoors and location tracking in its products.",
            "data_sovereignty",
        ),
        (
            "Cars",
            "The Commerce Department's connected vehicle rule bans software from Chinese suppliers in new models.",
            "data_sovereignty",
        ),
    ],
)
def test_the_security_press_policy_stories_flag(matcher: Matcher, title: str, text: str, topic: str) -> None:
    assert topic in flagged(matcher, title, text)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Browser update",
            "The update fixes a zero-day reported by the Threat Analysis Group, which tracks commercial surveillance"
            " vendors and government-backed attackers.",
        ),
        ("Trial", "Police seized the suspect's phone; its location data was shown as evidence at the trial."),
        ("Parking", "The government app for paying parking fees got a redesign and a dark mode."),
        ("Trade", "Washington raises tariffs on Chinese-made solar modules, citing subsidies and national security."),
        ("Bounty", "The bug bounty programme pays researchers who report security vulnerabilities to the vendor."),
        (
            "Lure",
            "Attackers spoofed the regulator in phishing emails that cite the Digital Services Act to steal passwords.",
        ),
    ],
)
def test_the_threat_reports_patches_and_scams_beside_them_do_not(matcher: Matcher, title: str, text: str) -> None:
    assert not flagged(matcher, title, text)
