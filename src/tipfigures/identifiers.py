"""figure_id: an identity that survives edits of other figures of the same sentence.

docs/identifiers.md says exactly what changes an id. In short: an id hashes the source, the
figure's sentence with every figure of that sentence masked (its "skeleton"), the figure's
place among them, and how many earlier sentences of the text have the same skeleton.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

MASK = "\x00"  # never in a text: source texts may not hold NUL (tipfigures.sources)


class Located(Protocol):
    start: int
    end: int
    text: str
    sentence: str


def stable_id(*parts: object) -> str:
    """16 hex digits of the SHA-256 of the parts: the same parts, the same id."""
    joined = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def _starts(figure: Located) -> list[int]:
    """Where the figure's sentence may begin in the text (its text may occur in it twice)."""
    return [figure.start - m.start()
            for m in re.finditer(re.escape(figure.text), figure.sentence)] if figure.text else []


def sentence_groups(figures: Sequence[Located]) -> list[tuple[int | None, list[int]]]:
    """Figures (by index, in text order) grouped by the sentence they are in, each group with
    the offset its sentence begins at (None when it cannot be placed)."""
    groups: list[tuple[list[int], list[int]]] = []  # (candidate sentence starts, members)
    for index, figure in enumerate(figures):
        if groups and figures[groups[-1][1][-1]].sentence == figure.sentence:
            candidates = [c for c in groups[-1][0] if figure.start - c >= 0 and
                          figure.sentence[figure.start - c:figure.end - c] == figure.text]
            if candidates:
                groups[-1][0][:] = candidates
                groups[-1][1].append(index)
                continue
        groups.append((_starts(figure), [index]))
    return [(candidates[0] if candidates else None, members) for candidates, members in groups]


def skeleton(sentence: str, spans: list[tuple[int, int]]) -> str:
    """The sentence with each span (relative offsets, in order) replaced by one MASK."""
    parts, position = [], 0
    for start, end in sorted(spans):
        if start < position:  # overlapping figures: mask their union
            position = max(position, end)
            continue
        parts += [sentence[position:start], MASK]
        position = end
    return "".join(parts) + sentence[position:]


def figure_ids(source_id: str, figures: Sequence[Located]) -> list[str]:
    """Ids of a source's figures (in text order), as docs/identifiers.md describes."""
    ids = [""] * len(figures)
    seen: Counter[str] = Counter()
    fallback: Counter[tuple[str, str]] = Counter()
    for start, members in sentence_groups(figures):
        if start is None:  # not placed in its sentence: the sentence and text decide
            for index in members:
                figure = figures[index]
                key = (figure.sentence, figure.text)
                ids[index] = stable_id(source_id, figure.sentence, figure.text, fallback[key])
                fallback[key] += 1
            continue
        sentence = figures[members[0]].sentence
        shape = skeleton(sentence, [(figures[i].start - start, figures[i].end - start)
                                    for i in members])
        for place, index in enumerate(members):
            ids[index] = stable_id(source_id, "figure", shape, place, seen[shape])
        seen[shape] += 1
    return ids
