"""Classes of the nineteenth round of blind batteries (2026-12-08): Chinese news headlines (the
headline alone, as a portal's list or a headline data set delivers it), Spanish national and
regional press and German-language regional press. Each case has a trap beside it that shares the
words and must not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

# A headline data set gives the headline as title and text.
CASES = [
    # Chinese headlines: security review before listing abroad, connected-car bans, data sent to
    # China, the regulator's fines and removal orders, a foreign state pulling a Chinese app, the
    # US rule on sensitive data, free-trade-zone data lists, data at home read from abroad.
    (
        "zh",
        "掌握超百万用户信息企业赴国外上市须申报审查",
        "掌握超百万用户信息企业赴国外上市须申报审查",
        "data_sovereignty",
    ),
    ("zh", "美商务部拟禁中国网联汽车软硬件", "美商务部拟禁中国网联汽车软硬件", "data_sovereignty"),
    ("zh", "《网络数据安全管理条例》明年1月1日起施行", "《网络数据安全管理条例》明年1月1日起施行", "data_sovereignty"),
    ("zh", "行政院：公部門禁用大陸廠牌資通訊產品", "行政院：公部門禁用大陸廠牌資通訊產品", "data_sovereignty"),
    ("zh", "TikTok向中国传输欧洲用户数据被罚", "TikTok向中国传输欧洲用户数据被罚", "cross_border_transfers"),
    ("zh", "美司法部敏感数据新规生效", "美司法部敏感数据新规生效", "cross_border_transfers"),
    ("zh", "临港新片区首批数据清单出炉 企业出海有单可依", "临港新片区首批数据清单出炉", "cross_border_transfers"),
    (
        "zh",
        "滴滴被处80.26亿元罚款 网信办通报违法事实",
        "滴滴被处80.26亿元罚款 网信办通报违法事实",
        "platform_regulation",
    ),
    ("zh", "工信部责令下架38款违规App", "工信部责令下架38款违规App", "platform_regulation"),
    ("zh", "韩国暂停DeepSeek在当地应用商店下载", "韩国暂停DeepSeek在当地应用商店下载", "platform_regulation"),
    ("zh", "阿里巴巴“二选一”垄断案落槌", "阿里巴巴“二选一”垄断案落槌", "platform_regulation"),
    # Spanish press: Pegasus told by the spying, the CSAM regulation, plate readers, tower dumps.
    (
        "es",
        "CatalanGate",
        "La jueza cita a los fundadores de NSO Group por el espionaje a los independentistas.",
        "government_access",
    ),
    (
        "es",
        "Romper el cifrado",
        "El Gobierno defiende en Bruselas el control de chats y escanear los mensajes privados.",
        "government_access",
    ),
    (
        "es",
        "Las matrículas",
        "La autoridad pide limitar el tiempo que la Ertzaintza guarda los datos de las cámaras lectoras de matrículas.",
        "government_access",
    ),
    ("es", "El teléfono del vecino", "Los jueces autorizan cada vez más volcados de repetidores.", "government_access"),
    # A contract that keeps data in the EU or in Spain; data read from the United States.
    (
        "es",
        "El gran contrato de la nube",
        "Los pliegos exigen que la información sanitaria se almacene en territorio de la Unión Europea.",
        "data_localization",
    ),
    ("es", "Los datos clínicos", "El SAS exige que los datos clínicos no salgan de la UE.", "data_localization"),
    (
        "es",
        "Las escuelas catalanas",
        "El dictamen pide garantías ante la posibilidad de que los datos de los alumnos se consulten "
        "desde Estados Unidos.",
        "cross_border_transfers",
    ),
    # A DPA on AI trained on users' posts; ending anonymity on social networks; foreign judges.
    (
        "es",
        "Oponerse a tiempo",
        "La AEPD recuerda cómo oponerse a que Meta entrene su IA con sus publicaciones.",
        "ai_regulation",
    ),
    (
        "es",
        "Davos",
        "Sánchez propone que la Unión Europea obligue a acabar con el anonimato en las redes sociales.",
        "platform_regulation",
    ),
    (
        "es",
        "De alquiler",
        "Los expedientes del Estado están en manos de un proveedor que responde ante los jueces de otro país.",
        "data_sovereignty",
    ),
]

TRAPS = [
    # Headlines: a listing reviewed by the securities regulator; a free-trade zone's negative list
    # for foreign investment; a statute's penalty clause; a stolen car's connected features.
    ("zh", "企业赴境外上市须经证监会审查", "企业赴境外上市须经证监会审查"),
    ("zh", "自贸试验区外商投资准入负面清单发布", "自贸试验区外商投资准入负面清单发布"),
    ("zh", "由网信部门责令改正，处十万元以下罚款", "由网信部门责令改正，处十万元以下罚款"),
    ("zh", "DeepSeek暂停API充值服务", "DeepSeek暂停API充值服务"),
    # Security news about Pegasus in English (all languages are active); a football "fichaje" and a
    # bank transfer to the United States.
    ("en", "Fake scanner", "A fake Pegasus scanner from NSO Group's critics is used to infect Windows machines."),
    ("es", "Fichaje", "El club consulta desde Estados Unidos el estado del fichaje de su delantero."),
    ("es", "Anonimato", "El escritor defiende su anonimato en las redes frente a los críticos."),
]


test_the_nineteenth_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)


# German-language regional press: plate scanners under a cantonal police law, automated behaviour
# analysis on the police's station cameras, users' posts used to train a platform's AI.
REGIONAL_CASES = [
    (
        "de",
        "Grosser Rat will Kennzeichen-Scanner gesetzlich regeln",
        "Die Basler Polizei soll Autokennzeichen automatisch erfassen und mit Fahndungsdatenbanken abgleichen dürfen.",
        "government_access",
    ),
    (
        "de",
        "Kölner Hauptbahnhof",
        "Bundespolizei und Bahn testen eine Verhaltenserkennung, die auf den Kamerabildern Auffälligkeiten markiert.",
        "government_access",
    ),
    (
        "de",
        "Schrems droht Meta",
        "noyb hält das Training der Künstlichen Intelligenz mit Nutzerbeiträgen ohne Einwilligung für rechtswidrig.",
        "ai_regulation",
    ),
]

REGIONAL_TRAPS = [
    # A stolen car's plate scanned at a car park; a football club's training.
    ("de", "Parkhaus", "Die Schranke des Parkhauses scannt Autokennzeichen und öffnet sich für Dauerparker."),
    ("de", "Trainingslager", "Das Training der Mannschaft übernimmt künftig ein Assistent mit KI-Erfahrung."),
]

test_the_regional_press_classes_flag, test_the_regional_press_traps_do_not = round_tests(REGIONAL_CASES, REGIONAL_TRAPS)
