"""What the web app refuses: no session, no CSRF token, a viewer writing, a guessed password; and
stored strings (hostile article text) that must render inert."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from monitor.web.app import PUBLIC_PATHS, ROUTES
from tests.monitor.web.conftest import Browser, TestClient
from tests.monitor.web.seed import PASSWORD, Seeded

# A value for each path parameter, so that every route can be called.
_SAMPLE = {"{article_id:int}": "1"}


def _paths(method: str) -> list[str]:
    paths = []
    for route in ROUTES:
        if method in (route.methods or set()) and route.path not in PUBLIC_PATHS and route.path != "/":
            path = route.path
            for pattern, value in _SAMPLE.items():
                path = path.replace(pattern, value)
            paths.append(path)
    return paths


def test_every_page_without_a_session_sends_to_the_login(anonymous: Browser) -> None:
    paths = _paths("GET")
    assert "/items" in paths and "/quality" in paths
    for path in paths:
        response = anonymous.client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next="), path
        assert "Flagged" not in response.text


def test_every_form_without_a_session_is_refused(anonymous: Browser, seeded: Seeded) -> None:
    anonymous.get("/login")  # a valid anonymous CSRF token: the session is what is missing
    paths = _paths("POST")
    assert "/items/1/judge" in paths and "/sources/crawl" in paths
    for path in paths:
        response = anonymous.post(path, {"verdict": "not_relevant", "source": "dpa", "kind": "term", "term": "data"})
        assert response.status_code == 401, path
    with anonymous.client.app.state.web.session() as session:  # type: ignore[attr-defined]
        from monitor.storage.feedback import list_mutes

        assert list_mutes(session) == []


def test_a_form_without_a_valid_csrf_token_is_refused(analyst: Browser, seeded: Seeded) -> None:
    article = seeded.ids["en"]
    for data in ({"verdict": "not_relevant"}, {"verdict": "not_relevant", "csrf": "forged-token-forged-token"}):
        response = analyst.post(f"/items/{article}/judge", data, csrf=False)
        assert response.status_code == 403
        assert "did not come from this site" in response.text
    assert "judged-out" not in analyst.get("/items?hidden=1").text
    # The same form with the page's token goes through.
    assert analyst.post(f"/items/{article}/judge", {"verdict": "not_relevant"}).status_code == 303


def test_login_needs_the_csrf_token_too(anonymous: Browser) -> None:
    response = anonymous.post("/login", {"username": "ana", "password": PASSWORD}, csrf=False)
    assert response.status_code == 403


def test_a_viewer_reads_but_cannot_write(viewer: Browser, seeded: Seeded, app) -> None:  # type: ignore[no-untyped-def]
    article = seeded.ids["en"]
    assert viewer.get("/items").status_code == 200
    item = viewer.get(f"/items/{article}").text
    assert "/judge" not in item and "Mute source" not in item
    for path, data in (
        (f"/items/{article}/judge", {"verdict": "not_relevant"}),
        (f"/items/{article}/mute", {"kind": "term", "term": "transfers"}),
        ("/mutes/lift", {"mute": "1"}),
        ("/sources/crawl", {"source": "dpa"}),
        ("/watchlists/try", {"topic": "data_sovereignty", "yaml": "data_sovereignty: {terms: {en: [cloud]}}"}),
    ):
        response = viewer.post(path, data)
        assert response.status_code == 403, path
    assert app.state.launched == []
    assert "judged-out" not in viewer.get("/items?hidden=1").text


def test_login_is_throttled_after_repeated_failures(anonymous: Browser) -> None:
    for _ in range(5):
        assert anonymous.login("ana", "wrong password!").status_code == 401
    refused = anonymous.login("ana")  # the right password, too late
    assert refused.status_code == 429
    assert "Too many failed logins" in refused.text
    assert int(refused.headers["Retry-After"]) > 0
    assert "uid" not in str(anonymous.client.cookies)
    # Another account from another address is not locked out by it.
    other = TestClient(anonymous.client.app, client=("127.0.0.9", 50000))  # type: ignore[arg-type]
    assert Browser(other).login("vic").status_code == 303


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(anonymous: Browser) -> None:
    unknown, wrong = anonymous.login("nobody", "x" * 12), anonymous.login("ana", "x" * 12)
    assert unknown.status_code == wrong.status_code == 401
    assert "Wrong username or password" in unknown.text and "Wrong username or password" in wrong.text


def test_session_cookie_flags_and_security_headers(anonymous: Browser) -> None:
    response = anonymous.login("ana")
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # plain HTTP in the test
    page = anonymous.get("/items")
    policy = page.headers["content-security-policy"]
    assert "script-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    assert "<script" not in page.text and " style=" not in page.text  # nothing inline for the policy to forbid


def test_cookies_are_secure_behind_https(app) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="https://monitor.example") as client:
        browser = Browser(client)
        response = browser.login("ana")
        assert response.status_code == 303
        assert "Secure" in response.headers["set-cookie"]
        assert "strict-transport-security" in browser.get("/items").headers


def test_a_changed_password_or_a_removed_user_ends_the_session(analyst: Browser, app) -> None:  # type: ignore[no-untyped-def]
    from monitor.storage.users import remove_user, set_password

    assert analyst.get("/items").status_code == 200
    with app.state.web.transaction() as session:
        set_password(session, "ana", "another good password")
    assert analyst.client.get("/items", follow_redirects=False).status_code == 303
    analyst.login("ana", "another good password")
    assert analyst.get("/items").status_code == 200
    with app.state.web.transaction() as session:
        remove_user(session, "ana")
    assert analyst.client.get("/items", follow_redirects=False).status_code == 303


def test_a_forged_or_tampered_cookie_is_no_session(app) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app) as client:
        client.cookies.set("monitor_session", "eyJ1aWQiOjF9.forged.signature")
        assert client.get("/items", follow_redirects=False).status_code == 303


def test_login_redirects_only_to_this_site(anonymous: Browser) -> None:
    anonymous.get("/login")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = anonymous.post("/login", {"username": "ana", "password": PASSWORD, "next": target})
        assert response.headers["location"] == "/", target
        anonymous.client.cookies.clear()
        anonymous.get("/login")


HOSTILE_TITLE = '<script>alert("t")</script><img src=x onerror=alert(1)>Evil "quoted" title'
HOSTILE_TEXT = (
    'Read <a href="javascript:alert(2)">this</a> <svg onload=alert(3)> about data sovereignty '
    "</textarea><script>alert(4)</script> now."
)


@pytest.fixture
def hostile(seeded: Seeded, app, database_url: str) -> int:  # type: ignore[no-untyped-def]
    """The data-sovereignty story revised by its site into hostile markup, matched on the new text."""
    from dataclasses import replace

    from monitor.storage import repository_for
    from monitor.storage.models import SourceRow
    from tests.monitor.web.seed import articles, topic

    revised = replace(
        articles()["sov"],
        title=HOSTILE_TITLE,
        text=HOSTILE_TEXT,
        url="javascript:alert(5)",
        summary="<b onclick=x>s</b>",
        content_hash="hostile",
        topics=[topic("data_sovereignty", 0.7, HOSTILE_TEXT, ("data_sovereignty:en:0", "data sovereignty"))],
    )
    assert repository_for(database_url).upsert_article(revised) == "updated"
    with app.state.web.transaction() as session:
        session.execute(update(SourceRow).where(SourceRow.id == "daily").values(name="<script>alert(6)</script>Daily"))
    app.state.web.forget("source_names")
    return int(seeded.ids["sov"])


def _inert(html: str) -> None:
    assert "<script" not in html.lower()
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", html, flags=re.IGNORECASE)
    assert not re.search(r"<[^>]+\son\w+=", html, flags=re.IGNORECASE)  # no tag with an event handler
    assert "<svg onload" not in html and "<img" not in html


def test_hostile_stored_strings_render_inert(analyst: Browser, hostile: int) -> None:
    pages = [
        analyst.get("/items").text,
        analyst.get(f"/items/{hostile}").text,
        analyst.get("/items", params={"q": "sovereignty"}).text,
        analyst.get("/sources").text,
    ]
    for html in pages:
        _inert(html)
    item = pages[1]
    # Shown as the characters they are, not dropped: an analyst sees what the site sent.
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in item
    assert 'href="https://daily.example/sov"' in item  # the canonical URL stands in for the javascript: one
    assert "Evil &#34;quoted&#34; title" in pages[0] or "Evil &quot;quoted&quot; title" in pages[0]


def test_stored_strings_in_feedback_render_inert(analyst: Browser, seeded: Seeded) -> None:
    article = seeded.ids["en"]
    analyst.post(f"/items/{article}/judge", {"verdict": "relevant", "reason": "<script>alert(7)</script>"})
    analyst.post(f"/items/{article}/mute", {"kind": "term", "term": "<img src=x onerror=alert(8)>", "topic": ""})
    _inert(analyst.get(f"/items/{article}").text)
    _inert(analyst.get("/mutes").text)
