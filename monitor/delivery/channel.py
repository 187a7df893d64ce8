"""The channel interface the outbox sends through, and the message it hands over."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from monitor.errors import MailDeliveryError


class DeliveryError(MailDeliveryError):
    """A channel refused or did not answer; ``temporary`` keeps the outbox row pending for a retry."""


@dataclass(frozen=True)
class Outgoing:
    """One message in every form a channel may want; the channel picks its own."""

    key: str  # the subscription's key
    subject: str
    text: str
    html: str
    markdown: str
    document: dict[str, Any]
    message_id: str
    date: datetime
    kind: str = "digest"  # digest | alert
    # Markdown blocks (one per item) and the closing line, so a chat channel can cut between items.
    markdown_items: tuple[str, ...] = ()
    markdown_head: str = ""
    markdown_tail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class Channel(Protocol):
    """Sends one message; raises DeliveryError (or MailDeliveryError) with ``temporary`` on failure."""

    def send(self, message: Outgoing) -> object:
        """Deliver ``message``; returns what was sent (an EmailMessage, the chat body) for ``--out``."""
        ...
