"""Classes of the fourth round of blind batteries (2026-12-07): German technologists' blogs and
press, the security and tech-policy press, vendor blogs, decision summaries and Chinese laws. Each
case has a trap beside it that shares the words and must not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

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
    # The same words in a short item whose subject they are.
    (
        "zh",
        "数据跨境新规",
        "国家网信办发布数据跨境流动新规，明确数据出境安全评估的申报条件。",
        "cross_border_transfers",
    ),
    # Hong Kong's words for moving personal data out of the territory, in traditional characters.
    ("zh", "私隱條例", "資料使用者不得將個人資料移轉至香港以外的地方，除非符合指明條件。", "cross_border_transfers"),
    # A network-security review opened against a company; the CAC's campaigns against platforms.
    ("zh", "审查启动", "网络安全审查办公室依据审查办法对该平台启动网络安全审查。", "data_sovereignty"),
    ("zh", "专项行动部署", '中央网信办部署"清朗"系列专项行动，整治平台账号乱象。', "platform_regulation"),
    # Decision summaries: telecom data kept for the state told in words, an age-verification order
    # against adult sites, the tax authority's bulk request in Dutch.
    (
        "en",
        "Constitutional Court - Retention of telecom data",
        "The law obliged operators to keep the traffic and location data of all subscribers for the police.",
        "government_access",
    ),
    (
        "en",
        "Conseil d'État - Age verification order",
        "The court upheld the ministerial order imposing age verification on adult websites established abroad.",
        "platform_regulation",
    ),
    (
        "nl",
        "Belastingdienst vordert parkeertransacties",
        "De inspecteur vorderde van de aanbieder een overzicht van alle parkeertransacties van zijn klanten.",
        "government_access",
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
    # One passing mention of cross-border data in a Chinese economic news item of some length.
    (
        "zh",
        "前三季度外贸数据发布",
        "海关总署今天发布数据，前三季度我国货物贸易进出口总值同比增长，其中出口增长较快，进口保持稳定。"
        "民营企业进出口占比继续提高，对共建国家的贸易往来更加密切，机电产品和劳动密集型产品出口均有增长。"
        "跨境电商综合试验区建设持续推进，海外仓数量明显增加，物流网络更加完善。"
        "有关负责人表示，外需增长仍面临不确定性，下一步将继续稳住外贸基本盘，帮助企业拓市场、抢订单。"
        "从商品结构看，集成电路、汽车和船舶出口保持两位数增长，农产品进口稳中有升，大宗商品进口量价齐升。"
        "从区域看，东部地区进出口占全国比重超过八成，中西部地区增速快于全国整体水平，多个省份创历史同期新高。"
        "从贸易方式看，一般贸易进出口比重提升，加工贸易保持稳定，保税物流进出口增长较快，综合保税区发展态势良好。"
        "从主要市场看，对东盟、欧盟和拉美的进出口均实现增长，对部分发达经济体的出口有所回落，新兴市场份额继续扩大。"
        "部分地区还在探索数据跨境流动便利化措施。",
    ),
    ("zh", "快递", "顾客把包裹移转至香港以外的仓库，物流公司表示运费不变。"),
    ("zh", "天气", "今天天气清朗，适合户外行动。"),
    ("en", "Storage tiers", "Operators keep location data of delivery vans on servers for route planning."),
    ("nl", "Factuur", "De inspecteur van de keuken controleerde de transacties van de kassa."),
    ("en", "Limits", "Facebook restrictions on political ads in the campaign drew little attention."),
    ("de", "App-Store", "Apple sperrt gefälschte Apps, die sich als Banken ausgaben."),
    ("de", "Krimi", "Im Tatort spielt ein Ermittler heimlich einen Staatstrojaner auf das Handy des Verdächtigen."),
    (
        "de",
        "„Tatort“-Kritik: Der Trojaner im Kinderzimmer",
        "Der neue Münchner „Tatort“ beginnt mit einem Bild, das man so schnell nicht vergisst: ein Junge nachts "
        "im Bett, das Handy in der Hand, und irgendwo in der Stadt liest ein Beamter mit. Bald stoßen die "
        "Kommissare auf eine Gruppe, die ihn monatelang per Staatstrojaner überwacht hat. Die Schauspieler "
        "spielen gewohnt lakonisch, die Auflösung überzeugt weniger.",
    ),
    (
        "en",
        "TV review: the surveillance thriller everyone is watching",
        "Six episodes in, the show has found its rhythm. The writers took their time with the first two, "
        "building a cast of tired analysts, a grieving widow and a minister with something to hide, and the "
        "payoff arrives in the fourth hour, when the agency's analysts start reading the minister's messages "
        "and the story turns from procedural to paranoia. The lead actor carries the quieter scenes, the score "
        "does too much, and the finale leaves enough threads for a second season.",
    ),
    ("de", "Neues Angebot", "Der Hoster erweitert sein Angebot um eine Sovereign Cloud für KMU."),
    ("de", "Status", "Die Stadt nutzt Nextcloud und Collabora für ihre Dateien."),
]


test_the_fourth_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)
