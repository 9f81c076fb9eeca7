"""What kind of text a source is, where that changes how its figures read.

A news story opens on a dateline ("RABAT, March 12 (Reuters) - "): its numbers tell the event
it reports unless a year is named, and its "last year" depends on when it was written.
"""

from __future__ import annotations

import re

DATELINE = re.compile(
    r"(?m)^[A-Z][A-Z.'-]+(?:[ \t][A-Z][A-Z.'-]+){0,3}(?:,[^\n–—-]{2,40})?"
    r"(?:[ \t]*\([^)\n]{1,30}\))?[ \t]*[–—-][ \t]")
# An annual report with a dateline ("Annual Report 2022 ... BANGKOK, 3 March -") is still an
# annual report; a news story that quotes one after its dateline is news.
ANNUAL = re.compile(r"\b(?:annual|yearly|fiscal year|this year's|year in review)\b", re.I)


def dateline_end(text: str) -> int | None:
    """Where a news story's dateline ends, or None when the text has none."""
    found = DATELINE.search(text, 0, 400)
    return found.end() if found else None


def is_news_story(text: str) -> bool:
    end = dateline_end(text)
    return end is not None and not ANNUAL.search(text, 0, end)


def written_after_its_year(text: str, reporting_period: int | None) -> bool:
    """A news story that names its reporting year was written after it ("convicted 142 people
    last year ... in 2023"): its "last year" is that year, its "this year" the next."""
    return reporting_period is not None and is_news_story(text) and \
        re.search(rf"\b{reporting_period}\b", text) is not None
