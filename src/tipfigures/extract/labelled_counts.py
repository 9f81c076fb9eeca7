"""A figures page's lines of labelled counts, read as the counts their labels name.

    2021 at a glance (2020 in brackets)
    • Persons who received counselling, legal guidance or health care: 143 (121)
      – women: 97 (88)
      – men: 44 (31)

Each bulleted line is the count its label names (people: the label says who); a line indented
under it whose label is a breakdown ("women") is its part; a bare number in brackets after a
count is the same count of an earlier year: the one the page says its brackets are for, else
the year before. A news story's fact box gives each count with its year:

    • Cases registered: 27 (2022), 11 (2021), 15 (2020)
"""

from __future__ import annotations

import re
from dataclasses import replace

from tipfigures.extract.genre import Genre
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules
from tipfigures.extract.text_tables import header_breakdown, header_indicator

COUNT_LINE = re.compile(
    r"(?m)^(?P<indent>[ \t]*)[*•·–—-][ \t]+(?P<label>[^\n:|\t]{2,120}?):[ \t]*"
    # (a year in brackets is the count's year, not an earlier count: "Cases: 27 (2022)")
    r"(?P<value>[0-9][0-9,.]*)(?:[ \t]*\([ \t]*(?!(?:19|20)[0-9]{2}[ \t]*\))"
    r"(?P<earlier>[0-9][0-9,.]*)[ \t]*\))?[ \t]*$")


# "• Cases registered: 27 (2022), 11 (2021), 15 (2020)": counts, each with its year
YEARS_LINE = re.compile(
    r"(?m)^[ \t]*[*•·–—-][ \t]+(?P<label>[^\n:|\t]{2,120}?):[ \t]*"
    r"(?P<values>[0-9][0-9,.]*[ \t]*\((?:19|20)[0-9]{2}\)"
    r"(?:[ \t]*,[ \t]*[0-9][0-9,.]*[ \t]*\((?:19|20)[0-9]{2}\))*)[ \t]*$")
VALUE_OF_A_YEAR = re.compile(r"(?P<value>[0-9][0-9,.]*)[ \t]*\((?P<year>(?:19|20)[0-9]{2})\)")
# a label of counted cases: "Cases registered", "Investigations opened"
CASES_LABEL = re.compile(r"\b(?:cases?|investigations?|prosecutions?|proceedings?)\b", re.I)


def read_labelled_counts(text: str, figures: list[Figure], genre: Genre,
                         reporting_period: int | None) -> list[Figure]:
    """The figures, with those of labelled count lines read from their labels."""
    if not figures or ":" not in text:
        return figures
    figures = _counts_with_their_years(text, figures)
    at = {figure.start: i for i, figure in enumerate(figures)}
    out = list(figures)
    brackets = genre.brackets_year
    parent: tuple[int, Figure] | None = None  # the last count line and its indentation
    for m in COUNT_LINE.finditer(text):
        i = at.get(m.start("value"))
        if i is None:
            parent = None
            continue
        label = m.group("label").strip()
        indent = len(m.group("indent").expandtabs(4))
        breakdown = header_breakdown(label, whole=True)
        if parent is not None and indent > parent[0] and breakdown:
            whole = parent[1]
            read = replace(figures[i], indicator=whole.indicator, unit=whole.unit, role="part",
                           part_of=whole.start, breakdown=breakdown, period=whole.period)
        else:
            indicator = _label_indicator(label)
            if indicator is None:
                parent = None
                continue
            period = figures[i].period or (str(reporting_period) if reporting_period else None)
            read = replace(figures[i], indicator=indicator, unit="persons", role="total",
                           part_of=None, breakdown=None, period=period)
            parent = (indent, read)
        out[i] = read
        j = at.get(m.start("earlier")) if m.group("earlier") else None
        year = brackets or (str(int(read.period) - 1) if (read.period or "").isdigit() else None)
        if j is not None and year is not None:
            out[j] = replace(figures[j], indicator=read.indicator, unit=read.unit,
                             role=read.role, breakdown=read.breakdown, part_of=None,
                             period=year, compared_with=read.start)
    return out


def _label_indicator(label: str) -> str | None:
    """The indicator of a label that names people ("Persons who received counselling"), read
    as if the number came after it."""
    phrase = label.lower()
    if not _names_people(phrase):
        return None
    indicator = header_indicator(phrase, (len(phrase), len(phrase)), "persons", None)
    return indicator if indicator != "other" else None


def _counts_with_their_years(text: str, figures: list[Figure]) -> list[Figure]:
    """"• Persons convicted: 9 (2022), 0 (2021)": each count of the label's kind, of its year."""
    if "(" not in text:
        return figures
    at = {figure.start: i for i, figure in enumerate(figures)}
    out = list(figures)
    for line in YEARS_LINE.finditer(text):
        label = line.group("label").strip().lower()
        unit = "persons" if _names_people(label) else "cases" if CASES_LABEL.search(label) \
            else None
        indicator = header_indicator(label, (len(label), len(label)), unit, None) \
            if unit else "other"
        if indicator == "other":
            continue
        for value in VALUE_OF_A_YEAR.finditer(text, line.start("values"), line.end("values")):
            i = at.get(value.start("value"))
            if i is not None:
                out[i] = replace(figures[i], indicator=indicator, unit=unit, role="total",
                                 part_of=None, breakdown=None, period=value.group("year"))
    return out


def _names_people(label: str) -> bool:
    """"Persons convicted", "Victims recognised": a label of counted people."""
    return any(word in rules().person_nouns for word in re.findall(r"[a-z]+", label))
