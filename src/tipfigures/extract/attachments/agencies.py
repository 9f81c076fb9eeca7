"""Counts of the same thing by several agencies or providers: parts of a total the text
does not give, since they may overlap (docs/gold-format.md's convention)."""

from __future__ import annotations

import re
from functools import cache

from tipfigures.extract.attachments.item import Attached
from tipfigures.extract.reading import unit_kind
from tipfigures.extract.rules import rules

# "The Ghana Police Service reported investigating 118 cases in 2019 and the Ghana
# Immigration Service (GIS) 36 cases": another agency's count of the same, with no verb
AGENCY_GAP = re.compile(r"[ \t]+[a-z][a-z \t-]{0,40}?(?:[ \t]+in[ \t]+(?:19|20)[0-9]{2})?[ \t]+"
                        r"and[ \t]+(?:the[ \t]+)?[A-Z][\w'’.-]*"
                        r"(?:[ \t]+(?:of[ \t]+)?[A-Z][\w'’.-]*)*"
                        r"(?:[ \t]+\([A-Z]{2,8}\))?[ \t]+")


def agencies_side_by_side(text: str, items: list[Attached]) -> None:
    """Counts of the same by two agencies, the second told with no verb of its own, are
    parts of a total the text does not give (they may overlap)."""
    for first, second in zip(items, items[1:], strict=False):
        if first.whole is None and second.whole is None and not first.role and \
                not second.role and not first.in_parenthesis and not second.in_parenthesis and \
                first.unit == second.unit and first.indicator == second.indicator != "other" and \
                AGENCY_GAP.fullmatch(text, first.end, second.start) and \
                not rules().structure.country_subject.search(text, first.end, second.start):
            # (not two countries' counts: "Bulgaria identified 330 victims and Cyprus 94")
            first.side_by_side = second.side_by_side = True


# "The Philippine National Police (PNP) reported investigating 214 cases ..., and the National
# Bureau of Investigation opened 97 cases": a named agency's own clause and verb
ITS_VERB = r"[ \t]+(?:also[ \t]+|separately[ \t]+)?(?:reported[ \t]+)?[a-z]+(?:ed|ing)\b"
NOT_AN_AGENCY = re.compile(r"\s*(?:(?:In|During)[ \t]+[^,]{1,30},[ \t]*)?(?:The[ \t]+)?"
                           r"(?:Government|Authorities|Officials|Courts)\b", re.I)


@cache
def _agency_clauses() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A later clause opened by another agency, and a sentence opened by a named agency (not
    "the government" or "authorities")."""
    name = rules().structure.agency_name
    clause = re.compile(
        rf"[ \t]*[,;][ \t]*(?:and|while|whereas)[ \t]+(?:the[ \t]+)?{name}{ITS_VERB}")
    subject = re.compile(
        rf"\s*(?:(?:In|During)[ \t]+[^,]{{1,30}},[ \t]*)?(?:[Tt]he[ \t]+)?{name}{ITS_VERB}")
    return clause, subject


def agencies_in_their_own_clauses(text: str, sentence: tuple[int, int],
                                  items: list[Attached]) -> None:
    """"The PNP reported investigating 214 cases involving 389 suspects, and the NBI opened 97
    cases against 161 suspects": two named agencies' counts of the same, each with its own
    verb, are parts of a total the text does not give (the docs' convention: they may
    overlap), paired by unit."""
    agency_clause, agency_subject = _agency_clauses()
    if not agency_subject.match(text, sentence[0]) or NOT_AN_AGENCY.match(text, sentence[0]):
        return
    comparison = rules().structure.comparison
    for clause in agency_clause.finditer(text, sentence[0], sentence[1]):
        before = [item for item in items if item.end <= clause.start()]
        after = [item for item in items if item.start >= clause.end()]
        for second in after[:4]:
            first = next((item for item in before if item.unit == second.unit and
                          item.indicator == second.indicator), None)
            if first is None or second.indicator == "other" or first.role or second.role or \
                    first.whole is not None or second.whole is not None or \
                    first.in_parenthesis or second.in_parenthesis or first.compared or \
                    second.compared or comparison.search(text, clause.end(), second.start):
                continue
            first.side_by_side = second.side_by_side = True


# "State centers assisted 41 victims, while NGOs ... assisted 388 victims": two providers'
# counts, each in its own clause
WHILE_GAP = re.compile(r"[^.;()]{0,80}?,?[ \t]+(?:while|whereas)[ \t]+[^.;()]{1,100}")


def providers_side_by_side(text: str, items: list[Attached]) -> None:
    """Counts of the same thing by two agencies in clauses joined by "while" ("State centers
    assisted 41 victims, while NGOs assisted 388") are parts of a total the text does not give
    (the docs' convention), as when the second has no verb of its own."""
    comparison = rules().structure.comparison
    for first, second in zip(items, items[1:], strict=False):
        if first.whole is None and second.whole is None and not first.role and \
                not second.role and not first.in_parenthesis and not second.in_parenthesis and \
                unit_kind(first.unit) == unit_kind(second.unit) == "persons" and \
                first.indicator == second.indicator != "other" and \
                first.indicator not in rules().structure.estimate_indicators and \
                WHILE_GAP.fullmatch(text, first.end, second.start) and \
                not comparison.search(text, first.end, second.start) and \
                not comparison.search(text, max(0, first.start - 40), first.start):
            first.side_by_side = second.side_by_side = True
