"""Builds the multipart (plain text + HTML) digest e-mail with the standard library.

Every header value passes ``header_value`` first: a scraped title with a newline must neither
break the message nor add a header of its own.
"""

from __future__ import annotations

from datetime import datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from zoneinfo import ZoneInfo

from monitor.digest.safety import header_value, one_line
from monitor.errors import DigestError

# Used when the sender address has no usable domain; .invalid can never collide with a real host.
FALLBACK_DOMAIN = "news-monitor.invalid"


def address(email: str, name: str = "") -> Address:
    """An Address from a config value; a malformed one is a DigestError naming it."""
    email = one_line(email)
    try:
        username, _, domain = email.rpartition("@")
        return Address(display_name=one_line(name), username=username, domain=domain)
    except (ValueError, HeaderParseError, IndexError) as exc:
        raise DigestError(f"cannot use {email!r} as an e-mail address: {exc}") from exc


def sender_address(sender: str) -> Address:
    """``"news-monitor <monitor@example.org>"`` or a bare address, as written in monitor.yaml."""
    name, email = parseaddr(one_line(sender))
    if "@" not in email:
        raise DigestError(f"digest.smtp.sender {sender!r} has no e-mail address")
    return address(email, name)


def new_message_id(sender: str) -> str:
    """A Message-ID in the sender's domain; it is stored before sending and reused on every retry."""
    domain = parseaddr(one_line(sender))[1].rpartition("@")[2] or FALLBACK_DOMAIN
    return make_msgid(idstring="digest", domain=domain)


def build_message(
    *,
    sender: str,
    to_email: str,
    to_name: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    date: datetime,
    timezone: str = "UTC",
) -> EmailMessage:
    """A multipart/alternative message: plain text first (the fallback), HTML last (the preferred part)."""
    message = EmailMessage()
    message["From"] = sender_address(sender)
    message["To"] = address(to_email, to_name)
    message["Subject"] = header_value(subject)
    # The reader's clock, as monitor.yaml's timezone says, not the server's +0000.
    message["Date"] = format_datetime(date.astimezone(ZoneInfo(timezone)))
    message["Message-ID"] = one_line(message_id)
    # Tells vacation responders and ticket systems not to answer a machine.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message
