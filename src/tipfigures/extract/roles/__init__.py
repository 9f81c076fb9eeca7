"""Stage 4, roles: what each figure is, for a researcher who charts and sums them.

`total`: an aggregate count or amount for a country and a period; `part`: a breakdown or a
subset of another figure (set by the attachments stage); `case`: a detail of one case,
operation or person; `estimate`: a prevalence estimate or projection; `other`: everything else
(penalties in law, percentages, pending stocks, conversions, counts of shelters or laws).

Each figure's role is decided from its own clause by the first named decision that holds
(roles/decisions.py), unless the attachments stage has decided it; then the decisions that
need the text's other figures are made (roles/across_figures.py).
"""

from __future__ import annotations

import re
from dataclasses import replace

from tipfigures.extract.genre import Genre
from tipfigures.extract.results import Figure
from tipfigures.extract.roles.across_figures import (
    as_the_compared,
    entity_breakdowns,
    one_flow_of_repatriations,
    own_nationals_returned,
    parts_of_parts,
    totals_of_all,
    victims_among_the_people_before,
)
from tipfigures.extract.roles.clause import FigureClause
from tipfigures.extract.roles.decisions import a_share, role_of
from tipfigures.extract.rules import rules
from tipfigures.text_structure import TextStructure, finditer_at_line_starts

__all__ = ["assign_roles", "date_counts"]


def assign_roles(text: str, figures: list[Figure], structure: TextStructure, genre: Genre,
                 source_country: str | None) -> list[Figure]:
    """The figures, each with its role."""
    news = genre.news_story and not genre.statistics_story  # (a story of a year's figures
    # tells the year's counts, not one event)
    story_start = genre.dateline_end or 0  # "RABAT, March 12 (Reuters) - " dates
    starts = [f.start for f in figures] + [len(text)]  # the story, not its first sentence's event
    out = [replace(f, role=role_of(FigureClause(
               text, f, structure, news, story_start,
               _next_outside_brackets(text, figures, i, starts))))
           if not f.role else f
           for i, f in enumerate(figures)]
    # "in four out of 10 cases": the two numbers make a share, of no indicator of their own;
    # "assisted 412 children ..., but did not report how many were trafficking victims": no
    # count of trafficking victims
    not_all = rules().structure.not_all_trafficking
    out = [replace(f, indicator="other") if f.role == "other" and (a_share(text, f.start, f.end) or
           not_all.search(text, f.end, min(structure.sentence_span(f.start)[1], f.end + 200)))
           else f
           for f in out]
    out = as_the_compared(entity_breakdowns(in_links_to_other_stories(text, out), source_country))
    out = one_flow_of_repatriations(own_nationals_returned(text, out, source_country))
    out = victims_among_the_people_before(text, out)
    return parts_of_parts(totals_of_all(text, out, structure))


def _next_outside_brackets(text: str, figures: list[Figure], i: int, starts: list[int]) -> int:
    """Where the next figure outside a parenthesis opened after this one starts: "charged 47
    defendants (88 in 2019) and released 11 suspects without charge": the 11's."""
    j = i + 1
    while j < len(figures) and starts[j] - figures[i].end < 200 and \
            text.count("(", figures[i].end, starts[j]) > text.count(")", figures[i].end, starts[j]):
        j += 1
    return starts[j]



def date_counts(figures: list[Figure], reporting_period: int | None) -> list[Figure]:
    """An annual report's undated figures are of its reporting period.

    A report on a year ("Trafficking in Persons Report 2022", "Country Reports on Human Rights
    Practices for 2006") that says "courts convicted 46 traffickers" with no year means that
    year; a year in the sentence, a comparison or "the previous year" has dated the figure
    already. Estimates, shares, ages and penalties in law keep no period, and so does a
    standing fact told in the present tense ("NAPTIP, a 200-employee agency, bears ...").
    """
    if reporting_period is None:
        return figures
    tense: dict[str, bool] = {}  # once per sentence: a sentence can hold thousands of figures

    def present(sentence: str) -> bool:
        if sentence not in tense:
            tense[sentence] = _present_tense(sentence)
        return tense[sentence]

    return [replace(f, period=str(reporting_period))
            if f.period is None and f.indicator != "penalty"
            and f.role != "estimate" and f.unit != "percent" and f.entity != "age"
            and not (f.role == "other" and present(f.sentence)) else f
            for f in figures]


PRESENT = re.compile(r"\b(?:is|are|has|have|remains|remain|bears|consists|employs|operates|"
                     r"includes|contains|exists?|comprises|lives|live|works|work)\b")
PAST = re.compile(r"\b(?:was|were|had|did|during|reported)\b")


def _present_tense(sentence: str) -> bool:
    return PRESENT.search(sentence) is not None and PAST.search(sentence) is None


# a web copy's link to another story, copied with the page: "Read also: Detectives rescue 23
# Ethiopians locked in Kitengela house"
LINK_LABELS = ("Read also", "Read more", "Also read", "Related", "See also", "More on this")
LINK_LINE = re.compile(r"(?m)^[ \t]*(?:" + "|".join(LINK_LABELS).replace(" ", r"[ \t]+") +
                       r")(?:[ \t]+(?:story|stories|news))?[ \t]*:[^\n]*")


def in_links_to_other_stories(text: str, figures: list[Figure]) -> list[Figure]:
    """The figures, those of a link to another story read as details of that story."""
    if not any(label in text for label in LINK_LABELS):
        return figures
    links = [m.span() for m in finditer_at_line_starts(LINK_LINE, text)]
    return [replace(f, role="case", part_of=None, breakdown=None)
            if any(start <= f.start < end for start, end in links) else f for f in figures]
