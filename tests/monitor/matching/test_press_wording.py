"""How the non-English press words the topics, and the jurisdiction of its institutions.

Classes found by a blind battery (writers who never saw the rules, 2026-12-03): a transfer told
with the verb ("ha trasferito dati ... verso la Cina"), a regulator's age-check order, a court or
government switching off a whole service, competition cases against the big platforms, police face
recognition, the rules on telecom records, a national institution naming its country. Each case has
a trap beside it that shares the words and must not flag.
"""

from __future__ import annotations

import pytest

from monitor.matching import Matcher
from tests.helpers.matching import flagged


@pytest.mark.parametrize(
    ("lang", "title", "text", "topic"),
    [
        (
            "it",
            "Multa al social network",
            "Il Garante irlandese ha accertato che la società ha trasferito illegalmente dati personali di"
            " utenti europei verso la Cina.",
            "cross_border_transfers",
        ),
        (
            "es",
            "Sanción a la aplicación",
            "La autoridad concluyó que la empresa transfirió datos personales de sus clientes a Estados Unidos"
            " sin garantías.",
            "cross_border_transfers",
        ),
        (
            "pt",
            "Multa à plataforma",
            "A autoridade concluiu que a empresa transferiu dados pessoais de usuários brasileiros para a China"
            " sem garantias.",
            "cross_border_transfers",
        ),
        (
            "fr",
            "Pékin assouplit ses règles",
            "Les exportations de données personnelles vers le siège parisien ne demandent plus d'évaluation de"
            " sécurité.",
            "cross_border_transfers",
        ),
        (
            "fr",
            "Loi 25 au Québec",
            "Toute entreprise qui communique des renseignements personnels à l'extérieur du Québec doit d'abord"
            " évaluer les risques.",
            "cross_border_transfers",
        ),
        (
            "fr",
            "Sites pornographiques",
            "L'Arcom a mis en demeure cinq sites de mettre en place une vérification de l'âge de leurs visiteurs.",
            "platform_regulation",
        ),
        (
            "it",
            "Siti porno",
            "Dal 12 novembre i siti dovranno introdurre la verifica dell'età degli utenti: l'Agcom pubblica l'elenco.",
            "platform_regulation",
        ),
        (
            "de",
            "Jugendschutz",
            "Die KJM verlangt von drei Plattformen eine wirksame Altersverifikation und droht mit Sperrung.",
            "platform_regulation",
        ),
        (
            "fr",
            "Nouvelle-Calédonie",
            "Le Conseil d'État juge illégal le blocage de TikTok décidé par le gouvernement pendant les émeutes.",
            "platform_regulation",
        ),
        (
            "it",
            "Brasile",
            "Il giudice della Corte suprema ha ordinato la sospensione del social network in tutto il Paese.",
            "platform_regulation",
        ),
        (
            "pt",
            "Brasil",
            "O ministro do STF determinou a suspensão da rede social em todo o país até que nomeie um representante.",
            "platform_regulation",
        ),
        (
            "en",
            "Search giant in court",
            "The Justice Department's antitrust case against Google over its search deals goes to trial on Monday.",
            "platform_regulation",
        ),
        (
            "it",
            "Meta AI dentro WhatsApp",
            "L'Autorità ha esteso l'istruttoria per abuso di posizione dominante nei confronti di Meta per WhatsApp.",
            "platform_regulation",
        ),
        (
            "de",
            "Kartellamt",
            "Das Bundeskartellamt hat gegen Amazon ein Verfahren wegen Missbrauchs der Marktmacht eröffnet.",
            "platform_regulation",
        ),
        (
            "it",
            "Riconoscimento facciale",
            "La Polizia di Stato vuole usare il riconoscimento facciale in tempo reale nei luoghi pubblici.",
            "government_access",
        ),
        (
            "es",
            "Reconocimiento facial",
            "El Ministerio del Interior quiere que la Policía use reconocimiento facial en la vía pública.",
            "government_access",
        ),
        (
            "it",
            "Tabulati telefonici",
            "La Cassazione: i tabulati acquisiti senza autorizzazione del giudice dopo il decreto del 2021 non"
            " sono utilizzabili.",
            "government_access",
        ),
        (
            "fr",
            "Loi SREN",
            "Les données sensibles ne peuvent être confiées qu'à un prestataire qui n'est pas soumis à des lois"
            " étrangères ni aux règles extra-européennes.",
            "data_sovereignty",
        ),
        (
            "nl",
            "Rusland beboet bedrijven",
            "Drie bedrijven zijn beboet omdat ze de persoonsgegevens van Russische gebruikers niet op servers in"
            " Rusland opslaan.",
            "data_localization",
        ),
        (
            "nl",
            "Basisregistraties",
            "Gemeenten moeten de gegevens uit de basisregistraties voortaan binnen de Europese Unie blijven"
            " bewaren en verwerken.",
            "data_localization",
        ),
        (
            "nl",
            "Chatcontrole",
            "Het kabinet stemt niet in met de Europese chatcontrole zolang de versleuteling niet gegarandeerd is.",
            "government_access",
        ),
        (
            "nl",
            "Journalisten bespioneerd",
            "Op de telefoons van twee journalisten is spionagesoftware gevonden die alleen aan overheden wordt"
            " verkocht.",
            "government_access",
        ),
        (
            "fr",
            "Journalistes espionnés",
            "Des logiciels espions vendus aux gouvernements ont été trouvés sur les téléphones de trois journalistes.",
            "government_access",
        ),
        (
            "nl",
            "Rijk weert Chinese camera's",
            "Het Rijk weert camera's van Hikvision en Dahua uit overheidsgebouwen vanwege risico's voor de"
            " nationale veiligheid.",
            "data_sovereignty",
        ),
        (
            "de",
            "Huawei im 5G-Netz",
            "Die Bundesregierung will Huawei aus dem 5G-Kernnetz ausschließen, weil sie ein Risiko für die"
            " nationale Sicherheit sieht.",
            "data_sovereignty",
        ),
        (
            "de",
            "Gesundheitsdaten in der Cloud",
            "Die Verarbeitung der Sozialdaten darf nur im Inland oder in einem Mitgliedstaat der EU erfolgen.",
            "data_localization",
        ),
        (
            "de",
            "Land verlässt Microsoft",
            "Die Landesregierung verabschiedet sich von Microsoft und stellt die Verwaltung auf quelloffene"
            " Software um.",
            "data_sovereignty",
        ),
        (
            "en",
            "Ministry drops Office 365",
            "The ministry will replace Microsoft 365 with open-source tools across the administration by 2027.",
            "data_sovereignty",
        ),
        (
            "de",
            "5G-Kernnetz",
            "Huawei-Komponenten werden bis 2026 ausgetauscht, weil das Innenministerium die öffentliche"
            " Sicherheit gefährdet sah.",
            "data_sovereignty",
        ),
        (
            "de",
            "KommAustria straft Plattform",
            "KommAustria verhängt die erste Geldstrafe nach dem Kommunikationsplattformen-Gesetz.",
            "platform_regulation",
        ),
        (
            "de",
            "Peking verlangt Kennzeichnung",
            "In China müssen Inhalte, die mit künstlicher Intelligenz erzeugt wurden, gekennzeichnet werden; die"
            " Vorgaben kommen von der CAC.",
            "ai_regulation",
        ),
        (
            "de",
            "Verfassungsbeschwerde",
            "Die GFF klagt gegen die automatisierte Datenanalyse der bayerischen Polizei mit Software von Palantir.",
            "government_access",
        ),
        (
            "en",
            "RBI holds the line",
            "The central bank's rule requiring that all payment data be stored only in India stays.",
            "data_localization",
        ),
        (
            "en",
            "Met expands cameras",
            "The Met will double its use of live facial recognition vans in London next year.",
            "government_access",
        ),
        (
            "en",
            "Council votes",
            "The council voted to switch off license plate cameras after immigration searches came to light.",
            "government_access",
        ),
        (
            "en",
            "Canada's news law",
            "Meta's news block enters its third year as the CRTC sets the Online News Act rules.",
            "platform_regulation",
        ),
        (
            "en",
            "Brazil's top court",
            "Brazil's Supreme Court expands platform liability for users' posts in a landmark ruling.",
            "platform_regulation",
        ),
        (
            "en",
            "Singapore's AI guidance",
            "The PDPC issued guidelines on using personal data to train AI systems.",
            "ai_regulation",
        ),
        (
            "en",
            "TikTok's future",
            "What the divest-or-ban law requires of ByteDance, and what happens next.",
            "data_sovereignty",
        ),
        # The Spanish and Portuguese battery (2026-12-03, second round): data sent outside the EEA,
        # China's "salida transfronteriza", an adequate level of protection, data kept on national
        # soil, X by its other names, a court's order to a platform, child online-safety laws and
        # social media barred to minors, intelligence agencies tracking phones, location on demand,
        # encrypted data demanded, court orders for users' data, national AI laws.
        (
            "pt",
            "Universidade",
            "A CNPD ordenou a suspensão do envio de dados dos alunos para servidores fora do Espaço Económico Europeu.",
            "cross_border_transfers",
        ),
        (
            "es",
            "Universidad",
            "La AEPD concluye que la universidad enviaba datos personales de sus alumnos a un proveedor"
            " fuera de la UE.",
            "cross_border_transfers",
        ),
        (
            "es",
            "Pekín",
            "China publica las normas sobre la salida transfronteriza de información personal.",
            "cross_border_transfers",
        ),
        (
            "es",
            "SIC",
            "La SIC publica la lista de países con un nivel adecuado de protección de datos.",
            "adequacy_decisions",
        ),
        (
            "pt",
            "Bruxelas",
            "A Comissão Europeia reconhece que o Brasil garante uma proteção de dados equivalente à europeia.",
            "adequacy_decisions",
        ),
        (
            "es",
            "Senado",
            "El Senado debate que la información del gobierno federal se resguarde únicamente en territorio nacional.",
            "data_localization",
        ),
        (
            "pt",
            "Moscou",
            "Tribunal multa a rede social por não armazenar no país os dados pessoais de cidadãos russos.",
            "data_localization",
        ),
        (
            "es",
            "Brasil",
            "El juez ordenó la suspensión inmediata y total del funcionamiento de la red social X en el país.",
            "platform_regulation",
        ),
        (
            "es",
            "Tutela",
            "La Corte Constitucional ordena a la plataforma retirar en 48 horas los contenidos que vulneran a menores.",
            "platform_regulation",
        ),
        (
            "pt",
            "ECA Digital",
            "A lei de proteção de crianças e adolescentes em ambientes digitais obriga as plataformas a"
            " verificar a idade.",
            "platform_regulation",
        ),
        ("es", "Canberra", "Australia prohíbe las redes sociales a los menores de 16 años.", "platform_regulation"),
        (
            "pt",
            "Abin paralela",
            "Relatório da PF: a Abin monitorou celulares de jornalistas e ministros sem autorização judicial.",
            "government_access",
        ),
        (
            "es",
            "CNI",
            "El CNI espió los móviles de periodistas y políticos, según la investigación.",
            "government_access",
        ),
        (
            "es",
            "Telecomunicaciones",
            "La nueva ley obliga a las operadoras a entregar la geolocalización en tiempo real a las autoridades.",
            "government_access",
        ),
        (
            "pt",
            "Londres",
            "O Governo britânico exigia acesso aos dados cifrados dos clientes da Apple guardados na nuvem.",
            "government_access",
        ),
        (
            "pt",
            "STF",
            "O STF fixou critérios para os pedidos de dados de usuários a provedores de internet em investigações.",
            "government_access",
        ),
        (
            "es",
            "Moncloa",
            "El Consejo de Ministros aprueba el anteproyecto de ley para la gobernanza de la inteligencia artificial.",
            "ai_regulation",
        ),
        (
            "pt",
            "Câmara",
            "A Câmara aprova o projeto de lei que regula a inteligência artificial no Brasil.",
            "ai_regulation",
        ),
        # The Chinese battery: the CAC's platform rules and summons, foreign bans of Chinese apps, the
        # divest-or-ban law, a failed cybersecurity review, Taiwan's 國際傳輸 and Hong Kong's 跨境轉移,
        # the US bulk-data rule, an encryption backdoor demanded by a government.
        ("zh", "网信办", "国家网信办约谈某短视频平台，责令其暂停热搜榜单更新一周。", "platform_regulation"),
        (
            "zh",
            "实名",
            "网络平台应当对注册用户进行真实身份信息认证，并在账号信息页面展示IP地址属地。",
            "platform_regulation",
        ),
        ("zh", "商务部", "印度政府以国家安全为由再次封禁数十款中国应用，商务部表示坚决反对。", "platform_regulation"),
        ("zh", "外交部", "外交部回应美方TikTok“不卖就禁”法案：以国家安全为名打压他国企业。", "data_sovereignty"),
        (
            "zh",
            "审查",
            "该公司在华销售的产品未通过网络安全审查，关键信息基础设施运营者应停止采购。",
            "data_sovereignty",
        ),
        ("zh", "通傳會", "通傳會令電信業者不得將用戶個人資料國際傳輸至中國大陸地區。", "cross_border_transfers"),
        (
            "zh",
            "私隱",
            "私隱專員公署：個人資料跨境轉移規例下月生效，機構須採用建議合約條文。",
            "cross_border_transfers",
        ),
        ("zh", "司法部", "美国司法部数据安全计划生效，限制向受关注国家提供批量敏感数据。", "cross_border_transfers"),
        ("zh", "苹果", "英国政府依据调查权力法要求苹果为加密数据开设后门。", "government_access"),
    ],
)
def test_the_press_wording_flags(matcher: Matcher, lang: str, title: str, text: str, topic: str) -> None:
    assert topic in flagged(matcher, title, text, lang)


@pytest.mark.parametrize(
    ("lang", "title", "text"),
    [
        ("it", "Calciomercato", "I dati del calciomercato: il difensore è stato trasferito in Cina per 20 milioni."),
        (
            "fr",
            "Caviste condamné",
            "Le tribunal rappelle que la vérification de l'âge est obligatoire pour vendre de l'alcool en magasin.",
        ),
        (
            "en",
            "Regulators clear the deal",
            "Competition regulators cleared Microsoft's acquisition of the games studio after a merger review.",
        ),
        (
            "pt",
            "Perfil suspenso",
            "A rede social suspendeu o perfil do deputado após decisão da plataforma, e não da Justiça.",
        ),
        ("es", "Nuevo móvil", "El reconocimiento facial del nuevo smartphone desbloquea la pantalla en la oscuridad."),
        ("de", "Konto gesperrt", "TikTok hat das Konto des Influencers gesperrt; ein Gericht soll nun entscheiden."),
        (
            "nl",
            "Beveiligingsupdate",
            "Apple brengt een beveiligingsupdate uit tegen spyware die een kwetsbaarheid in iOS misbruikte.",
        ),
        (
            "de",
            "Huawei-Smartphone",
            "Huawei stellt ein neues Smartphone vor; ein Verbot der Vorgängermodelle gab es nie.",
        ),
        (
            "en",
            "Office suite update",
            "Microsoft will replace the ribbon in Office 365 with a new menu bar, the company said.",
        ),
        # Beside the Spanish and Portuguese classes: business information sent abroad, a copy between
        # phones, a delivery platform's labour case, a grooming crime, a school phone rule.
        ("es", "Exportadora", "La empresa envía información comercial a sus clientes en el extranjero cada semana."),
        ("pt", "Celular novo", "O aplicativo permite o envio de dados entre o celular antigo e o novo."),
        ("es", "Repartidor", "El juez ordenó a la plataforma de reparto readmitir al repartidor despedido."),
        (
            "pt",
            "Aliciamento",
            "Polícia prende suspeito de aliciar crianças na internet; a lei prevê pena de até oito anos.",
        ),
        ("es", "Recreo", "El colegio prohíbe el uso del móvil a los menores durante el recreo."),
        ("es", "Despacho", "La inteligencia artificial ayuda a los jueces a redactar sentencias, dice el ministerio."),
        # Beside the Chinese classes: a reward for reporting threats, a cosmetics platform's filing,
        # a hacker's backdoor.
        ("zh", "奖励", "公民举报危害国家安全行为可获奖励，依照反间谍法有关规定执行。"),
        ("zh", "化妆品", "化妆品销售平台应当依法办理备案，并在显著位置公示备案信息。"),
        ("zh", "木马", "黑客利用木马在加密数据中植入后门，政府提醒用户尽快更新系统。"),
        # A provider's offer of local storage is no mandate.
        (
            "en",
            "Cloud provider opens Jakarta region",
            "The new data centre lets Indonesian customers store their data locally and cut latency for their apps.",
        ),
        (
            "en",
            "Frankfurt data centre opens",
            "The region gives customers the option to keep their data locally in Germany, the company said.",
        ),
    ],
)
def test_the_traps_beside_them_do_not(matcher: Matcher, lang: str, title: str, text: str) -> None:
    assert not flagged(matcher, title, text, lang)


@pytest.mark.parametrize(
    ("lang", "title", "text", "country"),
    [
        (
            "it",
            "Captatore informatico",
            "Il Consiglio di Stato conferma: la Polizia Postale potrà usare il captatore informatico solo su decreto.",
            "IT",
        ),
        ("it", "Tabulati", "Le Sezioni Unite della Corte di Cassazione hanno deciso sui tabulati telefonici.", "IT"),
        ("fr", "Blocage", "L'Arcom demande le blocage de cinq sites qui refusent de vérifier l'âge.", "FR"),
        ("es", "Multa", "La CNMC abre expediente a dos plataformas de vídeo por la verificación de edad.", "ES"),
        (
            "pt",
            "Suspensão",
            "A Anatel ordenou às operadoras o bloqueio da plataforma após decisão do Tribunal Superior Eleitoral.",
            "BR",
        ),
        ("de", "Glotaic", "Die CIA hatte mit dem BND Telefonverkehre abgegriffen, berichtet der Spiegel.", "US"),
        (
            "de",
            "IP-Adressen",
            "Nach dem Referentenentwurf sollen Internetanbieter IP-Adressen drei Monate speichern.",
            "DE",
        ),
        (
            "es",
            "Proyecto de ley",
            "La Cámara de Diputadas y Diputados despacha el proyecto que regula la inteligencia artificial.",
            "CL",
        ),
        ("zh", "修正條文", "資通安全管理法修正：我國公務機關不得使用大陸地區廠商之危害國家資通安全產品。", "TW"),
        (
            "de",
            "Cloud im Krankenhaus",
            "Was § 393 SGB V von Praxen verlangt, die Gesundheitsdaten in der Cloud verarbeiten.",
            "DE",
        ),
    ],
)
def test_national_institutions_name_their_country(
    matcher: Matcher, lang: str, title: str, text: str, country: str
) -> None:
    assert country in matcher.match(title, text, lang).mentioned


def test_a_national_commission_is_not_the_european_commission(matcher: Matcher) -> None:
    title = "La Comisión de Ciencias y Tecnología despacha el proyecto de ley de inteligencia artificial"
    text = (
        "La Comisión de Ciencias y Tecnología de la Cámara de Diputadas y Diputados despachó el proyecto que "
        "regula la inteligencia artificial, con un enfoque de riesgos inspirado en la Unión Europea."
    )
    assert matcher.match(title, text, "es").about[0] == "CL"
    assert "EU" in matcher.match("", "La Comisión Europea aprobó la decisión de adecuación.", "es").about
