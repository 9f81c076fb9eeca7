"""Commands for data users: `tipfigures download` (see tipfigures.download)."""

from __future__ import annotations

from tipfigures.cli import app  # noqa: F401
