"""Relevance: a flag means the text is ABOUT the topic; and the failure classes seen on real text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.matching import Matcher, TopicMatcher, relevance

FILLER = "The club reported record ticket sales and the coach praised the defence after the match. " * 20


def topics(matcher: Matcher, title: str, text: str = "") -> set[str]:
    return {t.topic for t in matcher.match(title, text).topics}


def test_a_passing_mention_in_a_long_text_is_not_a_flag(matcher: Matcher) -> None:
    mention = "The app's provider also faces questions over transfers of personal data to the United States. "
    assert not topics(matcher, "Home win lifts the club to second place", FILLER + mention + FILLER)
    # The same sentence as the subject of a short text is.
    assert "cross_border_transfers" in topics(matcher, "", mention)
    # ... and so is the long text when its title and lead carry it.
    title = "Regulator orders stop to transfers of personal data to the United States"
    assert "cross_border_transfers" in topics(matcher, title, mention + FILLER)


def test_scores_are_in_range_and_explained(matcher: Matcher) -> None:
    hit = matcher.match("Data localisation law passed", "The law requires servers in the country.").topics[0]
    assert 0.5 <= hit.score <= 1.0
    assert set(relevance.FEATURES) <= set(hit.features) and hit.features["title"] == 1.0
    assert hit.to_dict()["features"] == hit.features


def test_lead_and_policy_context_raise_the_score() -> None:
    base = relevance.Evidence(mass=1, lead_mass=0, in_title=False, rules=1, anchors=1, policy_anchors=0, chars=3000)
    model = relevance.HAND_MODEL
    score = model.score(relevance.features(base))
    lead = relevance.Evidence(mass=1, lead_mass=1, in_title=False, rules=1, anchors=1, policy_anchors=0, chars=3000)
    policy = relevance.Evidence(mass=1, lead_mass=0, in_title=False, rules=1, anchors=1, policy_anchors=1, chars=3000)
    assert model.score(relevance.features(lead)) > score
    assert model.score(relevance.features(policy)) > score
    assert score < relevance.DEFAULT_THRESHOLD  # one mention in the body of a long text


def test_rules_agreeing_on_one_span_count_once(watchlists_path: Path) -> None:
    # Several rules fire on "transfers of personal data ... United States": one piece of evidence.
    every_candidate = TopicMatcher.from_file(watchlists_path)
    every_candidate.thresholds = [0.0] * len(every_candidate.thresholds)
    hits = every_candidate.match(
        "", FILLER + "Transfers of personal data to the United States were discussed. " + FILLER
    )
    hit = next(h for h in hits if h.topic == "cross_border_transfers")
    assert len({e.rule for e in hit.evidence}) > 1
    assert hit.features["rules"] == 0.0 and hit.score < relevance.DEFAULT_THRESHOLD


def test_rules_agreeing_on_one_passage_count_once(watchlists_path: Path) -> None:
    # Several rules fire on different parts of one sentence: one statement, not agreeing evidence;
    # the same evidence in two separate passages is.
    every_candidate = TopicMatcher.from_file(watchlists_path)
    every_candidate.thresholds = [0.0] * len(every_candidate.thresholds)
    sentence = "The controller made international data transfers of personal data to third countries. "

    def hit(text: str):
        return next(h for h in every_candidate.match("", text) if h.topic == "cross_border_transfers")

    one = hit(FILLER + sentence + FILLER)
    assert len({e.rule for e in one.evidence}) > 1 and one.features["rules"] == 0.0
    two = hit(FILLER + "It made international data transfers. " + FILLER + sentence + FILLER)
    assert two.features["rules"] >= 1.0 and two.score > one.score


def test_learned_weights_are_read_without_scikit_learn(tmp_path: Path) -> None:
    path = tmp_path / "relevance.json"
    path.write_text(json.dumps({"weights": {"bias": -1.0, "lead": 2.0}}), encoding="utf-8")
    model = relevance.load_model(path)
    assert model.source.startswith("learned") and model.weights["lead"] == 2.0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"weights": {"bias": -1.0, "typo": 2.0}}), encoding="utf-8")
    assert relevance.load_model(bad) is relevance.HAND_MODEL
    assert relevance.load_model(tmp_path / "missing.json") is relevance.HAND_MODEL
    broken = tmp_path / "broken.json"
    broken.write_text('{"weights": [1, 2]}', encoding="utf-8")
    assert relevance.load_model(broken) is relevance.HAND_MODEL
    inactive = tmp_path / "inactive.json"
    inactive.write_text(json.dumps({"active": False, "weights": {"bias": 3.0}}), encoding="utf-8")
    assert relevance.load_model(inactive) is relevance.HAND_MODEL
    model, active = relevance.read_learned(inactive)
    assert not active and model.weights == {"bias": 3.0}


def _watchlist(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "watchlists.yaml"
    path.write_text(body, encoding="utf-8")
    return path


TOPIC = "topics:\n  t1:\n    terms:\n      en: [widget law]\n"


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("relevance:\n  threshold: 1.5\n" + TOPIC, "relevance.threshold"),
        ("relevance:\n  thresold: 0.5\n" + TOPIC, "relevance.thresold"),
        ("relevance:\n  policy_context:\n    xx: [law]\n" + TOPIC, "relevance.policy_context.xx"),
        (TOPIC + "    threshold: 0\n", "topics.t1.threshold"),
    ],
)
def test_bad_relevance_settings(tmp_path: Path, body: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        TopicMatcher.from_file(_watchlist(tmp_path, body))


def test_thresholds_from_the_watchlist(tmp_path: Path) -> None:
    text = FILLER + "A widget law was mentioned. " + FILLER
    lax = TopicMatcher.from_file(_watchlist(tmp_path, "relevance:\n  threshold: 0.01\n" + TOPIC))
    assert [h.topic for h in lax.match("", text)] == ["t1"]
    strict = TopicMatcher.from_file(_watchlist(tmp_path, TOPIC + "    threshold: 0.99\n"))
    assert strict.match("", text) == [] and strict.match("Widget law passed", "") == []


def test_policy_context_comes_from_the_watchlist(tmp_path: Path) -> None:
    text = FILLER + "The widget law reached parliament. " + FILLER
    plain = TopicMatcher.from_file(_watchlist(tmp_path, "relevance:\n  threshold: 0.01\n" + TOPIC))
    with_ctx = TopicMatcher.from_file(
        _watchlist(tmp_path, "relevance:\n  threshold: 0.01\n  policy_context:\n    en: [parliament]\n" + TOPIC)
    )
    assert plain.match("", text)[0].features["policy"] == 0.0
    assert with_ctx.match("", text)[0].features["policy"] == 1.0
    assert with_ctx.match("", text)[0].score > plain.match("", text)[0].score


# Failure classes seen on real text. Each case is phrased differently from the corpus items
# (eval/corpus.jsonl, ids fc-*), so a rule written for one sentence does not pass them all.
@pytest.mark.parametrize(
    ("title", "text"),
    [
        # security and technology press
        (
            "Backdoor found in popular file-sharing tool",
            "The backdoor lets attackers run commands; the malware uses encryption to talk to its server.",
        ),
        (
            "Hackers plant backdoor in government contractor's network",
            "The threat actor installed a backdoor and exfiltrated files; investigators found the malware last week.",
        ),
        (
            "Miners hijack GPUs in new cryptojacking wave",
            "The crypto-mining malware relies on encryption to evade detection by antivirus tools.",
        ),
        ("警方破获利用生成式人工智能诈骗案", "犯罪嫌疑人使用生成式人工智能生成虚假语音，骗取老人钱财。"),
        # data moved between devices, memories or phones
        (
            "Switching phones? Move your data in minutes",
            "The transfer of data from your old phone to the new one runs over a cable or Wi-Fi.",
        ),
        (
            "New controller doubles data transfer speeds",
            "Data transfer between the memory and the processor is now twice as fast, the chipmaker said.",
        ),
        (
            "Transfert de données: le nouveau câble USB4 est plus rapide",
            "Le transfert de données entre l'ordinateur et le disque dur atteint 80 Gbit/s.",
        ),
        # domestic sharing, no border
        (
            "Hospital fined over transfer of patient data to insurer",
            "The transfer of personal data to the insurer had no legal basis, the regulator said.",
        ),
        # freedom of information
        (
            "Council loses freedom of information appeal",
            "The council must give the newspaper access to government records on the housing contract.",
        ),
        (
            "Tribunal backs FOIA request for police data",
            "Under the FOIA, the public has a right of access to the authorities' data on stop-and-search.",
        ),
        (
            "Ley de transparencia: el ministerio deberá publicar los datos",
            "El acceso a la información pública obliga al Gobierno a dar acceso a los datos de las subvenciones.",
        ),
        # the duty to inform about transfers, one point of a transparency or access-request case
        (
            "Bank reprimanded over reply to access request",
            "The reply lacked information about the transfer of personal data to third countries, the DPA found.",
        ),
        (
            "Airline's privacy notice found too vague",
            "The privacy notice did not say that passenger data is transferred to countries outside the EU.",
        ),
        # encryption in a ransomware report; data kept on local servers by a vendor, no duty
        (
            "New strain encrypts backups",
            "The ransomware uses end-to-end encryption between its loader and the attackers' servers.",
        ),
        (
            "Analytics start-up raises funds",
            "The company says customer data stays on local servers and its software is easy to install.",
        ),
        # "data retention" as a company's retention period, not telecom data kept for the state
        (
            "Insurer told to delete old claim files",
            "The DPA found the claims were kept longer than the insurer's data retention policy allowed.",
        ),
    ],
)
def test_failure_class_traps(matcher: Matcher, title: str, text: str) -> None:
    result = matcher.match(title, text)
    assert not result.flagged, result.reason


@pytest.mark.parametrize(
    ("title", "text", "topic"),
    [
        # surveillance stories
        (
            "GCHQ intercepted emails of human rights groups",
            "The tribunal heard that the agency intercepted communications and kept them for years.",
            "government_access",
        ),
        (
            "Lawmakers extend phone-tap powers",
            "The bill lets police wiretap suspects' phones for longer without a judge.",
            "government_access",
        ),
        (
            "Verfassungsgericht prüft Staatstrojaner",
            "Die Polizei darf mit dem Staatstrojaner verschlüsselte Chats mitlesen.",
            "government_access",
        ),
        (
            "Signal will Inhalte nicht an Sicherheitsbehörden weitergeben",
            "Der Dienst droht, den Markt zu verlassen, falls das Gesetz in Kraft tritt.",
            "government_access",
        ),
        (
            "Police sought data from menstrual app users",
            "Prosecutors asked the company for health data of users; privacy groups demanded a law to stop it.",
            "government_access",
        ),
        (
            "EU court limits data retention by telecom operators",
            "General data retention of traffic and location data is allowed only for serious threats.",
            "government_access",
        ),
        (
            "La CJUE encadre la conservation des données de connexion",
            "Les opérateurs ne peuvent conserver les données de connexion de façon généralisée.",
            "government_access",
        ),
        # national platform laws
        (
            "Online Safety Act: Ofcom opens first investigation",
            "The regulator is examining whether a forum protected users from illegal content.",
            "platform_regulation",
        ),
        (
            "Utah passes social media law for minors",
            "Platforms will need parental consent for users under 18.",
            "platform_regulation",
        ),
        (
            "Brasil: Marco Civil da Internet no STF",
            "O tribunal julga a responsabilidade das plataformas por conteúdos de terceiros.",
            "platform_regulation",
        ),
        (
            "NetzDG: Bußgeld gegen Telegram",
            "Das Bundesamt für Justiz verhängte ein Bußgeld, weil Meldewege fehlten.",
            "platform_regulation",
        ),
        (
            "Senators want to regulate online platforms like utilities",
            "The proposal would impose common-carrier duties on the largest services.",
            "platform_regulation",
        ),
        (
            "Korea's regulator fines Google over in-app payment rules",
            "The company forced developers to use its own billing system.",
            "platform_regulation",
        ),
        # a citation of the GDPR's transfer articles (Chapter V)
        (
            "Court upholds fine against cloud provider",
            "The provider breached Art. 46 GDPR when it relied on contracts that offered no safeguards.",
            "cross_border_transfers",
        ),
        # a third country's authorities reaching transferred data
        (
            "Regulator halts app's transfers to Russia",
            "Under a new law, Russian authorities can obtain access to the personal data the app sends there.",
            "government_access",
        ),
        (
            "Datenschützer: Analysedienst rechtswidrig",
            "US-Geheimdienste könnten auf die übermittelten Daten zugreifen, so die Behörde zur DSGVO.",
            "government_access",
        ),
        (
            "La Garante blocca il servizio di analisi",
            "Le autorità statunitensi potrebbero chiedere l'accesso ai dati trasferiti, secondo il Garante.",
            "government_access",
        ),
        # the encryption debate and message scanning
        (
            "Ministers push messaging firms on encryption",
            "The government wants end-to-end encryption to allow access for police in serious cases.",
            "government_access",
        ),
        (
            "Brussels revives chat control proposal",
            "Client-side scanning of private messages would be required by the regulation.",
            "government_access",
        ),
        (
            "Policía y cifrado",
            "El gobierno quiere debilitar el cifrado de extremo a extremo de las aplicaciones de mensajería.",
            "government_access",
        ),
        # national surveillance laws and an authority's request for users' data
        (
            "Parliament passes data disruption warrant powers",
            "The bill gives federal police new account takeover warrants.",
            "government_access",
        ),
        (
            "Court curbs city's demand for rental platform data",
            "The platform was asked to hand the user data of all hosts to the housing authority.",
            "government_access",
        ),
        # dependence on foreign cloud providers, and leaving them
        (
            "Agencies told to cut dependence on American cloud providers",
            "Ministers want public data kept with European cloud providers that are not subject to the CLOUD Act.",
            "data_sovereignty",
        ),
        (
            "Bund will Abhängigkeit von US-Cloudanbietern verringern",
            "Europäische Cloud-Anbieter sollen die Unabhängigkeit der Verwaltung sichern.",
            "data_sovereignty",
        ),
        (
            "Dipendenza tecnologica dai fornitori americani",
            "Il governo vuole ridurre la dipendenza dalle piattaforme statunitensi nel cloud.",
            "data_sovereignty",
        ),
        # a duty to store data in the country
        (
            "New rules for ride-hailing apps",
            "Operators must keep all trip records stored in China and pass a review before any export.",
            "data_localization",
        ),
        (
            "Nuevas obligaciones para las fintech",
            "Los datos de pago deben almacenarse y guardarse en territorio nacional, exige el decreto.",
            "data_localization",
        ),
        # German inflection: "in die Vereinigten Staaten"
        (
            "Landesbeauftragte rügt Schule",
            "Die Schülerdaten wurden ohne Garantien in die Vereinigten Staaten übermittelt.",
            "cross_border_transfers",
        ),
    ],
)
def test_failure_class_stories(matcher: Matcher, title: str, text: str, topic: str) -> None:
    assert topic in topics(matcher, title, text)


def test_threat_report_vocabulary_is_a_feature(tmp_path: Path) -> None:
    # relevance.threat_context terms make the "threat" feature (their density), shown in features;
    # the hand-set model gives it weight 0 (relevance.py), a learned or edited model may weigh it.
    body = "relevance:\n  threshold: 0.01\n  threat_context:\n    en: [malware, ransomware, zero-day*]\n" + TOPIC
    every_candidate = TopicMatcher.from_file(_watchlist(tmp_path, body))
    report = "The malware uses a zero-day; the gang deploys ransomware. " * 3
    dense = every_candidate.match("", "The widget law applies. " + report)
    plain = every_candidate.match("", "The widget law applies. " + "Ministers debated it at length. " * 3)
    assert dense[0].features["threat"] > 1.0 and plain[0].features["threat"] == 0.0
    ev = relevance.Evidence(mass=1, lead_mass=1, in_title=False, rules=1, anchors=1, policy_anchors=0, chars=600)
    threatened = relevance.Evidence(
        mass=1, lead_mass=1, in_title=False, rules=1, anchors=1, policy_anchors=0, chars=600, threats=6
    )
    model = relevance.Model({**relevance.HAND_WEIGHTS, "threat": -1.0}, "test")
    assert model.score(relevance.features(threatened)) < model.score(relevance.features(ev))
    assert relevance.HAND_MODEL.score(relevance.features(threatened)) == relevance.HAND_MODEL.score(
        relevance.features(ev)
    )


def test_a_launch_or_event_notice_in_the_title_or_lead_is_the_promo_feature(tmp_path: Path) -> None:
    # relevance.promo_context terms in the title (even one with no evidence) or the lead set the
    # "promo" feature; deeper in the text they do not. The hand-set model weighs it down.
    body = "relevance:\n  threshold: 0.01\n  promo_context:\n    en: [hackathon*, call for papers]\n" + TOPIC
    every_candidate = TopicMatcher.from_file(_watchlist(tmp_path, body))
    text = "The widget law shapes the cloud market. " + "Ministers debated it at length. " * 30
    assert every_candidate.match("Sign up for our hackathon", text)[0].features["promo"] == 1.0
    assert every_candidate.match("", "Call for papers: " + text)[0].features["promo"] == 1.0
    assert every_candidate.match("", text + " Join the hackathon.")[0].features["promo"] == 0.0
    assert every_candidate.match("Ministers meet", text)[0].features["promo"] == 0.0
    ev = relevance.Evidence(mass=1, lead_mass=1, in_title=False, rules=1, anchors=1, policy_anchors=0, chars=600)
    notice = relevance.Evidence(
        mass=1, lead_mass=1, in_title=False, rules=1, anchors=1, policy_anchors=0, chars=600, promos=1
    )
    assert relevance.HAND_MODEL.score(relevance.features(notice)) < relevance.HAND_MODEL.score(relevance.features(ev))


def test_a_vendors_event_notice_is_not_a_flag_but_a_policy_story_with_the_same_words_is(matcher: Matcher) -> None:
    # The shipped watchlist: a project's trade-fair notice says "digital sovereignty" as a slogan.
    notice = (
        "Meet us at booth C12 in hall 4. Our team will show the latest release of the stack, talk "
        "about digital sovereignty and hand out stickers. Sign up for our community meetup on the "
        "second evening; drinks are on us."
    )
    assert not topics(matcher, "See you at Cloud Expo Europe in Frankfurt", notice + " " + FILLER[:600])
    story = (
        "The federal ministry will fund a sovereign cloud for public administration, the minister said "
        "on Tuesday, to reduce dependence on US hyperscalers under the government's digital sovereignty strategy."
    )
    assert "data_sovereignty" in topics(matcher, "Ministry funds a sovereign cloud for the administration", story)
