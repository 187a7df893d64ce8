"""Typed shape of ``monitor.yaml`` and ``sources.yaml``.

Every model forbids unknown keys: a typo in a config file is an error at start-up, not a setting
that silently does nothing.
"""

from __future__ import annotations

import re
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from monitor import __version__
from monitor import settings_defaults as scrapy_defaults

SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
JURISDICTION = re.compile(r"^([A-Z]{2}|EU|INTL)$")


class Strict(BaseModel):
    # Schemas are built when a model is first validated, not at import: a command that reads only
    # monitor.yaml (monitor match) never pays for the sources, cluster and JSON API models.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {value!r}; use an IANA name such as 'Europe/Brussels'") from exc
    return value


def _check_url(value: str) -> str:
    """A source's URL passes the same gate as every link a crawl finds (``monitor.urls``): a
    malformed one is a config error naming it, not a traceback in the middle of a run."""
    from monitor.urls import InvalidURL, checked_url

    try:
        checked_url(value)
    except InvalidURL as exc:
        raise ValueError(str(exc)) from None
    return value


DEFAULT_USER_AGENT = (
    f"Mozilla/5.0 (compatible; news-monitor/{__version__}; +https://github.com/news-monitor/news-monitor)"
)


def _check_user_agent(value: str | None) -> str | None:
    """Regulators block anonymous bots; a contact lets an operator reach us instead of banning us."""
    if value is not None and "http" not in value and "@" not in value:
        raise ValueError("the user agent must carry a contact URL or e-mail address, e.g. '(+https://...)'")
    return value


def _check_cron(value: str) -> str:
    fields = value.split()
    if len(fields) != 5:
        raise ValueError(f"cron expression {value!r} needs 5 fields (minute hour day month weekday)")
    return value


class Politeness(Strict):
    """Scrapy settings that decide how hard a site is hit; defaults suit government servers."""

    obey_robots_txt: bool = True
    download_delay: float = Field(1.0, ge=0, le=60)
    concurrent_requests: int = Field(16, ge=1, le=256)
    concurrent_requests_per_domain: int = Field(2, ge=1, le=16)
    autothrottle: bool = True
    autothrottle_target_concurrency: float = Field(1.0, gt=0, le=16)
    download_timeout: float = Field(30, gt=0, le=600)
    download_maxsize: int = Field(10 * 1024 * 1024, ge=1024)
    download_warnsize: int = Field(2 * 1024 * 1024, ge=1024)
    retry_times: int = Field(2, ge=0, le=10)
    retry_backoff: float = Field(
        scrapy_defaults.MONITOR_RETRY_BACKOFF,
        ge=0,
        le=300,
        description="seconds before the first retry; doubled per retry",
    )
    retry_backoff_max: float = Field(scrapy_defaults.MONITOR_RETRY_BACKOFF_MAX, ge=0, le=3600)
    retry_after_cap: float = Field(
        scrapy_defaults.MONITOR_RETRY_AFTER_CAP,
        ge=0,
        le=3600,
        description="longest Retry-After waited out; beyond it the host waits for the next run",
    )
    max_redirects: int = Field(5, ge=0, le=20)
    max_pages_per_listing: int = Field(scrapy_defaults.MONITOR_MAX_PAGES_PER_LISTING, ge=1, le=1000)
    max_entries_per_feed: int = Field(
        scrapy_defaults.MONITOR_MAX_ENTRIES_PER_FEED,
        ge=1,
        le=100_000,
        description="feed entries not yet stored that one run requests at most, newest first; the rest on later runs",
    )
    crawl_timeout: float = Field(1800, gt=0, description="seconds a whole run may take before it is stopped")


class Schedule(Strict):
    """One crawl job of the daemon: a cron expression over a group of sources (empty = all)."""

    name: str
    cron: str
    timezone: str = Field("UTC", description="default: monitor.yaml's top-level timezone")
    sources: list[str] = Field(default_factory=list)
    timeout: float = Field(3600, gt=0)

    _cron = field_validator("cron")(_check_cron)
    _tz = field_validator("timezone")(_check_timezone)


class DigestSchedule(Strict):
    cron: str = "0 7 * * *"
    timezone: str = Field("UTC", description="also the zone of the digest's dates; default: the top-level timezone")

    _cron = field_validator("cron")(_check_cron)
    _tz = field_validator("timezone")(_check_timezone)


class Recipient(Strict):
    """A digest subscriber; empty topic or country lists mean 'everything'.

    Its topic ids and country codes must be the watchlist's: ``load_config`` stops on a typo
    (``monitor.config.names.check_subscriptions``), instead of a digest that is silently empty.
    """

    email: str
    name: str = ""
    topics: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", value):
            raise ValueError(f"{value!r} is not an e-mail address")
        return value

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        """Upper-cased here; whether each is a code the matcher tags (with close matches when not) is
        checked against the watchlist when the config is loaded (``monitor.config.names``)."""
        return [code.strip().upper() for code in value]


ENV_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class Channel(Strict):
    """Where messages go: ``email`` (through the ``smtp`` block) or ``url``, any Apprise URL.

    A secret in the URL (a Slack token, a webhook key) is written ``${VARIABLE}``: the value is
    read from that environment variable when the message is sent, never kept in the file.
    """

    name: str = Field("", description="the key of its outbox rows; default: the e-mail address")
    email: str | None = None
    label: str = Field("", description="the addressee's display name (e-mail To)")
    url: str | None = Field(None, description="an Apprise URL: slack://, msteams://, matrix://, ntfy://, json:// ...")
    format: Literal["auto", "markdown", "html", "text", "json"] = Field(
        "auto", description="auto: HTML for e-mail, JSON for json:// webhooks, Markdown for chat"
    )
    max_chars: int | None = Field(None, ge=200, description="message size limit; default: the service's own")

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", value):
            raise ValueError(f"{value!r} is not an e-mail address")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from urllib.parse import urlsplit

        if "://" not in value:
            raise ValueError(f"{value!r} is not an Apprise URL (scheme://...)")
        password = urlsplit(ENV_PLACEHOLDER.sub("x", value)).password
        if password and password != "x":  # noqa: S105 - "x" is the placeholder's stand-in, not a password
            raise ValueError("the channel URL carries a password: write it as ${VARIABLE} and set that variable")
        return value

    @model_validator(mode="after")
    def _one_target(self) -> Channel:
        if (self.email is None) == (self.url is None):
            raise ValueError("give exactly one of email or url")
        if self.url is not None and not self.name:
            raise ValueError("a url channel needs a name (the key its messages are recorded under)")
        return self

    @property
    def key(self) -> str:
        return self.name or self.email or ""


class Subscription(Channel):
    """A subscription: a channel, a cadence and a filter; empty topic or country lists mean 'everything'.

    ``immediate`` sends after each crawl run the items with a topic score of at least
    ``min_score`` or a topic in ``urgent_topics`` (neither given: every item); ``daily`` goes out at
    the digest's schedule; ``weekly`` with the first digest job of each Monday, with counts.
    """

    cadence: Literal["immediate", "daily", "weekly"] = "daily"
    topics: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    min_score: float | None = Field(None, ge=0, le=1, description="immediate: items scoring at least this")
    urgent_topics: list[str] = Field(default_factory=list, description="immediate: items of these topics")

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        return [code.strip().upper() for code in value]

    def recipient(self) -> Recipient:
        """The filter as the selection reads it, keyed by the subscription (not necessarily an address)."""
        return Recipient.model_construct(
            email=self.key, name=self.label, topics=list(self.topics), countries=list(self.countries)
        )


class HealthAlerts(Channel):
    """Source-health alerts to the operators: a source failing ``failed_runs`` runs in a row, or silent
    ``silent_days`` days while it used to publish; one alert, then one 'recovered' message."""

    name: str = "operators"
    failed_runs: int = Field(3, ge=1, le=100, description="consecutive failed runs before an alert")
    silent_days: int = Field(14, ge=1, le=365, description="days without a new item before an alert")


class Smtp(Strict):
    host: str = "localhost"
    port: int = Field(25, ge=1, le=65535)
    security: Literal["none", "starttls", "tls"] = "starttls"
    user: str | None = None
    password_env: str | None = Field(None, description="name of the environment variable holding the password")
    timeout: float = Field(30, gt=0, le=600, description="seconds each SMTP command may take")
    connect_timeout: float = Field(15, gt=0, le=600, description="seconds to open the connection")
    sender: str = "news-monitor <monitor@localhost>"


class DigestSettings(Strict):
    title: str = "Data sovereignty digest"
    send_empty: bool = False
    max_items: int = Field(200, ge=1)
    schedule: DigestSchedule = Field(default_factory=DigestSchedule)
    recipients: list[Recipient] = Field(default_factory=list)
    smtp: Smtp = Field(default_factory=Smtp)
    silent_after_days: int = Field(30, ge=1, description="a source with no new item for this long is 'silent'")
    first_window_days: int = Field(1, ge=1, le=90, description="how far back a recipient's first digest reaches")
    max_attempts: int = Field(10, ge=1, le=100, description="temporary SMTP failures before a digest is 'failed'")
    retry_minutes: int = Field(15, ge=1, le=1440, description="how often the daemon retries pending digests")
    subscriptions: list[Subscription] = Field(default_factory=list)
    alerts: HealthAlerts | None = None
    retry_backoff_seconds: float = Field(
        60, ge=0, le=86400, description="wait before retrying a failed message; doubled per attempt"
    )
    retry_backoff_max_seconds: float = Field(6 * 3600, ge=0, description="longest wait between two attempts")
    unsubscribe: str | None = Field(
        None, description="List-Unsubscribe target: a mailto: address or an https:// page; default: the sender"
    )
    web_url: str | None = Field(None, description="monitor serve's address, linked when a chat message is cut")

    @model_validator(mode="after")
    def _unique_keys(self) -> DigestSettings:
        seen: set[str] = set()
        for key in [r.email for r in self.recipients] + [s.key for s in self.subscriptions]:
            if key in seen:
                raise ValueError(f"subscription {key!r} appears twice (names and addresses must be unique)")
            seen.add(key)
        return self

    def all_subscriptions(self) -> list[Subscription]:
        """``recipients`` (daily e-mail, keyed by address) and then ``subscriptions``."""
        mailed = [
            Subscription(name=r.email, email=r.email, label=r.name, topics=r.topics, countries=r.countries)
            for r in self.recipients
        ]
        return mailed + list(self.subscriptions)

    @property
    def has_deliveries(self) -> bool:
        return bool(self.recipients or self.subscriptions or self.alerts)

    @property
    def timezone(self) -> str:
        """The zone of the digest's dates, in the e-mail and the preview alike: the schedule's."""
        return self.schedule.timezone


class SchedulerSettings(Strict):
    """How ``monitor schedule`` runs its jobs."""

    misfire_grace_seconds: int = Field(
        600, ge=1, description="a job whose time passed while the daemon was busy or asleep still runs this late"
    )
    digest_timeout: float = Field(600, gt=0, description="seconds the digest child process may take")


class ClusterSettings(Strict):
    """How ``monitor dispatch`` and ``monitor worker`` share crawls over Celery (PostgreSQL only)."""

    broker_url_env: str = Field(
        "MONITOR_BROKER_URL", description="name of the environment variable holding the broker URL (redis://...)"
    )
    queue: str = Field("crawl", min_length=1, max_length=64)
    batch_size: int = Field(25, ge=1, le=1000, description="sources per job; a group sharing a domain is never split")
    tick_seconds: float = Field(30, gt=0, le=3600, description="how often the leader dispatches due sources")
    job_timeout: float = Field(1800, gt=0, description="seconds a job's crawl may take before it is stopped")
    term_grace: float = Field(30, gt=0, le=600, description="seconds between SIGTERM and SIGKILL on timeout")
    max_attempts: int = Field(2, ge=1, le=10, description="starts of one job (retries, redeliveries) before it fails")
    retry_delay: float = Field(10, ge=0, le=3600, description="seconds before a failed crawl of a job is retried")
    requeue_after: float = Field(600, gt=0, description="a queued job no worker started is sent again this late")
    max_outstanding_jobs: int = Field(200, ge=1, description="queued + running jobs at most; the rest wait")
    extract_workers: int = Field(
        1, ge=0, le=64, description="extraction processes of a job's crawl (MONITOR_EXTRACT_WORKERS); 0: in its reactor"
    )
    visibility_timeout: float | None = Field(
        None,
        gt=0,
        description="seconds before Redis redelivers an unacked job; default (max_attempts + 1) x job_timeout",
    )
    restore_interval: float = Field(5, gt=0, le=600, description="how often kombu looks for unacked jobs to restore")
    metrics_port: int | None = Field(None, ge=1, le=65535, description="Prometheus port of the dispatcher")
    worker_metrics_port: int | None = Field(None, ge=1, le=65535, description="Prometheus port of a worker")
    metrics_host: str = Field("127.0.0.1", description="address the metrics servers listen on (0.0.0.0: all)")

    @model_validator(mode="after")
    def _visibility(self) -> ClusterSettings:
        if self.visibility_timeout is not None and self.visibility_timeout <= self.job_timeout + self.term_grace:
            raise ValueError(
                "visibility_timeout must exceed job_timeout + term_grace, or Redis redelivers jobs still running"
            )
        return self

    @property
    def visibility_seconds(self) -> float:
        """Longer than a task with all its attempts: Redis never hands a live job to a second worker."""
        return self.visibility_timeout or (self.max_attempts + 1) * (
            self.job_timeout + self.term_grace + self.retry_delay
        )


class MonitorSettings(Strict):
    """``monitor.yaml``."""

    database_url: str | None = None
    # Browser-shaped but honest: several government sites (state.gov, the EDPB) answer 403 to an
    # agent that does not start with "Mozilla/5.0 (compatible; ...)" and 200 to one that does,
    # while the product, its URL and a contact stay named (docs/sources.md has the evidence).
    user_agent: str = DEFAULT_USER_AGENT
    allow_private_addresses: bool = False
    allowed_private_hosts: list[str] = Field(
        default_factory=list, description="'host:port' exempt from the private-address refusal (test servers)"
    )
    timezone: str = Field("UTC", description="fallback of every schedule's timezone, so of the digest's dates")
    watchlists: str = Field("watchlists.yaml", description="the topic rules, relative to the config directory")
    politeness: Politeness = Field(default_factory=Politeness)
    schedules: list[Schedule] = Field(default_factory=list)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    scheduler: SchedulerSettings = Field(default_factory=SchedulerSettings)
    cluster: ClusterSettings = Field(default_factory=ClusterSettings)

    _tz = field_validator("timezone")(_check_timezone)

    @model_validator(mode="before")
    @classmethod
    def _inherit_timezone(cls, data: object) -> object:
        """Give each crawl schedule and the digest schedule the top-level ``timezone`` unless they name one.

        Done on the raw mapping so that every reader of ``schedule.timezone`` gets the resolved zone;
        values of the wrong shape are left for the field validators to report.
        """
        if not isinstance(data, dict):
            return data
        zone = data.get("timezone", cls.model_fields["timezone"].default)
        if not isinstance(zone, str):
            return data
        data = dict(data)
        if isinstance(data.get("schedules"), list):
            data["schedules"] = [{"timezone": zone, **s} if isinstance(s, dict) else s for s in data["schedules"]]
        digest = data.get("digest", {})
        if isinstance(digest, dict) and isinstance(digest.get("schedule", {}), dict):
            data["digest"] = {**digest, "schedule": {"timezone": zone, **digest.get("schedule", {})}}
        return data

    _contact = field_validator("user_agent")(_check_user_agent)


class Listing(Strict):
    """A paginated news listing for sites without a usable feed."""

    url: str
    link_selector: str | None = Field(
        None, description="CSS selector (or XPath if it starts with '/') for article links"
    )
    link_pattern: str | None = Field(None, description="regular expression an article URL must match")
    next_selector: str | None = Field(None, description="CSS/XPath selector of the next-page link")
    page_url: str | None = Field(None, description="URL template with {n}, e.g. '...?page={n}' or '.../index_{n}.htm'")
    first_page: int = Field(1, ge=0)
    max_pages: int | None = Field(None, ge=1, le=1000)

    @field_validator("link_pattern")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"bad regular expression: {exc}") from exc
        return value

    @field_validator("page_url")
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        if value is not None and "{n}" not in value:
            raise ValueError("page_url must contain '{n}' where the page number goes")
        if value is not None:
            _check_url(value.replace("{n}", "1"))
        return value

    _url = field_validator("url")(_check_url)


def _check_jmespath(value: str | None) -> str | None:
    """A JMESPath expression that compiles: a typo is a config error, not an empty crawl."""
    if value is not None:
        import jmespath
        from jmespath.exceptions import JMESPathError

        try:
            jmespath.compile(value)
        except JMESPathError as exc:
            raise ValueError(f"bad JMESPath expression {value!r}: {str(exc).splitlines()[0]}") from None
    return value


class JsonApi(Strict):
    """A JSON news API (the US Federal Register, the Government of Canada news API): where its
    items and their fields sit, as JMESPath expressions, and how it pages."""

    url: str = Field(description="the first page's URL, with its query (agency, order, page size)")
    items: str = Field(description="JMESPath of the list of items, e.g. 'results' or 'feed.entry'")
    link: str = Field("link", description="JMESPath of an item's article URL, e.g. 'html_url'")
    title: str = Field("title", description="JMESPath of an item's title")
    date: str | None = Field(None, description="JMESPath of an item's publication date, e.g. 'publication_date'")
    summary: str | None = Field(None, description="JMESPath of an item's summary, e.g. 'abstract'")
    next: str | None = Field(None, description="JMESPath of the answer's next-page URL, e.g. 'next_page_url'")
    page_param: str | None = Field(None, description="query parameter of the page number, when no next URL is given")
    first_page: int = Field(1, ge=0)
    max_pages: int = Field(3, ge=1, le=100, description="pages read at most a run (a page with nothing new stops)")

    _url = field_validator("url")(_check_url)
    _paths = field_validator("items", "link", "title", "date", "summary", "next")(_check_jmespath)

    @model_validator(mode="after")
    def _one_pager(self) -> JsonApi:
        if self.next and self.page_param:
            raise ValueError("give next or page_param, not both")
        return self


class Source(Strict):
    """One entry of ``sources.yaml``."""

    id: str
    name: str
    kind: Literal["regulator", "ministry", "court", "legislature", "executive", "press", "ngo", "intl", "other"]
    jurisdiction: str
    language: str = "en"
    timezone: str = "UTC"
    feeds: list[str] = Field(default_factory=list)
    sitemaps: list[str] = Field(default_factory=list)
    listings: list[Listing] = Field(default_factory=list)
    json_apis: list[JsonApi] = Field(default_factory=list)
    homepage: str | None = None
    discover_sitemaps: bool = Field(False, description="also read the Sitemap: lines of the homepage's robots.txt")
    sitemap_max_age_days: int | None = Field(
        None, ge=1, description="sitemap entries whose lastmod is older than this are not fetched"
    )
    sitemap_link_pattern: str | None = Field(
        None, description="regular expression a sitemap entry's URL must match (a section of a big site)"
    )
    max_entries_per_feed: int | None = Field(
        None,
        ge=1,
        le=100_000,
        description="feed entries requested per run at most; default: politeness.max_entries_per_feed",
    )
    max_documents_per_page: int = Field(
        10,
        ge=0,
        le=100,
        description="documents (PDF, DOCX) a listing or article page cites that are fetched at most; 0: none",
    )
    user_agent: str | None = Field(
        None,
        description="this source's User-Agent instead of monitor.yaml's (a site that refuses the shipped one)",
    )
    enabled: bool = True
    notes: str = ""

    _agent = field_validator("user_agent")(_check_user_agent)

    _tz = field_validator("timezone")(_check_timezone)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not SOURCE_ID.match(value):
            raise ValueError(f"{value!r} is not a valid id (lower-case letters, digits, '-' and '_')")
        return value

    @field_validator("jurisdiction")
    @classmethod
    def _jurisdiction(cls, value: str) -> str:
        if not JURISDICTION.match(value):
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 code, 'EU' or 'INTL'")
        return value

    @field_validator("sitemap_link_pattern")
    @classmethod
    def _sitemap_regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"bad regular expression: {exc}") from exc
        return value

    @field_validator("homepage")
    @classmethod
    def _homepage(cls, value: str | None) -> str | None:
        return _check_url(value) if value is not None else None

    @field_validator("feeds", "sitemaps")
    @classmethod
    def _urls(cls, value: list[str]) -> list[str]:
        return [_check_url(url) for url in value]

    @model_validator(mode="after")
    def _has_entry_point(self) -> Source:
        if self.discover_sitemaps and not self.homepage:
            raise ValueError("discover_sitemaps needs a homepage (whose robots.txt names the sitemaps)")
        if not (self.feeds or self.sitemaps or self.listings or self.json_apis or self.discover_sitemaps):
            raise ValueError("a source needs at least one of feeds, sitemaps, listings or json_apis")
        return self


class SourcesFile(Strict):
    sources: list[Source]

    @model_validator(mode="after")
    def _unique(self) -> SourcesFile:
        seen: set[str] = set()
        for source in self.sources:
            if source.id in seen:
                raise ValueError(f"source id {source.id!r} appears twice")
            seen.add(source.id)
        return self
