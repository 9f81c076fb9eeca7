"""A figures page's lines of labelled counts, read as the counts their labels name.

    2021 at a glance (2020 in brackets)
    • Persons who received counselling, legal guidance or health care: 143 (121)
      – women: 97 (88)
      – men: 44 (31)

Each bulleted line is the count its label names (people: the label says who); a line indented
under it whose label is a breakdown ("women") is its part; a bare number in brackets after a
count is the same count of an earlier year: the one the page says its brackets are for, else
the year before ("(2022: 265)" names it). A line may hold several labelled counts; right under
a count, a line whose labels are all breakdowns gives its parts, and a line that opens "Of
these" a part of it (or, of another indicator, a count picked out of it):

    • Migrant workers assisted: 312 (2022: 265)
    • Women: 296 – Men: 16
    • Of these, recognised by the government as victims: 1

A news story's fact box gives each count with its year, and a label that ends in a colon over
rows of years gives each year's count (and, in brackets, the part its label's aside names):

    • Cases registered: 27 (2022), 11 (2021), 15 (2020)
    Persons assisted by the projects (of whom newly taken into care):
    2019 – 2,033 (677)
"""

from __future__ import annotations

import re
from dataclasses import replace

from tipfigures.extract.genre import Genre
from tipfigures.extract.headers import header_breakdown, label_indicator
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules
from tipfigures.text_structure import finditer_at_line_starts

# a bulleted line of labelled counts: "• Victims identified: 5 (2022: 2)", "• Women: 296 – Men: 16"
BULLETED_LINE = re.compile(r"(?m)^(?P<indent>[ \t]*)[*•·–—-][ \t]+(?P<content>[^\n]+?)[ \t]*$")
QUALIFIER = r"(?:(?:about|around|approximately|some|nearly|over|more[ \t]+than)[ \t]+)?"
# one labelled count of such a line; a bare number in brackets is an earlier year's count
# (a year in brackets is the count's year, not an earlier count: "Cases: 27 (2022)")
COUNT = re.compile(
    # (a label holds no separator of counts, a spaced dash; "(2019–2021)" it may hold)
    rf"(?P<label>(?:(?![ \t]+[–—][ \t])[^\n:|\t;]){{2,120}}?):[ \t]*{QUALIFIER}"
    r"(?P<value>[0-9][0-9,.]*)"
    r"(?:[ \t]*\([ \t]*(?!(?:19|20)[0-9]{2}[ \t]*\))"
    rf"(?:(?P<earlier_year>(?:19|20)[0-9]{{2}})[ \t]*:[ \t]*)?{QUALIFIER}"
    r"(?P<earlier>[0-9][0-9,.]*)[ \t]*\))?")
# between the counts of one line: "Women: 296 – Men: 16"
SEPARATOR = re.compile(r"[ \t]+[–—|][ \t]+|[ \t]*;[ \t]+")
OF_THESE = re.compile(r"[ \t]*(?:[Oo]f|[Aa]mong)[ \t]+(?:these|them|whom|those)\b")
# a label of the rest of a breakdown: "other countries", "others"
THE_REST = re.compile(r"(?:other|others|other[ \t]+\w+|the[ \t]+rest)", re.I)


def _counts_of_a_line(content: str) -> list[re.Match[str]] | None:
    """The labelled counts a line is made of, or None when it is something else."""
    counts, position = [], 0
    while True:
        count = COUNT.match(content, position)
        if count is None:
            return None
        counts.append(count)
        position = count.end()
        if position == len(content):
            return counts
        separator = SEPARATOR.match(content, position)
        if separator is None:
            return None
        position = separator.end()


# "• Cases registered: 27 (2022), 11 (2021), 15 (2020)": counts, each with its year
YEARS_LINE = re.compile(
    r"(?m)^[ \t]*[*•·–—-][ \t]+(?P<label>[^\n:|\t]{2,120}?):[ \t]*"
    r"(?P<values>[0-9][0-9,.]*[ \t]*\((?:19|20)[0-9]{2}\)"
    r"(?:[ \t]*,[ \t]*[0-9][0-9,.]*[ \t]*\((?:19|20)[0-9]{2}\))*)[ \t]*$")
VALUE_OF_A_YEAR = re.compile(r"(?P<value>[0-9][0-9,.]*)[ \t]*\((?P<year>(?:19|20)[0-9]{2})\)")
# a label of counted cases: "Cases registered", "Investigations opened"


def read_labelled_counts(text: str, figures: list[Figure], genre: Genre,
                         reporting_period: int | None,
                         source_country: str | None = None) -> list[Figure]:
    """The figures, with those of labelled count lines read from their labels."""
    if not figures or ":" not in text:
        return figures
    figures = _counts_of_the_years(text, _counts_with_their_years(text, figures))
    at = {figure.start: i for i, figure in enumerate(figures)}
    out = list(figures)
    brackets = genre.brackets_year
    parent: tuple[int, Figure] | None = None  # the last count line and its indentation
    parent_end = -1  # where the last count line ends
    for line in finditer_at_line_starts(BULLETED_LINE, text):
        counts = _counts_of_a_line(line.group("content"))
        offset = line.start("content")
        found = [at.get(offset + count.start("value")) for count in counts or ()]
        if not counts or None in found:
            parent = None
            continue
        indent = len(line.group("indent").expandtabs(4))
        labels = [count.group("label").strip() for count in counts]
        parts = [_label_breakdown(label, source_country) for label in labels]
        under = parent is not None and (
            indent > parent[0] or  # "  – women: 97 (88)" indented under its count
            # "• Women: 296 – Men: 16" on the next line, every label a breakdown
            len(counts) > 1 and text.count("\n", parent_end, line.start()) <= 1)
        if under and all(part is not None for part in parts):
            whole = parent[1]
            reads = [replace(figures[i], indicator=whole.indicator, unit=whole.unit,
                             role="part", part_of=whole.start, period=whole.period,
                             breakdown=part or None) for i, part in zip(found, parts, strict=True)]
        else:
            indicators = [label_indicator(label) for label in labels]
            if None in indicators:
                parent = None
                continue
            # "• Of these, referred to the police: 20": a part of the line before (but "• Of
            # these, recognised by the government as victims: 1" picks the year's victims
            # identified out of those referred: a count of its own, as in prose)
            of_these = parent is not None and OF_THESE.match(labels[0]) is not None and \
                text.count("\n", parent_end, line.start()) <= 1
            reads = []
            for i, (indicator, unit) in zip(found, indicators, strict=True):
                period = figures[i].period or (str(reporting_period) if reporting_period
                                               else None)
                part = of_these and parent is not None and indicator == parent[1].indicator
                reads.append(replace(figures[i], indicator=indicator, unit=unit,
                                     role="part" if part else "total",
                                     part_of=parent[1].start if part and parent else None,
                                     breakdown=None, period=period))
            parent = (indent, reads[0]) if len(reads) == 1 and not of_these else None
        parent_end = line.end()
        for count, i, read in zip(counts, found, reads, strict=True):
            out[i] = read
            j = at.get(offset + count.start("earlier")) if count.group("earlier") else None
            year = count.group("earlier_year") or brackets or (
                str(int(read.period) - 1) if (read.period or "").isdigit() else None)
            if j is not None and year is not None:
                out[j] = replace(figures[j], indicator=read.indicator, unit=read.unit,
                                 role=read.role, breakdown=read.breakdown, part_of=None,
                                 period=year, compared_with=read.start)
    return out


def _label_breakdown(label: str, source_country: str | None) -> str | None:
    """What a label of a part names: a breakdown ("women": sex=female), a nationality ("From
    the Philippines"), or the rest ("other countries": "", a part of no breakdown); None when
    it names no part."""
    named = header_breakdown(label, whole=True)
    if named:
        return named
    place = re.sub(r"^(?:[Ff]rom|[Ii]n)[ \t]+", "", label.strip())
    code = rules().structure.countries.get(place)
    if code is not None:
        return f"nationality={code}" if code != source_country else ""
    return "" if THE_REST.fullmatch(place) else None


# a label that ends its line with a colon, then a year's count on each line after it:
#     Persons assisted by the projects (of whom newly taken into care):
#     2019 – 2,033 (677)
LABEL_BEFORE_ROWS = re.compile(r"(?m)(?:^|(?<=[.!?\]]\s))(?P<label>[^\n.:]{3,160}?)"
                               r":(?:\[[0-9]+\])*[ \t]*\n")
YEAR_ROW = re.compile(r"[ \t]*[-•*]?[ \t]*(?P<year>(?:19|20)[0-9]{2})[ \t]*(?:--|[–—:-])[ \t]*"
                      rf"{QUALIFIER}(?P<value>[0-9][0-9,.]*)"
                      r"(?:[ \t]*\([ \t]*(?P<inner>[0-9][0-9,.]*)[ \t]*\))?[ \t]*(?:\n|$)")
ASIDE = re.compile(r"[ \t]*\([^()]*\)")


def _counts_of_the_years(text: str, figures: list[Figure]) -> list[Figure]:
    """A label's rows of years: each row's count is the year's count the label names; a count
    in brackets after it is its part the bracket in the label names ("of whom newly taken into
    care")."""
    if ":\n" not in text and ":[" not in text:
        return figures
    at = {figure.start: i for i, figure in enumerate(figures)}
    out = list(figures)
    for label in LABEL_BEFORE_ROWS.finditer(text):
        read = label_indicator(ASIDE.sub("", label.group("label")).strip())
        if read is None:
            continue
        indicator, unit = read
        position = label.end()
        while (row := YEAR_ROW.match(text, position)) is not None:
            i = at.get(row.start("value"))
            if i is None:
                break
            out[i] = replace(figures[i], indicator=indicator, unit=unit, role="total",
                             part_of=None, breakdown=None, period=row.group("year"))
            j = at.get(row.start("inner")) if row.group("inner") else None
            if j is not None:
                out[j] = replace(figures[j], indicator=indicator, unit=unit, role="part",
                                 part_of=figures[i].start, breakdown=None,
                                 period=row.group("year"))
            position = row.end()
    return out


def _counts_with_their_years(text: str, figures: list[Figure]) -> list[Figure]:
    """"• Persons convicted: 9 (2022), 0 (2021)": each count of the label's kind, of its year."""
    if "(" not in text:
        return figures
    at = {figure.start: i for i, figure in enumerate(figures)}
    out = list(figures)
    for line in finditer_at_line_starts(YEARS_LINE, text):
        read = label_indicator(line.group("label").strip())
        if read is None:
            continue
        indicator, unit = read
        for value in VALUE_OF_A_YEAR.finditer(text, line.start("values"), line.end("values")):
            i = at.get(value.start("value"))
            if i is not None:
                out[i] = replace(figures[i], indicator=indicator, unit=unit, role="total",
                                 part_of=None, breakdown=None, period=value.group("year"))
    return out
