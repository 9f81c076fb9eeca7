"""Facts about a sentence or a paragraph, found once for all the figures in it."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from tipfigures.extract.rules import rules
from tipfigures.text_structure import TextStructure

LEGAL_REFERENCE = re.compile(
    r"\b(?:Articles?|Art\.)[ \t]+[0-9]+(?:\.[0-9]+)*"
    r"(?:[ \t]*(?:,|and|or)[ \t]*[0-9]+(?:\.[0-9]+)*)*"
    r"|\b(?:Law|Decree|Ordinance|Proclamation|Act)[ \t]+(?:No\.?[ \t]*)?[0-9]+[/-][0-9]+")
RELATIVE_CLAUSE = re.compile(r",\s+(?:who|which|where|whose)\b")
# every phrase of RECURRING, and of the rules' reporting_period_phrases, holds one of these
RECURRING_WORDS = ("year", "month", "week", "day", "daily", "annual")
REPORTING_PERIOD_WORDS = ("year", "period", "reporting")
RECURRING = re.compile(r"\b(?:annually|each year|every year|per year|a year|yearly|each month|"
                       r"every month|per month|a month|monthly|each week|every week|a week|"
                       r"per week|weekly|each day|every day|a day|per day|daily)\b", re.I)


class SentenceFacts:
    """Facts about a sentence (or a paragraph) found once, not once per figure in it: the work
    per figure must not grow with the length of its sentence. A table row, a list or a text
    without full stops can be one "sentence" of a million characters."""

    def __init__(self, text: str, structure: TextStructure):
        self.text, self.structure = text, structure
        self._lower: str | None = None
        self._stripped: dict[int, str] = {}
        self._recurring: dict[int, bool] = {}
        self._references: dict[int, tuple[list[int], list[str]]] = {}
        self._phrase: dict[int, tuple[int, int] | None] = {}
        self._relative: dict[int, tuple[list[int], list[int]]] = {}
        self._first_phrase: dict[int, int | None] = {}

    def stripped(self, sentence: tuple[int, int]) -> str:
        found = self._stripped.get(sentence[0])
        if found is None:
            found = self._stripped[sentence[0]] = self.text[sentence[0]:sentence[1]].strip()
        return found

    def _says(self, words: tuple[str, ...], start: int, end: int) -> bool:
        """Does text[start:end] hold one of the (lower-case) words, in any case? A fast test
        before a slower pattern made of phrases that all hold one of them."""
        if self._lower is None:
            self._lower = self.text.lower()  # (the same length for report text)
            if len(self._lower) != len(self.text):
                self._lower = ""
        return not self._lower or any(self._lower.find(word, start, end) >= 0 for word in words)

    def recurring(self, sentence: tuple[int, int]) -> bool:
        found = self._recurring.get(sentence[0])
        if found is None:
            found = self._recurring[sentence[0]] = self._says(RECURRING_WORDS, *sentence) and \
                bool(RECURRING.search(self.text, *sentence))
        return found

    def legal_reference(self, start: int, sentence: tuple[int, int]) -> str | None:
        """The legal reference of the sentence nearest to `start` (the earlier one on a tie)."""
        found = self._references.get(sentence[0])
        if found is None:
            references = list(LEGAL_REFERENCE.finditer(self.text, *sentence))
            found = self._references[sentence[0]] = (
                [m.start() for m in references],
                [re.sub(r"\s+", " ", m.group(0)) for m in references])
        starts, names = found
        if not starts:
            return None
        i = bisect_left(starts, start)
        if i == len(starts) or i > 0 and start - starts[i - 1] <= starts[i] - start:
            i -= 1
        return names[i]

    def reporting_period_applies(self, start: int, end: int, sentence: tuple[int, int]) -> bool:
        """Does a "during the year" of the sentence date the figure at start:end? Not when it
        follows the figure in a relative clause ("..., who were in detention at year's end").
        Only the sentence's first such phrase counts: when a relative clause separates the
        figure from it, it also separates the figure from every later one."""
        if sentence[0] not in self._phrase:
            m = rules().reporting_period.search(self.text, *sentence) \
                if self._says(REPORTING_PERIOD_WORDS, *sentence) else None
            self._phrase[sentence[0]] = (m.start(), m.end()) if m else None
        phrase = self._phrase[sentence[0]]
        if phrase is None:
            return False
        if phrase[1] <= start:
            return True
        relative = self._relative.get(sentence[0])
        if relative is None:
            clauses = list(RELATIVE_CLAUSE.finditer(self.text, *sentence))
            relative = self._relative[sentence[0]] = ([m.start() for m in clauses],
                                                      [m.end() for m in clauses])
        i = bisect_left(relative[0], end)
        return not (i < len(relative[0]) and relative[1][i] <= phrase[0])

    def reporting_period_before(self, paragraph_start: int, offset: int) -> bool:
        """Is there a "during the year" in the paragraph before `offset`? Its first one, found
        once per paragraph, tells."""
        if paragraph_start not in self._first_phrase:
            starts = self.structure.paragraph_starts
            i = bisect_right(starts, paragraph_start)
            paragraph_end = starts[i] if i < len(starts) else len(self.text)
            m = rules().reporting_period.search(self.text, paragraph_start, paragraph_end) \
                if self._says(REPORTING_PERIOD_WORDS, paragraph_start, paragraph_end) else None
            self._first_phrase[paragraph_start] = m.end() if m else None
        first_end = self._first_phrase[paragraph_start]
        return first_end is not None and first_end <= offset
