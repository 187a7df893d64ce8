"""Classes of the fifth round of blind batteries (2026-12-07): vendor blogs and Chinese news press.
Each case has a trap beside it that shares the words and must not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

CASES = [
    # Data that must stay in the country, or be brought back to it.
    (
        "en",
        "Why card data has to stay in India",
        "Under the central bank's circular, payment data has to stay in India; records processed abroad "
        "must be brought back to India within a day.",
        "data_localization",
    ),
    # Data export as China's outbound regime, not as a product feature.
    (
        "en",
        "Carmakers wait on data export reviews",
        "Foreign carmakers say China's data export rules still hold up their research centres.",
        "cross_border_transfers",
    ),
    # Dutch: a provider subject to US orders, and a foreign state that can reach the data.
    (
        "nl",
        "Amerikaanse cloud, Nederlands datacenter",
        "Een Amerikaanse aanbieder met een datacenter in Groningen blijft onderworpen aan Amerikaanse "
        "bevelen en valt onder Amerikaanse wetgeving.",
        "data_sovereignty",
    ),
    (
        "nl",
        "Wie kan erbij?",
        "De vraag is of een buitenlandse overheid toegang kan krijgen tot de gegevens van ministeries die "
        "in een publieke cloud staan.",
        "government_access",
    ),
    # Chinese press: the market regulator's case or summons against a platform; the duties of the
    # rules on minors online; a court injunction that platforms must enforce (Hong Kong).
    ("zh", "市场监管总局立案调查", "市场监管总局依法对谷歌公司立案调查，涉嫌违反反垄断法。", "platform_regulation"),
    (
        "zh",
        "外卖平台再被约谈",
        "国家市场监督管理总局约谈美团、饿了么、京东三家平台企业，要求规范补贴行为。",
        "platform_regulation",
    ),
    (
        "zh",
        "未成年人模式统一标准",
        "按照未成年人网络保护条例，网络平台服务提供者应当提供未成年人模式，应用商店也要按年龄推送。",
        "platform_regulation",
    ),
    (
        "zh",
        "上訴庭頒禁制令",
        "上訴庭頒發禁制令後，網上平台營運商須移除相關影片，YouTube已封鎖三十多條。",
        "platform_regulation",
    ),
]

TRAPS = [
    # A product feature.
    (
        "en",
        "Five analytics tools compared",
        "Simple dashboards, no cookies, good data export to CSV, and GDPR-compliant hosting in the EU.",
    ),
    # People who stay in the country.
    (
        "en",
        "Executives stay put",
        "The bank's executives had to stay in China while the investigation ran, its lawyers said.",
    ),
    # A Dutch firm subject to Dutch rules, with no foreign reach.
    (
        "nl",
        "Nieuwe huisregels",
        "Het bedrijf valt onder de nieuwe cao en past de toegang tot het kantoor aan.",
    ),
    # A fine on a dairy maker whose goods also sell online; a court injunction in a family case.
    ("zh", "乳企被罚", "市场监管总局对一家乳制品企业处以罚款，其产品通过电商渠道销售。"),
    ("zh", "法院颁禁制令", "法院向男子颁发禁制令，禁止其接近前妻住所及工作地点。"),
    # A school's week on the law protecting minors.
    ("zh", "普法宣传周", "学校开展未成年人保护法宣传周活动，邀请法官为学生讲解安全知识。"),
]


test_the_fifth_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)
