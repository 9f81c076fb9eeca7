"""Stage 1, candidates: the numbers of a text that may be figures.

Dates, tiers ("Tier 2"), references and ordinals ("Article 127", "3rd"), telephone numbers and
citation markers ("[5]") are numbers but not figures; fractions ("two-thirds of ...") are
figures written without digits.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from tipfigures.extract.dates import TIER, DateMention
from tipfigures.extract.numbers import (
    PHONE,
    PHONE_LABELLED,
    NumberCandidate,
    find_fractions,
    find_shares,
    is_reference_or_ordinal,
    number_pattern,
    parse_number,
)
from tipfigures.extract.stretches import finditer_in, stretches_around

# "[5]", "[12][13]", "[note 3]": a web-copied page's citation markers, and the page numbers
# a marker can carry ("[3]: 512", "[7]: 14–15")
CITATION_MARKER = re.compile(r"\[(?:note[ \t]+|n[ \t]*)?[0-9]{1,4}\]")
CITED_PAGES = re.compile(r"\[(?:note[ \t]+|n[ \t]*)?[0-9]{1,4}\]:[ \t]?(?P<first>[0-9]{1,5})"
                         r"(?:[ \t]?[-–][ \t]?(?P<last>[0-9]{1,5}))?")
# A web page's list of references, notes or links: its numbers are page numbers, issue numbers
# and list numbers, not figures. It runs from its heading to the end of the text.
REFERENCE_LIST_HEADINGS = ("References", "Notes", "Sources", "Bibliography", "Citations",
                           "Footnotes", "Further reading", "External links", "Works cited")
REFERENCE_LIST = re.compile(
    r"(?m)^[ \t]*(?:=+[ \t]*)?(?:" + "|".join(REFERENCE_LIST_HEADINGS) + ")"
    r"[ \t]*(?:=+)?[ \t]*(?:\[edit\])?[ \t]*$")


def _may_list_references(text: str) -> bool:
    """(a fast test first: most texts name none of the headings)"""
    return any(heading in text for heading in REFERENCE_LIST_HEADINGS)


# A web copy's table of contents: "Contents" over lines "1 Migrant workers", "2.1 Police":
# section numbers, no figures
CONTENTS = re.compile(r"(?m)^[ \t]*Contents[ \t]*\n((?:[ \t]*[0-9]{1,2}(?:\.[0-9]{1,2})*[ \t]+"
                      r"[A-Z][^\n0-9]{1,80}\n){2,})")
SECTION_NUMBER = re.compile(r"(?m)^[ \t]*([0-9]{1,2}(?:\.[0-9]{1,2})*)[ \t]")


def _section_numbers(text: str) -> set[int]:
    """The starts of the section numbers of a web copy's table of contents."""
    found = CONTENTS.search(text) if "Contents" in text else None
    return {m.start(1) for m in SECTION_NUMBER.finditer(text, found.start(1), found.end(1))} \
        if found else set()


def find_candidates(text: str, dates: list[DateMention],
                    country_code: str | None) -> list[NumberCandidate]:
    """Every number of the text that is not a date, tier, reference, phone or citation."""
    date_spans = sorted((d.start, d.end) for d in dates)
    date_starts = [s for s, _ in date_spans]

    def inside_date(start: int, end: int) -> bool:
        index = bisect_left(date_starts, end) - 1
        return index >= 0 and date_spans[index][1] > start

    tier_starts = [m.start() for m in TIER.finditer(text)]
    references = REFERENCE_LIST.search(text) if _may_list_references(text) else None
    end_of_prose = references.start() if references else len(text)
    matches = list(number_pattern().finditer(text, 0, end_of_prose))
    # a phone's label is never far from its digits: searched for only near numbers
    near_numbers = stretches_around((m.span() for m in matches), 60, 60, len(text))
    phones = sorted([(m.start(), m.end()) for m in PHONE.finditer(text)] +
                    [m.span("number") if m.group("number") else m.span("short")
                     for m in finditer_in(PHONE_LABELLED, text, near_numbers)])
    phone_starts = [start for start, _ in phones]
    citations = {m.start() + 1 for m in CITATION_MARKER.finditer(text)} if "[" in text else set()
    if "]:" in text:
        citations |= {m.start(group) for m in CITED_PAGES.finditer(text)
                      for group in ("first", "last") if m.group(group)}
    sections = _section_numbers(text)
    numbers: list[NumberCandidate] = []
    for match in matches:
        number = parse_number(match, country_code)
        if number is None:
            continue
        digits = "digits" if match.group("digits") else "words"
        if inside_date(match.start(digits), match.end(digits)):
            continue
        tier = bisect_left(tier_starts, number.start) - 1
        if tier >= 0 and number.start - tier_starts[tier] < 10:  # "Tier 2", "Tier Three"
            continue
        if is_reference_or_ordinal(text, number):
            continue
        phone = bisect_left(phone_starts, number.start + 1) - 1
        if phone >= 0 and phones[phone][1] >= number.end:
            continue  # a telephone number
        if number.start in citations or match.start(digits) in citations:
            continue  # "[5]"
        if number.start in sections:
            continue  # "Contents 1 Migrant workers 2 Law enforcement"
        if _second_year_of_a_span(text, number.start, number.end):
            continue  # "in 2019-20"
        numbers.append(number)
    if "half" in text or "third" in text or "quarter" in text:
        starts, ends = [n.start for n in numbers], [n.end for n in numbers]

        # a fraction that overlaps no number: not "$ two" in "$ two-thirds"
        def free(fraction: NumberCandidate) -> bool:
            i = bisect_left(starts, fraction.end) - 1
            return i < 0 or ends[i] <= fraction.start

        numbers += [f for f in find_fractions(text) if free(f) and f.start < end_of_prose]
        numbers.sort(key=lambda n: n.start)
    shares = [s for s in find_shares(text) if s.start < end_of_prose]
    if shares:  # "one in five": the share replaces the numbers it is written with
        share_starts = [s.start for s in shares]

        def in_a_share(number: NumberCandidate) -> bool:
            i = bisect_left(share_starts, number.start + 1) - 1
            return i >= 0 and number.start < shares[i].end

        numbers = sorted([n for n in numbers if not in_a_share(n)] + shares,
                         key=lambda n: n.start)
    return numbers


YEAR_THEN_DASH = re.compile(r"(?:19|20)([0-9]{2})[-–/]$")


def _second_year_of_a_span(text: str, start: int, end: int) -> bool:
    """"the 2019-20 financial year": the "20" is the span's second year, no figure."""
    before = YEAR_THEN_DASH.search(text, max(0, start - 5), start)
    return before is not None and end - start == 2 and text[start:end].isdigit() and \
        int(text[start:end]) == (int(before.group(1)) + 1) % 100
