"""``monitor match`` and ``monitor extract``: what the matchers and the cleaning stage make of a
text or a page, without storing anything; for analysts tuning watchlists."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from monitor.cli.app import app, state
from monitor.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from monitor.matching.result import MatchResult, TopicHit


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


def _read_input(path: Path | None) -> str:
    if path is None or str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {exc}") from exc


def _explain(hit: TopicHit) -> str:
    """The features the score was computed from (``TopicHit.features``), ``name value`` each."""
    return ", ".join(f"{name} {value:.2f}" for name, value in hit.features.items())


def contract_countries(result: MatchResult) -> dict[str, list[str]]:
    """The item contract's two lists: ``countries`` (about, most salient first) and ``mentioned_countries``."""
    return {"countries": result.about, "mentioned_countries": result.mentioned}


def _jsonl_line(record: dict[str, Any], result: MatchResult) -> str:
    line = {
        "id": record.get("id"),
        "topics": [topic.to_dict() for topic in result.topics],
        **contract_countries(result),
        "flagged": result.flagged,
        "reason": result.reason,
    }
    return json.dumps(line, ensure_ascii=False) + "\n"


@app.command()
def match(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument(help="text file (default: stdin); first line is the title")] = None,
    jsonl: Annotated[
        bool,
        typer.Option(
            "--jsonl", help='batch: lines of {"id","title","text"[,"language","jurisdiction"]} in, results out'
        ),
    ] = False,
    jurisdiction: Annotated[
        str | None,
        typer.Option(
            "--jurisdiction",
            help="the source's own jurisdiction (ISO code or EU): the subject of a text that names none",
        ),
    ] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", help="text or json")] = OutputFormat.text,
) -> None:
    """Text in, topics (scored, with their evidence) and jurisdictions out."""
    from monitor.cli.options import country_code
    from monitor.matching import Matcher

    config = state(ctx).config()
    jurisdiction = country_code(config, jurisdiction, "--jurisdiction")
    # The watchlist the config load (subscriptions) or the option check read: start-up reads it once.
    matcher = Matcher.from_watchlist(config.watchlist)
    if jsonl:
        source = sys.stdin if file is None or str(file) == "-" else file.open(encoding="utf-8")
        for number, line in enumerate(source, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                title, text = str(record.get("title") or ""), str(record.get("text") or "")
                language, own = record.get("language"), record.get("jurisdiction") or jurisdiction
            except (json.JSONDecodeError, AttributeError) as exc:
                raise UsageError(f"line {number}: not a JSON object with title and text: {exc}") from exc
            result = matcher.match(title, text, language, jurisdiction=own)
            sys.stdout.write(_jsonl_line(record, result))
        return
    raw = _read_input(file)
    title, _, text = raw.partition("\n")
    result = matcher.match(title.strip(), text, None, jurisdiction=jurisdiction)
    if output_format is not OutputFormat.text:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    typer.echo(f"flagged: {'yes' if result.flagged else 'no'}")
    if result.reason:
        typer.echo(f"why: {result.reason}")
    for hit in result.topics:
        typer.echo(f"topic {hit.topic} (score {hit.score:.2f} of 1): {', '.join(hit.terms)}")
        explained = _explain(hit)
        if explained:
            typer.echo(f"    score from: {explained}")
        for evidence in hit.evidence:
            typer.echo(
                f"    {evidence.field}[{evidence.start}:{evidence.end}] {evidence.term!r}  rule: {evidence.rule}"
            )
    if result.countries:
        typer.echo(f"about: {' '.join(contract_countries(result)['countries']) or '-'}")
        typer.echo(
            "jurisdictions: "
            + ", ".join(
                f"{c.code}{'*' if c.focus else ''} ({c.mentions}: {', '.join(c.surfaces[:3]) or 'source fallback'})"
                for c in result.countries
            )
        )
        typer.echo("  (* = the text is about it; 0 mentions = the source's own jurisdiction, the text names none)")


def _extract_one(
    label: str, body: bytes, url: str | None, content_type: str | None, watchlists: Path
) -> dict[str, Any]:
    from monitor.controls import strip_controls
    from monitor.extraction import extract_document
    from monitor.matching import Matcher
    from monitor.urls import canonical_url

    fetched_at = datetime.now(UTC)
    result = extract_document(body, url, content_type, fetched_at=fetched_at)
    # As the crawl's clean-text stage does before matching and storing (pipelines.clean_text).
    result.title, result.text, result.summary = (strip_controls(v) for v in (result.title, result.text, result.summary))
    matched = Matcher.from_file(watchlists).match(result.title, result.text, result.language)
    out = matched.to_dict()
    return {
        "input": label,
        "url": url,
        # A file's URL (file:///...) is its own key; only http(s) URLs pass the URL gate.
        "canonical_url": canonical_url(url) if url and url.startswith(("http://", "https://")) else url,
        "source": "adhoc",
        "title": result.title,
        "text": result.text,
        "summary": result.summary,
        "published_at": result.published_at.isoformat() if result.published_at else None,
        "fetched_at": fetched_at.isoformat(),
        "language": result.language,
        "topics": [{"topic": t["topic"], "score": t["score"], "terms": t["terms"]} for t in out["topics"]],
        **contract_countries(matched),
        "flagged": matched.flagged,
        "duplicate_of": None,
        "content_type": result.kind,
        "extraction_status": result.status,
        "reason": matched.reason,
    }


@app.command()
def extract(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(help="files or http(s) URLs")],
    output_format: Annotated[OutputFormat, typer.Option("--format", help="text or jsonl")] = OutputFormat.text,
) -> None:
    """What the cleaning and matching stages make of a page or a PDF (nothing is stored)."""
    current = state(ctx)
    config = current.config()
    urls = [value for value in inputs if value.startswith(("http://", "https://"))]
    fetched: dict[str, Any] = {}
    if urls:
        from scrapy.crawler import CrawlerProcess

        from monitor.logs import quiet_libraries
        from monitor.scrapy_settings import scrapy_settings
        from spiders.fetch_spider import FetchSpider

        settings = scrapy_settings(config, allow_private=current.allow_private)
        settings["ITEM_PIPELINES"] = {}
        process = CrawlerProcess(settings)
        quiet_libraries()
        process.crawl(FetchSpider, urls=urls, results=fetched)
        process.start()
    failures = 0
    for value in inputs:
        if value in fetched or value in urls:
            response = fetched.get(value)
            if response is None or isinstance(response, tuple):
                error_class, cause = response if isinstance(response, tuple) else ("other", "no response")
                typer.echo(f"monitor: {value}: {cause} ({error_class})", err=True)
                failures += 1
                continue
            content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
            item = _extract_one(value, response.body, response.url, content_type, config.watchlists_path)
        else:
            path = Path(value)
            try:
                body = path.read_bytes()
            except OSError as exc:
                typer.echo(f"monitor: {value}: cannot read: {exc.strerror}", err=True)
                failures += 1
                continue
            item = _extract_one(value, body, path.resolve().as_uri(), None, config.watchlists_path)
        if output_format is OutputFormat.text:
            typer.echo(f"== {value} [{item['content_type']}, {item['extraction_status']}, {item['language']}]")
            typer.echo(f"title: {item['title']}")
            typer.echo(f"published: {item['published_at']}")
            typer.echo(f"flagged: {item['flagged']}  {item['reason']}")
            typer.echo(f"countries: {' '.join(item['countries'])}")
            typer.echo("")
            typer.echo(item["text"])
            typer.echo("")
        else:
            sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
    if failures:
        raise typer.Exit(ExitCode.PARTIAL if failures < len(inputs) else ExitCode.FAILED)
