"""Roles that depend on the text's other figures: sums of what came before, both flows of
repatriations, a compared count's kind, breakdowns a counted noun names, parts of parts."""

from __future__ import annotations

import re
from dataclasses import replace

from tipfigures.extract.attachments.item import VICTIM_COUNTS
from tipfigures.extract.attachments.victim_stages import TRAFFICKING_VICTIMS
from tipfigures.extract.reading import unit_kind
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules
from tipfigures.text_structure import TextStructure

# "In total, authorities investigated 32 cases": a sentence that sums up what came before
SUMMING_UP = re.compile(r"\s*(?:In[ \t]+total|In[ \t]+all|Overall|Altogether|Taken[ \t]+together|"
                        r"Combined)[ \t]*,", re.I)


def totals_of_all(text: str, figures: list[Figure], structure: TextStructure) -> list[Figure]:
    """"In 2021, the SPO investigated four cases ... Federation prosecutors investigated 19
    cases ...; RS prosecutors investigated seven cases ... In total, authorities investigated
    32 cases": the counts before a sum of them, of its kind and year, are its parts."""
    out = list(figures)
    for index, total in enumerate(figures):
        start = structure.sentence_span(total.start)[0]
        if total.role != "total" or unit_kind(total.unit) not in ("persons", "count") or \
                not SUMMING_UP.match(text, start):
            continue
        paragraph = structure.paragraph_start(start)
        parts = [i for i in range(index) if paragraph <= figures[i].start < start and
                 out[i].role == "total" and out[i].part_of is None and
                 (out[i].indicator, out[i].unit, out[i].period) ==
                 (total.indicator, total.unit, total.period)]
        if len(parts) >= 2 and sum(out[i].value for i in parts) <= total.value:
            for i in parts:
                out[i] = replace(out[i], role="part", part_of=total.start)
    return out


def one_flow_of_repatriations(figures: list[Figure]) -> list[Figure]:
    """"DGS repatriated 61 foreign victims": the foreign victims sent home are the year's
    repatriations, not a part (beside them, the own nationals brought back are the part:
    docs/gold-format.md)."""
    return [replace(f, role="total", breakdown=None)
            if f.indicator == "victims_repatriated" and f.role == "part" and
            f.breakdown == "nationality=foreign" and f.part_of is None else f for f in figures]


def victims_among_the_people_before(text: str, figures: list[Figure]) -> list[Figure]:
    """"In 2020 we worked with 318 people, up from 276 in 2019. Of these, 141 were survivors of
    human trafficking (122 in 2019)": the trafficking victims among the people a service
    counted, told in a sentence after the count, are the service's count (docs/gold-format.md);
    the people, not all victims, and their earlier years are a count of something else. (In one
    sentence, attachments/victim_stages.py decides the same.)"""
    r = rules()
    at = {f.start: i for i, f in enumerate(figures)}
    out = list(figures)
    for i, part in enumerate(figures):
        w = at.get(part.part_of) if part.part_of is not None else None
        whole = out[w] if w is not None else None
        if part.role != "part" or whole is None or whole.part_of is not None or \
                whole.indicator not in VICTIM_COUNTS or whole.unit != "persons" or \
                part.period != whole.period or not TRAFFICKING_VICTIMS.match(text, part.end):
            continue
        noun = (whole.entity or "").lower().split()
        if not noun or noun[-1] not in r.structure.people_served or \
                any("victim" in word or "survivor" in word for word in noun):
            continue  # (a part of a count of victims is a part)
        out[i] = replace(part, role="total", part_of=None, breakdown=None)
        for j, f in enumerate(out):
            if j == w or f.compared_with == whole.start:
                out[j] = replace(f, role="other")
            elif f.compared_with == part.start and f.role == "part":
                out[j] = replace(f, role="total", part_of=None, breakdown=None)
    return out


CARRIED_ROLES = frozenset({"part", "other", "estimate"})


def as_the_compared(figures: list[Figure]) -> list[Figure]:
    """An earlier year's count with no noun of its own is of its model's kind: "identified 235
    foreign victims, an increase from 59 in 2017" (a part, foreign); "32 cases remained
    pending, compared with 20 in 2020" (a stock, not a count of 2020's work)."""
    at = {f.start: f for f in figures}
    out = []
    for f in figures:
        model = at.get(f.compared_with) if f.compared_with is not None else None
        if model is not None and f.role == "total" and f.entity is None and \
                model.role in CARRIED_ROLES and model.part_of is None:
            f = replace(f, role=model.role, breakdown=model.breakdown if model.role == "part"
                        else None)
        out.append(f)
    return out


CLAUSE_END = re.compile(r"[,;.]")


def own_nationals_returned(text: str, figures: list[Figure],
                            source_country: str | None) -> list[Figure]:
    """Repatriations run two ways: foreign victims sent home and the country's own nationals
    brought back. Where the text counts the foreign ones for a year, a count of its own
    nationals ("returned 61 foreign victims ... the repatriation of 214 Ugandan victims from
    Saudi Arabia") or of people brought back from abroad ("54 children were repatriated from
    Senegal") is the other part, not the year's total."""
    foreign_years = {f.period for f in figures if f.indicator == "victims_repatriated" and
                     (f.breakdown or "").startswith("nationality=")}
    if not foreign_years or source_country is None:
        return figures
    structure = rules().structure
    out = []
    for f in figures:
        if f.role != "total" or f.indicator != "victims_repatriated" or \
                f.period not in foreign_years:
            out.append(f)
            continue
        demonym = structure.demonym.search(f.entity or "")
        own = demonym is not None and structure.demonyms[demonym.group(1)] == source_country
        clause_end = CLAUSE_END.search(text, f.end, f.end + 80)
        back_from = structure.from_country.search(
            text, f.end, clause_end.start() if clause_end else f.end + 80)
        if own or back_from and structure.countries[back_from.group(1)] != source_country:
            f = replace(f, role="part")
        out.append(f)
    return out


def parts_of_parts(figures: list[Figure]) -> list[Figure]:
    """"3,984 Albanian nationals were referred in the United Kingdom; 1,142 of them were
    minors": a part of a part by another dimension is no breakdown of the total (the minors of
    the UK's referrals are more than the Albanian ones), and it is about its whole's country.
    Nor is a part of a subset with no breakdown ("342 victims identified by our caseworkers:
    211 men, 64 women and 67 children": the men of one organisation's caseload)."""
    by_start = {f.start: f for f in figures}
    out = []
    for f in figures:
        whole = by_start.get(f.part_of) if f.part_of is not None else None
        if whole is not None and whole.role == "part" and f.breakdown and (
                not whole.breakdown or f.breakdown.split("=")[0] != whole.breakdown.split("=")[0]
                or f.breakdown == whole.breakdown):
            # (and "61 were exploited in forced labor, 52 of them in domestic servitude" is
            # not the forced labour count again)
            f = replace(f, breakdown=None)
        if whole is not None and f.country_code is None and whole.country_code:
            f = replace(f, country_code=whole.country_code)
        out.append(f)
    return out


def entity_breakdowns(figures: list[Figure], source_country: str | None) -> list[Figure]:
    """Totals whose counted noun names a sex, an age or a nationality become parts by it.

    A count of children is a part by age where the text also counts people of all ages for
    the same indicator ("identified 312 victims ... referred 267 child victims"), and the
    text's total where children are all it counts ("demobilized 2,913 child soldiers"); and
    so is a count of women or men: "repatriated 58 Malagasy women" is the year's count where
    the text counts no one else repatriated (or counts the other sex too: "arrested three
    women and one man")."""
    all_ages = {f.indicator for f in figures if f.role == "total" and f.unit == "persons" and
                f.entity and age_of(f.entity) is None}
    everyone = {f.indicator for f in figures if f.role == "total" and f.unit == "persons" and
                f.entity and age_of(f.entity) is None and sex_of(f.entity) is None}
    sexes: dict[str, set[str]] = {}
    for f in figures:
        if f.role == "total" and f.unit == "persons" and f.entity and sex_of(f.entity):
            sexes.setdefault(f.indicator, set()).add(sex_of(f.entity))
    everyone |= {indicator for indicator, found in sexes.items() if len(found) > 1}
    return [with_entity_breakdown(f, source_country, f.indicator in all_ages,
                                  f.indicator in everyone) for f in figures]


def with_entity_breakdown(figure: Figure, source_country: str | None,
                           all_ages_counted: bool, everyone_counted: bool = True) -> Figure:
    """"identified 120 women", "referred 267 child victims": a part by sex, age or
    nationality, of a total the text may not give."""
    if figure.role != "total":
        return figure
    breakdown = entity_breakdown(figure, figure.country_code or source_country)
    if breakdown and breakdown.startswith("sex=") and not everyone_counted:
        breakdown = None  # "repatriated 58 Malagasy women", where it counts no one else
    if breakdown is None and all_ages_counted and figure.unit == "persons" and figure.entity \
            and " and " not in figure.entity and " or " not in figure.entity:
        breakdown = age_of(figure.entity)
        if breakdown and figure.entity.split()[-1].lower() in rules().structure.no_breakdown_alone:
            # "housed 31 girls": beside a count of all ages, a part, but of no one breakdown
            return replace(figure, role="part", breakdown=None)
    return replace(figure, role="part", breakdown=breakdown) if breakdown else figure


def sex_of(entity: str) -> str | None:
    structure = rules().structure
    return next((code for code, pattern in structure.breakdowns
                 if code.startswith("sex=") and pattern.search(entity)), None)


def age_of(entity: str) -> str | None:
    structure = rules().structure
    return next((code for code, pattern in structure.breakdowns
                 if code.startswith("age=") and pattern.search(entity)), None)


def entity_breakdown(figure: Figure, source_country: str | None) -> str | None:
    """A breakdown by sex or nationality that a total's counted noun names."""
    if figure.role != "total" or figure.unit != "persons" or not figure.entity:
        return None
    structure = rules().structure
    if " and " in figure.entity or " or " in figure.entity:
        # "women and girls", "women and children": no one breakdown by sex; but "Lao women and
        # girls" rescued abroad share one nationality
        demonym = structure.demonym.match(figure.entity)
        code = structure.demonyms[demonym.group(1)] if demonym else None
        return f"nationality={code}" if code and code != source_country else None
    demonym = structure.demonym.search(figure.entity)
    if demonym and figure.country_code and \
            structure.demonyms[demonym.group(1)] != figure.country_code:
        # "Jordanian authorities identified 23 Egyptian men": of Jordan's count, the Egyptians
        return f"nationality={structure.demonyms[demonym.group(1)]}"
    for code, pattern in structure.breakdowns:
        # not by age: a report that counts only "children" gives its total ("demobilized
        # 2,913 child soldiers"); "three women were arrested" is a part by sex
        if code.split("=")[0] in ("sex", "nationality") and pattern.search(figure.entity):
            return code
    if demonym and structure.demonyms[demonym.group(1)] != source_country:
        return f"nationality={structure.demonyms[demonym.group(1)]}"
    return None
