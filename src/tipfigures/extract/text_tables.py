"""Stage 3b, text tables: figures in a table flattened into lines of cells.

Web pages copied as text keep their tables as lines of cells split by "|" (wiki markup,
Markdown) or by tabs (a table copied from a browser):

    Year | Victims identified | of whom children | Persons convicted
    2018 | 95 | 57 | 12

A number in such a row is read from its column's header (what it counts and measures) and its
row's first cell (the year), not from the words around it, which are other numbers. A header
that starts with "of whom" or "of which" makes its column a part of the column before it.

A figures page lists one count per line, under the count it breaks down:

    In 2019 we registered 1,212 possible victims ...
    2018: 1,112
    2019: 1,212
    Sexual exploitation: 598 (49%)
    Labour exploitation: 391 (32%)

A list of years gives that count for each year; a list of labels gives its parts, each under
the breakdown its label names.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from tipfigures.extract.numbers import number_pattern, parse_number
from tipfigures.extract.reading import UNCONFIRMED, IndicatorKeywords, indicator_of, read_unit
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules
from tipfigures.text_structure import finditer_at_line_starts

TABLE_LINE = re.compile(r"(?m)^[^\n|\t]*[|\t][^\n]*$")
YEAR_CELL = re.compile(r"[ \t]*((?:19|20)[0-9]{2})[ \t]*$")
PART_HEADER = re.compile(r"[ \t]*(?:of[ \t]+whom|of[ \t]+which|including|incl\.)\b", re.I)


# "Sexual exploitation: 598 (49%)", "* 2016 – 41", "- 2017: 23"
LABEL_LINE = re.compile(r"(?m)^[ \t]*(?:[*•·-][ \t]+)?(?P<label>[^\n:|\t–—*•]{1,80}?)"
                        r"(?::|[ \t]+[–—-]|\t)[ \t]*(?P<value>[0-9][0-9,.]*)"
                        r"(?:[ \t]*\([ \t]*[0-9][0-9.,]*[ \t]*%[ \t]*\))?[ \t]*$")
HEADER_LINE = re.compile(r"(?m)^(?P<header>[^\n]{3,120}?)(?:\[[^\]\n]{1,8}\])*[ \t]*\n\n?\Z")


def read_label_lists(text: str, figures: list[Figure]) -> list[Figure]:
    """The figures, with those of a list of "label: number" lines read as the years of the
    count its header line names ("Victims identified by the government, by year:"), or as
    the years or the parts of the count told just before the list."""
    if not figures or ":" not in text and "–" not in text and "* " not in text and \
            "\t" not in text:
        return figures
    starts = [f.start for f in figures]
    out = list(figures)
    for block in _label_blocks(text):
        years = all(YEAR_CELL.match(label) for _, label, _ in block)
        own = [label_indicator(label) for _, label, _ in block] if not years else []
        if len({read for read in own if read}) >= max(2, len(block) // 2):
            # "Cases reported: 412 / Suspects arrested: 586 / Suspects convicted: 47": labels
            # that name counts of their own kinds, no parts of one count
            for (_, label, value_start), read in zip(block, own, strict=True):
                i = bisect_right(starts, value_start - 1)
                if read and i < len(figures) and figures[i].start == value_start:
                    stock = rules().structure.other_cue.search(label)  # "Cases pending: 233"
                    out[i] = replace(figures[i], indicator=read[0], unit=read[1],
                                     role="other" if stock else "total", part_of=None,
                                     breakdown=None)
            continue
        named = _named_by_header(text, block[0][0]) if years else None
        first = bisect_right(starts, block[0][0] - 1)
        head = next((i for i in range(first - 1, -1, -1) if figures[i].unit == "persons" or
                     figures[i].unit in rules().structure.law_enforcement_count_units), None)
        if named is None and (head is None or figures[head].indicator == "other"):
            continue
        whole = figures[head] if head is not None else figures[first]
        if named is not None:  # "Victims identified by the government, by year:"
            whole = replace(whole, indicator=named[0], unit=named[1])
        for _, label, value_start in block:
            i = bisect_right(starts, value_start - 1)
            if i >= len(figures) or figures[i].start != value_start:
                continue
            figure = replace(figures[i], indicator=whole.indicator, unit=whole.unit)
            if years:
                figure = replace(figure, period=label.strip(), role="total")
            else:
                figure = replace(figure, period=whole.period, role="part", part_of=whole.start,
                                 breakdown=header_breakdown(label))
            out[i] = figure
            share = i + 1  # "598 (49%)": the share beside it is a share
            if share < len(figures) and figures[share].unit == "percent" and \
                    text.count("\n", value_start, figures[share].start) == 0:
                out[share] = replace(figures[share], role="other", indicator=whole.indicator)
    return out


def _named_by_header(text: str, line_start: int) -> tuple[str, str] | None:
    """The indicator and unit the line before a list names, if it names one."""
    header = HEADER_LINE.search(text, max(0, line_start - 122), line_start)
    if header is None or not header.group("header").rstrip().endswith(
            (":", "year", "years", "by year")):
        return None
    phrase = header.group("header").lower()
    unit = "cases" if re.search(r"\bcases?\b", phrase) else "persons"
    indicator = header_indicator(phrase, (len(phrase), len(phrase)), unit, None)
    return (indicator, unit) if indicator != "other" else None


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


def _label_blocks(text: str) -> list[list[tuple[int, str, int]]]:
    """Runs of three or more consecutive "label: number" lines: (line start, label, where
    the number starts), blank lines between them allowed."""
    blocks: list[list[tuple[int, str, int]]] = []
    last_end = -2
    for m in finditer_at_line_starts(LABEL_LINE, text):
        entry = (m.start(), m.group("label"), m.start("value"))
        if blocks and not text[last_end:m.start()].strip():
            blocks[-1].append(entry)
        else:
            blocks.append([entry])
        last_end = m.end()
    return [block for block in blocks if len(block) >= 3]


def read_tables(text: str, figures: list[Figure], source_country: str | None) -> list[Figure]:
    """The figures, with those in table rows read from their headers and years."""
    figures = read_label_lists(text, figures)
    spaced = _spaced_blocks(text) if "Year " in text else []
    if ("|" not in text and "\t" not in text and not spaced) or not figures:
        return figures
    figures = read_year_columns(text, figures)
    figures, read = read_breakdown_columns(text, figures)
    columns: dict[int, tuple[int, str, int, str]] = {}  # cell start -> end, header, column, year
    titles: dict[str, str] = {}  # header -> the indicator its table's title names
    for delimiter, header, rows in _blocks(text) + spaced:
        if header[0] in read:
            continue
        title = _title_indicator(text, header[0])
        cells = [cell.strip() for cell in text[header[0]:header[1]].split(delimiter)] \
            if delimiter != " " else _spaced_header_cells(text[header[0]:header[1]])
        if not cells or any(c and c.replace(",", "").replace(".", "").isdigit() for c in cells):
            continue  # a header has no numbers for cells
        for row_start, row_end in rows:
            row = text[row_start:row_end]
            year = YEAR_CELL.match(row.split(delimiter, 1)[0])
            if not year:
                continue
            offset = row_start
            for index, cell in enumerate(row.split(delimiter)):
                if 0 < index < len(cells):
                    columns[offset] = (offset + len(cell), cells[index], index, year.group(1))
                    if title:
                        titles[cells[index]] = title
                offset += len(cell) + 1
    if not columns:
        return figures
    cell_starts = sorted(columns)
    out: list[Figure] = []
    row_figures: dict[tuple[int, str], Figure] = {}  # (column, row year) -> figure
    for figure in figures:
        cell = _cell_of(figure.start, cell_starts, columns)
        if cell is None:
            out.append(figure)
            continue
        _, header, column, year = columns[cell]
        figure = _read_cell(figure, header, year, source_country, titles.get(header))
        if PART_HEADER.match(header):
            whole = row_figures.get((column - 1, year))
            if whole is not None:
                figure = replace(figure, role="part", part_of=whole.start,
                                 indicator=whole.indicator, unit=figure.unit or whole.unit,
                                 breakdown=header_breakdown(header))
        row_figures[(column, year)] = figure
        out.append(figure)
    return out


TOTAL_ROW = re.compile(r"[ \t]*(?:total|all|in[ \t]+total)[ \t]*", re.I)


def read_year_columns(text: str, figures: list[Figure]) -> list[Figure]:
    """"Form of exploitation | 2021 | 2020" over rows "Sexual exploitation | 41 | 44" and
    "Total | 91 | 74": a table whose columns are years and whose rows break down the count of
    people told just before it (its Total row is that count, each year's)."""
    starts = [f.start for f in figures]
    out = list(figures)
    for delimiter, header, rows in _blocks(text):
        cells = text[header[0]:header[1]].split(delimiter)
        years = [YEAR_CELL.match(cell) for cell in cells[1:]]
        if not years or not all(years):
            continue
        first = bisect_right(starts, header[0] - 1)
        model = next((figures[i] for i in range(first - 1, max(-1, first - 12), -1)
                      if figures[i].unit == "persons" and figures[i].indicator != "other"), None)
        if model is None or header[0] - model.end > 600:
            continue
        grid: list[tuple[str, list[tuple[int, str]]]] = []  # row label, (figure, column year)
        for row_start, row_end in rows:
            row = text[row_start:row_end].split(delimiter)
            offset = row_start + len(row[0]) + 1
            found = []
            for cell, year in zip(row[1:], years, strict=False):
                i = bisect_right(starts, offset - 1)
                if i < len(figures) and figures[i].start < offset + len(cell):
                    found.append((i, year.group(1)))
                offset += len(cell) + 1
            grid.append((row[0].strip(), found))
        totals = {year: figures[i].start for label, found in grid if TOTAL_ROW.fullmatch(label)
                  for i, year in found}
        for label, found in grid:
            total = TOTAL_ROW.fullmatch(label) is not None
            for i, year in found:
                out[i] = replace(figures[i], indicator=model.indicator, unit=model.unit,
                                 period=year, role="total" if total else "part",
                                 part_of=None if total else totals.get(year),
                                 breakdown=None if total else header_breakdown(label))
    return out


# the title line over a table: "New victims supported by the centres, by form of exploitation"
TITLE_LINE = re.compile(r"(?m)^(?P<title>[^\n|\t]{3,160}?)(?:\[[^\]\n]{1,8}\])*[ \t]*\n"
                        r"(?:[ \t]*\n)?\Z")
BY_DIMENSION = re.compile(r",?[ \t]+by[ \t]+(?:form|type)[ \t]+of[ \t]+(?P<noun>[a-z]+)\b.*$",
                          re.I | re.S)


def read_breakdown_columns(text: str, figures: list[Figure]) -> tuple[list[Figure], set[int]]:
    """"Year | Economic | Sexual | Other | Total" under the title "New victims supported by the
    centres, by form of exploitation": each row is a year of the count the title names, its
    Total cell the year's total and the other cells its parts, each under the breakdown its
    header names (read with the title's noun: "Economic" exploitation). Also the starts of the
    header lines of the tables read so."""
    starts = [f.start for f in figures]
    out, read = list(figures), set()
    for delimiter, header, rows in _blocks(text):
        title = TITLE_LINE.search(text, max(0, header[0] - 162), header[0])
        by = BY_DIMENSION.search(title.group("title")) if title else None
        if by is None:
            continue
        cells = [cell.strip() for cell in text[header[0]:header[1]].split(delimiter)]
        totals = [i for i, cell in enumerate(cells) if TOTAL_ROW.fullmatch(cell)]
        breakdowns = {i: header_breakdown(cell) or header_breakdown(f"{cell} {by.group('noun')}")
                      or ("form=other" if cell.lower() == "other" else None)
                      for i, cell in enumerate(cells) if i and i not in totals}
        if len(totals) != 1 or len(breakdowns) < 2 or None in breakdowns.values():
            continue
        phrase = title.group("title")[:by.start()].lower()
        unit = "cases" if re.search(r"\bcases?\b", phrase) else "persons"
        indicator = header_indicator(phrase, (len(phrase), len(phrase)), unit, None)
        if indicator == "other":
            continue
        read.add(header[0])
        for row_start, row_end in rows:
            row = text[row_start:row_end].split(delimiter)
            year = YEAR_CELL.match(row[0])
            if not year or len(row) != len(cells):
                continue
            found: dict[int, int] = {}  # column -> figure
            offset = row_start
            for column, cell in enumerate(row):
                i = bisect_right(starts, offset - 1)
                if column and i < len(figures) and figures[i].start < offset + len(cell):
                    found[column] = i
                offset += len(cell) + 1
            total = figures[found[totals[0]]].start if totals[0] in found else None
            for column, i in found.items():
                is_total = column == totals[0]
                out[i] = replace(figures[i], indicator=indicator, unit=unit, period=year.group(1),
                                 role="total" if is_total else "part",
                                 part_of=None if is_total else total,
                                 breakdown=None if is_total else breakdowns[column])
    return out, read


def _blocks(text: str) -> list[tuple[str, tuple[int, int], list[tuple[int, int]]]]:
    """Runs of consecutive table lines split by one delimiter: (delimiter, header line, data
    lines)."""
    blocks: list[tuple[str, list[tuple[int, int]]]] = []
    for m in TABLE_LINE.finditer(text):
        delimiter = "|" if "|" in m.group(0) else "\t"
        if blocks and blocks[-1][0] == delimiter and blocks[-1][1][-1][1] + 1 == m.start():
            blocks[-1][1].append((m.start(), m.end()))
        else:
            blocks.append((delimiter, [(m.start(), m.end())]))
    return [(delimiter, lines[0], lines[1:]) for delimiter, lines in blocks if len(lines) >= 2]


# A table copied with single spaces between its cells: "Year Cases detected Suspects Victims
# identified" over rows "2019 211 318 452"; the header's cells are told apart by their capitals.
# (The row's pattern starts with the line break, a literal: the regex engine's fast search.)
SPACED_ROW = re.compile(r"(?m)\n(?P<row>(?:19|20)[0-9]{2}(?: [0-9][0-9,.]*)+)$")
SPACED_HEADER_CELL = re.compile(r"[A-Z][a-z'’-]*(?: [a-z][a-z'’-]*)*")


def _spaced_header_cells(header: str) -> list[str]:
    return SPACED_HEADER_CELL.findall(header)


def _spaced_blocks(text: str) -> list[tuple[str, tuple[int, int], list[tuple[int, int]]]]:
    """Runs of rows of a year and its counts, split by single spaces, under a header "Year ..."
    with as many capitalised cells as each row has cells."""
    runs: list[list[tuple[int, int]]] = []
    for m in SPACED_ROW.finditer(text):
        if runs and runs[-1][-1][1] + 1 == m.start("row"):
            runs[-1].append(m.span("row"))
        else:
            runs.append([m.span("row")])
    blocks = []
    for rows in runs:
        header_start = text.rfind("\n", 0, max(0, rows[0][0] - 1)) + 1
        header = (header_start, rows[0][0] - 1)
        widths = {len(text[start:end].split(" ")) for start, end in rows}
        cells = _spaced_header_cells(text[header[0]:header[1]])
        if len(rows) >= 2 and text.startswith("Year ", header_start) and len(widths) == 1 and \
                len(cells) == widths.pop():
            blocks.append((" ", header, rows))
    return blocks


def _cell_of(offset: int, cell_starts: list[int],
             columns: dict[int, tuple[int, str, int, str]]) -> int | None:
    i = bisect_right(cell_starts, offset) - 1
    if i < 0:
        return None
    start = cell_starts[i]
    return start if offset < columns[start][0] else None


# a header's counted people in brackets: "Prosecutions (defendants)"
HEADER_UNIT = re.compile(r"\(([a-z][a-z ]{1,30})\)[ \t]*$")


def _title_indicator(text: str, header_start: int) -> str | None:
    """The indicator the title line over a table names ("Victims of trafficking assisted by IOM
    Moldova, 2019–2023"), if it names one."""
    title = TITLE_LINE.search(text, max(0, header_start - 162), header_start)
    if title is None:
        return None
    phrase = title.group("title").lower()
    indicator = indicator_of(phrase, len(phrase), len(phrase), (0, len(phrase)), "persons", None,
                             IndicatorKeywords.find(phrase))
    return indicator if indicator != "other" else None


def _read_cell(figure: Figure, header: str, year: str, source_country: str | None,
               title_indicator: str | None = None) -> Figure:
    """A number read as "<number> <header>", in its row's year (a header that only names what
    it counts, "Victims", counts what the table's title says was done to them)."""
    phrase = f"1 {PART_HEADER.sub('', header).strip().lower()}"
    match = number_pattern().match(phrase)
    number = parse_number(match, source_country) if match else None
    if number is None:
        return replace(figure, period=year)
    reading = read_unit(phrase, number, len(phrase), source_country, None)
    counted = HEADER_UNIT.search(phrase)  # "Prosecutions (defendants)": people prosecuted
    if counted and counted.group(1).split()[-1] in rules().person_nouns:
        reading = replace(reading, unit="persons")
    indicator = header_indicator(phrase, (0, 1), reading.unit, reading.entity, title_indicator)
    # a column of a count of no panel indicator ("Inspection operations") holds no totals
    role = "other" if indicator in rules().structure.not_total_indicators else "total"
    return replace(figure, unit=reading.unit or figure.unit, entity=reading.entity or header,
                   indicator=indicator, period=year, role=role)



def header_breakdown(header: str, whole: bool = False) -> str | None:
    """The breakdown a header or label names; `whole`: only when the label is nothing else
    ("women", not "Persons who received counselling, women included")."""
    for code, pattern in rules().structure.breakdowns:
        if pattern.fullmatch(header.strip().lower()) if whole else pattern.search(header):
            return code
    return None
