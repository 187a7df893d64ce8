"""Fixtures of the web app's tests: the seeded database on each backend, and logged-in test clients."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.monitor.web.seed import PASSWORD, Seeded, seed

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # starlette.testclient on httpx, where httpx2 is missing
    from starlette.testclient import TestClient

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


class Browser:
    """A TestClient with the session cookie and the page's CSRF token at hand."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.token = ""

    def get(self, path: str, **kwargs: object):  # type: ignore[no-untyped-def]
        response = self.client.get(path, **kwargs)  # type: ignore[arg-type]
        found = _CSRF.search(response.text)
        if found:
            self.token = found.group(1)
        return response

    def post(self, path: str, data: dict[str, str] | None = None, *, csrf: bool = True, **kwargs: object):  # type: ignore[no-untyped-def]
        if csrf and not self.token:
            self.get("/items")
        form = {**({"csrf": self.token} if csrf else {}), **(data or {})}
        return self.client.post(path, data=form, follow_redirects=False, **kwargs)  # type: ignore[arg-type]

    def login(self, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
        self.get("/login")
        response = self.post("/login", {"username": username, "password": password, "next": "/items"})
        self.token = ""  # a login starts a new session, with a new token
        return response


@pytest.fixture
def seeded(database_url: str, tmp_path: Path) -> Seeded:
    return seed(database_url, tmp_path / "config")


@pytest.fixture
def make_app(database_url: str, seeded: Seeded) -> Iterator[Callable[..., object]]:
    from monitor.config import load_config
    from monitor.web.app import create_app
    from monitor.web.settings import WebSettings

    made = []

    def make(**settings: object) -> object:
        config = load_config(seeded.config_dir, database_url)
        launched: list[str] = []

        def launcher(source_id: str) -> str:
            launched.append(source_id)
            return f"queued {source_id}"

        options = {"crawl_launcher": launcher, **settings}
        app = create_app(WebSettings(config, **options))  # type: ignore[arg-type]
        app.state.launched = launched
        made.append(app)
        return app

    yield make
    for app in made:
        app.state.web.close()  # type: ignore[attr-defined]


@pytest.fixture
def app(make_app: Callable[..., object]) -> object:
    return make_app()


@pytest.fixture
def anonymous(app: object) -> Iterator[Browser]:
    with TestClient(app) as client:  # type: ignore[arg-type]
        yield Browser(client)


def _logged_in(app: object, username: str) -> Iterator[Browser]:
    with TestClient(app) as client:  # type: ignore[arg-type]
        browser = Browser(client)
        response = browser.login(username)
        assert response.status_code == 303, response.text
        yield browser


@pytest.fixture
def analyst(app: object) -> Iterator[Browser]:
    yield from _logged_in(app, "ana")


@pytest.fixture
def viewer(app: object) -> Iterator[Browser]:
    yield from _logged_in(app, "vic")
