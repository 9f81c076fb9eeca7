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
from tipfigures.extract.genre import Genre
from tipfigures.extract.reading import AGE_BOUND, unit_kind
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules
from tipfigures.extract.sentences import RECURRING
from tipfigures.text_structure import TextStructure

# A news article opens on a dateline ("LAGOS, 12 March 2024 –", "KYIV (Reuters) -"): what it
# tells is one event, so its figures are details of a case unless they are a year's totals.


# ... unless the story is about a year's report: "released its annual report for FY2022".

OUT_OF_AFTER = re.compile(r"[ \t]+(?:out[ \t]+of|in[ \t]+every)[ \t]+\S+")
OUT_OF_BEFORE = re.compile(r"\S[ \t]+(?:out[ \t]+of|in[ \t]+every)[ \t]+$")

# A month earlier in the sentence dates an event ("In South Kivu Province in June, NGOs
# identified 20 children"), but not a span ("from January to December 2022").
MONTH_BEFORE = re.compile(
    rf"\b(?:(?:[Ii]n|[Oo]n|[Dd]uring(?:[ \t]+(?:a|an|the))?)[ \t]+(?:early[ \t]+|late[ \t]+|mid-?)?"
    rf"(?:{MONTH_PATTERN})\b"
    rf"(?![ \t]*(?:[0-9]{{1,2}},?[ \t]+)?(?:[0-9]{{4}}[ \t]+)?(?:to|through|and|-|–)\b)"
    rf"|(?:{MONTH_PATTERN})[ \t]+[0-9]{{1,2}}\b(?![ \t]*(?:to|through|and|-|–)\b))")

# "the two children", "these three women": a number that points back at people or things
# already told, not a new count.
DEFINITE_BEFORE = re.compile(
    r"\b(?:[Tt]he|[Tt]hese|[Tt]hose)[ \t]+(?:other[ \t]+|remaining[ \t]+)?$")


OF_THE_OPENING = re.compile(r"\s*Of[ \t]+the[ \t]+(?:total[ \t]+(?:of[ \t]+)?)?")


def cues_comparison(before: str) -> bool:
    return rules().structure.comparison.search(before[-40:]) is not None


# In a news story, what makes a figure a year's count rather than a detail of the event.
NEWS_PERIOD = re.compile(r"\b(?:(?:19|20)[0-9]{2}|last[ \t]+year|this[ \t]+year|"
                         r"annual|a[ \t]+year|per[ \t]+year|during[ \t]+the[ \t]+year|"
                         r"the[ \t]+(?:previous|past|whole)[ \t]+year|year['’]s[ \t]+end|"
                         r"the[ \t]+year[ \t]+before|a[ \t]+year[ \t]+earlier)\b", re.I)
# "600 victims had been rescued since January": a count running through part of a year.
SINCE_MONTH = re.compile(
    rf"\bsince[ \t]+(?:early[ \t]+|late[ \t]+)?(?:{MONTH_PATTERN})\b(?![ \t]+[0-9]{{4}})")

# "an international sex trafficking syndicate which was responsible for trafficking 130 women":
# a singular organisation or person, then a relative clause, tells one case.
CASE_SUBJECT = re.compile(
    r"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|[0-9]{1,2})[ \t]+"
    r"(?:[a-z-]+[ \t]+){0,4}(?:syndicate|ring|network|gang|group|organi[sz]ation|company|"
    r"agency|trafficker|man|woman|couple|family|officials?|officers?|policemen|individuals|"
    r"men|women|suspects)[ \t,]+(?:which|who|that|whose)\b", re.I)

CLAUSE_BREAK = re.compile(r"[,;:()—–]")

# A sentence that opens on a month dates one event, not a year's count.
MONTH_OPENING = re.compile(
    rf"\s*(?:In|On|During|By|Since|From|Late|Early|In\s+(?:early|late|mid-?))\s+"
    rf"(?:{MONTH_PATTERN})\b")

# "; separately, in a special operation, it returned 98 women": in the figure's clause
IN_ONE_CASE = re.compile(
    r"\b[Ii]n[ \t]+(?:a|an|one|another|a[ \t]+separate)[ \t]+(?:[\w-]+[ \t]+){0,3}?"
    r"(?:case|operation|raid|incident|rescue|crackdown|sting)\b")
# "In a 2023 case, ...", "In a joint operation in August 2023, ...": the whole sentence tells it
CASE_OPENING = re.compile(
    r"\s*(?:In|During|Through)[ \t]+(?:a|an|one|another|the[ \t]+same|a[ \t]+separate)[ \t]+"
    r"(?:[\w-]+[ \t]+){0,3}?(?:case|operation|raid|incident|rescue|crackdown|sting)s?\b")


def assign_roles(text: str, figures: list[Figure], structure: TextStructure, genre: Genre,
                 source_country: str | None) -> list[Figure]:
    """The figures, each with its role."""
    news = genre.news_story
    story_start = genre.dateline_end or 0  # "RABAT, March 12 (Reuters) - " dates
    starts = [f.start for f in figures] + [len(text)]
    out = [replace(f, role=role_of(text, f, structure, news, story_start,
                                   _next_outside_brackets(text, figures, i, starts)))
           if not f.role else f  # (the story, not the event its first sentence tells)
           for i, f in enumerate(figures)]
    # "in four out of 10 cases": the two numbers make a share, of no indicator of their own;
    # "assisted 412 children ..., but did not report how many were trafficking victims": no
    # count of trafficking victims
    not_all = rules().structure.not_all_trafficking
    out = [replace(f, indicator="other") if f.role == "other" and (_a_share(text, f) or
           not_all.search(text, f.end, min(structure.sentence_span(f.start)[1], f.end + 200)))
           else f
           for f in out]
    # a count of children is a part by age where the text also counts people of all ages for
    # the same indicator ("identified 312 victims ... referred 267 child victims"), and the
    # text's total where children are all it counts ("demobilized 2,913 child soldiers")
    all_ages = {f.indicator for f in out if f.role == "total" and f.unit == "persons" and
                f.entity and _age_of(f.entity) is None}
    # and so is a count of women or men: "repatriated 58 Malagasy women" is the year's count
    # where the text counts no one else repatriated
    everyone = {f.indicator for f in out if f.role == "total" and f.unit == "persons" and
                f.entity and _age_of(f.entity) is None and _sex_of(f.entity) is None}
    # (or counts the other sex too: "arrested three women and one man")
    sexes: dict[str, set[str]] = {}
    for f in out:
        if f.role == "total" and f.unit == "persons" and f.entity and _sex_of(f.entity):
            sexes.setdefault(f.indicator, set()).add(_sex_of(f.entity))
    everyone |= {indicator for indicator, found in sexes.items() if len(found) > 1}
    out = [_with_entity_breakdown(f, source_country, f.indicator in all_ages,
                                  f.indicator in everyone) for f in out]
    out = _as_the_compared(out)
    out = _one_flow_of_repatriations(_own_nationals_returned(text, out, source_country))
    return _parts_of_parts(_totals_of_all(text, out, structure))


# "In total, authorities investigated 32 cases": a sentence that sums up what came before
SUMMING_UP = re.compile(r"\s*(?:In[ \t]+total|In[ \t]+all|Overall|Altogether|Taken[ \t]+together|"
                        r"Combined)[ \t]*,", re.I)


def _totals_of_all(text: str, figures: list[Figure], structure: TextStructure) -> list[Figure]:
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


def _one_flow_of_repatriations(figures: list[Figure]) -> list[Figure]:
    """"DGS repatriated 61 foreign victims": where the text counts no own nationals brought
    back that year, the foreign victims sent home are the year's repatriations, not a part."""
    both_ways = {f.period for f in figures if f.indicator == "victims_repatriated" and
                 f.role == "part" and f.breakdown is None and f.part_of is None}
    return [replace(f, role="total", breakdown=None)
            if f.indicator == "victims_repatriated" and f.role == "part" and
            f.breakdown == "nationality=foreign" and f.part_of is None and
            f.period not in both_ways else f for f in figures]


# "made 3,902 referrals between January and March": a count of part of a year
MONTHS_OF_A_YEAR = re.compile(
    rf"[ \t]*(?:[a-z]+[ \t]+){{0,2}}?(?:between|from)[ \t]+(?:{MONTH_PATTERN})[ \t]+(?:and|to)"
    rf"[ \t]+(?:{MONTH_PATTERN})\b(?![ \t]+(?:19|20)[0-9]{{2}})")

# "Since the mobile inspection groups were created in 1995, more than 57,600 workers have
# been freed": a sentence that opens on "since" gives a running count
SINCE_OPENING = re.compile(r"[ \t\"“]*Since\b")

CARRIED_ROLES = frozenset({"part", "other", "estimate"})


def _as_the_compared(figures: list[Figure]) -> list[Figure]:
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


def _own_nationals_returned(text: str, figures: list[Figure],
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


def _parts_of_parts(figures: list[Figure]) -> list[Figure]:
    """"3,984 Albanian nationals were referred in the United Kingdom; 1,142 of them were
    minors": a part of a part by another dimension is no breakdown of the total (the minors of
    the UK's referrals are more than the Albanian ones), and it is about its whole's country."""
    by_start = {f.start: f for f in figures}
    out = []
    for f in figures:
        whole = by_start.get(f.part_of) if f.part_of is not None else None
        if whole is not None and whole.role == "part" and whole.breakdown and f.breakdown and \
                (f.breakdown.split("=")[0] != whole.breakdown.split("=")[0] or
                 f.breakdown == whole.breakdown):
            # (and "61 were exploited in forced labor, 52 of them in domestic servitude" is
            # not the forced labour count again)
            f = replace(f, breakdown=None)
        if whole is not None and f.country_code is None and whole.country_code:
            f = replace(f, country_code=whole.country_code)
        out.append(f)
    return out


def _a_share(text: str, figure: Figure) -> bool:
    return OUT_OF_AFTER.match(text, figure.end) is not None or OUT_OF_BEFORE.search(
        text, max(0, figure.start - 24), figure.start) is not None


def _with_entity_breakdown(figure: Figure, source_country: str | None,
                           all_ages_counted: bool, everyone_counted: bool = True) -> Figure:
    """"identified 120 women", "referred 267 child victims": a part by sex, age or
    nationality, of a total the text may not give."""
    if figure.role != "total":
        return figure
    breakdown = _entity_breakdown(figure, figure.country_code or source_country)
    if breakdown and breakdown.startswith("sex=") and not everyone_counted:
        breakdown = None  # "repatriated 58 Malagasy women", where it counts no one else
    if breakdown is None and all_ages_counted and figure.unit == "persons" and figure.entity \
            and " and " not in figure.entity and " or " not in figure.entity:
        breakdown = _age_of(figure.entity)
        if breakdown and figure.entity.split()[-1].lower() in rules().structure.no_breakdown_alone:
            # "housed 31 girls": beside a count of all ages, a part, but of no one breakdown
            return replace(figure, role="part", breakdown=None)
    return replace(figure, role="part", breakdown=breakdown) if breakdown else figure


def _sex_of(entity: str) -> str | None:
    structure = rules().structure
    return next((code for code, pattern in structure.breakdowns
                 if code.startswith("sex=") and pattern.search(entity)), None)


def _age_of(entity: str) -> str | None:
    structure = rules().structure
    return next((code for code, pattern in structure.breakdowns
                 if code.startswith("age=") and pattern.search(entity)), None)


def _entity_breakdown(figure: Figure, source_country: str | None) -> str | None:
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


ALONE_BEFORE = re.compile(r"\b[A-Z][\w-]*[ \t]+alone[ \t]+(?:[a-z]+[ \t]+){1,3}$")
PEOPLE_IN_CASES = re.compile(r"\b(?:[0-9][0-9,]*|[a-z]+)[ \t]+(?:[a-z-]+[ \t]+)?(?:suspects|"
                             r"defendants|traffickers|persons|people|individuals|offenders)"
                             r"[ \t]+in[ \t]+$")
AGE_BOUND_JUST_BEFORE = re.compile(rf"\b{AGE_BOUND}[ \t]+$")


def _next_outside_brackets(text: str, figures: list[Figure], i: int, starts: list[int]) -> int:
    """Where the next figure outside a parenthesis opened after this one starts: "charged 47
    defendants (88 in 2019) and released 11 suspects without charge": the 11's."""
    j = i + 1
    while j < len(figures) and starts[j] - figures[i].end < 200 and \
            text.count("(", figures[i].end, starts[j]) > text.count(")", figures[i].end, starts[j]):
        j += 1
    return starts[j]


def role_of(text: str, figure: Figure, structure: TextStructure, news: bool = False,
            story_start: int = 0, next_start: int | None = None) -> str:
    cues = rules().structure
    kind = unit_kind(figure.unit)
    if figure.entity == "age":  # "a 19-year-old girl"; "girls between the ages of 10 and 17",
        # "57 were under 18": a bound of ages, not one person's
        bound = AGE_BOUND_JUST_BEFORE.search(text, max(0, figure.start - 24), figure.start)
        return "case" if figure.value_max is None and not bound else "other"
    if figure.indicator == "penalty" or kind == "none":
        return "other"
    sentence_start = structure.sentence_span(figure.start)[0]
    if kind == "percent":
        # "a 2019 survey found that 19 percent had experienced forced labour": the size of a
        # problem; else a share of something
        return "estimate" if cues.estimate_cue.search(
            text, max(sentence_start, figure.start - 120), figure.start) else "other"
    if figure.indicator == "other":
        # "In 2006 one police inspector was arrested for releasing two suspects": a detail of
        # the case the sentence tells; else a figure of no panel indicator (in a news story,
        # too, where its sentence names a year: "Inspectors carried out 438 operations in 2021")
        sentence_end = structure.sentence_span(figure.start)[1]
        story_event = news and not NEWS_PERIOD.search(text, sentence_start, sentence_end)
        return "case" if story_event or _tells_an_event(text, figure, structure) else "other"
    if figure.indicator == "sentence" and figure.value_max is not None:
        return "other"  # "sentences ranging from six months' to 13 years'": over many cases
    if figure.indicator == "sentence":
        return "case"
    sentence_start, sentence_end = structure.sentence_span(figure.start)
    window = max(sentence_start, figure.start - 160)  # bounded: a sentence can be endless
    clause_start = max(window, text.rfind(";", window, figure.start) + 1)
    before = text[clause_start:figure.start]
    after_end = min(sentence_end, figure.end + 60)
    semicolon = text.find(";", figure.end, after_end)
    after = text[figure.end:semicolon if semicolon >= 0 else after_end]
    own_phrase = after.split(",")[0]
    coordinated = re.search(r"\band\b", own_phrase[:next_start - figure.end]) \
        if next_start is not None and next_start - figure.end < len(own_phrase) else None
    if coordinated:
        # its own words end where a coordinated figure's begin: "prosecuted 19 traffickers
        # and continued prosecuting 25 defendants from previous years", "convicted 30
        # traffickers and ordered restitution in 12 cases"
        own_phrase = own_phrase[:coordinated.start()]
    if news and SINCE_MONTH.search(text, figure.end, min(sentence_end, figure.end + 80)):
        return "other"  # in a story of the year, a running count (a report's is its year's)
    if _a_share(text, figure):
        return "other"  # "in four out of 10 cases": a share
    if cues.difference_before.search(before[-40:]):
        return "other"  # "an increase of 12 over the previous year": a difference
    # the words of its own before it: a compared figure's start after the comparison ("118
    # victims among 2,041 screened, compared with 92 victims": "screened" is not the 92's)
    openers = list(cues.comparison.finditer(before))
    own_before = before[openers[-1].end():] if openers else before
    if cues.other_cue.search(own_phrase) or cues.other_cue.search(own_before[-24:]) or \
            cues.not_reported_cue.search(before) or cues.carried_over.search(before[-40:]) or \
            cues.not_all_trafficking.search(text, figure.end, min(sentence_end, figure.end + 200)):
        return "other"  # "32 cases remained pending", "no updated information on whether the
        # three officials arrested in 2007 were prosecuted", "assisted 412 children ..., but
        # did not report how many were trafficking victims"
    if cues.partial_year.search(text, figure.end, min(sentence_end, figure.end + 160)) or \
            cues.partial_year.search(before) or \
            MONTHS_OF_A_YEAR.match(text, figure.end + len(figure.entity or "") + 1) or \
            cues.cumulative.search(before) or cues.cumulative.search(own_phrase) or \
            BY_THEN_HAD.search(before) or SINCE_OPENING.match(text, sentence_start):
        return "other"  # "68 cases during the first six months", "to date": not the year's
    if kind == "money" and cues.per_person_after.match(text, figure.end):
        return "other"  # "cash grants of THB 3,000 each to 430 survivors": per person
    if kind == "money" and cues.budget_share_cue.search(
            text, figure.end, min(sentence_end, figure.end + 60)):
        return "part"  # "spent 174,000 leva ($96,300) of its budget on the shelters"
    if cues.subnational_cue.search(text, figure.end, min(sentence_end, figure.end + 160)) or \
            ALONE_BEFORE.search(before[-60:]):
        return "part"  # "125 victims rescued in the city of Agadez", "West Bengal alone
        # identified 3,912 victims": of no national total
    if figure.entity and cues.not_counted_entity.search(figure.entity):
        return "other"  # "14,700 potential victims"
    if figure.qualifier == "up_to" and kind == "persons":
        return "estimate"  # "as many as 4,000 children", "up to 1 million people"
    if cues.estimate_cue.search(before) or (
            (RECURRING.search(own_phrase) or RECURRING.search(before[-40:]))
            and figure.qualifier != "exact"):
        return "estimate"  # "each month up to 100 children were trafficked"
    if cues.case_cue.search(before) or cues.case_cue.search(own_phrase) or \
            CASE_SUBJECT.search(own_before) or ONE_PERSON_BEFORE.search(own_before) or \
            IN_ONE_CASE.search(own_before) or cues.case_event.search(own_phrase):
        return "case"  # "a ring that trafficked 130 women", "three members of a network"
    if figure.indicator in cues.estimate_indicators:
        return "estimate"
    if kind == "duration":
        return "case"
    compared = bool(openers) and len(own_before.strip()) < 12  # "compared with one ..."
    if figure.value == 1 and figure.value_max is None and kind == "persons" and \
            len((figure.entity or "").split()) > 1 and not compared:
        return "case"  # "sentenced one senior officer"; but "acquitted one defendant", and
        # "compared with one trafficker convicted in 2020" is that year's count
    if figure.value == 1 and figure.unit in cues.law_enforcement_count_units and \
            re.search(r"\b[Ii]n[ \t]+$", before) \
            and not PEOPLE_IN_CASES.search(before[-60:]):  # (not "indicted two suspects in
        # one new case": the year's one case)
        return "case"  # "In one case involving two young boys"
    if cues.case_cue.search(before) or cues.case_cue.search(own_phrase):
        return "case"  # "a ring that trafficked 130 women", "three members of a network"
    if figure.indicator in cues.law_enforcement_indicators and kind == "persons" and \
            cues.official_noun.search(figure.entity or own_phrase[:40]):
        return "case"  # complicity: "two low-level police officers arrested"
    if figure.indicator in cues.law_enforcement_indicators and _first_person_subject(
            before) and not _quoted(text, sentence_start, figure.start):
        return "part"  # "Our lawyers represented survivors in 87 cases": the NGO's share
    own_clause_end = CLAUSE_BREAK.search(text, figure.end, min(sentence_end, figure.end + 160))
    compared_after = cues.comparison.search(after) is not None
    # a clause after a semicolon tells another fact, unless its subject points back ("...
    # arrested on June 7 for kidnapping; he was apprehended taking nine women to Kenya")
    month_start = sentence_start if PRONOUN_OPENING.match(text, clause_start) else clause_start
    month_start = max(month_start, story_start)
    if not compared_after and (MONTH_OPENING.match(text, sentence_start, figure.start) or
                               CASE_OPENING.match(text, sentence_start, figure.start) or
                               MONTH_BEFORE.search(text, month_start, own_clause_end.start()
                                                   if own_clause_end else
                                                   min(sentence_end, figure.end + 160))
                               or _continues_an_event(text, structure, sentence_start,
                                                      sentence_end)):
        # "In January 2010, the government placed four victims ...": an event; but "...
        # opened a shelter in August 2022; it assisted 29 victims during the year, compared
        # with 22 in 2021" is the year's count, as its comparison says
        return "case"
    if figure.indicator in cues.not_total_indicators or cues.pool_before.search(before):
        return "other"  # "identified 262 victims among 2,041 screened": the pool
    if kind == "money" and (cues.plan_budget.search(before) or cues.plan_budget.search(
            own_phrase)):
        return "other"  # "the 2022-2025 action plan had a budget of 4.1 million soms"
    if kind == "money" and cues.not_all_spent.match(text, figure.end, sentence_end):
        # "an allocation of 1.1 billion colones ..., but disbursed only 612 million": money
        # set aside, of which the money spent is the count
        return "other"
    if kind == "money" and COURT_ORDERED.search(before):
        # "courts ordered traffickers to pay ฿6.8 million in compensation": money a court
        # awarded, not money a government or donor spent on the problem
        return "other"
    if kind == "money" and figure.indicator != "funding":
        return "other"
    if DEFINITE_BEFORE.search(before[-24:]) and not cues_comparison(before) and not (
            OF_THE_OPENING.fullmatch(text, sentence_start, figure.start) and
            not _after_a_case(text, structure, sentence_start)):
        # "the two children", "The three were charged": counted already; but "Of the 150
        # prosecutions, 30 were new" opens on the year's count to break it down
        return "case"
    if news and not NEWS_PERIOD.search(text, sentence_start,
                                       min(sentence_end, sentence_start + 600)):
        return "case"  # a news story's numbers tell its event, unless a year is named
    return "total"


def _after_a_case(text: str, structure: TextStructure, sentence_start: int) -> bool:
    """"In one case, police raided a farm. Of the 36 victims, ...": the sentence before tells
    one case, which this one goes on with."""
    if sentence_start == 0:
        return False
    previous_start = structure.sentence_span(sentence_start - 1)[0]
    return rules().structure.case_cue.search(text, previous_start, sentence_start) is not None


QUOTATION_MARKS = re.compile(r'["“”]')
# What may open a clause before its subject: "In 2019, ", "Last year ", "During 2022, "
CLAUSE_INTRODUCTION = re.compile(r"\s*(?:(?:In|During|Last|This|Over)\b[^,;]{0,30}?,?[ \t]+)?")


def _first_person_subject(clause: str) -> bool:
    """The clause's subject is "we" or "our ..." ("Our legal team followed 41 prosecutions"),
    not a first person later in it ("courts convicted 27 traffickers in cases we assisted")."""
    introduction = CLAUSE_INTRODUCTION.match(clause)
    return rules().structure.first_person.match(clause, introduction.end()) is not None


def _quoted(text: str, sentence_start: int, position: int) -> bool:
    """Inside a quotation: an odd number of quotation marks before it in its paragraph."""
    # (bounded: a paragraph can be endless)
    paragraph_start = text.rfind("\n\n", max(0, sentence_start - 2000), sentence_start) + 1
    return len(QUOTATION_MARKS.findall(text, max(paragraph_start, position - 2000), position)) \
        % 2 == 1


def _tells_an_event(text: str, figure: Figure, structure: TextStructure) -> bool:
    """A sentence that opens on a month, or names a case, a ring or one person."""
    cues = rules().structure
    sentence_start, sentence_end = structure.sentence_span(figure.start)
    before = text[max(sentence_start, figure.start - 160):figure.start]
    return bool(MONTH_OPENING.match(text, sentence_start, figure.start) or
                CASE_OPENING.match(text, sentence_start, figure.start) or
                cues.case_cue.search(before) or CASE_SUBJECT.search(before) or
                ONE_PERSON_BEFORE.search(before))


BY_THEN_HAD = re.compile(  # "By the end of 2023, the teams had rescued more than 63,000"
    rf"\bBy[ \t]+(?:the[ \t]+end[ \t]+of[ \t]+)?(?:{MONTH_PATTERN}[ \t]+)?(?:19|20)[0-9]{{2}},?"
    r"[^;]*\bhad[ \t]+[a-z]+ed\b[^;,]{0,40}$")
COURT_ORDERED = re.compile(r"\b(?:ordered|awarded)\b", re.I)  # "ordered them to pay $500"
PRONOUN_OPENING = re.compile(r"[ \t]*(?:he|she|they|it|his|her|their)\b", re.I)
ONE_PERSON_BEFORE = re.compile(r"\b(?:[Oo]ne|[Aa]n?)[ \t]+(?:[A-Za-z-]+[ \t]+){0,3}(?:officer|"
                               r"official|inspector|man|woman|trafficker|suspect|recruiter|owner|"
                               r"couple|judge|agent|employer|marabout|teacher|businessman|"
                               r"businesswoman|driver|soldier|proprietor|proprietress|trader|"
                               r"farmer|citizen|national|resident)\b")


COUNTED_ROLES = frozenset({"total", "part", "case"})


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


def _continues_an_event(text: str, structure: TextStructure, sentence_start: int,
                        sentence_end: int) -> bool:
    """"In May 2005 police arrested three members ... The three were formally charged": a
    sentence right after one that opens on a month goes on telling the same event, unless it
    names a year or the reporting period of its own."""
    paragraph = structure.paragraph_start(sentence_start)
    if sentence_start <= paragraph or not DEFINITE_OPENING.match(text, sentence_start):
        return False
    previous = structure.sentence_span(max(paragraph, sentence_start - 2))
    return MONTH_OPENING.match(text, previous[0], previous[1]) is not None and \
        YEAR.search(text, sentence_start, min(sentence_end, sentence_start + 400)) is None


DEFINITE_OPENING = re.compile(  # "The three were charged", "They were released"
    r"\s*(?:They|He|She|(?:The|These|Those)[ \t]+(?:[0-9]|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|suspects|victims|children|girls|boys|women|men)\b)")
YEAR = re.compile(r"\b(?:19|20)[0-9]{2}\b|\b(?:during|by|at)\s+(?:the\s+)?year")
