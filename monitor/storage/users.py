"""Accounts of the web app: argon2id password hashes, two roles, nothing else.

Hashing lives here (not in ``monitor.web``) so that ``monitor users`` works without the web
stack. A password is never stored or logged; a changed password ends the sessions made with the
old one (``session_version``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.errors import UsageError
from monitor.storage.models import User
from monitor.storage.types import utcnow

if TYPE_CHECKING:
    from argon2 import PasswordHasher

ROLES = ("analyst", "viewer")
# Role that may write (judge, mute, crawl now, try a rule); a viewer only reads.
WRITER_ROLE = "analyst"
MIN_PASSWORD_CHARS = 10
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


@dataclass(frozen=True)
class Account:
    """What a session needs to know about a user: no hash."""

    id: int
    username: str
    role: str
    created_at: datetime
    session_version: str

    @property
    def can_write(self) -> bool:
        return self.role == WRITER_ROLE


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id, the library's current recommended parameters


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist: the answer takes as long either way."""
    return _hasher().hash("no such user: constant-time refusal")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_username(username: str) -> str:
    if not _USERNAME.match(username):
        raise UsageError(f"username {username!r}: 1-64 letters, digits, '.', '_', '@' or '-'")
    return username


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise UsageError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    return password


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UsageError(f"role {role!r}: use one of {', '.join(ROLES)}")
    return role


def session_version(user: User) -> str:
    """Changes whenever the password does: a session made before a password change stops working."""
    return hashlib.blake2b(user.password_hash.encode(), digest_size=8).hexdigest()


def _account(user: User) -> Account:
    return Account(user.id, user.username, user.role, user.created_at, session_version(user))


def add_user(session: Session, username: str, password: str, role: str) -> Account:
    """Create an account; an existing username is a UsageError."""
    check_username(username)
    check_password(password)
    check_role(role)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UsageError(f"user {username!r} exists already; use `monitor users passwd`")
    user = User(username=username, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    return _account(user)


def list_users(session: Session) -> list[Account]:
    return [_account(user) for user in session.scalars(select(User).order_by(User.username))]


def remove_user(session: Session, username: str) -> None:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise UsageError(f"no user {username!r}")
    session.delete(user)
    session.flush()


def set_password(session: Session, username: str, password: str) -> None:
    check_password(password)
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise UsageError(f"no user {username!r}")
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()


def authenticate(session: Session, username: str, password: str) -> Account | None:
    """The account if the password is right, else None; as slow for an unknown name as for a wrong password."""
    from argon2.exceptions import InvalidHashError, VerificationError

    user = session.scalar(select(User).where(User.username == username))
    try:
        _hasher().verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return _account(user)


def account_by_id(session: Session, user_id: int) -> Account | None:
    user = session.get(User, user_id)
    return _account(user) if user is not None else None
