"""Language of a text: the page's declaration, checked by py3langid on the text itself."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from monitor.matching import languages

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# py3langid's cost grows with the sample; on the 181 AEB articles the first 1,000 characters already
# give the same language as the first 5,000, and 2,000 leave a margin for pages that open with a
# byline or a quotation in another language, at half the cost of 5,000.
MAX_SAMPLE_CHARS = 2000
# Below this many bytes (CJK characters count three) a statistical guess is worse than the page's own declaration.
MIN_CHARS_FOR_DETECTION = 40


@lru_cache(maxsize=2)
def _identifier(codes: tuple[str, ...]) -> LanguageIdentifier:
    """The model restricted to ``codes``: every language of the registry (monitor/matching/languages.py),
    the watchlist ones and the ones regulators publish in, which avoids rare-language false
    positives on short texts."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(codes))
    # set_languages keeps the full 142-language probability table (27 MB) beside the restricted
    # copy, to allow another restriction later; this identifier never gets one (other codes make
    # another identifier, from the file), so each extraction worker would carry it for nothing.
    if hasattr(identifier, "_full_model"):
        identifier._full_model = (identifier.nb_ptc, identifier.nb_pc, identifier.nb_classes)
    return identifier


def load_model() -> None:
    """Load the identifier now (a worker's warm-up, the forkserver's preload), not at the first page."""
    _identifier(languages.detected_codes())


def detect_language(text: str, declared: str | None = None, hint: str | None = None) -> str | None:
    """ISO 639-1 code or None. Declared language wins when the text does not clearly disagree."""
    sample = text[:MAX_SAMPLE_CHARS]
    if len(sample.strip().encode("utf-8")) < MIN_CHARS_FOR_DETECTION:
        return declared or hint
    language, probability = _identifier(languages.detected_codes()).classify(sample)
    if declared and declared != language and probability < 0.9:
        return declared
    return str(language)
