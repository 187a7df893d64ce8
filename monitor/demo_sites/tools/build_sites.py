# ruff: noqa: E501 - the HTML templates keep real markup on one line each, as the CMSs emit it.
"""Render the demo sites from ``tools/content/<site>.yaml`` into ``sites/<site>/``.

The article prose lives in the content files; this script wraps it in the markup each kind of
site really uses (a Drupal-like DPA, a German federal GSB site, a WordPress press site and a
CAC-style static Chinese site), with the navigation, cookie banners, breadcrumbs, sidebars and
comment threads that an extractor has to strip, and writes the feeds, sitemaps, listings and
``sites/MANIFEST.yaml``. Everything is deterministic, so the committed output can be checked:

    python -m monitor.demo_sites.tools.build_sites          # rewrite sites/ (keeps _site.yaml, PDFs)
    python -m monitor.demo_sites.tools.build_sites --check  # exit 1 if sites/ is out of date

URLs in HTML are root-relative (the regulator's site works under ``python -m http.server``);
feeds, sitemaps and robots.txt use ``{{base}}`` / ``{{site:NAME}}`` placeholders that the
fixture server fills in.
"""

from __future__ import annotations

import argparse
import email.utils
import html
import json
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import yaml

TOOLS = Path(__file__).resolve().parent
CONTENT = TOOLS / "content"
SITES_ROOT = TOOLS.parent / "sites"
SITE_ORDER = ("regulator", "ministry", "press", "cnreg")
KEEP = ("_site.yaml",)  # hand-written files that a rebuild never deletes (PDFs come from make_pdf.py)

MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "en": "January February March April May June July August September October November December",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
}


def human_date(moment: datetime, lang: str) -> str:
    if lang == "zh":
        return f"{moment.year}年{moment.month:02d}月{moment.day:02d}日"
    month = MONTHS[lang].split()[moment.month - 1]
    if lang == "de":
        return f"{moment.day}. {month} {moment.year}"
    if lang == "en":
        return f"{moment.day} {month} {moment.year}"
    if lang in {"es"}:
        return f"{moment.day} de {month} de {moment.year}"
    return f"{moment.day} {month} {moment.year}"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass
class Article:
    site: str
    id: str
    path: str
    lang: str
    title: str
    published: datetime
    lead: str
    body: str
    topics: list[str]
    countries: list[str]
    trap: bool = False
    trap_note: str = ""
    section: str = ""
    author: str = ""
    feed: str = ""
    pdf: str | None = None
    source_name: str = ""
    syndicated_of: dict[str, str] | None = None
    see_also: str | None = None
    number: int = 0
    discovered_by: list[str] = field(default_factory=list)

    @property
    def published_iso(self) -> str:
        return self.published.isoformat()

    def words(self) -> int:
        text = self.lead + " " + self.body.replace("## ", "")
        if self.lang == "zh":
            return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
        return len(text.split())

    def blocks(self) -> list[tuple[str, str]]:
        """The body as ("h2"|"p", text) blocks."""
        out = []
        for chunk in self.body.strip().split("\n\n"):
            chunk = " ".join(chunk.split())
            if chunk.startswith("## "):
                out.append(("h2", chunk[3:]))
            elif chunk:
                out.append(("p", chunk))
        return out

    def body_html(self, heading: str = "h2", indent: str = "        ") -> str:
        lines = []
        for kind, text in self.blocks():
            if kind == "h2":
                lines.append(f"<{heading}>{esc(text)}</{heading}>")
            else:
                lines.append(f"<p>{esc(text)}</p>")
        return "\n".join(indent + line for line in lines)

    def summary(self, limit: int = 220) -> str:
        text = " ".join(self.lead.split())
        if self.syndicated_of and text.startswith("("):
            text = text.split(")", 1)[1].strip()
        if len(text) <= limit:
            return text
        cut = text[:limit].rsplit(" ", 1)[0] if self.lang != "zh" else text[:limit]
        return cut + "…"


def load_articles(site: str) -> list[Article]:
    data = yaml.safe_load((CONTENT / f"{site}.yaml").read_text(encoding="utf-8"))
    articles = []
    for raw in data["articles"]:
        raw = dict(raw)
        articles.append(
            Article(
                site=site,
                id=raw.pop("id"),
                path=raw.pop("path"),
                lang=raw.pop("lang"),
                title=raw.pop("title"),
                published=datetime.fromisoformat(raw.pop("published")),
                lead=" ".join(raw.pop("lead").split()),
                body=raw.pop("body"),
                topics=raw.pop("topics"),
                countries=raw.pop("countries"),
                **raw,
            )
        )
    # Newest first, as every listing and feed shows them; numbers follow publication order.
    articles.sort(key=lambda a: a.published, reverse=True)
    for n, article in enumerate(sorted(articles, key=lambda a: a.published), start=1):
        article.number = n
    return articles


Files = dict[str, str]


# ------------------------------------------------------------------------------------------------
# regulator: a Drupal-like data protection authority, French with an English section
# ------------------------------------------------------------------------------------------------

ACD = "Autorité de contrôle des données"
ACD_CHROME = {
    "fr": {
        "home": "/",
        "nav": [
            ("/mes-droits/", "Mes droits"),
            ("/professionnels/", "Professionnels"),
            ("/actualites/", "Actualités"),
            ("/linstitution/", "L’institution"),
            ("/contact/", "Contact"),
        ],
        "news": ("/actualites/", "Actualités"),
        "skip": "Aller au contenu principal",
        "cookie": "Ce site utilise des cookies de mesure d’audience. Vous pouvez les accepter, les refuser "
        "ou personnaliser vos choix.",
        "cookie_buttons": ("Tout accepter", "Tout refuser", "Personnaliser"),
        "home_label": "Accueil",
        "read": "Temps de lecture : {n} min",
        "related": "À lire aussi",
        "newsletter": "Recevoir la lettre d’information",
        "email": "Votre adresse électronique",
        "subscribe": "S’abonner",
        "share": "Partager cette page",
        "download": "Télécharger le communiqué de presse (PDF, {kb} Ko)",
        "see_also": "Lire aussi :",
        "footer": [
            ("/plan-du-site.html", "Plan du site"),
            ("/accessibilite.html", "Accessibilité : partiellement conforme"),
            ("/mentions-legales.html", "Mentions légales"),
            ("/politique-de-confidentialite.html", "Données personnelles"),
            ("/cookies/parametres.html", "Gestion des cookies"),
            ("/contact/", "Contact"),
            ("/admin/extranet/", "Extranet des agents"),
        ],
        "tagline": "L’autorité française de protection des données personnelles",
    },
    "en": {
        "home": "/en/",
        "nav": [
            ("/en/your-rights.html", "Your rights"),
            ("/en/news/", "News"),
            ("/en/about.html", "About the ACD"),
            ("/en/contact.html", "Contact"),
        ],
        "news": ("/en/news/", "News"),
        "skip": "Skip to main content",
        "cookie": "This website uses audience measurement cookies. You can accept them, refuse them or "
        "customise your choices.",
        "cookie_buttons": ("Accept all", "Refuse all", "Customise"),
        "home_label": "Home",
        "read": "Reading time: {n} min",
        "related": "Related news",
        "newsletter": "Subscribe to our newsletter",
        "email": "Your e-mail address",
        "subscribe": "Subscribe",
        "share": "Share this page",
        "download": "Download the press release (PDF, {kb} KB)",
        "see_also": "See also:",
        "footer": [
            ("/plan-du-site.html", "Sitemap"),
            ("/accessibilite.html", "Accessibility"),
            ("/mentions-legales.html", "Legal notice"),
            ("/en/privacy.html", "Privacy policy"),
            ("/cookies/parametres.html", "Cookie settings"),
            ("/en/contact.html", "Contact"),
        ],
        "tagline": "The French data protection authority",
    },
}
ACD_PER_PAGE = 4


def acd_page(
    lang: str,
    title: str,
    main: str,
    *,
    head_extra: str = "",
    body_class: str = "page",
    breadcrumb: list[tuple[str | None, str]] | None = None,
    canonical: str = "",
) -> str:
    c = ACD_CHROME[lang]
    nav = "\n".join(
        f'          <li class="menu-item"><a href="{href}">{esc(label)}</a></li>' for href, label in c["nav"]
    )
    footer = "\n".join(f'          <li><a href="{href}">{esc(label)}</a></li>' for href, label in c["footer"])
    crumbs = ""
    if breadcrumb:
        items = []
        for href, label in breadcrumb:
            items.append(
                f'<li><a href="{href}">{esc(label)}</a></li>' if href else f'<li aria-current="page">{esc(label)}</li>'
            )
        crumbs = (
            '    <nav class="breadcrumb" aria-label="Fil d’Ariane">\n      <ol>\n        '
            + "\n        ".join(items)
            + "\n      </ol>\n    </nav>\n"
        )
    accept, refuse, custom = c["cookie_buttons"]
    canonical_link = f'\n  <link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}" dir="ltr" prefix="og: https://ogp.me/ns#">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>{esc(title)} | {ACD}</title>{canonical_link}
  <link rel="alternate" type="application/rss+xml" title="ACD – Actualités" href="/rss.xml">
  <link rel="alternate" hreflang="fr" href="/">
  <link rel="alternate" hreflang="en" href="/en/">
  <link rel="stylesheet" media="all" href="/themes/custom/acd/css/acd.css">
  <link rel="icon" href="/themes/custom/acd/favicon.ico" type="image/vnd.microsoft.icon">
{head_extra}</head>
<body class="{body_class}">
  <a href="#main-content" class="visually-hidden focusable skip-link">{esc(c["skip"])}</a>
  <div id="tarteaucitronRoot" class="cookie-banner" role="dialog" aria-label="Cookies">
    <p>{esc(c["cookie"])}</p>
    <button type="button" class="btn-accept">{esc(accept)}</button>
    <button type="button" class="btn-deny">{esc(refuse)}</button>
    <a class="btn-custom" href="/cookies/parametres.html">{esc(custom)}</a>
  </div>
  <header role="banner" class="site-header">
    <div class="header-top">
      <a href="{c["home"]}" class="site-logo" rel="home" title="{ACD}">
        <img src="/themes/custom/acd/logo.svg" alt="{ACD} (ACD)">
      </a>
      <p class="site-slogan">{esc(c["tagline"])}</p>
      <ul class="language-switcher" aria-label="Langue">
        <li><a href="/" hreflang="fr" lang="fr">FR</a></li>
        <li><a href="/en/" hreflang="en" lang="en">EN</a></li>
      </ul>
      <form class="search-block-form" action="/recherche" method="get" role="search">
        <label for="edit-keys" class="visually-hidden">Rechercher</label>
        <input type="search" id="edit-keys" name="keys" size="15" maxlength="128">
        <button type="submit">OK</button>
      </form>
    </div>
    <nav role="navigation" aria-label="Menu principal" class="main-menu">
      <ul class="menu">
{nav}
      </ul>
    </nav>
  </header>
  <div class="layout-container">
{crumbs}{main}
  </div>
  <footer role="contentinfo" class="site-footer">
    <div class="footer-top">
      <p>{ACD} – 3 place de Fontenoy, 75007 Paris – Tél. 01 53 00 00 00</p>
      <nav aria-label="Liens de pied de page">
        <ul class="footer-menu">
{footer}
        </ul>
      </nav>
    </div>
    <p class="copyright">© {ACD} 2026 – Sauf mention contraire, contenus sous Licence Ouverte 2.0</p>
  </footer>
  <script src="/core/assets/vendor/jquery/jquery.min.js"></script>
  <script>window.tarteaucitronForceLanguage = "{lang}";</script>
</body>
</html>
"""


def acd_article(article: Article, related: list[Article], pdf_size: dict[str, int], by_path: dict[str, Article]) -> str:
    c = ACD_CHROME[article.lang]
    minutes = max(1, round(article.words() / 200))
    extra = ""
    if article.pdf:
        kb = max(1, round(pdf_size.get(article.pdf, 3000) / 1024))
        extra += (
            '        <div class="file-download">\n'
            f'          <a href="{article.pdf}" type="application/pdf" class="file-link">{esc(c["download"].format(kb=kb))}</a>\n'
            "        </div>\n"
        )
    if article.see_also:
        # The CMS writes this block without quotes around the href, as some government CMSs do.
        target = by_path[article.see_also]
        extra += (
            f"        <p class=see-also>{esc(c['see_also'])} <a href={article.see_also}>{esc(target.title)}</a></p>\n"
        )
    related_html = "\n".join(
        f'          <li><a href="{r.path}">{esc(r.title)}</a> <span class="date">{human_date(r.published, r.lang)}</span></li>'
        for r in related
    )
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "datePublished": article.published_iso,
            "inLanguage": article.lang,
            "publisher": {"@type": "GovernmentOrganization", "name": ACD},
        },
        ensure_ascii=False,
    )
    head = (
        f'  <meta name="description" content="{esc(article.summary(160))}">\n'
        '  <meta property="og:type" content="article">\n'
        f'  <meta property="og:title" content="{esc(article.title)}">\n'
        f'  <meta property="og:site_name" content="{ACD}">\n'
        f'  <meta property="article:published_time" content="{article.published_iso}">\n'
        f'  <meta property="article:section" content="{esc(article.section)}">\n'
        f'  <script type="application/ld+json">{ld}</script>\n'
    )
    main = f"""    <main id="main-content" role="main" class="main-content">
      <article class="node node--type-actualite node--view-mode-full" data-history-node-id="{8800 + article.number}">
        <header class="node-header">
          <span class="tag tag--rubrique">{esc(article.section)}</span>
          <h1 class="page-title"><span>{esc(article.title)}</span></h1>
          <div class="node-meta">
            <time datetime="{article.published_iso}">{human_date(article.published, article.lang)}</time>
            <span class="reading-time">{esc(c["read"].format(n=minutes))}</span>
          </div>
        </header>
        <div class="field field--name-field-chapo">
          <p>{esc(article.lead)}</p>
        </div>
        <div class="field field--name-body text-formatted">
{article.body_html()}
        </div>
{extra}        <div class="share-links" aria-label="{esc(c["share"])}">
          <span>{esc(c["share"])}</span>
          <a href="/partage/courriel?node={8800 + article.number}" rel="nofollow">Courriel</a>
          <a href="#" class="print-link" onclick="window.print();return false;">Imprimer</a>
        </div>
      </article>
      <aside class="sidebar" role="complementary">
        <h2>{esc(c["related"])}</h2>
        <ul class="related-news">
{related_html}
        </ul>
        <section class="block-newsletter">
          <h2>{esc(c["newsletter"])}</h2>
          <form action="/lettre-information/inscription" method="post">
            <label for="nl-mail">{esc(c["email"])}</label>
            <input type="email" id="nl-mail" name="mail">
            <button type="submit">{esc(c["subscribe"])}</button>
          </form>
        </section>
      </aside>
    </main>"""
    news_href, news_label = c["news"]
    return acd_page(
        article.lang,
        article.title,
        main,
        head_extra=head,
        body_class="path-node page-node-type-actualite",
        breadcrumb=[(c["home"], c["home_label"]), (news_href, news_label), (None, article.title)],
        canonical=article.path,
    )


def acd_listing_item(entry: dict[str, Any], unquoted: bool) -> str:
    q = "" if unquoted else '"'
    return f"""        <div class="views-row news-item">
          <span class="news-category">{esc(entry["section"])}</span>
          <h2 class="news-heading"><a class="news-title" href={q}{entry["path"]}{q}>{esc(entry["title"])}</a></h2>
          <time datetime="{entry["iso"]}">{entry["date"]}</time>
          <p class="news-summary">{esc(entry["summary"])}</p>
        </div>"""


def acd_pager(page: int, pages: int, base: str) -> str:
    def href(n: int) -> str:
        return base if n == 1 else f"{base}?page={n}"

    items = []
    if page > 1:
        items.append(
            f'<li class="pager__item pager__item--previous"><a href="{href(page - 1)}" rel="prev">‹ Précédent</a></li>'
        )
    for n in range(1, pages + 1):
        current = ' class="pager__item is-active"' if n == page else ' class="pager__item"'
        aria = ' aria-current="page"' if n == page else ""
        items.append(f'<li{current}><a href="{href(n)}"{aria}>{n}</a></li>')
    if page < pages:
        items.append(
            f'<li class="pager__item pager__item--next"><a href="{href(page + 1)}" rel="next">Suivant ›</a></li>'
        )
        items.append(f'<li class="pager__item pager__item--last"><a href="{href(pages)}">Dernière page »</a></li>')
    inner = "\n          ".join(items)
    return f"""      <nav class="pager" role="navigation" aria-label="Pagination">
        <ul class="pager__items">
          {inner}
        </ul>
      </nav>"""


def acd_listing(entries: list[dict[str, Any]], page: int, pages: int, popular: list[Article]) -> str:
    # Page 2 comes out of an older view template that drops the quotes around hrefs.
    rows = "\n".join(acd_listing_item(e, unquoted=(page == 2)) for e in entries)
    empty = (
        '        <div class="view-empty"><p>Aucun contenu ne correspond à votre recherche.</p></div>'
        if not entries
        else ""
    )
    pager = acd_pager(page, pages, "/actualites/") if entries else ""
    popular_html = "\n".join(f'          <li><a href="{a.path}">{esc(a.title)}</a></li>' for a in popular)
    main = f"""    <main id="main-content" role="main" class="main-content">
      <h1 class="page-title">Actualités</h1>
      <form class="views-exposed-form" action="/actualites/" method="get">
        <label for="edit-thematique">Thématique</label>
        <select id="edit-thematique" name="thematique">
          <option value="All">- Toutes -</option>
          <option value="transferts">Transferts hors UE</option>
          <option value="sanctions">Sanctions</option>
          <option value="cloud">Cloud</option>
        </select>
        <button type="submit">Filtrer</button>
      </form>
      <div class="view view-actualites news-list">
        <div class="view-content">
{rows}{empty}
        </div>
{pager}
      </div>
      <aside class="sidebar" role="complementary">
        <h2>Les plus consultés</h2>
        <ul class="most-read">
{popular_html}
        </ul>
        <p><a href="/rss.xml" class="rss-link">Flux RSS des actualités</a></p>
      </aside>
    </main>"""
    title = "Actualités" if page == 1 else f"Actualités – page {page}"
    return acd_page(
        "fr",
        title,
        main,
        body_class="path-actualites",
        breadcrumb=[("/", "Accueil"), (None, "Actualités")],
        canonical="/actualites/" if page == 1 else f"/actualites/?page={page}",
    )


def acd_simple(lang: str, title: str, paragraphs: Iterable[str], links: Iterable[tuple[str, str]] = ()) -> str:
    c = ACD_CHROME[lang]
    ps = "\n".join(f"      <p>{esc(p)}</p>" for p in paragraphs)
    lis = "\n".join(f'        <li><a href="{h}">{esc(t)}</a></li>' for h, t in links)
    ul = f'\n      <ul class="links">\n{lis}\n      </ul>' if lis else ""
    main = f"""    <main id="main-content" role="main" class="main-content">
      <h1 class="page-title">{esc(title)}</h1>
{ps}{ul}
    </main>"""
    return acd_page(lang, title, main, breadcrumb=[(c["home"], c["home_label"]), (None, title)])


def build_regulator(articles: list[Article], pdf_size: dict[str, int]) -> Files:
    files: Files = {}
    by_path = {a.path: a for a in articles}
    for article in articles:
        related = [a for a in articles if a.lang == article.lang and a is not article][:3]
        files[article.path.lstrip("/")] = acd_article(article, related, pdf_size, by_path)
        article.discovered_by = ["listing", "sitemap"]

    pdf_article = next(a for a in articles if a.pdf)
    entries = []
    for a in articles:
        entries.append(
            {
                "path": a.path,
                "title": a.title,
                "section": a.section,
                "iso": a.published.date().isoformat(),
                "date": human_date(a.published, "fr"),
                "summary": a.summary(),
                "published": a.published,
            }
        )
        if a.pdf:
            kb = max(1, round(pdf_size.get(a.pdf, 3000) / 1024))
            entries.append(
                {
                    "path": a.pdf,
                    "title": f"Communiqué de presse : {a.title} (PDF, {kb} Ko)",
                    "section": "Communiqués de presse",
                    "iso": a.published.date().isoformat(),
                    "date": human_date(a.published, "fr"),
                    "summary": "Le communiqué de presse au format PDF.",
                    "published": a.published,
                }
            )
    pages = [entries[i : i + ACD_PER_PAGE] for i in range(0, len(entries), ACD_PER_PAGE)]
    popular = [a for a in articles if not a.trap][:4]
    for n, chunk in enumerate(pages, start=1):
        page = acd_listing(chunk, n, len(pages), popular)
        if n == 1:
            files["actualites/index.html"] = page
        files[f"actualites/index.page-{n}.html"] = page
    files["actualites/_empty.html"] = acd_listing([], len(pages) + 1, len(pages), popular)

    # English section: its own small news index.
    english = [a for a in articles if a.lang == "en"]
    en_items = "\n".join(
        f'        <li class="news-item"><a class="news-title" href="{a.path}">{esc(a.title)}</a> '
        f'<time datetime="{a.published.date().isoformat()}">{human_date(a.published, "en")}</time></li>'
        for a in english
    )
    en_main = f"""    <main id="main-content" role="main" class="main-content">
      <h1 class="page-title">News</h1>
      <p>A selection of the ACD’s news in English. The full list is available in French.</p>
      <ul class="news-list">
{en_items}
      </ul>
    </main>"""
    files["en/news/index.html"] = acd_page("en", "News", en_main, breadcrumb=[("/en/", "Home"), (None, "News")])

    latest = articles[:4]
    cards = "\n".join(
        f'        <div class="card"><span class="card-date">{human_date(a.published, a.lang)}</span>'
        f'<h3 class="card-title"><a href="{a.path}">{esc(a.title)}</a></h3></div>'
        for a in latest
    )
    home_main = f"""    <main id="main-content" role="main" class="main-content home">
      <h1 class="visually-hidden">{ACD}</h1>
      <section class="home-hero">
        <h2>Protéger les données personnelles, accompagner l’innovation, préserver les libertés</h2>
        <p><a class="button" href="/mes-droits/">Exercer mes droits</a> <a class="button" href="/plaintes/">Adresser une plainte</a></p>
      </section>
      <section class="home-news">
        <h2>Dernières actualités</h2>
{cards}
        <p><a href="/actualites/">Toutes les actualités</a></p>
      </section>
    </main>"""
    files["index.html"] = acd_page("fr", "Accueil", home_main, body_class="path-frontpage")
    en_home = f"""    <main id="main-content" role="main" class="main-content home">
      <h1>The French data protection authority</h1>
      <p>The ACD protects personal data, supports innovation and preserves individual liberties.</p>
      <ul>
{en_items}
      </ul>
      <p><a href="/en/news/">All news in English</a></p>
    </main>"""
    files["en/index.html"] = acd_page("en", "Home", en_home, body_class="path-frontpage")

    simple = {
        "mes-droits/index.html": (
            "fr",
            "Mes droits",
            [
                "Vous disposez de droits sur vos données : droit d’accès, de rectification, d’effacement, "
                "d’opposition, de limitation et de portabilité.",
                "Pour les exercer, adressez-vous d’abord à l’organisme qui détient vos données. En l’absence de "
                "réponse dans un délai d’un mois, vous pouvez adresser une plainte à l’ACD.",
            ],
            [("/plaintes/", "Adresser une plainte")],
        ),
        "plaintes/index.html": (
            "fr",
            "Adresser une plainte",
            [
                "Le formulaire de plainte en ligne est accessible après création d’un compte. Joignez les échanges "
                "avec l’organisme concerné."
            ],
            [],
        ),
        "professionnels/index.html": (
            "fr",
            "Professionnels",
            [
                "Retrouvez les outils de conformité : registre des traitements, analyse d’impact, modèles de "
                "clauses et fiches pratiques."
            ],
            [
                (
                    "/actualites/clauses-contractuelles-types-questions-reponses.html",
                    "Questions-réponses sur les clauses contractuelles types",
                )
            ],
        ),
        "linstitution/index.html": (
            "fr",
            "L’institution",
            [
                "L’ACD est une autorité administrative indépendante composée d’un collège de dix-huit membres et "
                "d’environ 300 agents.",
                "Elle informe les personnes, accompagne les organismes, contrôle et sanctionne.",
            ],
            [],
        ),
        "contact/index.html": (
            "fr",
            "Contact",
            [
                "Standard : 01 53 00 00 00, du lundi au vendredi de 9 h à 18 h.",
                "Adresse postale : 3 place de Fontenoy, TSA 80000, 75334 Paris Cedex 07.",
            ],
            [],
        ),
        "politique-de-confidentialite.html": (
            "fr",
            "Données personnelles",
            [
                "Cette page décrit les traitements de données mis en œuvre par l’ACD sur ce site : mesure "
                "d’audience, lettre d’information et formulaires de contact.",
                "Les données sont conservées treize mois au plus pour la mesure d’audience.",
            ],
            [],
        ),
        "cookies/parametres.html": (
            "fr",
            "Gestion des cookies",
            ["Vous pouvez à tout moment modifier vos choix concernant les cookies de mesure d’audience."],
            [],
        ),
        "mentions-legales.html": (
            "fr",
            "Mentions légales",
            [
                "Directeur de la publication : le président de l’ACD. Hébergement : prestataire qualifié, "
                "centre de données situé en France."
            ],
            [],
        ),
        "accessibilite.html": (
            "fr",
            "Accessibilité",
            ["Ce site est partiellement conforme au référentiel général d’amélioration de l’accessibilité."],
            [],
        ),
        "plan-du-site.html": (
            "fr",
            "Plan du site",
            ["Toutes les rubriques du site."],
            [
                ("/", "Accueil"),
                ("/actualites/", "Actualités"),
                ("/mes-droits/", "Mes droits"),
                ("/professionnels/", "Professionnels"),
                ("/linstitution/", "L’institution"),
                ("/contact/", "Contact"),
                ("/en/", "English"),
            ],
        ),
        "admin/extranet/index.html": (
            "fr",
            "Extranet",
            ["Espace réservé aux agents de l’ACD. Authentification requise."],
            [],
        ),
        "en/about.html": (
            "en",
            "About the ACD",
            [
                "The ACD is an independent administrative authority. It informs the public, supports organisations, "
                "carries out inspections and imposes sanctions."
            ],
            [],
        ),
        "en/your-rights.html": (
            "en",
            "Your rights",
            ["You have the right to access, rectify and erase your personal data, and to object to its processing."],
            [],
        ),
        "en/contact.html": ("en", "Contact", ["Switchboard: +33 1 53 00 00 00."], []),
        "en/privacy.html": (
            "en",
            "Privacy policy",
            ["This page describes how the ACD processes personal data on this website."],
            [],
        ),
    }
    for rel, (lang, title, paragraphs, links) in simple.items():
        files[rel] = acd_simple(lang, title, paragraphs, links)
    files["themes/custom/acd/css/acd.css"] = (
        "body{font-family:Marianne,Arial,sans-serif;margin:0}.visually-hidden{position:absolute;left:-9999px}\n"
        ".cookie-banner{position:fixed;bottom:0;background:#1e1e1e;color:#fff;padding:1em}\n"
    )
    files["robots.txt"] = (
        "#\n# robots.txt\n#\n# This file is to prevent the crawling and indexing of certain parts\n"
        "# of your site by web crawlers and spiders run by sites like Yahoo!\n# and Google.\n\n"
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /user/login\n"
        "Disallow: /recherche\n"
        "Disallow: /partage/\n"
        "Disallow: /*?thematique=\n\n"
        "Sitemap: {{base}}/sitemap.xml\n"
    )
    # A short RSS of the five latest items, as the real CMS exposes (not used by the catalogue).
    items = "\n".join(rss_item(a, link="{{base}}" + a.path, guid=f"acd-node-{8800 + a.number}") for a in articles[:5])
    files["rss.xml"] = rss_channel(
        title="ACD – Actualités",
        link="{{base}}/actualites/",
        self_href="{{base}}/rss.xml",
        description="Les dernières actualités de l’Autorité de contrôle des données",
        language="fr",
        build=articles[0].published,
        items=items,
    )
    pages_for_sitemap = [(a.path, a.published) for a in articles] + [(pdf_article.pdf or "", pdf_article.published)]
    pages_for_sitemap += [("/", articles[0].published), ("/actualites/", articles[0].published)]
    pages_for_sitemap += [
        ("/" + rel.removesuffix("index.html"), None) for rel in sorted(simple) if not rel.startswith("admin/")
    ]
    files["sitemap.xml"] = urlset(pages_for_sitemap)
    return files


# ------------------------------------------------------------------------------------------------
# shared feed and sitemap writers
# ------------------------------------------------------------------------------------------------


def rss_date(moment: datetime, zone: str = "") -> str:
    if zone == "CET":
        # A feed generator that writes the zone abbreviation instead of an offset.
        return email.utils.format_datetime(moment.astimezone(timezone(timedelta(hours=1)))).rsplit(" ", 1)[0] + " CET"
    if zone == "GMT":
        return email.utils.format_datetime(moment.astimezone(UTC), usegmt=True)
    return email.utils.format_datetime(moment)


def rss_item(article: Article, link: str, guid: str, zone: str = "") -> str:
    return f"""    <item>
      <title>{xml_escape(article.title)}</title>
      <link>{xml_escape(link)}</link>
      <description>{xml_escape(article.summary(400))}</description>
      <pubDate>{rss_date(article.published, zone)}</pubDate>
      <guid isPermaLink="false">{guid}</guid>
    </item>"""


def rss_channel(
    *, title: str, link: str, self_href: str, description: str, language: str, build: datetime, items: str
) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>{xml_escape(title)}</title>
    <link>{link}</link>
    <atom:link href="{self_href}" rel="self" type="application/rss+xml"/>
    <description>{xml_escape(description)}</description>
    <language>{language}</language>
    <lastBuildDate>{email.utils.format_datetime(build)}</lastBuildDate>
{items}
  </channel>
</rss>
"""


def urlset(pages: list[tuple[str, datetime | None]]) -> str:
    rows = []
    for path, moment in pages:
        lastmod = f"\n    <lastmod>{moment.isoformat()}</lastmod>" if moment else ""
        rows.append(f"  <url>\n    <loc>{{{{base}}}}{xml_escape(path)}</loc>{lastmod}\n  </url>")
    body = "\n".join(rows)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{body}
</urlset>
"""


# ------------------------------------------------------------------------------------------------
# ministry: a German federal Government Site Builder (GSB) site with RSS feeds
# ------------------------------------------------------------------------------------------------

BMDD = "Bundesministerium für Digitales und Datenwirtschaft"
BMDD_EN = "Federal Ministry for Digital Affairs and the Data Economy"
# Feed items whose pubDate is written with a zone abbreviation instead of a numeric offset.
RSS_ZONES = {"bmdd-erklaerung-frankreich": "CET", "bmdd-ai-act-en": "GMT"}
BMDD_CHROME = {
    "de": {
        "home": "/DE/Home/home_node.html",
        "nav": [
            ("/DE/Ministerium/ministerium_node.html", "Ministerium"),
            ("/DE/Themen/themen_node.html", "Themen"),
            ("/DE/Presse/Pressemitteilungen/pressemitteilungen_node.html", "Presse"),
            ("/DE/Service/service_node.html", "Service"),
            ("/DE/Service/Kontakt/kontakt_node.html", "Kontakt"),
        ],
        "meta": [
            ("/DE/Leichte-Sprache/leichte-sprache_node.html", "Leichte Sprache"),
            ("/DE/Gebaerdensprache/gebaerdensprache_node.html", "Gebärdensprache"),
            ("/EN/Home/home_node.html", "English"),
        ],
        "press": ("/DE/Presse/Pressemitteilungen/pressemitteilungen_node.html", "Pressemitteilungen"),
        "crumb_home": "Startseite",
        "here": "Sie sind hier:",
        "kind": "Pressemitteilung",
        "date": "Datum",
        "cookie": "Wir verwenden nur technisch notwendige Cookies sowie, mit Ihrer Einwilligung, eine anonyme "
        "Reichweitenmessung.",
        "cookie_links": (
            ("/DE/Service/Datenschutz/datenschutz_node.html", "Datenschutzerklärung"),
            ("/DE/Service/Cookie-Einstellungen/cookie-einstellungen_node.html", "Einstellungen"),
        ),
        "footer": [
            ("/DE/Service/Impressum/impressum_node.html", "Impressum"),
            ("/DE/Service/Datenschutz/datenschutz_node.html", "Datenschutz"),
            ("/DE/Service/Barrierefreiheit/barrierefreiheit_node.html", "Barrierefreiheit"),
            ("/DE/Service/Cookie-Einstellungen/cookie-einstellungen_node.html", "Cookie-Einstellungen"),
            ("/DE/Service/Kontakt/kontakt_node.html", "Kontakt"),
            ("/DE/Service/Sitemap/sitemap_node.html", "Sitemap"),
        ],
        "download": "Eckpunktepapier (PDF, {kb} KB, barrierefrei)",
        "feed": ("/feeds/pressemitteilungen.rss", "RSS-Feed Pressemitteilungen"),
        "more": "Weitere Pressemitteilungen",
        "print": "Seite drucken",
        "name": BMDD,
    },
    "en": {
        "home": "/EN/Home/home_node.html",
        "nav": [
            ("/EN/Ministry/ministry_node.html", "Ministry"),
            ("/EN/Press/press_node.html", "Press"),
            ("/EN/Service/Contact/contact_node.html", "Contact"),
        ],
        "meta": [("/DE/Home/home_node.html", "Deutsch")],
        "press": ("/EN/Press/press_node.html", "Press releases"),
        "crumb_home": "Homepage",
        "here": "You are here:",
        "kind": "Press release",
        "date": "Date",
        "cookie": "We only use technically necessary cookies and, with your consent, anonymous audience measurement.",
        "cookie_links": (
            ("/EN/Service/Privacy/privacy_node.html", "Privacy policy"),
            ("/DE/Service/Cookie-Einstellungen/cookie-einstellungen_node.html", "Settings"),
        ),
        "footer": [
            ("/EN/Service/Imprint/imprint_node.html", "Imprint"),
            ("/EN/Service/Privacy/privacy_node.html", "Privacy policy"),
            ("/DE/Service/Cookie-Einstellungen/cookie-einstellungen_node.html", "Cookie settings"),
            ("/EN/Service/Contact/contact_node.html", "Contact"),
        ],
        "download": "Key points paper (PDF, {kb} KB)",
        "feed": ("/en/feeds/press-releases.rss", "RSS feed: press releases"),
        "more": "More press releases",
        "print": "Print page",
        "name": BMDD_EN,
    },
}


def bmdd_page(
    lang: str, title: str, content: str, *, head_extra: str = "", crumbs: list[tuple[str | None, str]] | None = None
) -> str:
    c = BMDD_CHROME[lang]
    nav = "\n".join(f'            <li><a href="{h}">{esc(t)}</a></li>' for h, t in c["nav"])
    meta_nav = "\n".join(f'            <li><a href="{h}">{esc(t)}</a></li>' for h, t in c["meta"])
    footer = "\n".join(f'          <li><a href="{h}">{esc(t)}</a></li>' for h, t in c["footer"])
    crumb_items = "".join(
        f'<li><a href="{h}">{esc(t)}</a></li>' if h else f"<li><span>{esc(t)}</span></li>" for h, t in (crumbs or [])
    )
    feed_href, feed_title = c["feed"]
    (privacy_href, privacy_label), (settings_href, settings_label) = c["cookie_links"]
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{c["name"]} - {esc(title)}</title>
  <meta name="generator" content="Government Site Builder">
  <link rel="alternate" type="application/rss+xml" title="{esc(feed_title)}" href="{feed_href}">
  <link rel="stylesheet" href="/SiteGlobals/Frontend/Styles/normalize.css?__blob=normalize&amp;v=4" type="text/css">
  <link rel="shortcut icon" href="/SiteGlobals/Frontend/Images/favicon.ico?__blob=normalize&amp;v=2">
{head_extra}</head>
<body class="gsb startseite js-off">
  <div id="wrapperOuter">
    <div id="wrapperInner">
      <a id="skipNavigation" class="skip" href="#main">Springe direkt zu: Inhalt</a>
      <div id="cookiebanner" class="cookie-banner" role="region" aria-label="Cookie-Hinweis">
        <p>{esc(c["cookie"])} <a href="{privacy_href}">{esc(privacy_label)}</a></p>
        <a class="button" href="{settings_href}">{esc(settings_label)}</a>
        <button class="button js-accept" type="button">OK</button>
      </div>
      <header id="header">
        <div id="logo"><a href="{c["home"]}" title="Zur Startseite"><img src="/SiteGlobals/Frontend/Images/logo.svg?__blob=normalize" alt="Logo: {c["name"]}"></a></div>
        <nav id="navServiceMeta" aria-label="Service">
          <ul>
{meta_nav}
          </ul>
        </nav>
        <nav id="navPrimary" aria-label="Hauptnavigation">
          <ul>
{nav}
          </ul>
        </nav>
        <form id="search" action="/SiteGlobals/Forms/Suche/suche_node.html" method="get"><input type="text" name="templateQueryString" title="Suchbegriff"><button type="submit">Suchen</button></form>
      </header>
      <div id="navBreadcrumbs"><strong>{esc(c["here"])}</strong><ol>{crumb_items}</ol></div>
      <div id="main" class="main" role="main">
{content}
      </div>
      <footer id="footer">
        <ul class="links">
{footer}
        </ul>
        <p>© {c["name"]} 2026</p>
      </footer>
    </div>
  </div>
  <script src="/SiteGlobals/Frontend/JavaScript/init/global.js?__blob=normalize&amp;v=7"></script>
</body>
</html>
"""


def bmdd_article(article: Article, others: list[Article], pdf_size: dict[str, int]) -> str:
    c = BMDD_CHROME[article.lang]
    date = article.published.strftime("%d.%m.%Y")
    download = ""
    if article.pdf:
        kb = max(1, round(pdf_size.get(article.pdf, 3000) / 1024))
        download = (
            '          <div class="linkblock download">\n'
            f'            <a href="{article.pdf}?__blob=publicationFile&amp;v=2" class="downloadLink Publication FTpdf" '
            f'title="{esc(c["download"].format(kb=kb))}">{esc(c["download"].format(kb=kb))}</a>\n'
            "          </div>\n"
        )
    more = "\n".join(
        f'              <li><a href="{o.path}?nn=4321">{esc(o.title)}</a> ({o.published.strftime("%d.%m.%Y")})</li>'
        for o in others
    )
    head = (
        f'  <meta name="date" content="{article.published.date().isoformat()}">\n'
        f'  <meta property="article:published_time" content="{article.published_iso}">\n'
        f'  <meta property="og:title" content="{esc(article.title)}">\n'
        f'  <link rel="canonical" href="{article.path}">\n'
    )
    content = f"""        <div class="article">
          <p class="dachzeile">{esc(c["kind"])} {article.number:03d}/2026</p>
          <h1 class="isFirstInSlot">{esc(article.title)}</h1>
          <p class="date"><span>{esc(c["date"])}</span> <time datetime="{article.published_iso}">{date}</time></p>
          <div class="text">
            <p class="abstract">{esc(article.lead)}</p>
{article.body_html("h2", "            ")}
          </div>
{download}          <div class="toolbar"><a href="javascript:window.print()">{esc(c["print"])}</a></div>
        </div>
        <div id="complementary" class="complementary">
          <div class="teaser">
            <h2>{esc(c["more"])}</h2>
            <ul>
{more}
            </ul>
          </div>
        </div>"""
    press_href, press_label = c["press"]
    return bmdd_page(
        article.lang,
        article.title,
        content,
        head_extra=head,
        crumbs=[(c["home"], c["crumb_home"]), (press_href, press_label), (None, article.title)],
    )


def bmdd_simple(lang: str, title: str, paragraphs: Iterable[str], links: Iterable[tuple[str, str]] = ()) -> str:
    c = BMDD_CHROME[lang]
    ps = "\n".join(f"          <p>{esc(p)}</p>" for p in paragraphs)
    lis = "\n".join(f'            <li><a href="{h}">{esc(t)}</a></li>' for h, t in links)
    ul = f"\n          <ul>\n{lis}\n          </ul>" if lis else ""
    content = f"""        <div class="article">
          <h1 class="isFirstInSlot">{esc(title)}</h1>
{ps}{ul}
        </div>"""
    return bmdd_page(lang, title, content, crumbs=[(c["home"], c["crumb_home"]), (None, title)])


def build_ministry(articles: list[Article], pdf_size: dict[str, int]) -> Files:
    files: Files = {}
    for lang in ("de", "en"):
        mine = [a for a in articles if a.lang == lang]
        for article in mine:
            others = [o for o in mine if o is not article][:3]
            files[article.path.lstrip("/")] = bmdd_article(article, others, pdf_size)
            article.discovered_by = ["feed"]
        c = BMDD_CHROME[lang]
        listing = [(a.path, f"{a.published.strftime('%d.%m.%Y')} – {a.title}") for a in mine]
        press_href, press_label = c["press"]
        files[press_href.lstrip("/")] = bmdd_simple(
            lang,
            press_label,
            ["Pressemitteilungen des Ministeriums." if lang == "de" else "Press releases of the ministry."],
            listing,
        )
    de = [a for a in articles if a.lang == "de"]
    en = [a for a in articles if a.lang == "en"]
    # The German feed tags its links with tracking parameters, which a normaliser must strip.
    files["feeds/pressemitteilungen.rss"] = rss_channel(
        title=f"{BMDD} – Pressemitteilungen",
        link="{{base}}/DE/Presse/Pressemitteilungen/pressemitteilungen_node.html",
        self_href="{{base}}/feeds/pressemitteilungen.rss",
        description=f"Aktuelle Pressemitteilungen des {BMDD.replace('Bundesministerium', 'Bundesministeriums')}",
        language="de-de",
        build=de[0].published,
        items="\n".join(
            rss_item(
                a,
                "{{base}}" + a.path + "?utm_source=rss&utm_medium=feed&utm_campaign=pressemitteilungen",
                f"bmdd-pm-{a.number:03d}-2026",
                RSS_ZONES.get(a.id, ""),
            )
            for a in de
        ),
    )
    files["en/feeds/press-releases.rss"] = rss_channel(
        title=f"{BMDD_EN} – Press releases",
        link="{{base}}/EN/Press/press_node.html",
        self_href="{{base}}/en/feeds/press-releases.rss",
        description="Press releases in English",
        language="en-gb",
        build=en[0].published,
        items="\n".join(
            rss_item(a, "{{base}}" + a.path, f"bmdd-pr-en-{a.number:03d}-2026", RSS_ZONES.get(a.id, "")) for a in en
        ),
    )
    home_links = [(a.path, a.title) for a in de[:5]] + [
        ("/DE/Presse/Pressemitteilungen/pressemitteilungen_node.html", "Alle Pressemitteilungen")
    ]
    files["DE/Home/home_node.html"] = bmdd_simple(
        "de", "Startseite", ["Willkommen beim Bundesministerium für Digitales und Datenwirtschaft."], home_links
    )
    files["index.html"] = files["DE/Home/home_node.html"]
    files["EN/Home/home_node.html"] = bmdd_simple(
        "en",
        "Homepage",
        ["Welcome to the Federal Ministry for Digital Affairs and the Data Economy."],
        [(a.path, a.title) for a in en],
    )
    simple = {
        "DE/Ministerium/ministerium_node.html": (
            "de",
            "Ministerium",
            ["Aufgaben, Leitung und Organisation des Ministeriums."],
        ),
        "DE/Themen/themen_node.html": (
            "de",
            "Themen",
            ["Digitale Verwaltung, Datenpolitik, Künstliche Intelligenz, Netze."],
        ),
        "DE/Service/service_node.html": ("de", "Service", ["Publikationen, Ausschreibungen, Stellenangebote."]),
        "DE/Service/Kontakt/kontakt_node.html": (
            "de",
            "Kontakt",
            ["Bürgertelefon: 030 18 000-0, Montag bis Donnerstag 8 bis 18 Uhr."],
        ),
        "DE/Service/Impressum/impressum_node.html": ("de", "Impressum", ["Herausgeber: " + BMDD + ", Berlin."]),
        "DE/Service/Datenschutz/datenschutz_node.html": (
            "de",
            "Datenschutzerklärung",
            ["Beim Besuch dieser Website werden IP-Adresse und Zeitpunkt des Zugriffs für sieben Tage gespeichert."],
        ),
        "DE/Service/Barrierefreiheit/barrierefreiheit_node.html": (
            "de",
            "Erklärung zur Barrierefreiheit",
            ["Diese Website ist weitgehend mit der Barrierefreie-Informationstechnik-Verordnung vereinbar."],
        ),
        "DE/Service/Cookie-Einstellungen/cookie-einstellungen_node.html": (
            "de",
            "Cookie-Einstellungen",
            ["Hier können Sie der anonymen Reichweitenmessung zustimmen oder widersprechen."],
        ),
        "DE/Service/Sitemap/sitemap_node.html": ("de", "Sitemap", ["Übersicht aller Bereiche dieser Website."]),
        "DE/Leichte-Sprache/leichte-sprache_node.html": (
            "de",
            "Leichte Sprache",
            ["Hier erklären wir in Leichter Sprache, was das Ministerium macht."],
        ),
        "DE/Gebaerdensprache/gebaerdensprache_node.html": (
            "de",
            "Gebärdensprache",
            ["Videos in Deutscher Gebärdensprache."],
        ),
        "EN/Ministry/ministry_node.html": ("en", "Ministry", ["Tasks, leadership and organisation of the ministry."]),
        "EN/Service/Contact/contact_node.html": ("en", "Contact", ["Phone: +49 30 18 000-0."]),
        "EN/Service/Imprint/imprint_node.html": ("en", "Imprint", ["Published by the " + BMDD_EN + ", Berlin."]),
        "EN/Service/Privacy/privacy_node.html": ("en", "Privacy policy", ["How this website processes personal data."]),
    }
    for rel, (lang, title, paragraphs) in simple.items():
        files[rel] = bmdd_simple(lang, title, paragraphs)
    files["robots.txt"] = (
        "User-agent: *\nDisallow: /SiteGlobals/Forms/Suche/\nDisallow: /intern/\nDisallow: /*?view=renderPrint\n"
    )
    return files


# ------------------------------------------------------------------------------------------------
# press: a WordPress news site with an Atom feed and a Google News sitemap
# ------------------------------------------------------------------------------------------------

DPW = "Data Policy Wire"
DPW_LABELS = {
    "en": {"by": "By", "comments": "Comments", "reply": "Reply", "related": "Related stories", "more": "Most read"},
    "fr": {
        "by": "Par",
        "comments": "Commentaires",
        "reply": "Répondre",
        "related": "À lire aussi",
        "more": "Les plus lus",
    },
    "nl": {
        "by": "Door",
        "comments": "Reacties",
        "reply": "Reageren",
        "related": "Gerelateerd",
        "more": "Meest gelezen",
    },
    "es": {
        "by": "Por",
        "comments": "Comentarios",
        "reply": "Responder",
        "related": "Relacionados",
        "more": "Lo más leído",
    },
    "it": {
        "by": "Di",
        "comments": "Commenti",
        "reply": "Rispondi",
        "related": "Articoli correlati",
        "more": "I più letti",
    },
}
# Reader comments: the extractor must leave them out of the article text.
DPW_COMMENTS = {
    "dpw-dpf-review": [("EUlawyer", "Third time lucky? I give it until 2028 before the Court of Justice has its say.")],
    "dpw-deadline-day": [
        ("BlueMoon93", "Absolute madness. £78m for a midfielder who was injured half of last season.")
    ],
    "dpw-sovereign-cloud-telcos": [
        ("cloudwatcher", "A licence deal is not sovereignty. Who pushes the updates?"),
        ("anon", "Better than nothing for the public sector, honestly."),
    ],
    "dpw-cac40": [("petitporteur", "Encore une semaine rouge, vivement la fin de l’année.")],
}
FEED_SIZE = 12  # entries in /feed.atom; older stories are reachable only through the news sitemap
DPW_NAV = [
    ("/", "Home"),
    ("/category/transfers/", "Transfers"),
    ("/category/platforms/", "Platforms"),
    ("/category/cloud/", "Cloud"),
    ("/category/asia/", "Asia"),
    ("/fr/", "Français"),
    ("/newsletter/", "Newsletter"),
    ("/about/", "About"),
]
DPW_FOOTER = [
    ("/about/", "About us"),
    ("/contact/", "Contact"),
    ("/privacy-policy/", "Privacy policy"),
    ("/cookie-settings/", "Cookie settings"),
    ("/terms/", "Terms of use"),
    ("/advertise/", "Advertise"),
]


def slug(text: str) -> str:
    """An ASCII URL slug, as WordPress makes them ("Protección de datos" -> "proteccion-de-datos")."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
    return "-".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


def dpw_page(
    lang: str, title: str, content: str, *, head_extra: str = "", body_class: str = "page", sidebar: str = ""
) -> str:
    nav = "\n".join(f'          <li class="menu-item"><a href="{h}">{esc(t)}</a></li>' for h, t in DPW_NAV)
    footer = "\n".join(f'        <li><a href="{h}">{esc(t)}</a></li>' for h, t in DPW_FOOTER)
    return f"""<!doctype html>
<html lang="{lang}">
<head>
  <meta charset="UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{esc(title)} – {DPW}</title>
  <link rel="alternate" type="application/atom+xml" title="{DPW} » Feed" href="{{{{base}}}}/feed.atom">
  <link rel="stylesheet" id="dpw-style-css" href="/wp-content/themes/dpw/style.css?ver=3.2.1" media="all">
  <link rel="https://api.w.org/" href="/wp-json/">
{head_extra}</head>
<body class="{body_class}">
  <div id="page" class="site">
    <a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
    <header id="masthead" class="site-header">
      <div class="site-branding">
        <p class="site-title"><a href="/" rel="home">{DPW}</a></p>
        <p class="site-description">Tech policy, privacy and the fight over data</p>
      </div>
      <nav id="site-navigation" class="main-navigation" aria-label="Primary">
        <ul id="primary-menu" class="menu">
{nav}
        </ul>
      </nav>
      <a class="subscribe-button" href="/subscribe/">Subscribe</a>
    </header>
    <div class="ad-slot ad-leaderboard" aria-hidden="true">Advertisement</div>
    <div id="content" class="site-content">
      <main id="primary" class="site-main">
{content}
      </main>
      <aside id="secondary" class="widget-area">
{sidebar}
        <section class="widget widget_newsletter">
          <h2 class="widget-title">The Wire, every morning</h2>
          <form action="/newsletter/" method="post"><input type="email" name="email" placeholder="you@example.com"><button>Sign up</button></form>
        </section>
      </aside>
    </div>
    <footer id="colophon" class="site-footer">
      <ul class="footer-menu">
{footer}
      </ul>
      <p class="site-info">© 2026 {DPW}. Proudly powered by WordPress.</p>
    </footer>
  </div>
  <div id="cookie-notice" role="dialog" aria-label="Cookie Notice" class="cookie-notice-hidden">
    <p>We use cookies to measure our audience and to show you relevant ads. <a href="/privacy-policy/">Privacy policy</a></p>
    <a href="#" id="cn-accept-cookie" class="cn-button">Accept</a>
    <a href="/cookie-settings/" class="cn-button">Settings</a>
  </div>
  <script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
</body>
</html>
"""


def dpw_article(article: Article, related: list[Article], most_read: list[Article]) -> str:
    labels = DPW_LABELS[article.lang]
    post_id = 4100 + article.number
    category = article.section
    cat_href = f"/category/{slug(category)}/"
    date_label = human_date(article.published, article.lang)
    author_slug = slug(article.author)
    comments = DPW_COMMENTS.get(article.id, [])
    comment_html = ""
    if comments:
        lis = "\n".join(
            f"""            <li id="comment-{post_id * 10 + i}" class="comment even thread-even depth-1">
              <article class="comment-body">
                <footer class="comment-meta"><b class="fn">{esc(name)}</b> <span class="says">says:</span></footer>
                <div class="comment-content"><p>{esc(text)}</p></div>
                <div class="reply"><a rel="nofollow" class="comment-reply-link" href="#comment-{post_id * 10 + i}">{labels["reply"]}</a></div>
              </article>
            </li>"""
            for i, (name, text) in enumerate(comments)
        )
        comment_html = f"""
        <div id="comments" class="comments-area">
          <h2 class="comments-title">{len(comments)} {labels["comments"]}</h2>
          <ol class="comment-list">
{lis}
          </ol>
        </div>"""
    related_html = "\n".join(
        f'            <li><a href="{r.path}" rel="bookmark">{esc(r.title)}</a></li>' for r in related
    )
    reprint = ""
    if article.syndicated_of:
        # The only cross-site link of the demo: an absolute URL to the original, filled in at serve time.
        original = "{{site:" + article.syndicated_of["site"] + "}}" + article.syndicated_of["path"]
        reprint = (
            '            <p class="reprint-note"><em>This is a reprint of an official press release. '
            f'<a href="{original}">Read the original</a>.</em></p>\n'
        )
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "datePublished": article.published_iso,
            "dateModified": article.published_iso,
            "author": {"@type": "Person", "name": article.author},
            "publisher": {"@type": "Organization", "name": DPW},
            "inLanguage": article.lang,
            "mainEntityOfPage": "{{base}}" + article.path,
        },
        ensure_ascii=False,
    )
    head = (
        f'  <link rel="canonical" href="{{{{base}}}}{article.path}">\n'
        f'  <meta name="description" content="{esc(article.summary(160))}">\n'
        '  <meta property="og:type" content="article">\n'
        f'  <meta property="og:title" content="{esc(article.title)}">\n'
        f'  <meta property="og:url" content="{{{{base}}}}{article.path}">\n'
        f'  <meta property="og:site_name" content="{DPW}">\n'
        f'  <meta property="article:published_time" content="{article.published_iso}">\n'
        f'  <meta property="article:modified_time" content="{article.published_iso}">\n'
        f'  <meta property="article:section" content="{esc(category)}">\n'
        f'  <meta name="author" content="{esc(article.author)}">\n'
        f'  <script type="application/ld+json" class="yoast-schema-graph">{ld}</script>\n'
    )
    content = f"""        <article id="post-{post_id}" class="post-{post_id} post type-post status-publish format-standard hentry category-{slug(category)}">
          <header class="entry-header">
            <div class="cat-links"><a href="{cat_href}" rel="category tag">{esc(category)}</a></div>
            <h1 class="entry-title">{esc(article.title)}</h1>
            <div class="entry-meta">
              <span class="byline">{labels["by"]} <span class="author vcard"><a class="url fn n" href="/author/{author_slug}/">{esc(article.author)}</a></span></span>
              <span class="posted-on"><time class="entry-date published updated" datetime="{article.published_iso}">{date_label}</time></span>
            </div>
          </header>
          <div class="entry-content">
{reprint}            <p>{esc(article.lead)}</p>
{article.body_html("h2", "            ")}
          </div>
          <footer class="entry-footer">
            <div class="share-buttons"><a href="/share/?p={post_id}&amp;via=email" rel="nofollow">Email</a> <a href="/share/?p={post_id}&amp;via=print" rel="nofollow">Print</a></div>
          </footer>
        </article>
        <div class="ad-slot ad-inarticle" aria-hidden="true">Advertisement</div>
        <section class="related-posts">
          <h2>{labels["related"]}</h2>
          <ul>
{related_html}
          </ul>
        </section>{comment_html}"""
    most = "\n".join(f'            <li><a href="{m.path}">{esc(m.title)}</a></li>' for m in most_read)
    sidebar = f"""        <section class="widget widget_most_read">
          <h2 class="widget-title">{labels["more"]}</h2>
          <ul>
{most}
          </ul>
        </section>"""
    return dpw_page(
        article.lang,
        article.title,
        content,
        head_extra=head,
        sidebar=sidebar,
        body_class=f"post-template-default single single-post postid-{post_id} single-format-standard",
    )


def dpw_index(title: str, articles: list[Article]) -> str:
    rows = "\n".join(
        f"""        <article class="post type-post hentry">
          <h2 class="entry-title"><a href="{a.path}" rel="bookmark">{esc(a.title)}</a></h2>
          <div class="entry-meta"><time datetime="{a.published_iso}">{human_date(a.published, a.lang)}</time></div>
          <div class="entry-summary"><p>{esc(a.summary())}</p></div>
        </article>"""
        for a in articles
    )
    content = f"""        <header class="page-header"><h1 class="page-title">{esc(title)}</h1></header>
{rows}"""
    return dpw_page("en", title, content, body_class="archive")


def build_press(articles: list[Article]) -> Files:
    files: Files = {}
    for article in articles:
        related = [a for a in articles if a.section == article.section and a is not article][:3]
        if not related:
            related = [a for a in articles if a is not article][:3]
        most_read = [a for a in articles if a is not article and not a.trap][:4]
        files[article.path.lstrip("/") + "index.html"] = dpw_article(article, related, most_read)
    feed_articles = articles[:FEED_SIZE]
    for article in articles:
        article.discovered_by = (["feed"] if article in feed_articles else []) + ["news_sitemap"]

    files["index.html"] = dpw_index("Latest", articles[:10])
    for lang in ("fr", "nl", "es", "it"):
        mine = [a for a in articles if a.lang == lang]
        if mine:
            files[f"{lang}/index.html"] = dpw_index(f"{DPW} – {lang.upper()}", mine)
    for category in sorted({a.section for a in articles}):
        files[f"category/{slug(category)}/index.html"] = dpw_index(
            category, [a for a in articles if a.section == category]
        )
    for rel, title, text in (
        ("about", "About us", f"{DPW} is an independent newsroom covering technology policy in Europe and beyond."),
        ("contact", "Contact", "Tips: tips@datapolicywire.example. Corrections: corrections@datapolicywire.example."),
        (
            "privacy-policy",
            "Privacy policy",
            "We process the personal data of our readers and subscribers as described here.",
        ),
        ("cookie-settings", "Cookie settings", "Choose which cookies we may set on your device."),
        ("terms", "Terms of use", "By using this website you agree to these terms."),
        ("advertise", "Advertise", "Reach Europe’s tech-policy decision makers."),
        ("newsletter", "Newsletter", "The Wire: our morning briefing, free, every weekday."),
        ("subscribe", "Subscribe", "Support independent journalism: subscribe from 8 euros a month."),
    ):
        files[f"{rel}/index.html"] = dpw_page("en", title, f"        <h1>{esc(title)}</h1>\n        <p>{esc(text)}</p>")

    entries = []
    for a in feed_articles:
        lang_attr = f' xml:lang="{a.lang}"' if a.lang != "en" else ""
        entries.append(f"""  <entry{lang_attr}>
    <title type="text">{xml_escape(a.title)}</title>
    <link rel="alternate" type="text/html" href="{{{{base}}}}{a.path}"/>
    <id>tag:datapolicywire.example,2026:post-{4100 + a.number}</id>
    <published>{a.published_iso}</published>
    <updated>{a.published_iso}</updated>
    <author><name>{xml_escape(a.author)}</name></author>
    <category term="{xml_escape(a.section)}"/>
    <summary type="text">{xml_escape(a.summary(400))}</summary>
  </entry>""")
    files["feed.atom"] = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title type="text">{DPW}</title>
  <subtitle type="text">Tech policy, privacy and the fight over data</subtitle>
  <link rel="alternate" type="text/html" href="{{{{base}}}}/"/>
  <link rel="self" type="application/atom+xml" href="{{{{base}}}}/feed.atom"/>
  <id>tag:datapolicywire.example,2026:feed</id>
  <updated>{articles[0].published_iso}</updated>
  <generator uri="https://wordpress.org/" version="6.8">WordPress</generator>
{chr(10).join(entries)}
</feed>
"""
    urls = []
    for a in articles:
        urls.append(f"""  <url>
    <loc>{{{{base}}}}{a.path}</loc>
    <news:news>
      <news:publication>
        <news:name>{DPW}</news:name>
        <news:language>{a.lang}</news:language>
      </news:publication>
      <news:publication_date>{a.published_iso}</news:publication_date>
      <news:title>{xml_escape(a.title)}</news:title>
    </news:news>
  </url>""")
    files["news-sitemap.xml"] = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{chr(10).join(urls)}
</urlset>
"""
    files["robots.txt"] = (
        "User-agent: *\n"
        "Disallow: /wp-admin/\n"
        "Allow: /wp-admin/admin-ajax.php\n"
        "Disallow: /share/\n"
        "Disallow: /?s=\n\n"
        "User-agent: GPTBot\n"
        "Disallow: /\n\n"
        "Sitemap: {{base}}/news-sitemap.xml\n"
    )
    files["wp-content/themes/dpw/style.css"] = "body{font-family:Georgia,serif}.ad-slot{min-height:90px}\n"
    return files


# ------------------------------------------------------------------------------------------------
# cnreg: a CAC-style static Chinese regulator site (unquoted hrefs, index_N.htm listings)
# ------------------------------------------------------------------------------------------------

NDSA = "国家网络数据安全管理局"
CN_PER_PAGE = 3


def cn_page(title: str, content: str, head_extra: str = "", position: str = "") -> str:
    # Attribute values are deliberately unquoted where the real CMS leaves them unquoted.
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=viewport content="width=device-width, initial-scale=1.0">
<title>{esc(title)}_{NDSA}</title>
<meta name=SiteName content="{NDSA}">
{head_extra}<link rel=stylesheet href=/css/main.css>
<script src=/js/jquery-1.12.4.min.js></script>
</head>
<body>
<div class=topbar><div class=w1200><span>{NDSA}</span><a href=/index.htm>首页</a> | <a href=/lxwm/index.htm>联系我们</a> | <a href=javascript:void(0) onclick="addFavorite()">加入收藏</a> | <a href=/wzdt/index.htm>网站地图</a></div></div>
<div class=header><div class=w1200><a href=/index.htm><img src=/images/logo.png alt={NDSA}></a>
<form action=/search/index.htm method=get class=search><input type=text name=q><input type=submit value=搜索></form></div></div>
<div class=nav><div class=w1200><ul>
<li><a href=/index.htm>首页</a></li>
<li><a href=/wxfb/index_1.htm>权威发布</a></li>
<li><a href=/zcfg/index.htm>政策法规</a></li>
<li><a href=/jgjs/index.htm>机构介绍</a></li>
<li><a href=/hdjl/index.htm>互动交流</a></li>
</ul></div></div>
<div class="w1200 main">
{position}{content}
</div>
<div class=footer><div class=w1200>
<p><a href=/wzdt/index.htm>网站地图</a> | <a href=/lxwm/index.htm>联系我们</a> | <a href=/yssm/index.htm>隐私声明</a></p>
<p>主办：{NDSA}　版权所有　京ICP备00000000号-1</p>
</div></div>
</body>
</html>
"""


def cn_article(article: Article, related: list[Article]) -> str:
    paragraphs = []
    for kind, text in article.blocks():
        if kind == "h2":
            paragraphs.append(f"<p><strong>{esc(text)}</strong></p>")
        else:
            paragraphs.append(f"<p>　　{esc(text)}</p>")
    body = "\n".join(paragraphs)
    stamp = article.published.strftime("%Y-%m-%d %H:%M:%S")
    head = (
        f'<meta name=PubDate content="{stamp}">\n'
        f'<meta name=ContentSource content="{esc(article.source_name)}">\n'
        f'<meta property="article:published_time" content="{article.published_iso}">\n'
        f'<meta name=description content="{esc(article.summary(120))}">\n'
    )
    related_html = "\n".join(f"<li><a href={r.path} target=_blank>{esc(r.title)}</a></li>" for r in related)
    stamp_cn = article.published.strftime("%Y年%m月%d日 %H:%M")
    content = f"""<div class=article>
<h1 class=title id=title>{esc(article.title)}</h1>
<div class=info><span class=time id=pubtime>{stamp_cn}</span>　<span class=source id=source>来源：{esc(article.source_name)}</span>
<span class=fontsize>【字体：<a href=javascript:void(0) onclick="fontZoom(16)">大</a> <a href=javascript:void(0) onclick="fontZoom(14)">中</a> <a href=javascript:void(0) onclick="fontZoom(12)">小</a>】</span>
<a href=javascript:window.print()>打印</a></div>
<div class=content id=BodyLabel>
<p>　　{esc(article.lead)}</p>
{body}
</div>
<div class=editor>【责任编辑：王磊】</div>
</div>
<div class=related><h3>相关稿件</h3><ul>
{related_html}
</ul></div>"""
    position = "<div class=position>当前位置：<a href=/index.htm>首页</a> &gt; <a href=/wxfb/index_1.htm>权威发布</a> &gt; 正文</div>\n"
    return cn_page(article.title, content, head, position)


def cn_listing(chunk: list[Article], page: int, pages: int) -> str:
    rows = "\n".join(
        f"<li><a href={a.path} target=_blank>{esc(a.title)}</a><span class=time>{a.published.date().isoformat()}</span></li>"
        for a in chunk
    )
    prev_link = f"<a href=/wxfb/index_{page - 1}.htm>上一页</a>" if page > 1 else "<span>上一页</span>"
    next_link = f"<a href=/wxfb/index_{page + 1}.htm>下一页</a>" if page < pages else "<span>下一页</span>"
    pager = (
        f"<div class=page><a href=/wxfb/index_1.htm>首页</a> {prev_link} {next_link} "
        f"<a href=/wxfb/index_{pages}.htm>尾页</a> <span>共{pages}页</span></div>"
        if chunk
        else ""
    )
    content = f"""<h2 class=column-title>权威发布</h2>
<ul class=list id=loadingInfoPage>
{rows}
</ul>
{pager}"""
    position = "<div class=position>当前位置：<a href=/index.htm>首页</a> &gt; 权威发布</div>\n"
    return cn_page("权威发布", content, position=position)


def build_cnreg(articles: list[Article]) -> Files:
    files: Files = {}
    for article in articles:
        related = [a for a in articles if a is not article and not a.trap][:3]
        files[article.path.lstrip("/")] = cn_article(article, related)
        article.discovered_by = ["listing"]
    pages = [articles[i : i + CN_PER_PAGE] for i in range(0, len(articles), CN_PER_PAGE)]
    for n, chunk in enumerate(pages, start=1):
        files[f"wxfb/index_{n}.htm"] = cn_listing(chunk, n, len(pages))
    # Served for any index_N.htm past the end: HTTP 200 with an empty list, as the real site does.
    files["wxfb/_empty.htm"] = cn_listing([], len(pages) + 1, len(pages))
    home_rows = "\n".join(f"<li><a href={a.path}>{esc(a.title)}</a></li>" for a in articles[:5])
    files["index.htm"] = cn_page(
        "首页", f"<div class=focus><h2>权威发布</h2><ul>\n{home_rows}\n</ul><a href=/wxfb/index_1.htm>更多</a></div>"
    )
    for rel, title, text in (
        ("jgjs/index.htm", "机构介绍", f"{NDSA}负责统筹协调网络数据安全和相关监督管理工作。"),
        ("lxwm/index.htm", "联系我们", "地址：北京市西城区某某路1号　邮编：100000"),
        ("zcfg/index.htm", "政策法规", "法律、行政法规、部门规章和规范性文件。"),
        ("hdjl/index.htm", "互动交流", "在线访谈、意见征集。"),
        ("wzdt/index.htm", "网站地图", "本网站栏目导航。"),
        ("yssm/index.htm", "隐私声明", "本网站尊重并保护所有使用服务用户的个人隐私权。"),
    ):
        files[rel] = cn_page(title, f"<div class=article><h1 class=title>{title}</h1><p>{text}</p></div>")
    files["css/main.css"] = ".w1200{width:1200px;margin:0 auto}.list li{line-height:36px}\n"
    files["robots.txt"] = "User-agent: *\nDisallow: /search/\n"
    return files


# ------------------------------------------------------------------------------------------------
# manifest and driver
# ------------------------------------------------------------------------------------------------

SITE_DESCRIPTIONS = {
    "regulator": {
        "name": ACD,
        "shape": "Drupal-like DPA: paginated listing /actualites/ (?page=N, rel=next), sitemap.xml, PDF, fr+en",
        "entry_points": {"listing": "/actualites/", "sitemap": "/sitemap.xml", "rss": "/rss.xml (5 latest only)"},
    },
    "ministry": {
        "name": BMDD,
        "shape": "German federal GSB site: RSS 2.0 feeds (RFC 822 dates, +0100/+0200, CET, GMT), de+en",
        "entry_points": {"feeds": ["/feeds/pressemitteilungen.rss", "/en/feeds/press-releases.rss"]},
    },
    "press": {
        "name": DPW,
        "shape": f"WordPress news site: Atom feed (latest {FEED_SIZE}), Google News sitemap (all), en+fr+nl+es+it",
        "entry_points": {"feed": "/feed.atom", "news_sitemap": "/news-sitemap.xml"},
    },
    "cnreg": {
        "name": NDSA,
        "shape": "CAC-style static site: /wxfb/index_N.htm listing, unquoted hrefs, past-the-end pages 200 + empty",
        "entry_points": {"listing": "/wxfb/index_{n}.htm"},
    },
}


def manifest(all_articles: dict[str, list[Article]], pdf_size: dict[str, int]) -> str:
    rows: list[dict[str, Any]] = []
    attachments: list[dict[str, Any]] = []
    for site in SITE_ORDER:
        for a in sorted(all_articles[site], key=lambda x: (x.published, x.path)):
            rows.append(
                {
                    "id": a.id,
                    "site": site,
                    "path": a.path,
                    "kind": "html",
                    "language": a.lang,
                    "title": a.title,
                    "published": a.published_iso,
                    "expected_topics": a.topics,
                    "expected_countries": a.countries,
                    "off_topic_trap": a.trap,
                    **({"trap_note": a.trap_note} if a.trap_note else {}),
                    "syndicated_of": a.syndicated_of["path"] if a.syndicated_of else None,
                    **({"syndicated_of_site": a.syndicated_of["site"]} if a.syndicated_of else {}),
                    "discovered_by": a.discovered_by,
                    "words": a.words(),
                }
            )
            if a.pdf and site == "regulator":
                rows.append(
                    {
                        "id": a.id + "-pdf",
                        "site": site,
                        "path": a.pdf,
                        "kind": "pdf",
                        "language": a.lang,
                        "title": "Communiqué de presse – Hébergement des données de santé",
                        "published": a.published_iso,
                        "expected_topics": a.topics,
                        "expected_countries": ["FR", "EU"],
                        "off_topic_trap": False,
                        "syndicated_of": None,
                        "discovered_by": ["listing", "sitemap"],
                        "words": None,
                    }
                )
            elif a.pdf:
                attachments.append(
                    {
                        "site": site,
                        "path": a.pdf,
                        "kind": "pdf",
                        "linked_from": a.path,
                        "language": a.lang,
                        "note": "linked from the article only (with ?__blob=publicationFile&v=2); served as "
                        "application/octet-stream",
                    }
                )
    doc = {
        "description": "Every article of the bundled demo sites, with what a careful human reader would label. "
        "Paths are URL paths on each site's base URL. discovered_by says which configured entry "
        "point (sources.yaml) reaches the item.",
        "topics": [
            "data_localization",
            "data_sovereignty",
            "cross_border_transfers",
            "adequacy_decisions",
            "standard_contractual_clauses",
            "platform_regulation",
            "ai_regulation",
            "government_access",
        ],
        "sites": SITE_DESCRIPTIONS,
        "articles": rows,
        "attachments": attachments,
    }
    header = "# Generated by monitor/demo_sites/tools/build_sites.py from tools/content/*.yaml; do not edit.\n"
    return header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=110)


def build(root: Path = SITES_ROOT) -> dict[str, str]:
    """Every generated file, keyed by path relative to ``sites/``."""
    pdf_size = {}
    for pdf in root.rglob("*.pdf"):
        rel = pdf.relative_to(root)
        pdf_size["/" + "/".join(rel.parts[1:])] = pdf.stat().st_size
    articles = {site: load_articles(site) for site in SITE_ORDER}
    builders: dict[str, Callable[[], Files]] = {
        "regulator": lambda: build_regulator(articles["regulator"], pdf_size),
        "ministry": lambda: build_ministry(articles["ministry"], pdf_size),
        "press": lambda: build_press(articles["press"]),
        "cnreg": lambda: build_cnreg(articles["cnreg"]),
    }
    out: dict[str, str] = {}
    for site, builder in builders.items():
        for rel, text in builder().items():
            out[f"{site}/{rel}"] = text
    out["MANIFEST.yaml"] = manifest(articles, pdf_size)
    return out


def generated_on_disk(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and p.name not in KEEP and p.suffix != ".pdf"
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=SITES_ROOT)
    parser.add_argument("--check", action="store_true", help="report differences instead of writing")
    args = parser.parse_args(argv)
    files = build(args.root)
    existing = generated_on_disk(args.root)
    if args.check:
        stale = sorted(
            rel
            for rel, text in files.items()
            if not (args.root / rel).is_file() or (args.root / rel).read_text(encoding="utf-8") != text
        )
        extra = sorted(existing - set(files))
        for rel in stale:
            print(f"out of date: {rel}", file=sys.stderr)
        for rel in extra:
            print(f"not generated: {rel}", file=sys.stderr)
        return 1 if stale or extra else 0
    for rel in existing - set(files):
        (args.root / rel).unlink()
    for directory in sorted((d for d in args.root.rglob("*") if d.is_dir()), key=lambda d: len(d.parts), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()
    for rel, text in files.items():
        target = args.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
