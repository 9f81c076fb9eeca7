"""Commands for maintainers: `tipfigures serve` and `tipfigures refresh`."""

from __future__ import annotations

from tipfigures.cli import app  # noqa: F401
