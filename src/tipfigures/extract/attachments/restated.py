"""Counts told again: "the 16 investigations" after a table that gives 16, "Of the 100," after
"identified 100 victims", "; of the 17 foreign victims, 11 were from Colombia"."""

from __future__ import annotations

import re

from tipfigures.extract.attachments.item import Attached
from tipfigures.extract.attachments.part_sentences import RESTATED_WHOLE
from tipfigures.extract.attachments.parts import continue_the_list
from tipfigures.extract.reading import unit_kind
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import SENTENCE_OPENING

THE_BEFORE = re.compile(r"\b[Tt]he[ \t]+$")
# "; the 56 foreign victims", "; of the 17 foreign victims, 11 were from Colombia"
THE_OPENS_CLAUSE = re.compile(r"(?:[;:.][ \t]*|\n)(?:[Oo]f[ \t]+)?[Tt]he[ \t]+$")
OF_THE_OPENS_CLAUSE = re.compile(r"(?:[;:][ \t]*|\n|^)[Oo]f[ \t]+(?:the|these|those)[ \t]+$")
RESTATED_NOUN_THEN_COMMA = re.compile(r"[ \t]+[a-z -]{0,30},[ \t]+")
# "All 57 were Mongolian nationals; 51 were female": the count told again, then its parts
ALL_OPENS = re.compile(SENTENCE_OPENING + r"All(?:[ \t]+of[ \t]+the)?[ \t]+")


def restated_counts(text: str, sentence: tuple[int, int], items: list[Attached],
                    told: list[Figure], earlier: Figure | None = None) -> None:
    """"In 2022, the 16 investigations involved 27 suspects": "the 16" restates a count told
    shortly before (a table's row, say): the same total, not a detail of a case. "Authorities
    identified 148 victims ... the 56 foreign victims came from Indonesia (24)": a smaller
    count of the same noun, pointed at with "the", is a part of the headline before."""
    opening = RESTATED_WHOLE.match(text, sentence[0])  # "Of the 100, 71 were children"
    all_of = ALL_OPENS.match(text, sentence[0])  # "All 57 were ..."
    for index, item in enumerate(items):
        restated = item is items[0] and (opening is not None and item.start < opening.end() or
                                         all_of is not None and all_of.end() == item.start)
        if item.role or item.whole is not None or not restated and \
                not THE_BEFORE.search(text, max(0, item.start - 5), item.start):
            continue
        # ("charged 18 and 12 defendants in 2017 and 2016, respectively; 11 of the 18 ...":
        # told earlier in the sentence, of its year)
        here = next((other for other in reversed(items[max(0, index - 12):index])
                     if other.figure.value == item.figure.value and not other.compared and
                     other.whole is None and unit_kind(other.unit) == unit_kind(item.unit)),
                    None) if not restated else None
        if here is not None:
            item.role, item.indicator, item.period = "total", here.indicator, here.period
            item.unit = item.unit or here.unit
            if OF_THE_OPENS_CLAUSE.search(text, max(0, item.start - 12), item.start):
                # "...; of the 158 defendants, 39 were foreign nationals"
                _the_clause_breaks_it_down(text, items, index)
            continue
        same = next((f for f in reversed(told[-400:]) if f.value == item.figure.value and
                     # (a count told in prose has no role yet: only "Of the 100," restates it)
                     (f.role == "total" or restated and f.role == "" and f.part_of is None) and
                     (f.period == item.period or restated and item.period is None) and
                     (unit_kind(f.unit) == unit_kind(item.unit) or item.unit is None)), None)
        if same is not None:
            item.role, item.indicator = "total", same.indicator
            item.unit = item.unit or same.unit
        if OF_THE_OPENS_CLAUSE.search(text, max(0, item.start - 12), item.start):
            _the_clause_breaks_it_down(text, items, items.index(item))
        if same is not None:
            continue
        if earlier is not None and earlier.entity and item.figure.entity and \
                len(item.figure.entity.split()) > 1 and \
                item.figure.entity.split()[-1] == earlier.entity.split()[-1] and \
                item.figure.value < earlier.value and unit_kind(item.unit) == \
                unit_kind(earlier.unit) and THE_OPENS_CLAUSE.search(
                    text, max(0, item.start - 12), item.start):
            item.role, item.whole = "part", earlier


def _the_clause_breaks_it_down(text: str, items: list[Attached], i: int) -> None:
    """"; of the 17 foreign victims, 11 were from Colombia, three from Venezuela": the rest of
    the clause lists the parts of the count it opens on."""
    whole = items[i]
    if i + 1 < len(items) and RESTATED_NOUN_THEN_COMMA.fullmatch(
            text, whole.end, items[i + 1].start) and \
            items[i + 1].figure.value < whole.figure.value and not items[i + 1].role:
        items[i + 1].role, items[i + 1].whole = "part", whole
        items[i + 1].unit = items[i + 1].unit or whole.unit
        continue_the_list(text, items, i + 1, whole)
