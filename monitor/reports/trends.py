"""Items per topic and per jurisdiction per week: the series, the SVG chart, the e-mail table.

The web app draws the series as an SVG chart on the server (numbers become coordinates here, a
template writes the escaped ``<svg>``, no script runs in the browser). The digest shows the same
series as a table of counts (``table``): mail clients strip inline SVG (Gmail, Outlook) and block
images until asked, while a table with cell colours renders in every one of them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.storage.models import Article, ArticleCountry, TopicMatch

WIDTH, HEIGHT = 760, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 36, 14, 34
# Colour-blind-safe (Okabe-Ito), one per series; more series than colours are left out of the chart.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def week_of(moment: datetime) -> date:
    day = moment.astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Series:
    name: str
    label: str
    color: str
    counts: tuple[int, ...]
    points: str  # "x,y x,y ..." for <polyline>
    total: int
    dots: tuple[tuple[float, float, int], ...] = ()  # (x, y, count) of the weeks with items
    radius: float = 4.5  # smaller for each later series: dots at the same place stay visible as rings


@dataclass(frozen=True)
class Chart:
    title: str
    weeks: tuple[date, ...]
    series: tuple[Series, ...]
    y_ticks: tuple[tuple[float, int], ...]  # (y, value)
    x_ticks: tuple[tuple[float, str], ...]  # (x, label)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return value


def chart(title: str, weeks: list[date], counts: dict[str, Counter[date]], labels: dict[str, str]) -> Chart:
    ranked = sorted(counts, key=lambda name: (-sum(counts[name].values()), name))[: len(PALETTE)]
    peak = _nice_max(max((max(counts[name].values(), default=0) for name in ranked), default=0) or 1)
    span_x = (WIDTH - RIGHT - LEFT) / max(1, len(weeks) - 1)
    span_y = HEIGHT - BOTTOM - TOP

    def y(value: int) -> float:
        return round(HEIGHT - BOTTOM - span_y * value / peak, 1)

    series = []
    for index, (color, name) in enumerate(zip(PALETTE, ranked, strict=False)):
        values = tuple(counts[name].get(week, 0) for week in weeks)
        xs = [round(LEFT + i * span_x, 1) for i in range(len(values))]
        points = " ".join(f"{x},{y(v)}" for x, v in zip(xs, values, strict=True))
        dots = tuple((x, y(v), v) for x, v in zip(xs, values, strict=True) if v)
        radius = max(2.0, round(6.0 - 1.1 * index, 1))
        series.append(Series(name, labels.get(name, name), color, values, points, sum(values), dots, radius))
    every = max(1, len(weeks) // 6)
    x_ticks = tuple((round(LEFT + i * span_x, 1), f"{w:%d %b}") for i, w in enumerate(weeks) if i % every == 0)
    y_ticks = tuple((y(peak * k // 4), peak * k // 4) for k in range(5))
    return Chart(title, tuple(weeks), tuple(series), y_ticks, x_ticks)


def weekly(
    session: Session, *, weeks: int, now: datetime
) -> tuple[list[date], dict[str, Counter[date]], dict[str, Counter[date]]]:
    """Flagged items per topic and per jurisdiction (what they are about) for the last ``weeks`` weeks."""
    last = week_of(now)
    axis = [last - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    start = datetime.combine(axis[0], datetime.min.time(), tzinfo=UTC)
    when = func.coalesce(Article.published_at, Article.fetched_at)
    flagged = (Article.flagged.is_(True), when >= start)
    by_topic: dict[str, Counter[date]] = {}
    for moment, topic in session.execute(
        select(when, TopicMatch.topic).join(TopicMatch, TopicMatch.article_id == Article.id).where(*flagged)
    ):
        by_topic.setdefault(topic, Counter())[week_of(moment)] += 1
    by_country: dict[str, Counter[date]] = {}
    for moment, code in session.execute(
        select(when, ArticleCountry.code)
        .join(ArticleCountry, ArticleCountry.article_id == Article.id)
        .where(*flagged, ArticleCountry.focus.is_(True))
    ):
        by_country.setdefault(code, Counter())[week_of(moment)] += 1
    return axis, by_topic, by_country


# The digest shows fewer weeks than the web page: a table is read, not scanned.
DIGEST_WEEKS = 8
_SHADES = ("#f0f4f8", "#d9e2ec", "#bcccdc", "#9fb3c8", "#627d98", "#334e68", "#1f4e8c")


@dataclass(frozen=True)
class Cell:
    count: int
    background: str
    color: str


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    total: int


@dataclass(frozen=True)
class Table:
    """Counts per week as rows of cells shaded by count: the chart for a mail client."""

    title: str
    weeks: tuple[str, ...]  # "02 Nov", the Monday of each week
    rows: tuple[Row, ...]


def table(title: str, weeks: list[date], counts: dict[str, Counter[date]], labels: dict[str, str]) -> Table:
    """The busiest series (as many as the chart has colours), each week's count shaded against the peak."""
    ranked = sorted(counts, key=lambda name: (-sum(counts[name].values()), name))[: len(PALETTE)]
    peak = max((counts[name].get(week, 0) for name in ranked for week in weeks), default=0)
    rows = []
    for name in ranked:
        values = [counts[name].get(week, 0) for week in weeks]
        cells = []
        for value in values:
            shade = 0 if not value or not peak else 1 + (len(_SHADES) - 2) * value // peak
            cells.append(Cell(value, _SHADES[shade], "#ffffff" if shade >= 4 else "#102a43"))
        rows.append(Row(labels.get(name, name), tuple(cells), sum(values)))
    return Table(title, tuple(f"{week:%d %b}" for week in weeks), tuple(rows))


@dataclass(frozen=True)
class DigestTrends:
    """The two tables a digest shows under its header (flagged items of the last weeks)."""

    topics: Table
    jurisdictions: Table

    @property
    def empty(self) -> bool:
        return not self.topics.rows and not self.jurisdictions.rows


def digest_trends(
    session: Session, *, now: datetime, topic_labels: dict[str, str], weeks: int = DIGEST_WEEKS
) -> DigestTrends:
    """Flagged items per topic and per jurisdiction and week, for the digest's trend tables."""
    axis, by_topic, by_country = weekly(session, weeks=weeks, now=now)
    return DigestTrends(
        table("Flagged items per topic and week", axis, by_topic, topic_labels),
        table("Flagged items per jurisdiction and week", axis, by_country, {}),
    )
