"""Classes of the eighth and ninth rounds of blind batteries (2026-12-07): English-language regional
press outside the US and the EU (India, Singapore, Africa, the Gulf, Australia, New Zealand,
Canada), Chinese laws and rules as a law database delivers them, and Dutch and Flemish press.
Each case has a trap beside it that shares the words and must not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

CASES = [
    (
        "en",
        "Health records must stay in Kenya",
        "Every system connected to the exchange must store the records it handles in a data centre located "
        "in Kenya, the agency said; patient data has to stay in Kenya.",
        "data_localization",
    ),
    (
        "en",
        "Exemption for the health authority",
        "The law requires public bodies to ensure that personal information is stored and accessed only in "
        "Canada, unless the head of the body decides otherwise.",
        "data_localization",
    ),
    (
        "en",
        "Card network meets storage norms",
        "The central bank lifted its curbs after the network complied with its rules on storing payment data in India.",
        "data_localization",
    ),
    (
        "en",
        "Regulator to scrutinise offshore data",
        "The Information Regulator will scrutinise cross-border transfers under section 72 of POPIA more closely.",
        "cross_border_transfers",
    ),
    (
        "en",
        "A whitelist of trusted countries",
        "The reform amends Australian Privacy Principle 8 and lets the government prescribe a whitelist of "
        "countries to which personal information can flow.",
        "cross_border_transfers",
    ),
    (
        "en",
        "Correction directions for platforms",
        "The POFMA Office issued Targeted Correction Directions to Meta and TikTok over posts on flat prices.",
        "platform_regulation",
    ),
    (
        "en",
        "Police searches of plate cameras",
        "Police officers can query number-plate cameras run by petrol stations without a warrant, the review found.",
        "government_access",
    ),
    # Chinese rules: the platform economy's antitrust guideline, state-security organs taking data
    # from devices, human genetic resources information for foreign parties.
    (
        "zh",
        "平台经济领域反垄断指南",
        "第一条 为了预防和制止平台经济领域垄断行为，制定本指南。"
        "第十五条 要求平台内经营者进行二选一的，可能构成限定交易。",
        "platform_regulation",
    ),
    (
        "zh",
        "国家安全机关行政执法程序规定",
        "第四十条 国家安全机关查验中需要调取电子数据的，可以复制有关数据。",
        "government_access",
    ),
    (
        "zh",
        "人类遗传资源管理条例实施细则",
        "第三十七条 将人类遗传资源信息向外方单位提供的，应当通过安全审查。",
        "cross_border_transfers",
    ),
    # Dutch and Flemish press: high-risk vendors out of the 5G core, Belgian intelligence methods,
    # interception as a legal question, police plate cameras, TikTok off government phones, a DPA
    # on data used to train AI.
    (
        "nl",
        "Hoog-risicoleveranciers uit het 5G-netwerk",
        "Operatoren mogen geen apparatuur van hoog-risico leveranciers meer gebruiken in de kern van hun "
        "5G-netwerken, besliste de regering.",
        "data_sovereignty",
    ),
    (
        "nl",
        "Staatsveiligheid tapte vaker",
        "De Staatsveiligheid tapte vaker telefoons af; de BIM-commissie moet elke uitzonderlijke methode "
        "vooraf goedkeuren.",
        "government_access",
    ),
    (
        "nl",
        "Politie bewaart kentekens 28 dagen",
        "De politie slaat van elke auto die langs een ANPR-camera rijdt het kenteken op; de gegevens worden "
        "28 dagen bewaard.",
        "government_access",
    ),
    (
        "nl",
        "TikTok van dienstgsm",
        "Federale ambtenaren mogen TikTok niet meer op hun dienstgsm gebruiken, besliste de premier.",
        "data_sovereignty",
    ),
    (
        "nl",
        "AP: maak bezwaar",
        "De Autoriteit Persoonsgegevens roept gebruikers op bezwaar te maken als ze niet willen dat hun "
        "berichten worden gebruikt om AI-modellen te trainen.",
        "ai_regulation",
    ),
]

TRAPS = [
    # Cross-border transfers of money; a plate of food; a player who stays in Kenya.
    (
        "en",
        "Remittances climb",
        "Cross-border transfers from the diaspora rose 12 per cent, central bank figures show.",
    ),
    (
        "en",
        "Licence plates for collectors",
        "The transport agency will auction vintage licence plates next month; proceeds go to road safety.",
    ),
    # A company's training notice that lists data export as one module; an e-commerce firm's
    # promotion that offers "二选一" to its shoppers.
    (
        "zh",
        "关于开展数据合规专题培训的通知",
        "各部门：为提升全员合规意识，法务部定于四月组织专题培训。一、培训对象：各部门负责人及业务骨干。"
        "二、培训内容：个人信息处理的告知同意；数据出境合规路径（标准合同备案流程）；应急演练。"
        "三、培训形式：线上课程与线下研讨相结合，结业需通过在线测试。四、请于3月31日前报送参训名单。",
    ),
    ("zh", "双十一优惠", "本店推出礼包二选一活动，顾客可任选其一。"),
    (
        "en",
        "Striker to stay in Kenya",
        "The striker will stay in Kenya for another season, his club said after talks with the federation.",
    ),
    # A hosting firm's press release for its "sovereign" cloud; a press release cited in the news.
    (
        "nl",
        "Hostingpartij lanceert soevereine cloud",
        "PERSBERICHT – Het Utrechtse hostingbedrijf introduceert vandaag zijn nieuwe cloudplatform voor het "
        "midden- en kleinbedrijf. Klanten nemen met een paar klikken virtuele servers, opslag en back-ups af, "
        "gehost in twee datacenters in Utrecht. 'Ondernemers willen weten waar hun data staat', zegt de "
        "directeur. Het platform draait op groene stroom, biedt 99,9 procent beschikbaarheid en een "
        "Nederlandse helpdesk. Tot 1 oktober krijgen nieuwe klanten drie maanden gratis opslag.",
    ),
    # Neighbours overheard; plates for a vintage car.
    (
        "nl",
        "Buren afgeluisterd",
        "Een man die zijn buren afluisterde met een babyfoon kreeg een boete van de kantonrechter.",
    ),
]


test_the_eighth_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)
