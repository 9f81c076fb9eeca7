"""Dates and tier placements: years, months and days mentioned in a text, and "Tier 3 in 2017"."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import chain

from tipfigures.extract.results import Event, TierPlacement
from tipfigures.extract.rules import rules
from tipfigures.extract.sentences import SentenceFacts
from tipfigures.text_structure import TOKEN, TextStructure

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
FULL_MONTH_NAME = "(?:" + "|".join(MONTH_NAMES) + ")"
MONTHS = {m.lower(): i for i, m in enumerate(MONTH_NAMES, start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
MONTH_PATTERN = ("(?:" + "|".join(MONTH_NAMES)
                 + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)")
# The same, as alternatives that each start with a letter: a pattern that starts with them is
# searched fast (the regex engine skips to the months' first letters)
MONTH_LITERALS = "|".join(MONTH_NAMES + tuple(
    abbreviation + r"\." + "?" for abbreviation in
    ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec")))
YEAR_PATTERN = r"(?:1[89][0-9]{2}|20[0-9]{2})"
DATE = re.compile(
    r"(?=[0-9JFMASONDF])(?:"
    # "March 5, 2010", "March 5"
    rf"(?P<md>{MONTH_PATTERN})[ \t]+(?P<mdday>[0-9]{{1,2}})(?:st|nd|rd|th)?\b"
    # "between May 12 and 14", "March 3-5": the second day belongs to the date
    rf"(?:[ \t]*(?:-|–|and|to|through)[ \t]*[0-9]{{1,2}}(?:st|nd|rd|th)?\b(?![ \t]*[%$])"
    rf"(?![ \t]+(?!(?:in|at|on|of|and|to|for|when|while|by|from|the)\b)[a-z]))?"
    rf"(?:,?[ \t]+(?P<mdyear>{YEAR_PATTERN}))?"
    # "5 March 2010", "5 March"
    rf"|(?P<dm>[0-9]{{1,2}})(?:st|nd|rd|th)?[ \t]+(?P<dmmonth>{MONTH_PATTERN})"
    rf"(?:,?[ \t]+(?P<dmyear>{YEAR_PATTERN}))?"
    rf"|(?P<my>{MONTH_PATTERN})(?:[ \t]+of)?[ \t]+(?P<myyear>{YEAR_PATTERN})"
    rf"|(?<![A-Za-z])FY[ \t]?(?P<fiscal>20[0-9]{{2}})\b"
    rf"|(?<![0-9A-Za-z$.,/])(?P<year>{YEAR_PATTERN})(?![0-9]|,[0-9]|\.[0-9]|[ \t]?%|/[0-9]|s\b))"
)
TIER = re.compile(r"Tier(?<!\wTier)"  # (a literal first: the regex engine's fast search)
                  r"[ \t]+(?P<tier>[123]|One|Two|Three)(?P<watch>[ \t]+Watch[ \t]*[Ll]ist)?")
TIER_NAMES = {"1": "1", "2": "2", "3": "3", "one": "1", "two": "2", "three": "3"}


@dataclass
class DateMention:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    is_name: bool  # "the 2009 TIP Report"
    number_start: int  # where the year (or day) digits start


def find_dates(text: str) -> list[DateMention]:
    found = []
    name_after, law_name_before = rules().name_after, rules().law_name_before
    for m in DATE.finditer(text):
        if m.group("fiscal"):  # "FY2022": the fiscal year, taken as its calendar year
            found.append(DateMention(m.start(), m.end(), int(m.group("fiscal")), None, None, False,
                               m.start("fiscal")))
        elif m.group("year"):
            year = int(m.group("year"))
            is_name = bool(name_after.match(text, m.end(), min(len(text), m.end() + 60))) or \
                law_name_before.search(text, max(0, m.start() - 40), m.start()) is not None
            if not is_name and year_is_a_count(text, m.start(), m.end()):
                continue
            found.append(DateMention(m.start(), m.end(), year, None, None, is_name, m.start()))
        elif m.group("my"):
            found.append(DateMention(m.start(), m.end(), int(m.group("myyear")),
                               month_number(m.group("my")), None, False, m.start("myyear")))
        else:
            month_name = (m.group("md") or m.group("dmmonth")).rstrip(".").lower()
            month = month_number(month_name)
            day = int(m.group("mdday") or m.group("dm"))
            year_text = m.group("mdyear") or m.group("dmyear")
            if not 1 <= day <= 31:
                continue
            year = int(year_text) if year_text else None
            found.append(DateMention(m.start(), m.end(), year, month,
                               day, False, m.start()))
    return found


def year_is_a_count(text: str, start: int, end: int) -> bool:
    """'1500 children' is a count, 'In 2009 police' a year: look at the words around it."""
    after = TOKEN.findall(text, end, min(len(text), end + 30))[:1]
    before = TOKEN.findall(text, max(0, start - 25), start)[-1:]
    if not after or not after[0][0].isalpha() or "\n" in text[end:end + 3]:
        return False  # (a year that ends its line ends a heading: "Trafficking in numbers, 2023")
    noun = after[0].lower()
    temporal = {"in", "since", "during", "by", "of", "from", "through", "until", "to", "and",
                "between", "before", "after", "fiscal", "year", "early", "late", "mid", "the",
                "a", "till", "–", "-", "’s", "'s"}
    if before and before[0].lower() in temporal:
        return False
    return noun in rules().person_nouns or noun in {"cases", "investigations", "prosecutions"}


def month_number(name: str) -> int:
    name = name.rstrip(".").lower()
    return MONTHS.get(name) or MONTHS[name[:3]]


def dated_events(text: str, dates: list[DateMention], structure: TextStructure,
            sentences: SentenceFacts | None = None) -> list[Event]:
    sentences = sentences or SentenceFacts(text, structure)
    events = []
    for d in dates:
        if d.is_name or d.year is None:
            continue
        if d.day is not None and d.month is not None:
            date, precision = f"{d.year:04d}-{d.month:02d}-{d.day:02d}", "day"
        elif d.month is not None:
            date, precision = f"{d.year:04d}-{d.month:02d}", "month"
        else:
            date, precision = f"{d.year:04d}", "year"
        events.append(Event(d.start, d.end, text[d.start:d.end], date, precision,
                            sentences.stripped(structure.sentence_span(d.start))))
    return events


def find_tier_placements(text: str, dates: list[DateMention], structure: TextStructure,
                     country_code: str | None,
                     sentences: SentenceFacts | None = None) -> list[TierPlacement]:
    sentences = sentences or SentenceFacts(text, structure)
    placements: list[TierPlacement] = []
    seen = set()
    date_starts = [d.start for d in dates]  # sorted: found left to right
    for m in TIER.finditer(text):
        s_start, s_end = structure.sentence_span(m.start())
        low, high = bisect_left(date_starts, s_start), bisect_left(date_starts, s_end)
        here = bisect_left(date_starts, m.end(), low, high)
        # the first year after the tier in its sentence, else the last one before it
        pick = next((dates[i] for i in chain(range(here, high), range(here - 1, low - 1, -1))
                     if dates[i].year and not dates[i].is_name), None)
        years = [pick] if pick else []
        if not years:
            continue
        after = [d for d in years if d.start >= m.end()]
        year = (after[0] if after else years[-1]).year
        tier = TIER_NAMES[m.group("tier").lower()] + (" Watch List" if m.group("watch") else "")
        key = (country_code, year, tier)
        if key in seen:
            continue
        seen.add(key)
        placements.append(TierPlacement(m.start(), m.end(), m.group(0), country_code, year, tier,
                                        sentences.stripped((s_start, s_end))))
    return placements
