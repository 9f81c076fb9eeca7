"""A figure's clause: the words around a figure that decide its role, read once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from tipfigures.extract.reading import unit_kind
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules
from tipfigures.text_structure import TextStructure

WINDOW_BEFORE = 160  # bounded: a sentence can be endless
WINDOW_AFTER = 60


@dataclass(frozen=True)
class FigureClause:
    """A figure in its text; the views of its words are read when a decision first asks."""

    text: str
    figure: Figure
    structure: TextStructure
    news: bool = False  # a news story: its numbers tell its event unless a year is named
    story_start: int = 0  # where a news story begins, after its dateline
    next_start: int | None = None  # where the next figure outside brackets begins

    @cached_property
    def kind(self) -> str:
        return unit_kind(self.figure.unit)

    @cached_property
    def sentence(self) -> tuple[int, int]:
        return self.structure.sentence_span(self.figure.start)

    @property
    def sentence_start(self) -> int:
        return self.sentence[0]

    @property
    def sentence_end(self) -> int:
        return self.sentence[1]

    @cached_property
    def clause_start(self) -> int:
        """After the last semicolon before the figure, within the window."""
        window = max(self.sentence_start, self.figure.start - WINDOW_BEFORE)
        return max(window, self.text.rfind(";", window, self.figure.start) + 1)

    @cached_property
    def before(self) -> str:
        """Its clause before it."""
        return self.text[self.clause_start:self.figure.start]

    @cached_property
    def after(self) -> str:
        """The sentence after it, to a semicolon."""
        end = min(self.sentence_end, self.figure.end + WINDOW_AFTER)
        semicolon = self.text.find(";", self.figure.end, end)
        return self.text[self.figure.end:semicolon if semicolon >= 0 else end]

    @cached_property
    def own_phrase(self) -> str:
        """Its own words after it: to a comma, or to where a coordinated figure's begin
        ("prosecuted 19 traffickers and continued prosecuting 25 defendants from previous
        years", "convicted 30 traffickers and ordered restitution in 12 cases")."""
        phrase = self.after.split(",")[0]
        gap = self.next_start - self.figure.end if self.next_start is not None else None
        coordinated = re.search(r"\band\b", phrase[:gap]) \
            if gap is not None and gap < len(phrase) else None
        return phrase[:coordinated.start()] if coordinated else phrase

    @cached_property
    def comparison_openers(self) -> list[re.Match[str]]:
        return list(rules().structure.comparison.finditer(self.before))

    @cached_property
    def own_before(self) -> str:
        """Its own words before it: a compared figure's start after the comparison ("118
        victims among 2,041 screened, compared with 92 victims": "screened" is not the 92's)."""
        openers = self.comparison_openers
        return self.before[openers[-1].end():] if openers else self.before

    @property
    def compared(self) -> bool:
        """Right after a comparison opens: "compared with one trafficker convicted in 2020"."""
        return bool(self.comparison_openers) and len(self.own_before.strip()) < 12

    def sentence_after(self, length: int) -> tuple[int, int]:
        """From the figure's end, at most `length` characters of its sentence."""
        return self.figure.end, min(self.sentence_end, self.figure.end + length)
