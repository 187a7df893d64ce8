"""The e-mail channel: the digest's full HTML and plain text over SMTP (``monitor.digest.smtp``)."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from urllib.parse import quote

from monitor.config.schema import Smtp
from monitor.delivery.channel import Outgoing
from monitor.digest.message import build_message, sender_address

Deliver = Callable[[EmailMessage], None]


def unsubscribe_target(unsubscribe: str | None, sender: str, key: str) -> str:
    """The List-Unsubscribe URI: the configured page or address, else a mail to the sender."""
    if unsubscribe and not unsubscribe.startswith("mailto:"):
        return unsubscribe
    address = unsubscribe.removeprefix("mailto:") if unsubscribe else sender_address(sender).addr_spec
    return f"mailto:{address}?subject={quote('unsubscribe ' + key)}"


class EmailChannel:
    """One address; ``deliver`` is the SMTP call (tests and previews pass their own)."""

    def __init__(
        self,
        smtp: Smtp,
        deliver: Deliver,
        *,
        to_email: str,
        to_name: str = "",
        unsubscribe: str | None = None,
        timezone: str = "UTC",
    ) -> None:
        self.smtp = smtp
        self.deliver = deliver
        self.to_email = to_email
        self.to_name = to_name
        self.unsubscribe = unsubscribe
        self.timezone = timezone

    def build(self, message: Outgoing) -> EmailMessage:
        email = build_message(
            sender=self.smtp.sender,
            to_email=self.to_email,
            to_name=self.to_name,
            subject=message.subject,
            text=message.text,
            html=message.html,
            message_id=message.message_id,
            date=message.date,
            timezone=self.timezone,
        )
        email["List-Unsubscribe"] = f"<{unsubscribe_target(self.unsubscribe, self.smtp.sender, message.key)}>"
        return email

    def send(self, message: Outgoing) -> EmailMessage:
        email = self.build(message)
        self.deliver(email)
        return email
