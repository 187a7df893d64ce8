"""trafilatura's jusText fallback uses the stop words of the registry's languages, not all 100."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO_ROOT

# A fresh interpreter: JT_STOPLIST is trafilatura's module state, set once by whichever extraction
# needs the fallback first.
FALLBACK = """
import trafilatura.external as external
from justext.utils import get_stoplist, get_stoplists
from lxml.html import fromstring
from trafilatura.settings import JUSTEXT_LANGUAGES

from monitor.extraction import html
from monitor.matching import languages

page = fromstring(
    "<html><body><div><p>The authority has fined the company for keeping the data of its customers "
    "longer than the law allows and for not telling them about it. It has also ordered the company to "
    "delete the data that it holds without a reason, within three months of the decision.</p>"
    "<nav>Home | News</nav></div></body></html>"
)
before = external.JT_STOPLIST
text = " ".join(external.try_justext(page, None, None).itertext())
codes = [code for code in languages.detected_codes() if code in JUSTEXT_LANGUAGES]
registry = {word for code in codes for word in get_stoplist(JUSTEXT_LANGUAGES[code])}
every = {word for name in get_stoplists() for word in get_stoplist(name)}
print(before is None, set(external.JT_STOPLIST) == registry, len(registry) < len(every) // 3, "fined" in text)
"""


def test_the_justext_fallback_loads_only_the_registry_languages_stop_words() -> None:
    out = subprocess.run([sys.executable, "-c", FALLBACK], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True", "True"]


def test_the_registry_stoplist_holds_the_watchlist_languages_words() -> None:
    from monitor.extraction.html import registry_stoplist

    words = set(registry_stoplist())
    assert {"the", "der", "les", "het", "und", "которые"} <= words
