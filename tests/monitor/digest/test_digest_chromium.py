"""The digest HTML in a real browser: every item visible, nothing wider than 600 px (or a phone).

Needs Chromium (Debian's ``chromium``; ``.ci/run`` installs it and exports MONITOR_TEST_CHROMIUM).
Set MONITOR_DIGEST_SCREENSHOT=docs/digest.png to refresh the README screenshot.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.digest import write_preview
from tests.monitor.digest.digest_helpers import Corpus, standard_corpus

CHROMIUM = os.environ.get("MONITOR_TEST_CHROMIUM") or shutil.which("chromium") or ""
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and os.access(CHROMIUM, os.X_OK)),
    reason="Chromium not found: install Debian's 'chromium' (.ci/run does) or set MONITOR_TEST_CHROMIUM",
)

# The digest is loaded into an iframe of exactly the width under test (headless Chromium will not make a
# window narrower than 500 px); once it has loaded, the layout is measured and written into the DOM,
# where --dump-dom can read it. srcdoc keeps the frame same-origin, so the parent can look inside.
WRAPPER = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" style="border:0;width:{width}px;height:3000px" srcdoc="{srcdoc}"></iframe>
<pre id="probe"></pre>
<script>
document.getElementById('f').addEventListener('load', function () {
  var d = this.contentDocument;
  var items = Array.prototype.map.call(d.querySelectorAll('.item'), function (el) {
    var r = el.getBoundingClientRect();
    return {w: r.width, h: r.height, right: r.right, text: el.innerText.slice(0, 40)};
  });
  document.getElementById('probe').textContent = JSON.stringify({scrollWidth: d.documentElement.scrollWidth,
    contentHeight: Math.ceil(d.body.getBoundingClientRect().height), items: items});
});
</script></body></html>"""


def chromium(*args: str, user_data: Path) -> subprocess.CompletedProcess[str]:
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={user_data}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def measure(digest_html: str, width: int, tmp_path: Path) -> dict[str, object]:
    page = tmp_path / f"probe-{width}.html"
    page.write_text(
        WRAPPER.replace("{width}", str(width)).replace("{srcdoc}", html.escape(digest_html)), encoding="utf-8"
    )
    result = chromium("--window-size=800,2000", "--dump-dom", page.as_uri(), user_data=tmp_path / f"p{width}")
    found = re.search(r'<pre id="probe">(.+?)</pre>', result.stdout, re.S)
    assert found, f"no probe output; chromium said: {result.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))


def test_digest_fits_600px_and_a_phone_and_every_item_is_visible(corpus: Corpus, tmp_path: Path) -> None:
    standard_corpus(corpus, datetime.now(UTC) - timedelta(hours=6))
    files = write_preview(corpus.url, tmp_path / "out", title="Data sovereignty digest")
    height = int(measure(files.html.read_text(encoding="utf-8"), 600, tmp_path)["contentHeight"])
    shot = tmp_path / "digest.png"
    result = chromium(
        f"--window-size=600,{height}", f"--screenshot={shot}", files.html.as_uri(), user_data=tmp_path / "shot"
    )
    assert shot.is_file() and shot.stat().st_size > 10_000, result.stderr[-2000:]
    target = os.environ.get("MONITOR_DIGEST_SCREENSHOT")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)

    # A title and a snippet with long unbroken strings are the usual way an e-mail overflows.
    corpus.add(
        "long",
        source="euractiv",
        title="Commission_adequacy_decision_" + "x" * 150 + " (a title with one very long unbroken word)",
        text="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:" + "0" * 200 + " data localisation",
        topics=[("data_localization", ["data localisation"])],
        countries=["EU"],
        flagged_at=datetime.now(UTC) - timedelta(hours=1),
    )
    files = write_preview(corpus.url, tmp_path / "out", title="Data sovereignty digest")
    digest_html = files.html.read_text(encoding="utf-8")
    for width in (600, 375):
        layout = measure(digest_html, width, tmp_path)
        assert layout["scrollWidth"] <= width, f"page overflows {width}px: {layout['scrollWidth']}"
        items = layout["items"]
        assert len(items) == files.item_count == 5
        for item in items:
            assert item["w"] > 0 and item["h"] > 0, f"invisible item: {item}"
            assert item["right"] <= width, f"item wider than {width}px: {item}"
