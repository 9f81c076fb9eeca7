"""A figures page's lines of labelled counts, read as the counts their labels name.

    2021 at a glance (2020 in brackets)
    • Persons who received counselling, legal guidance or health care: 143 (121)
      – women: 97 (88)
      – men: 44 (31)

Each bulleted line is the count its label names (people: the label says who); a line indented
under it whose label is a breakdown ("women") is its part; a bare number in brackets after a
count is the same count of an earlier year: the one the page says its brackets are for, else
the year before.
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
    r"(?P<value>[0-9][0-9,.]*)(?:[ \t]*\([ \t]*(?P<earlier>[0-9][0-9,.]*)[ \t]*\))?[ \t]*$")


def read_labelled_counts(text: str, figures: list[Figure], genre: Genre,
                         reporting_period: int | None) -> list[Figure]:
    """The figures, with those of labelled count lines read from their labels."""
    if not figures or ":" not in text:
        return figures
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
    if not any(word in rules().person_nouns for word in re.findall(r"[a-z]+", phrase)):
        return None
    indicator = header_indicator(phrase, (len(phrase), len(phrase)), "persons", None)
    return indicator if indicator != "other" else None
