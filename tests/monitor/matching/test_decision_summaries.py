"""Data-protection decisions as a case-law wiki summarises them: the topic is the legal question.

Classes found by a blind battery of decision summaries (2026-12-03; writers who never saw the
rules): a DPA acting on a face search engine or a risk-scoring model, telecom data retained for the
state or obtained by a prosecutor as the legal question, a tax authority's bulk request to a
platform, an overseas transfer of customers' data, a public body's exposure to the CLOUD Act, a
notice-and-stay-down order, a DPA blocking users whose age a platform cannot verify; and the
ordinary cases beside them that share the words.
"""

from __future__ import annotations

import pytest

from monitor.matching import Matcher
from tests.helpers.matching import flagged


@pytest.mark.parametrize(
    ("title", "text", "topic"),
    [
        (
            "AP (Netherlands)",
            "The DPA fined the operator of a face search engine built from scraped images.",
            "ai_regulation",
        ),
        (
            "IMY (Sweden)",
            "The supervisory authority found the tax agency's self-learning risk scoring model breached Article 22.",
            "ai_regulation",
        ),
        (
            "BVerwG",
            "The duty for providers to retain IP addresses for law enforcement breaches Article 15 of the ePrivacy"
            " Directive.",
            "government_access",
        ),
        (
            "Riigikohus",
            "Call records obtained by the prosecutor without court authorisation were collected in breach of EU law.",
            "government_access",
        ),
        (
            "LVAT",
            "The court annulled the tax authority's request requiring the platform to hand over data of all users.",
            "government_access",
        ),
        (
            "PIPC (South Korea)",
            "The marketplace made an overseas transfer of customers' personal information to sellers without consent.",
            "cross_border_transfers",
        ),
        (
            "VG Zürich",
            "The canton's use of Microsoft 365 exposes its files to the CLOUD Act, the court held.",
            "data_sovereignty",
        ),
        (
            "LG Frankfurt",
            "The court confirmed the host's notice and stay down duty for the defamatory posts.",
            "platform_regulation",
        ),
        (
            "Garante (Italy)",
            "The DPA ordered the app to block all users whose age it could not verify until checks are in place.",
            "platform_regulation",
        ),
    ],
)
def test_the_decision_summaries_flag(matcher: Matcher, title: str, text: str, topic: str) -> None:
    assert topic in flagged(matcher, title, text)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("CNIL (France)", "The DPA fined a retailer for keeping customer data longer than its own retention period."),
        ("Court", "The tax office may request a taxpayer's bank statements when it audits his return."),
        ("DSB (Austria)", "The employer's new machine learning model for shift planning raised no question of law."),
        ("AEPD (Spain)", "A neighbour's camera that films the street breaches the GDPR, the DPA held."),
    ],
)
def test_the_ordinary_cases_beside_them_do_not(matcher: Matcher, title: str, text: str) -> None:
    assert not flagged(matcher, title, text)
