"""The web app in a real browser: Debian's Chromium, driven by Selenium through chromium-driver, against
``monitor serve`` started on 127.0.0.1. Screenshots at 1280 and 390 px go to docs/ for the README."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import REPO_ROOT
from tests.helpers.cli import monitor_command, wait_until
from tests.monitor.web.seed import PASSWORD, Seeded, seed

CHROMIUM = os.environ.get("MONITOR_TEST_CHROMIUM") or shutil.which("chromium") or ""
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and Path(DRIVER).exists()),
    reason="Chromium or chromium-driver not found: install Debian's 'chromium chromium-driver' (.ci/run does)",
)
DOCS = REPO_ROOT / "docs"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(sqlite_url: str, tmp_path: Path) -> Iterator[tuple[str, Seeded]]:
    seeded = seed(sqlite_url, tmp_path / "config")
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        monitor_command(seeded.config_dir, sqlite_url, "serve", "--port", str(port)),
        cwd=REPO_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:  # noqa: S310 - loopback
                return answer.read() == b"ok"
        except OSError:
            return False

    try:
        wait_until(healthy, timeout=60, what="monitor serve")
        yield base, seeded
    finally:
        process.terminate()
        process.wait(30)
        log.close()


@pytest.fixture
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", "--force-device-scale-factor=1", "--lang=en-US"):  # fmt: skip
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.implicitly_wait(30)  # a busy machine: elements are waited for, never timed
    try:
        yield driver
    finally:
        driver.quit()


def _shot(driver: object, name: str, width: int) -> None:
    """A screenshot of the whole page at ``width`` CSS pixels (height: the page's own)."""
    from selenium.webdriver.common.by import By

    driver.set_window_size(width, 1000)  # type: ignore[attr-defined]
    height = driver.find_element(By.TAG_NAME, "body").size["height"]  # type: ignore[attr-defined]
    driver.set_window_size(width, min(max(height + 140, 600), 2600))  # type: ignore[attr-defined]
    DOCS.mkdir(exist_ok=True)
    driver.save_screenshot(str(DOCS / name))  # type: ignore[attr-defined]
    driver.set_window_size(1280, 1000)  # type: ignore[attr-defined]


def _until(driver: object, condition: object) -> None:
    """Wait for a navigation (or anything) to have happened: a click returns before the next page."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 60).until(condition)  # type: ignore[arg-type]


def _listed(driver: object) -> list[str]:
    from selenium.webdriver.common.by import By

    # The page is there (waited for by _until); an empty list must not wait out the implicit wait.
    driver.find_element(By.CSS_SELECTOR, "main")  # type: ignore[attr-defined]
    driver.implicitly_wait(0)  # type: ignore[attr-defined]
    try:
        return [e.get_attribute("id") for e in driver.find_elements(By.CSS_SELECTOR, "li.item")]  # type: ignore[attr-defined]
    finally:
        driver.implicitly_wait(30)  # type: ignore[attr-defined]


def test_an_analyst_filters_opens_an_item_and_judges_it_out_of_the_list(server, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, seeded = server
    driver = browser
    driver.get(f"{base}/items")
    assert "/login" in driver.current_url  # no session: the login page
    driver.find_element(By.NAME, "username").send_keys("ana")
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    _until(driver, lambda d: d.current_url.endswith("/items"))
    assert len(_listed(driver)) == 4
    _shot(driver, "web-items-1280.png", 1280)
    _shot(driver, "web-items-390.png", 390)

    Select(driver.find_element(By.NAME, "topic")).select_by_value("cross_border_transfers")
    Select(driver.find_element(By.NAME, "country")).select_by_value("DE")
    driver.find_element(By.CSS_SELECTOR, ".facets button[type=submit]").click()
    _until(driver, lambda d: "topic=cross_border_transfers" in d.current_url and "country=DE" in d.current_url)
    assert _listed(driver) == [f"story-{seeded.ids['de']}"]

    driver.find_element(By.CSS_SELECTOR, "li.item .item-title a").click()
    _until(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".fulltext mark"))
    marks = driver.find_elements(By.CSS_SELECTOR, ".fulltext mark")
    assert [m.text for m in marks] == ["Übermittlung personenbezogener Daten", "Drittländer"]
    assert marks[0].value_of_css_property("background-color") in ("rgba(255, 229, 138, 1)", "rgb(255, 229, 138)")
    assert driver.find_element(By.CSS_SELECTOR, "a.mark-link").get_attribute("href").endswith("#ev-1")
    _shot(driver, "web-item-1280.png", 1280)
    _shot(driver, "web-item-390.png", 390)

    driver.find_element(By.NAME, "reason").send_keys("domestic enforcement, no transfer")
    driver.find_element(By.CSS_SELECTOR, "button[value=not_relevant]").click()
    # Back on the filtered list it came from, without the item.
    _until(driver, lambda d: "/items" in d.current_url and "country=DE" in d.current_url)
    assert _listed(driver) == []
    driver.get(f"{base}/items")
    assert f"story-{seeded.ids['de']}" not in _listed(driver) and len(_listed(driver)) == 3
    problems = [entry["message"] for entry in driver.get_log("browser")]
    assert not problems, problems  # no CSP violation, no missing asset
