"""Stage 4, roles: what each figure is, for a researcher who charts and sums them.

`total`: an aggregate count or amount for a country and a period; `part`: a breakdown or a
subset of another figure (set by the attachments stage); `case`: a detail of one case,
operation or person; `estimate`: a prevalence estimate or projection; `other`: everything else
(penalties in law, percentages, pending stocks, conversions, counts of shelters or laws).
Each decision is made from the figure's own clause, in this order: the attachments stage's
decision, what the figure measures, then the cue words of rules/extraction.yaml.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tipfigures.extract.dates import MONTH_PATTERN
from tipfigures.extract.reading import unit_kind
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules
from tipfigures.extract.sentences import RECURRING
from tipfigures.text_structure import TextStructure

# A sentence that opens on a month dates one event, not a year's count.
MONTH_OPENING = re.compile(
    rf"\s*(?:In|On|During|By|Since|From|Late|Early|In\s+(?:early|late|mid-?))\s+"
    rf"(?:{MONTH_PATTERN})\b")


def assign_roles(text: str, figures: list[Figure], structure: TextStructure) -> list[Figure]:
    """The figures, each with its role."""
    return [figure if figure.role else replace(figure, role=role_of(text, figure, structure))
            for figure in figures]


def role_of(text: str, figure: Figure, structure: TextStructure) -> str:
    cues = rules().structure
    kind = unit_kind(figure.unit)
    if kind in ("percent", "none") or figure.indicator in ("penalty", "other"):
        return "other"
    if figure.indicator == "sentence" or figure.entity == "age":
        return "case"
    sentence_start, sentence_end = structure.sentence_span(figure.start)
    clause_start = max(sentence_start, text.rfind(";", sentence_start, figure.start) + 1,
                       figure.start - 160)
    before = text[clause_start:figure.start]
    after_end = min(sentence_end, figure.end + 60)
    semicolon = text.find(";", figure.end, after_end)
    after = text[figure.end:semicolon if semicolon >= 0 else after_end]
    own_phrase = after.split(",")[0]
    if cues.other_cue.search(own_phrase) or cues.other_cue.search(before[-24:]) or \
            cues.not_reported_cue.search(before):
        return "other"  # "32 cases remained pending", "no updated information on whether the
        # three officials arrested in 2007 were prosecuted"
    if cues.estimate_cue.search(before) or figure.indicator in cues.estimate_indicators or (
            RECURRING.search(own_phrase) and figure.qualifier != "exact"):
        return "estimate"
    if kind == "duration":
        return "case"
    if figure.value == 1 and figure.value_max is None and kind == "persons":
        return "case"  # "sentenced one senior officer"
    if cues.case_cue.search(before):
        return "case"  # "a ring that trafficked 130 women", "in one case, police arrested 3"
    if figure.indicator in cues.law_enforcement_indicators and kind == "persons" and \
            cues.official_noun.search(figure.entity or own_phrase[:40]):
        return "case"  # complicity: "two low-level police officers arrested"
    if MONTH_OPENING.match(text, sentence_start, figure.start):
        return "case"  # "In January 2010, the government placed four victims ...": an event
    if figure.indicator in cues.not_total_indicators:
        return "other"
    if kind == "money" and figure.indicator != "funding":
        return "other"
    return "total"
