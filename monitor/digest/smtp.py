"""Delivers one message over SMTP and translates every smtplib/socket failure into MailDeliveryError.

``temporary`` follows the SMTP reply class: 4xx, dropped connections and timeouts are worth a
retry (with the same Message-ID); 5xx is not. The password is read from the environment variable
the config names and never logged or stored.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage

from monitor.config.schema import Smtp
from monitor.errors import DigestError, MailDeliveryError

log = logging.getLogger(__name__)


def smtp_password(settings: Smtp, environ: Mapping[str, str] = os.environ) -> str | None:
    """The password from the variable named by ``password_env``; a named but unset variable is an error.

    Only a server that is logged in to (``user`` set) needs one: with ``user: null`` (the shipped
    block) the variable is not read, so an unset one stops nothing.
    """
    if not settings.password_env or not settings.user:
        return None
    value = environ.get(settings.password_env)
    if value is None:
        raise DigestError(f"digest.smtp.password_env names {settings.password_env}, which is not set")
    return value


def _connect(settings: Smtp) -> smtplib.SMTP:
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if settings.security == "tls":
        client = smtplib.SMTP_SSL(timeout=settings.connect_timeout, context=context)
    else:
        client = smtplib.SMTP(timeout=settings.connect_timeout)
    client.connect(settings.host, settings.port)
    # smtplib applies one socket timeout to everything; after connecting, each command gets its own.
    if client.sock is not None:
        client.sock.settimeout(settings.timeout)
    client.timeout = settings.timeout
    client.ehlo()
    if settings.security == "starttls":
        client.starttls(context=context)
        client.ehlo()
    return client


def _reply(code: int, text: bytes | str) -> str:
    detail = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(detail.split())}"


def deliver(message: EmailMessage, settings: Smtp, *, password: str | None = None) -> None:
    """Send ``message`` to its To address; raise MailDeliveryError(temporary=...) on any failure."""
    where = f"{settings.host}:{settings.port}"
    client: smtplib.SMTP | None = None
    try:
        client = _connect(settings)
        if settings.user:
            client.login(settings.user, password or "")
        refused = client.send_message(message)
        if refused:
            raise MailDeliveryError(f"{where} refused {', '.join(refused)}", temporary=False)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        detail = "; ".join(_reply(code, text) for code, text in exc.recipients.values())
        raise MailDeliveryError(
            f"{where} refused the recipient: {detail}", temporary=all(400 <= c < 500 for c in codes)
        ) from exc
    except smtplib.SMTPResponseException as exc:
        raise MailDeliveryError(
            f"{where} answered {_reply(exc.smtp_code, exc.smtp_error)}", temporary=400 <= exc.smtp_code < 500
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise MailDeliveryError(f"{where}: {exc}; check digest.smtp.security", temporary=False) from exc
    except smtplib.SMTPServerDisconnected as exc:
        raise MailDeliveryError(f"{where} closed the connection: {exc or 'no reason given'}", temporary=True) from exc
    except ssl.SSLCertVerificationError as exc:
        raise MailDeliveryError(f"{where}: TLS certificate not trusted: {exc.verify_message}", temporary=False) from exc
    except (TimeoutError, ConnectionError, ssl.SSLError, smtplib.SMTPException, OSError) as exc:
        raise MailDeliveryError(f"{where}: {type(exc).__name__}: {exc}", temporary=True) from exc
    finally:
        if client is not None:
            _quit(client)
    log.info("delivered %s to %s via %s", message["Message-ID"], message["To"], where)


def _quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        # The message is already accepted or already failed; a failing QUIT changes neither.
        client.close()
