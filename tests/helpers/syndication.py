"""A small syndication set: regulator press releases, the copies outlets made of them, and
different stories on the same subjects (which must not be merged)."""

from __future__ import annotations

RELEASES = {
    "transfers": (
        "The Data Protection Authority today adopted its decision on the transfer of personal data to "
        "third countries by a large cloud provider. After an investigation that lasted eighteen months, "
        "the authority found that the standard contractual clauses relied on by the company did not "
        "ensure a level of protection essentially equivalent to that guaranteed within the European "
        "Union. The company is ordered to suspend the transfers within five months and to bring its "
        "processing into conformity. The authority also imposed an administrative fine of 12 million "
        "euros, taking into account the duration of the infringement and the number of data subjects "
        "concerned. The chair of the authority said that supplementary measures such as encryption "
        "with keys held in Europe could have addressed the risk of access by foreign public "
        "authorities. The decision may be appealed before the administrative court within two months."
    ),
    "localisation": (
        "The Ministry of Digital Affairs published draft rules requiring operators of critical "
        "information infrastructure to store important data within the national territory. Under the "
        "draft, operators would have to complete a security assessment before any export of important "
        "data and notify the ministry of each outbound transfer exceeding one hundred thousand records. "
        "Small enterprises would be exempt for an initial period of two years. The consultation on the "
        "draft is open until the end of next month and comments may be sent through the ministry's "
        "website. Officials said the rules aim to protect national security and the public interest "
        "while allowing legitimate cross-border business. Industry groups have asked for a clear "
        "definition of important data and for a transition period before the rules apply."
    ),
    "cloud": (
        "The government announced a certification scheme for sovereign cloud services used by public "
        "bodies. Providers that want to host sensitive public data will have to show that their "
        "infrastructure is operated from within the Union, that no foreign law can compel them to "
        "disclose customer data and that encryption keys remain under the control of the customer. "
        "The scheme builds on the work of the national cybersecurity agency and will be mandatory for "
        "ministries from the first of January. A first list of certified offers is expected in the "
        "spring. The minister said that trust in the cloud depends on control over data and that the "
        "scheme would give public buyers a clear and verifiable standard for their procurement."
    ),
    "fine": (
        "The supervisory authority fined a social media company 40 million euros for processing the "
        "personal data of children without a valid legal basis. The inquiry, opened after complaints "
        "from parents, examined the default settings of accounts registered by users under sixteen. "
        "The authority found that profiles were public by default and that contact details were "
        "displayed to other users, in breach of the principles of data protection by design and by "
        "default. The company must change its settings within three months and report on the changes. "
        "The decision was adopted after the dispute resolution procedure of the European Data "
        "Protection Board, which asked the authority to examine an additional infringement."
    ),
}

# Different stories on the same subjects: share vocabulary, not text.
OTHERS = [
    "A court annulled the decision of the data protection authority on transfers by a cloud provider, "
    "holding that the authority had not heard the company before adopting it. The judges did not rule "
    "on whether the contractual clauses protect European users. The authority said it would examine "
    "the judgment and could adopt a new decision after hearing the parties. Privacy groups criticised "
    "the ruling as a procedural setback and called on the legislature to clarify the rules on "
    "international transfers of personal data to third countries and on the powers of regulators.",
    "Lawmakers debated a bill on the localisation of health data in the national territory. Several "
    "members argued that hospitals should be free to choose providers abroad if those providers offer "
    "strong encryption, while others said that only domestic storage protects patients against "
    "foreign surveillance. The committee will vote on amendments next week. Hospital associations "
    "warned about the cost of migrating existing systems and asked for public funding for the "
    "transition to domestic data centres and for more time before any obligations apply.",
    "A consortium of European providers launched a joint cloud offer aimed at companies that want to "
    "keep their data under European jurisdiction. The offer combines data centres in four member "
    "states with a common management platform and an open source software stack. Analysts said the "
    "consortium would struggle to match the scale and prices of the American hyperscalers, but that "
    "demand from regulated sectors such as banking and insurance was growing. The providers plan to "
    "apply for the national certification scheme for sovereign cloud services once it opens.",
    "The authority published its annual report, which records a rise in complaints about children's "
    "data on social media and about cookie banners. It opened more investigations than in any previous "
    "year and adopted decisions imposing fines totalling 80 million euros. The chair said that "
    "cooperation with other European supervisory authorities had improved but that cross-border "
    "cases still took too long. The report also announces guidance on data protection by design for "
    "developers of apps used by young people, to be published after a public consultation.",
]


def copies(release: str, outlet: str) -> list[str]:
    """Three ways outlets republish a release: wrapped, trimmed and lightly edited."""
    sentences = release.split(". ")
    wrapped = (
        f"{outlet} - In a statement published on Tuesday, the regulator set out its position. {release} "
        f"Read more: our coverage of privacy and technology policy. Subscribe to the {outlet} newsletter "
        "for daily updates on regulation."
    )
    trimmed = ". ".join(sentences[:-2]) + f". (Reporting by the {outlet} staff; editing by the desk.)"
    edited = (
        ". ".join(s.replace("today", "on Tuesday").replace("said", "stated") for i, s in enumerate(sentences) if i != 3)
        + f" The {outlet} has asked for further comment."
    )
    return [wrapped, trimmed, edited]
