"""What a table's header, or a list's label, says a count is: its indicator and breakdown.

Shared by the readers of text tables, of label lists and of labelled counts: "Victims
identified" over a column, "Persons convicted: 9", "Sexual exploitation: 598".
"""

from __future__ import annotations

import re

from tipfigures.extract.reading import UNCONFIRMED, IndicatorKeywords, indicator_of
from tipfigures.extract.rules import rules

YEAR_CELL = re.compile(r"[ \t]*((?:19|20)[0-9]{2})[ \t]*$")


def header_indicator(phrase: str, number: tuple[int, int], unit: str | None,
                      entity: str | None, title_indicator: str | None = None) -> str:
    """The indicator a header names, read as if the number stood at `number` in it; a
    header of "victims" (by year, or a column of them) counts those identified, or those
    the table's title says (`title_indicator`)."""
    if title_indicator and VICTIMS_ALONE.fullmatch(phrase):
        return title_indicator  # "Victims", "Potential victims": counted as the title says
    indicator = indicator_of(phrase, number[0], number[1], (0, len(phrase)), unit, entity,
                             IndicatorKeywords.find(phrase))
    if indicator == "other" and unit == "persons" and "victim" in phrase:
        return title_indicator or "victims_identified"
    return indicator


# a header that names victims and nothing done to them
VICTIMS_ALONE = re.compile(rf"(?:1[ \t]+)?(?:{UNCONFIRMED}[ \t]+)?(?:trafficking[ \t]+)?victims?"
                           r"(?:[ \t]+of[ \t]+trafficking)?[ \t]*")


CASES_LABEL = re.compile(r"\b(?:cases?|investigations?|prosecutions?|proceedings?)\b", re.I)


def label_indicator(label: str) -> tuple[str, str] | None:
    """The indicator and unit of a label that names people ("Persons who received
    counselling") or cases ("Trafficking-related investigations"), read as if the number came
    after it."""
    phrase = label.lower()
    unit = "persons" if names_people(phrase) else "cases" if CASES_LABEL.search(phrase) \
        else None
    if unit is None:
        return None
    if unit == "persons" and phrase.split()[0] in rules().person_nouns:
        # "People convicted of trafficking by federal courts": read as "73 people convicted
        # ...", the participle after the people it counts, not the "courts" at the end
        indicator = header_indicator(f"1 {phrase}", (0, 1), unit, None)
    else:
        indicator = header_indicator(phrase, (len(phrase), len(phrase)), unit, None)
    return (indicator, unit) if indicator != "other" else None


def names_people(label: str) -> bool:
    """"Persons convicted", "Victims recognised": a label of counted people."""
    return any(word in rules().person_nouns for word in re.findall(r"[a-z]+", label))


def header_breakdown(header: str, whole: bool = False) -> str | None:
    """The breakdown a header or label names; `whole`: only when the label is nothing else
    ("women", not "Persons who received counselling, women included")."""
    for code, pattern in rules().structure.breakdowns:
        if pattern.fullmatch(header.strip().lower()) if whole else pattern.search(header):
            return code
    return None
