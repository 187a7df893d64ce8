"""The daily digest: which items, rendered how, sent exactly once to whom.

``select`` picks items, ``render`` turns them into HTML and text, ``message`` into an e-mail,
``smtp`` delivers it, ``outbox`` keeps the exactly-once state, ``preview`` writes files.
"""

from __future__ import annotations

from monitor.digest.preview import PreviewFiles, write_preview

__all__ = ["PreviewFiles", "write_preview"]
