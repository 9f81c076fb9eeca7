"""Stage 3b, text tables: figures in a table flattened into lines of cells.

Web pages copied as text keep their tables as lines of cells split by "|" (wiki markup,
Markdown) or by tabs (a table copied from a browser):

    Year | Victims identified | of whom children | Persons convicted
    2018 | 95 | 57 | 12

A number in such a row is read from its column's header (what it counts and measures) and its
row's first cell (the year), not from the words around it, which are other numbers. A header
that starts with "of whom" or "of which" makes its column a part of the column before it.

(Lists of "label: number" lines are read by label_lists.py, before the tables.)
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from tipfigures.extract.headers import YEAR_CELL, header_breakdown, header_indicator
from tipfigures.extract.numbers import number_pattern, parse_number
from tipfigures.extract.reading import IndicatorKeywords, indicator_of, read_unit
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules

TABLE_LINE = re.compile(r"(?m)^[^\n|\t]*[|\t][^\n]*$")
PART_HEADER = re.compile(r"[ \t]*(?:of[ \t]+whom|of[ \t]+which|including|incl\.)\b", re.I)




def read_tables(text: str, figures: list[Figure], source_country: str | None) -> list[Figure]:
    """The figures, with those in table rows read from their headers and years."""
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
