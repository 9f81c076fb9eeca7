"""Where a character sits in a report: its section (heading path), sentence and paragraph."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

# "= Title =", "==Section==", "=== Subsection ===" (MediaWiki text) and "## Section" (Markdown).
HEADING = re.compile(r"^(?:(?P<eq>={1,6})[ \t]*(?P<title>[^=\n]+?)[ \t]*(?P=eq)|"
                     r"(?P<hashes>#{1,6})[ \t]+(?P<md_title>[^\n]+?))[ \t]*$", re.MULTILINE)

# A sentence ends at . ! ? (and closing quotes or brackets, and a web page's citation markers:
# "... in 2021.[13] In 2022 ...") before white space, or at a line break. (The pattern starts
# with one character class, so the regex engine skips fast to the places it can match at.)
SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)\n*|(?<=[.!?])[\"'”’)\]]*(?:\[[0-9a-z ]{1,16}\])*"
                          r"[ \t\u00a0]+(?=[\"“‘(\[]?[A-Z0-9]))")
ABBREVIATIONS = frozenset(
    "u.s st mr mrs ms dr no nos vs e.g i.e etc approx jan feb mar apr jun jul aug sep sept oct nov "
    "dec gen col lt sgt prof rev art sec inc ltd co corp mt ft u.n u.k u.a.e fig".split()
)
# Words, numbers and single other characters: what the extractor reads around a number.
TOKEN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[-‑][A-Za-z]+)*|[0-9]+|[^\sA-Za-z0-9]")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|\n(?==)")


@dataclass(frozen=True)
class TextStructure:
    """Sorted boundaries of sentences, paragraphs and sections, for lookups by offset."""

    sentence_starts: list[int]
    sentence_ends: list[int]
    paragraph_starts: list[int]
    section_starts: list[int]
    section_paths: list[str | None]

    def sentence_span(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.sentence_starts, offset) - 1
        return self.sentence_starts[max(index, 0)], self.sentence_ends[max(index, 0)]

    def paragraph_start(self, offset: int) -> int:
        index = bisect_right(self.paragraph_starts, offset) - 1
        return self.paragraph_starts[max(index, 0)]

    def section(self, offset: int) -> str | None:
        index = bisect_right(self.section_starts, offset) - 1
        return self.section_paths[index] if index >= 0 else None


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    """True when the '.' at `dot` closes an abbreviation or an initial, not a sentence."""
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
        if dot - start > 8:
            return False
    word = text[start:dot].lower()
    return word in ABBREVIATIONS or (len(word) == 1 and text[start].isupper())


def sentence_boundaries(text: str) -> tuple[list[int], list[int]]:
    starts, ends = [0], []
    for match in SENTENCE_END.finditer(text):
        if text[match.start()] == "." and _ends_with_abbreviation(text, match.start()):
            continue
        end = match.start() + 1 if text[match.start()] != "\n" else match.start()
        while end < match.end() and text[end] in "\"'”’)]":
            end += 1
        ends.append(end)
        starts.append(match.end())
    ends.append(len(text))
    return starts, ends


def finditer_at_line_starts(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """pattern.finditer(text) for a pattern that only matches at the start of a line and ends
    within it ("(?m)^..."): tried at each line's start only, not at every position."""
    start = 0
    while True:
        found = pattern.match(text, start)
        if found is not None:
            yield found
        line_end = text.find("\n", found.end() if found is not None else start)
        if line_end < 0:
            return
        start = line_end + 1


def section_boundaries(text: str) -> tuple[list[int], list[str | None]]:
    starts: list[int] = []
    paths: list[str | None] = []
    stack: list[tuple[int, str]] = []
    headings = "\n=" in text or "\n#" in text or text[:1] in ("=", "#")  # (a fast test first)
    for match in finditer_at_line_starts(HEADING, text) if headings else ():
        if match.group("eq"):
            level, title = len(match.group("eq")), match.group("title").strip()
        else:
            level, title = len(match.group("hashes")), match.group("md_title").strip()
        if level == 1:  # the document's own title, not a section
            stack = []
            continue
        stack = [(lvl, name) for lvl, name in stack if lvl < level] + [(level, title)]
        starts.append(match.start())
        paths.append(" > ".join(name for _, name in stack))
    return starts, paths


def analyse(text: str) -> TextStructure:
    sentence_starts, sentence_ends = sentence_boundaries(text)
    section_starts, section_paths = section_boundaries(text)
    paragraph_starts = [0] + [match.end() for match in PARAGRAPH_BREAK.finditer(text)]
    return TextStructure(sentence_starts, sentence_ends, paragraph_starts, section_starts,
                         section_paths)
