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


# A web copy's byline or date line, near the top: "By Chinedu Okafor, Abuja | 14 February 2023"
MONTH_NAMES = r"(?:January|February|March|April|May|June|July|August|September|October|" \
    r"November|December)"
DATE_LINE = re.compile(
    rf"(?m)^[^\n]{{0,80}}?\b(?:[0-9]{{1,2}}[ \t]+{MONTH_NAMES}[ \t]+(?P<year>(?:19|20)[0-9]{{2}})|"
    rf"{MONTH_NAMES}[ \t]+[0-9]{{1,2}},[ \t]+(?P<year_after>(?:19|20)[0-9]{{2}}))[ \t]*$")


def published_year(text: str) -> int | None:
    """The year a web copy says it was published, from a date line at its top."""
    found = DATE_LINE.search(text, 0, 400)
    return int(found.group("year") or found.group("year_after")) if found else None


def written_after_its_year(text: str, reporting_period: int | None) -> bool:
    """A news story that names its reporting year was written after it ("convicted 142 people
    last year ... in 2023"): its "last year" is that year, its "this year" the next. So is a
    web copy dated after its reporting year."""
    if reporting_period is None:
        return False
    published = published_year(text)
    if published is not None:
        return published > reporting_period
    return is_news_story(text) and re.search(rf"\b{reporting_period}\b", text) is not None
