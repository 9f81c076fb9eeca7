"""What kind of text a source is, where that changes how its figures read.

A news story opens on a dateline ("RABAT, March 12 (Reuters) - "): its numbers tell the event
it reports unless a year is named, and its "last year" depends on when it was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tipfigures.extract.dates import FULL_MONTH_NAME

DATELINE = re.compile(
    r"(?m)^(?:[A-Z][A-Z.'-]+(?:[ \t][A-Z][A-Z.'-]+){0,3}(?:,[^\n–—-]{2,40})?"
    r"(?:[ \t]*\([^)\n]{1,30}\))?"  # ("SEOUL, Feb. 20 (KNA) -- ")
    # (or a place in capitals and small letters before its agency: "Batam, Riau Islands
    # (ANTARA) - ", "Kampala (Reuters) - ")
    r"|[A-Z][a-z]+(?:[ \t,]+[A-Z][a-z]+){0,3}[ \t]*\([A-Z][A-Za-z]{1,15}\))[ \t]*(?:--|[–—-])[ \t]")
# An annual report with a dateline ("Annual Report 2022 ... BANGKOK, 3 March -") is still an
# annual report; a news story that quotes one after its dateline is news.
ANNUAL = re.compile(r"\b(?:annual|yearly|fiscal year|this year's|year in review)\b", re.I)


# A story whose lead reports a year's statistics ("according to year-end figures released by
# the agency", "annual figures published on Monday"): its numbers are the year's counts.
STATISTICS_LEAD = re.compile(
    r"\b(?:year-end|annual|yearly|end-of-year)[ \t]+(?:figures|statistics|data|report|tally)\b"
    r"|\b(?:figures|statistics|data)[ \t]+(?:released|published|presented)\b", re.I)


def dateline_end(text: str) -> int | None:
    """Where a news story's dateline ends, or None when the text has none."""
    found = DATELINE.search(text, 0, 400)
    return found.end() if found else None


# A date written out: "14 February 2023", "December 31, 2022"
A_DATE = (rf"(?:[0-9]{{1,2}}(?:st|nd|rd|th)?[ \t]+{FULL_MONTH_NAME}|{FULL_MONTH_NAME}[ \t]+"
          rf"[0-9]{{1,2}},)[ \t]+"
          rf"(?P<year>(?:19|20)[0-9]{{2}})")
# A web copy's byline or date line, near the top: "By Chinedu Okafor, Abuja | 14 February 2023",
# "Published 9 March 2023, 17:42", "Wednesday, February 14, 2024 | 4 min read"
DATE_LINE = re.compile(
    rf"(?m)^[^\n]{{0,80}}?\b{A_DATE}"
    r"(?:,?[ \t]+[0-9]{1,2}[:.][0-9]{2}(?:[ \t]*(?:[AaPp]\.?[Mm]\.?|[A-Z]{2,4}))?)?"
    r"(?:[ \t]+[|·•][^\n0-9]{0,12}[0-9]{1,2}[ \t]+min(?:ute)?s?[ \t]+read)?[ \t]*$")
# a news story's dateline's date: "ISLAMABAD, December 31, 2022 — "
DATED = re.compile(rf"\b{A_DATE}\b")


def published_year(text: str) -> int | None:
    """The year a web copy says it was published, from a date line at its top."""
    found = DATE_LINE.search(text, 0, 400)
    return int(found.group("year")) if found else None


# "Figures in brackets are for 2021.": a report's own convention for its bare brackets
BRACKETS_ARE_FOR = re.compile(r"\b(?:[Ff]igures|[Nn]umbers|[Aa]mounts)[ \t]+in[ \t]+(?:brackets|"
                              r"parenthes[ie]s)[ \t]+(?:are|refer[ \t]+to|give|show)[ \t]+"
                              r"(?:(?:those|the[ \t]+figures)[ \t]+)?(?:for|of)[ \t]+"
                              r"(?P<year>(?:19|20)[0-9]{2})\b")


@dataclass(frozen=True)
class Genre:
    """What the top of a text says it is, read once for the stages that read it differently."""

    dateline_end: int | None  # where a news story's dateline ends
    news_story: bool  # a dateline that opens no annual report
    published_year: int | None  # from a web copy's date line
    brackets_year: str | None = None  # "Figures in brackets are for 2021"
    dateline_year: int | None = None  # "ISLAMABAD, December 31, 2022 — "
    statistics_story: bool = False  # a news story whose lead reports a year's figures

    @property
    def one_story(self) -> bool:
        """A news story or a dated web copy: its paragraphs go on telling one story."""
        return self.news_story or self.published_year is not None


def read_genre(text: str) -> Genre:
    end = dateline_end(text)
    brackets = BRACKETS_ARE_FOR.search(text) if "racket" in text or "arenthes" in text else None
    news = end is not None and not ANNUAL.search(text, 0, end)
    dated = DATED.search(text, max(0, end - 40), end) if end is not None else None
    return Genre(dateline_end=end, news_story=news, published_year=published_year(text),
                 brackets_year=brackets.group("year") if brackets else None,
                 dateline_year=int(dated.group("year")) if dated else None,
                 statistics_story=news and STATISTICS_LEAD.search(
                     text, end or 0, (end or 0) + 600) is not None)



def written_after_its_year(text: str, genre: Genre, reporting_period: int | None) -> bool:
    """A news story that names its reporting year was written after it ("convicted 142 people
    last year ... in 2023"): its "last year" is that year, its "this year" the next. So is a
    web copy dated after its reporting year."""
    if reporting_period is None:
        return False
    if genre.published_year is not None:
        return genre.published_year > reporting_period
    if genre.news_story and genre.dateline_year is not None:
        # "ISLAMABAD, December 31, 2022 — ... this year": written in 2022
        return genre.dateline_year > reporting_period
    # (and a story whose lead reports a year's figures "last year" reports on that year: its
    # source's reporting period)
    return genre.news_story and (genre.statistics_story or
                                 re.search(rf"\b{reporting_period}\b", text) is not None)
