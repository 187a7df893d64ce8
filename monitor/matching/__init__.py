"""Topic and jurisdiction matchers: pure code, no Scrapy or database imports.

Build a :class:`Matcher` once per process with ``Matcher.from_file(config/watchlists.yaml)``
and call ``match(title, text, language)`` per article.
"""

from monitor.matching.countries import CountryMatcher
from monitor.matching.matcher import Matcher
from monitor.matching.result import CountryHit, Evidence, MatchResult, TopicHit
from monitor.matching.topics import TopicMatcher

__all__ = ["CountryHit", "CountryMatcher", "Evidence", "MatchResult", "Matcher", "TopicHit", "TopicMatcher"]
