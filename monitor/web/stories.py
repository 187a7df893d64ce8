"""Stories (an article and its syndicated copies) for a page: the shared rule of ``monitor.storage.stories``.

The web app, the digest and the Atom feed group copies and choose the primary the same way; this
module only keeps the web's name for it.
"""

from __future__ import annotations

from monitor.storage.stories import Story, stories_for

# The stories of the given articles with all their stored copies, in the input's order.
stories_of = stories_for

__all__ = ["Story", "stories_of"]
