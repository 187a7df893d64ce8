"""Shared test helpers, imported as ``from tests.helpers... import``: paths, config writers, the CLI."""

from __future__ import annotations

from tests.helpers.paths import CONFIG_DIR, FIXTURES_DIR, REPO_ROOT

__all__ = ["CONFIG_DIR", "FIXTURES_DIR", "REPO_ROOT"]
