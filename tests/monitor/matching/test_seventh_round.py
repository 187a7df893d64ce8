"""Classes of the seventh round of blind batteries (2026-12-07): the technology and security trade
press, and Spanish, Portuguese, Italian and French general press. Each case has a trap beside it
that shares the words and must not flag."""

from __future__ import annotations

from tests.helpers.matching import round_tests

CASES = [
    # A state making VPN providers log and hand over their users.
    (
        "en",
        "The VPN logging rule, a year on",
        "VPN providers must collect and keep their subscribers' names and IP addresses for five years "
        "under the government's directions, and several removed their servers from the country.",
        "government_access",
    ),
    # French: data handed to the American authorities; exposure to American law.
    (
        "fr",
        "Audition au Sénat",
        "Le dirigeant n'a pas pu garantir que les données des citoyens ne seraient jamais transmises aux "
        "autorités américaines, une exposition au droit américain que les sénateurs dénoncent.",
        "government_access",
    ),
    # Portuguese: a court suspends a whole platform; reverse geolocation orders.
    (
        "pt",
        "Ministro manda suspender plataforma",
        "O ministro do STF determinou a suspensão do Rumble em todo o país, e a Anatel comunicou as operadoras.",
        "platform_regulation",
    ),
    (
        "pt",
        "Polícia pode pedir ao Google dados de todos?",
        "O Supremo julga se a polícia pode pedir ao Google dados de todos os celulares que passaram por um "
        "local, as chamadas ordens de geolocalização reversa.",
        "government_access",
    ),
    # Portuguese and Spanish: state data kept in data centres in the country.
    (
        "pt",
        "Nova portaria para a nuvem",
        "Dados sigilosos só poderão ser armazenados e processados em data centers localizados no Brasil, "
        "diz a portaria do ministério.",
        "data_localization",
    ),
    (
        "es",
        "La nube del Estado",
        "La información clasificada deberá almacenarse y procesarse en centros de datos situados en "
        "territorio español, y los datos no podrán salir del país.",
        "data_localization",
    ),
    # Spanish: the list of adequate countries; police patrolling social networks.
    (
        "es",
        "La SIC actualiza la lista",
        "La lista de países con un nivel adecuado de protección crece, y las empresas podrán transferir "
        "datos personales al exterior sin permiso.",
        "adequacy_decisions",
    ),
    (
        "es",
        "Balance de seguridad",
        "La ministra defendió el ciberpatrullaje de redes que hacen las fuerzas federales con software de "
        "inteligencia artificial.",
        "government_access",
    ),
    # French: personal information sent outside Quebec; the state bringing its data home.
    (
        "fr",
        "Loi 25",
        "Les entreprises ne peuvent plus envoyer des renseignements personnels à l'extérieur du Québec sans "
        "évaluation écrite.",
        "cross_border_transfers",
    ),
    (
        "fr",
        "L'État rapatrie ses données",
        "Une circulaire du Premier ministre donne six mois aux ministères pour rapatrier les données de "
        "l'administration hébergées à l'étranger.",
        "data_localization",
    ),
]

TRAPS = [
    # A data centre that calls itself a "sovereign AI factory", Nvidia's marketing term.
    (
        "en",
        "Inside the new sovereign AI factory",
        "The operator calls it an AI factory, borrowing Nvidia's marketing term, and its launch materials "
        "put sovereign AI first; the engineers talk about power and cooling.",
    ),
    # A platform that suspends a user's profile; a phone that sends data abroad to a new owner.
    (
        "pt",
        "Plataforma suspende perfil",
        "A plataforma suspendeu o perfil do deputado depois de uma decisão do tribunal eleitoral.",
    ),
    (
        "es",
        "Cómo pasar los datos a un teléfono nuevo",
        "Para transferir datos personales a tu nuevo teléfono en el extranjero, usa la copia en la nube.",
    ),
    (
        "fr",
        "Changer de téléphone en voyage",
        "Pour transférer vos données personnelles vers un téléphone acheté à l'étranger, passez par la sauvegarde.",
    ),
    (
        "it",
        "Cambiare smartphone",
        "Come trasferire i dati sul nuovo telefono comprato all'estero senza perdere le chat.",
    ),
    # Football players brought home; a bank transfer outside Quebec.
    (
        "fr",
        "Le club rapatrie ses joueurs",
        "Le club a rapatrié ses joueurs blessés et le ministère des Sports a salué le geste.",
    ),
    (
        "fr",
        "Virements",
        "Les virements à l'extérieur du Québec coûtent plus cher, selon l'Office de la protection du consommateur.",
    ),
]


test_the_seventh_rounds_classes_flag, test_the_traps_beside_them_do_not = round_tests(CASES, TRAPS)
