"""Stage 3a, label lists: a figures page's counts, one per line, under the count they break down.

    In 2019 we registered 1,212 possible victims ...
    2018: 1,112
    2019: 1,212
    Sexual exploitation: 598 (49%)
    Labour exploitation: 391 (32%)

A list of years gives that count for each year; a list of labels gives its parts, each under
the breakdown its label names; a list whose labels each name a count of their own kind
("Cases reported: 412", "Suspects arrested: 586") gives those counts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from tipfigures.extract.headers import (
    YEAR_CELL,
    header_breakdown,
    header_indicator,
    label_indicator,
)
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules
from tipfigures.text_structure import finditer_at_line_starts

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
