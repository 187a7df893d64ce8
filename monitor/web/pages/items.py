"""The item list (newest flagged stories, facets, search, pages) and the page of one item."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased, selectinload
from starlette.responses import Response

from monitor.digest.safety import plain, safe_url
from monitor.digest.snippets import Segment, snippet
from monitor.digest.stories import Story
from monitor.errors import UsageError
from monitor.storage.feedback import NOT_RELEVANT, hidden_ids, judgements, load_mutes
from monitor.storage.models import Article, ArticleCountry, Judgement, SourceRow
from monitor.storage.queries import ItemFilter, best_topic_score, item_query
from monitor.storage.records import about_codes
from monitor.web.handlers import Ctx, page
from monitor.web.highlight import runs, spans
from monitor.web.search import NEWEST, search_articles
from monitor.web.stories import stories_of

if TYPE_CHECKING:
    from sqlalchemy import Select

    from monitor.storage.models import Judgement as JudgementRow
    from monitor.web.state import WebApp

# How far the page list goes without a count: a search ranks at most this many pages.
MAX_PAGE = 200


@dataclass(frozen=True)
class Filters:
    """The list's facets, parsed from the query string; ``errors`` are shown above the list."""

    topic: str = ""
    country: str = ""
    source: str = ""
    language: str = ""
    since: date | None = None
    until: date | None = None
    q: str = ""
    page: int = 1
    hidden: bool = False  # also list items judged not relevant
    errors: tuple[str, ...] = ()

    def link(self, **changes: object) -> str:
        """The list URL with these facets (``page`` reset unless given)."""
        values: dict[str, object] = {
            "topic": self.topic,
            "country": self.country,
            "source": self.source,
            "language": self.language,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "q": self.q,
            "hidden": "1" if self.hidden else "",
            "page": 1,
        }
        values.update(changes)
        kept = {k: v for k, v in values.items() if v not in ("", None, 1) or (k == "page" and v != 1)}
        return "/items" + (f"?{urlencode(kept)}" if kept else "")

    @property
    def active(self) -> bool:
        return any((self.topic, self.country, self.source, self.language, self.since, self.until, self.q))


def _date(value: str | None, name: str, errors: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors.append(f"{name}: {value!r} is not a date (YYYY-MM-DD)")
        return None


def parse_filters(ctx: Ctx) -> Filters:
    query, errors = ctx.query, []
    topics = {topic.id for topic in ctx.web.watchlist.topics}
    topic = query.get("topic", "").strip()
    if topic and topic not in topics:
        errors.append(f"topic: no topic {topic!r}")
        topic = ""
    try:
        number = min(MAX_PAGE, max(1, int(query.get("page", "1"))))
    except ValueError:
        number = 1
    return Filters(
        topic=topic,
        country=query.get("country", "").strip().upper()[:8],
        source=query.get("source", "").strip()[:64],
        language=query.get("language", "").strip().lower()[:8],
        since=_date(query.get("since"), "from", errors),
        until=_date(query.get("until"), "to", errors),
        q=query.get("q", "").strip()[:500],
        page=number,
        hidden=query.get("hidden") == "1",
        errors=tuple(errors),
    )


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def list_query(filters: Filters, dialect: str) -> Select[Article]:
    """Flagged articles under the facets; a copy whose original is flagged is folded under it.

    ``dialect``: the database's (``sqlite``, ``postgresql``), for the form of the copy test.
    """
    since = _start(filters.since) if filters.since else None
    spec = ItemFilter(
        flagged=True,
        topic=filters.topic or None,
        country=filters.country or None,
        source=filters.source or None,
        since=since,
    )
    query = item_query(spec).order_by(None)
    if filters.language:
        query = query.where(Article.language == filters.language)
    if filters.until:
        end = _start(filters.until + timedelta(days=1))
        query = query.where(
            (Article.published_at < end) | (Article.published_at.is_(None) & (Article.fetched_at < end))
        )
    original = aliased(Article)
    if dialect == "sqlite":
        # The copies of a flagged original as a set of ids, found from the few rows that have a
        # duplicate_of (its index): an id outside it is decided without reading the article's row,
        # so a search takes the ids that pass the facets from indexes alone (monitor.storage.search:
        # 5 ms instead of 30 for the 20,000 flagged of the benchmark). PostgreSQL plans the NOT
        # EXISTS as an anti-join, and this form as a subplan it costs high enough to go parallel
        # (a facet page's ids 9 -> 18 ms at 100,000 articles).
        copy = aliased(Article)
        copied = exists().where(original.canonical_url == copy.duplicate_of, original.flagged.is_(True))
        query = query.where(Article.id.not_in(select(copy.id).where(copy.duplicate_of.is_not(None), copied)))
    else:
        query = query.where(~exists().where(original.canonical_url == Article.duplicate_of, original.flagged.is_(True)))
    if not filters.hidden:
        query = query.where(~exists().where(Judgement.article_id == Article.id, Judgement.verdict == NOT_RELEVANT))
    return query


@dataclass(frozen=True)
class CopyView:
    id: int
    source: str
    url: str | None


@dataclass(frozen=True)
class StoryView:
    id: int
    title: str
    url: str | None
    source: str
    date: datetime | None
    language: str
    score: float
    topics: tuple[tuple[str, float], ...]
    jurisdictions: tuple[str, ...]
    snippet: tuple[Segment, ...]
    verdict: str | None
    copies: tuple[CopyView, ...] = field(default=())


def story_view(
    story: Story, names: dict[str, str], verdicts: dict[int, JudgementRow], words: tuple[str, ...] = ()
) -> StoryView:
    article = story.primary
    members = [article, *story.copies]
    lead = max(members, key=best_topic_score)
    evidence = [item for match in lead.topics for item in (match.evidence or [])]
    terms = tuple(dict.fromkeys(term for match in lead.topics for term in match.terms))
    body = lead.text or lead.summary
    segments = snippet(body, (), words) if words else snippet(body, evidence if lead.text else (), terms)
    verdict = next((verdicts[m.id].verdict for m in members if m.id in verdicts), None)
    return StoryView(
        id=article.id,
        title=plain(article.title) or plain(article.canonical_url),
        url=safe_url(article.url) or safe_url(article.canonical_url),
        source=plain(names.get(article.source_id, article.source_id)),
        date=article.published_at or article.fetched_at,
        language=article.language or "",
        score=best_topic_score(lead),
        topics=tuple((match.topic, match.score) for match in lead.topics),
        jurisdictions=tuple(about_codes(lead.countries)),
        snippet=tuple(segments),
        verdict=verdict,
        copies=tuple(
            CopyView(c.id, plain(names.get(c.source_id, c.source_id)), safe_url(c.url) or safe_url(c.canonical_url))
            for c in story.copies
        ),
    )


def facet_choices(web: WebApp) -> dict[str, list[tuple[str, str]]]:
    """The values each facet offers: topics of the watchlist, what flagged items carry for the rest."""

    def load() -> dict[str, list[tuple[str, str]]]:
        with web.session() as session:
            flagged = select(Article.id).where(Article.flagged.is_(True))
            codes = session.scalars(
                select(ArticleCountry.code)
                .distinct()
                .where(ArticleCountry.focus.is_(True), ArticleCountry.article_id.in_(flagged))
            ).all()
            languages = session.scalars(
                select(Article.language).distinct().where(Article.flagged.is_(True), Article.language.is_not(None))
            ).all()
            sources = session.execute(select(SourceRow.id, SourceRow.name).order_by(SourceRow.name)).all()
        return {
            "country": [(code, code) for code in sorted(codes)],
            "language": [(code, code) for code in sorted(c for c in languages if c)],
            "source": [(source_id, plain(name)) for source_id, name in sources],
        }

    choices = web.cached("facets", load)
    labels = web.topic_labels()
    topics = [(topic.id, labels.get(topic.id, topic.id)) for topic in web.watchlist.topics]
    return {"topic": topics, **choices}


def _newest(session: Session, query: Select[Article], offset: int, limit: int) -> list[Article]:
    """One page of ``query``, newest first: ids sorted first, then their rows.

    Sorting the ids alone keeps PostgreSQL's sort of every flagged article in memory (sorting
    whole rows spilled to disk: 110 ms at 100,000 articles, 15 ms this way).
    """
    ids_query = select(Article.id).order_by(*NEWEST).offset(offset).limit(limit)
    if query.whereclause is not None:
        ids_query = ids_query.where(query.whereclause)
    ids = list(session.scalars(ids_query))
    found = {article.id: article for article in session.scalars(query.where(Article.id.in_(ids)))} if ids else {}
    return [found[i] for i in ids if i in found]


def find_stories(
    session: Session, web: WebApp, filters: Filters
) -> tuple[list[StoryView], bool, tuple[str, ...], list[str]]:
    """The stories of one page, whether a next page exists, the searched words, and problems to show."""
    size = web.settings.page_size
    base = list_query(filters, session.get_bind().dialect.name)
    problems: list[str] = []
    words: tuple[str, ...] = ()
    if filters.q:
        try:
            found, parsed = search_articles(session, base, filters.q, filters.page * size + 1)
        except UsageError as exc:
            return [], False, (), [str(exc)]
        words = parsed.words
        rows = found[(filters.page - 1) * size :]
    else:
        rows = _newest(session, base, (filters.page - 1) * size, size + 1)
    more = len(rows) > size
    rows = rows[:size]
    if not filters.hidden:
        hidden = hidden_ids(session, rows, load_mutes(session))
        rows = [row for row in rows if row.id not in hidden]
    stories = stories_of(session, rows, web.source_kinds())
    member_ids = [m.id for story in stories for m in (story.primary, *story.copies)]
    verdicts = judgements(session, member_ids)
    names = web.source_names()
    return [story_view(story, names, verdicts, words) for story in stories], more, words, problems


@page()
def item_list(ctx: Ctx) -> Response:
    """Flagged stories, newest first (best match first for a search), with facets and pages."""
    filters = parse_filters(ctx)
    with ctx.web.session() as session:
        stories, more, words, problems = find_stories(session, ctx.web, filters)
    return ctx.render(
        "items.html",
        filters=filters,
        stories=stories,
        more=more,
        words=words,
        problems=[*filters.errors, *problems],
        choices=facet_choices(ctx.web),
    )


@dataclass(frozen=True)
class RuleView:
    rule: str
    text: str
    terms: tuple[str, ...]
    marks: tuple[int, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class TopicView:
    topic: str
    score: float
    rules: tuple[RuleView, ...]


@dataclass(frozen=True)
class CountryView:
    code: str
    about: bool
    mentions: int
    surfaces: tuple[str, ...]


def _rule_texts(web: WebApp) -> dict[str, str]:
    def load() -> dict[str, str]:
        return {rule.id: rule.text for topic in web.watchlist.topics for rule in topic.rules}

    return web.cached("rule_texts", load, ttl=3600)


def _surfaces(web: WebApp, article: Article, jurisdiction: str | None) -> dict[str, tuple[str, ...]]:
    """What named each jurisdiction in the text, from the country matcher (not stored with the match)."""
    result = web.matcher().match(article.title, article.text, article.language, jurisdiction)
    return {hit.code: tuple(dict.fromkeys(hit.surfaces)) for hit in result.countries}


def _key(item: dict[str, object]) -> tuple[str, int, int] | None:
    start, end = item.get("start"), item.get("end")
    if isinstance(start, int) and isinstance(end, int):
        return str(item.get("field", "text")), start, end
    return None


@page()
def item_detail(ctx: Ctx) -> Response:
    """One item: text with the evidence marked, why it was flagged rule by rule, jurisdictions, copies."""
    try:
        article_id = int(ctx.request.path_params["article_id"])
    except (KeyError, ValueError):
        article_id = 0
    web = ctx.web
    with web.session() as session:
        article = session.get(
            Article, article_id, options=[selectinload(Article.topics), selectinload(Article.countries)]
        )
        if article is None:
            return ctx.render("error.html", status_code=404, status=404, message="No such item.")
        source = session.get(SourceRow, article.source_id)
        story = stories_of(session, [article], web.source_kinds())[0]
        members = [story.primary, *story.copies]
        verdicts = judgements(session, [m.id for m in members])
        mutes = load_mutes(session)
    names = web.source_names()
    evidence = [dict(item, topic=match.topic) for match in article.topics for item in (match.evidence or [])]
    text_spans = spans(evidence, "text", len(article.text or ""))
    title_spans = spans(evidence, "title", len(article.title or ""))
    offset = len(title_spans)
    text_spans = [type(s)(s.number + offset, s.start, s.end, s.rule, s.term) for s in text_spans]
    numbers: dict[tuple[str, int, int], int] = {}
    for field_name, marked in (("title", title_spans), ("text", text_spans)):
        for s in marked:
            numbers[(field_name, s.start, s.end)] = s.number
    rule_texts = _rule_texts(web)
    topic_views = []
    for match in article.topics:
        by_rule: dict[str, list[dict[str, object]]] = {}
        for item in match.evidence or []:
            by_rule.setdefault(str(item.get("rule", "")), []).append(item)
        rules = []
        for rule, items in by_rule.items():
            marks = tuple(sorted({numbers[key] for i in items if (key := _key(i)) is not None and key in numbers}))
            rules.append(
                RuleView(
                    rule,
                    rule_texts.get(rule, ""),
                    tuple(dict.fromkeys(plain(str(i.get("term", ""))) for i in items)),
                    marks,
                    tuple(dict.fromkeys(str(i.get("field", "text")) for i in items)),
                )
            )
        topic_views.append(TopicView(match.topic, match.score, tuple(rules)))
    surfaces = _surfaces(web, article, source.jurisdiction if source else None)
    countries = [
        CountryView(c.code, c.focus, c.mentions, surfaces.get(c.code, ()))
        for c in sorted(article.countries, key=lambda c: c.rank)
    ]
    muted_sources = {topic for source_id, topic in mutes.sources if source_id == article.source_id}
    terms = sorted({plain(t) for match in article.topics for t in match.terms})
    back = ctx.query.get("back", "")
    return ctx.render(
        "item.html",
        back=back if back.startswith("/items") and not back.startswith("//") else "/items",
        article=article,
        title=plain(article.title) or plain(article.canonical_url),
        url=safe_url(article.url) or safe_url(article.canonical_url),
        canonical=safe_url(article.canonical_url),
        source_name=plain(names.get(article.source_id, article.source_id)),
        title_runs=runs(article.title or "", title_spans),
        text_runs=runs(article.text or "", text_spans),
        summary=plain(article.summary),
        topics=topic_views,
        countries=countries,
        reason=plain(article.reason),
        judgement=verdicts.get(article.id),
        story=[
            CopyView(m.id, plain(names.get(m.source_id, m.source_id)), safe_url(m.url) or safe_url(m.canonical_url))
            for m in members
        ],
        story_verdicts={m.id: verdicts[m.id].verdict for m in members if m.id in verdicts},
        muted_sources=muted_sources,
        terms=terms,
    )
