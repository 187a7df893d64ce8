"""Any Apprise URL as a channel: Markdown for chat, the JSON document for json:// webhooks.

Secrets are ``${VARIABLE}`` placeholders in the configured URL, filled from the environment only
here, when sending; an unset variable is a permanent error naming it. A chat message longer than
the service's limit (Apprise's ``body_maxlen`` for that service, or the channel's ``max_chars``)
is cut between items and ends with how many were left out and a link to the full list.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from monitor.config.schema import ENV_PLACEHOLDER, Channel
from monitor.delivery.channel import DeliveryError, Outgoing

log = logging.getLogger(__name__)


def _apprise() -> ModuleType:
    """Apprise, imported quietly: its e-mail plugin, loaded with the others, imports the stdlib's
    deprecated ``imghdr`` (for PGPy); imported here once under a filter, it is cached for them."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="'imghdr' is deprecated", category=DeprecationWarning)
        import imghdr  # noqa: F401

        import apprise
    return apprise


JSON_SCHEMES = ("json", "jsons")
# Room kept for Apprise's own framing of the title in services that count it with the body.
TITLE_MARGIN = 16


def expand(url: str, environ: Mapping[str, str], where: str) -> str:
    """The URL with each ``${NAME}`` replaced from the environment."""

    def value(match: object) -> str:
        name = match.group(1)  # type: ignore[attr-defined]
        if name not in environ:
            raise DeliveryError(f"{where}: the channel URL names ${{{name}}}, which is not set", temporary=False)
        return environ[name]

    return ENV_PLACEHOLDER.sub(value, url)


def channel_format(channel: Channel) -> str:
    if channel.format != "auto":
        return channel.format
    if channel.email is not None:
        return "html"
    scheme = (channel.url or "").split("://", 1)[0].lower()
    return "json" if scheme in JSON_SCHEMES else "markdown"


def fit_markdown(message: Outgoing, limit: int, more_link: str | None) -> str:
    """Whole items while they fit in ``limit`` characters, then a line counting the rest."""
    body = message.markdown
    if len(body) <= limit:
        return body
    parts = [message.markdown_head]
    used = len(message.markdown_head)
    items = list(message.markdown_items)
    reserve = 200 + len(more_link or "")
    for index, item in enumerate(items):
        if used + len(item) + 1 + reserve > limit:
            left = len(items) - index
            where = f": the full list at {more_link}" if more_link else " (see the e-mail digest or the web app)"
            parts.append(f"_... and {left} more item{'s' if left != 1 else ''}, cut at {limit} characters{where}_")
            break
        parts.append(item)
        used += len(item) + 1
    else:
        parts.append(message.markdown_tail)
    text = "\n".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AppriseChannel:
    """One Apprise URL; each send builds a fresh Apprise object (no state between messages)."""

    def __init__(
        self,
        channel: Channel,
        *,
        web_url: str | None = None,
        timeout: float = 30,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.channel = channel
        self.web_url = web_url
        self.timeout = timeout
        self.environ = os.environ if environ is None else environ
        self.format = channel_format(channel)

    @property
    def where(self) -> str:
        scheme = (self.channel.url or "").split("://", 1)[0]
        return f"subscription {self.channel.key!r} ({scheme}://)"

    def _service(self) -> tuple[Any, Any]:  # apprise's plugin classes are built at runtime
        apprise = _apprise()
        apobj = apprise.Apprise()
        url = expand(self.channel.url or "", self.environ, self.where)
        if self.format in ("markdown", "html") and "format=" not in url:
            # Tells the service the body's form (ntfy's X-Markdown, Slack's mrkdwn), unless the URL says.
            url += ("&" if "?" in url else "?") + f"format={self.format}"
        if not apobj.add(url):
            raise DeliveryError(f"{self.where}: Apprise cannot use this URL (check its syntax)", temporary=False)
        return apobj, apobj[0]

    def body(self, message: Outgoing, limit: int) -> str:
        if self.format == "json":
            return json.dumps(message.document, ensure_ascii=False)
        if self.format == "html":
            return message.html
        if self.format == "text":
            return message.text if len(message.text) <= limit else message.text[: limit - 1] + "…"
        link = f"{self.web_url.rstrip('/')}/items" if self.web_url else None
        return fit_markdown(message, limit, link)

    def send(self, message: Outgoing) -> str:
        apprise = _apprise()
        apobj, service = self._service()
        limit = self.channel.max_chars or int(getattr(service, "body_maxlen", 32768))
        if getattr(service, "title_maxlen", 0):
            limit -= min(len(message.subject), int(service.title_maxlen)) + TITLE_MARGIN
        body = self.body(message, limit)
        body_format = (
            apprise.NotifyFormat.TEXT if self.format in ("json", "text") else apprise.NotifyFormat(self.format)
        )
        result = apobj.notify(
            body=body,
            title=message.subject,
            body_format=body_format,
            notify_type=apprise.NotifyType.WARNING if message.kind == "alert" else apprise.NotifyType.INFO,
            timeout=self.timeout,
        )
        if not result:
            status = getattr(getattr(result, "status", None), "name", "FAILURE")
            detail = "; ".join(entry.message for service_result in result for entry in service_result.logs())
            raise DeliveryError(f"{self.where}: {status.lower()}: {' '.join(detail.split())[:400]}", temporary=True)
        log.info("delivered %s to %s", message.message_id, self.where)
        return body
