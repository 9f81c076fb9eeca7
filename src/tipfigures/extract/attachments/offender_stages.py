"""Defendants taken on to a later stage in a clause of its own ("Of the 22, the courts tried
14; they convicted nine slaveholders and acquitted five"): the year's count of that stage,
not a part of the cases or people counted before."""

from __future__ import annotations

from tipfigures.extract.attachments.item import OF_THE_COUNTED, Attached
from tipfigures.extract.attachments.links import verb_before
from tipfigures.extract.reading import IndicatorKeywords
from tipfigures.extract.rules import rules


def stages_of_the_accused(text: str, sentence: tuple[int, int], items: list[Attached],
                          keywords: IndicatorKeywords) -> None:
    """"Of the 22, the courts tried 14; they convicted nine slaveholders and acquitted five":
    a part of a count of an earlier stage whose own clause, after a semicolon, has a verb of
    a later stage counts that stage."""
    structure = rules().structure
    outcomes = structure.law_enforcement_outcomes
    earlier_stages = structure.law_enforcement_indicators - outcomes
    for item in items:
        whole = item.whole
        if item.role != "part" or whole is None or item.in_parenthesis or \
                whole.indicator not in earlier_stages or OF_THE_COUNTED.match(text, item.end):
            continue
        semicolon = text.rfind(";", max(sentence[0], whole.end), item.start)
        if semicolon < 0:
            continue
        own = verb_before(text, semicolon + 1, item, keywords, unit=item.unit or "persons")
        if own in outcomes:
            item.role, item.whole, item.indicator = "", None, own
