"""Searching a long text only where a pattern can match.

Python's regex engine tries a pattern at every position of the text; a phrase that is only
ever found near some other thing (a relative year near the word "year", an indicator keyword
near a number) is found several times faster by searching the stretches around those things.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def stretches_around(spans: Iterable[tuple[int, int]], before: int, after: int,
                     length: int) -> list[tuple[int, int]]:
    """The stretches from `before` characters before each span to `after` characters after it,
    the overlapping ones joined; spans sorted by start."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        start, end = max(0, start - before), min(length, end + after)
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def finditer_in(pattern: re.Pattern[str], text: str,
                stretches: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """pattern.finditer(text) in each stretch, in order (a look-behind or \\b at a stretch's
    start still sees the character before it)."""
    for start, end in stretches:
        yield from pattern.finditer(text, start, end)
