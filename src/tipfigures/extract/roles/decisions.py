"""A figure's role, decided by the first of an ordered list of named tests that holds.

Each test reads the figure's clause (roles/clause.py) and the cue words of
rules/extraction.yaml; the order matters: a share is "other" before its words can make it a
case, and a pending stock is "other" before its verb can make it a year's count. A figure no
test claims is a total.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tipfigures.extract.dates import MONTH_PATTERN
from tipfigures.extract.numbers import SMALL_NUMBER_WORD
from tipfigures.extract.reading import AGE_BOUND
from tipfigures.extract.roles.clause import FigureClause
from tipfigures.extract.roles.events import (
    CASE_OPENING,
    CASE_SUBJECT,
    IN_ONE_CASE,
    MONTH_BEFORE,
    MONTH_OPENING,
    NEWS_PERIOD,
    ONE_PERSON_BEFORE,
    SINCE_MONTH,
    after_a_case,
    continues_an_event,
    tells_an_event,
)
from tipfigures.extract.rules import SENTENCE_OPENING, rules
from tipfigures.extract.sentences import RECURRING

AGE_BOUND_JUST_BEFORE = re.compile(rf"\b{AGE_BOUND}[ \t]+$")
OUT_OF_AFTER = re.compile(r"[ \t]+(?:out[ \t]+of|in[ \t]+every)[ \t]+\S+")
OUT_OF_BEFORE = re.compile(r"\S[ \t]+(?:out[ \t]+of|in[ \t]+every)[ \t]+$")
# "made 3,902 referrals between January and March": a count of part of a year
MONTHS_OF_A_YEAR = re.compile(
    rf"[ \t]*(?:[a-z]+[ \t]+){{0,2}}?(?:between|from)[ \t]+(?:{MONTH_PATTERN})[ \t]+(?:and|to)"
    rf"[ \t]+(?:{MONTH_PATTERN})\b(?![ \t]+(?:19|20)[0-9]{{2}})")
# "Since the mobile inspection groups were created in 1995, more than 57,600 workers have
# been freed": a sentence that opens on "since" gives a running count
SINCE_OPENING = re.compile(r"[ \t\"“]*Since\b")
BY_THEN_HAD = re.compile(  # "By the end of 2023, the teams had rescued more than 63,000"
    rf"\bBy[ \t]+(?:the[ \t]+end[ \t]+of[ \t]+)?(?:{MONTH_PATTERN}[ \t]+)?(?:19|20)[0-9]{{2}},?"
    r"[^;]*\bhad[ \t]+[a-z]+ed\b[^;,]{0,40}$")
PLACES_RANKED_BEFORE = re.compile(
    r"\b(?:led[ \t]+the[ \t]+(?:states|provinces|regions|districts|cities|counties|zones)|"
    r"followed[ \t]+by[ \t]+[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,3})[ \t]+with[ \t]+$")
ALONE_BEFORE = re.compile(r"\b[A-Z][\w-]*[ \t]+alone[ \t]+(?:[a-z]+[ \t]+){1,3}$")
PEOPLE_IN_CASES = re.compile(r"\b(?:[0-9][0-9,]*|[a-z]+)[ \t]+(?:[a-z-]+[ \t]+)?(?:suspects|"
                             r"defendants|traffickers|persons|people|individuals|offenders)"
                             r"[ \t]+in[ \t]+$")
# "three defendants accused of": the counted people, described
PEOPLE_ACCUSED = re.compile(r"[ \t]+(?:[a-z-]+[ \t]+)?(?:defendants|suspects|traffickers)"
                            r"[ \t]+accused[ \t]+of")
COURT_ORDERED = re.compile(r"\b(?:ordered|awarded)\b", re.I)  # "ordered them to pay $500"
PRONOUN_OPENING = re.compile(r"[ \t]*(?:he|she|they|it|his|her|their)\b", re.I)
CLAUSE_BREAK = re.compile(r"[,;:()—–]")
# "the two children", "these three women": a number that points back at people or things
# already told, not a new count.
DEFINITE_BEFORE = re.compile(
    r"\b(?:[Tt]he|[Tt]hese|[Tt]hose)[ \t]+(?:other[ \t]+|remaining[ \t]+)?$")
OF_THE_OPENING = re.compile(SENTENCE_OPENING + r"Of[ \t]+the[ \t]+(?:total[ \t]+(?:of[ \t]+)?)?")
# "Thirty-five of the investigations ...", "Of these, ...": a sentence of the count before's parts
BREAKS_DOWN_THE_COUNT_BEFORE = re.compile(
    rf"\s*(?:(?:{SMALL_NUMBER_WORD}|[0-9][0-9,]*)[ \t]+of[ \t]+|Of[ \t]+|Among[ \t]+)"
    r"(?:the|these|those)[ \t]+(?:[a-z-]+[ \t]+)?"
    r"(?:investigations|cases|prosecutions|convictions|victims)\b"
    # "... recorded 74 cases in 2023. The cases involved 163 victims"
    r"|\s*The[ \t]+(?:investigations|cases|prosecutions|convictions)[ \t]+"
    r"(?:involved|concerned|included)\b")
TOLD_WHEN = re.compile(r"\b(?:published|released|issued|presented|announced)\b")
# a figure's own year in its phrase: "312 presumed victims of trafficking in Greece in 2022"
ITS_OWN_YEAR_AFTER = re.compile(r"[^,;.()]{0,80}?\b(?:in|during)[ \t]+(?:19|20)[0-9]{2}\b")
OUR_AGENCY = re.compile(r"\b(?:by|with|through)[ \t]+(?:our|us)\b")
QUOTATION_MARKS = re.compile(r'["“”]')
# What may open a clause before its subject: "In 2019, ", "Last year ", "During 2022, "
CLAUSE_INTRODUCTION = re.compile(r"\s*(?:(?:In|During|Last|This|Over)\b[^,;]{0,30}?,?[ \t]+)?")


@dataclass(frozen=True)
class Decision:
    """A named test and the role a figure takes when it holds."""

    role: str
    test: Callable[[FigureClause], bool]

    @property
    def name(self) -> str:
        return self.test.__name__


def role_of(clause: FigureClause) -> str:
    decision = deciding(clause)
    return decision.role if decision is not None else "total"


def deciding(clause: FigureClause) -> Decision | None:
    """The first decision whose test holds: the reason for the figure's role."""
    for decision in DECISIONS:
        if decision.test(clause):
            return decision
    return None


def a_share(text: str, start: int, end: int) -> bool:
    """"in four out of 10 cases", "one in every five": two numbers that make a share."""
    return OUT_OF_AFTER.match(text, end) is not None or OUT_OF_BEFORE.search(
        text, max(0, start - 24), start) is not None


# --- what the figure measures -------------------------------------------------------------

def one_persons_age(c: FigureClause) -> bool:
    """"a 19-year-old girl": one person's age."""
    if c.figure.entity != "age" or c.figure.value_max is not None:
        return False
    return not AGE_BOUND_JUST_BEFORE.search(c.text, max(0, c.figure.start - 24), c.figure.start)


def an_age_bound(c: FigureClause) -> bool:
    """"girls between the ages of 10 and 17", "57 were under 18": a bound of ages."""
    return c.figure.entity == "age"


def a_penalty_or_no_unit(c: FigureClause) -> bool:
    """A penalty the law sets, or a number that counts nothing."""
    return c.figure.indicator == "penalty" or c.kind == "none"


def a_prevalence_percentage(c: FigureClause) -> bool:
    """"a 2019 survey found that 19 percent had experienced forced labour": a problem's size."""
    return c.kind == "percent" and rules().structure.estimate_cue.search(
        c.text, max(c.sentence_start, c.figure.start - 120), c.figure.start) is not None


def a_percentage(c: FigureClause) -> bool:
    """Any other percentage: a share of something."""
    return c.kind == "percent"


def an_event_of_no_panel_indicator(c: FigureClause) -> bool:
    """"In 2006 one police inspector was arrested for releasing two suspects": a detail of the
    case the sentence tells (in a news story, any sentence that names no year)."""
    if c.figure.indicator != "other":
        return False
    story_event = c.news and not NEWS_PERIOD.search(c.text, c.sentence_start, c.sentence_end)
    return story_event or tells_an_event(c.text, c.figure, c.structure)


def of_no_panel_indicator(c: FigureClause) -> bool:
    """"Inspectors carried out 438 operations in 2021": a figure no panel indicator counts."""
    return c.figure.indicator == "other"


def a_range_of_sentences(c: FigureClause) -> bool:
    """"sentences ranging from six months' to 13 years'": over many cases."""
    return c.figure.indicator == "sentence" and c.figure.value_max is not None


def a_sentence(c: FigureClause) -> bool:
    """"sentenced him to 12 years": one convict's sentence."""
    return c.figure.indicator == "sentence"


# --- not the year's count -----------------------------------------------------------------

def a_running_count_in_a_story(c: FigureClause) -> bool:
    """"600 victims had been rescued since January": in a news story, a count running through
    part of the year (a report's is its year's)."""
    return c.news and SINCE_MONTH.search(c.text, *c.sentence_after(80)) is not None


def part_of_a_share(c: FigureClause) -> bool:
    """"in four out of 10 cases"."""
    return a_share(c.text, c.figure.start, c.figure.end)


def a_difference(c: FigureClause) -> bool:
    """"an increase of 12 over the previous year"."""
    return rules().structure.difference_before.search(c.before[-40:]) is not None


def a_stock_or_no_count(c: FigureClause) -> bool:
    """"32 cases remained pending", "no updated information on whether the three officials
    arrested in 2007 were prosecuted", "assisted 412 children ..., but did not report how
    many were trafficking victims"."""
    cues = rules().structure
    # (money "released" to a fund is paid out, not people set free)
    not_for_money = cues.not_other_cues_for_money if c.kind == "money" else frozenset()
    own = any(found.group(0).lower() not in not_for_money
              for phrase in (c.own_phrase, c.own_before[-24:])
              for found in cues.other_cue.finditer(phrase))
    return bool(own or cues.not_reported_cue.search(c.before) or
                cues.carried_over.search(c.before[-40:]) or
                cues.not_all_trafficking.search(c.text, *c.sentence_after(200)))


def not_of_the_whole_year(c: FigureClause) -> bool:
    """"68 cases during the first six months", "to date", "since 2013", "by the end of 2023
    the teams had rescued": a count of part of a year, or running over many."""
    cues = rules().structure
    return bool(cues.partial_year.search(c.text, *c.sentence_after(160)) or
                cues.partial_year.search(c.before) or
                MONTHS_OF_A_YEAR.match(c.text, c.figure.end + len(c.figure.entity or "") + 1) or
                cues.cumulative.search(c.before) or cues.cumulative.search(c.own_phrase) or
                BY_THEN_HAD.search(c.before) or SINCE_OPENING.match(c.text, c.sentence_start))


# "the scheme entitled each released adult man to 100,000 rupees"
EACH_ONE_TO = re.compile(r"\beach(?P<who>(?:[ \t]+[\w-]+){1,4})[ \t]+to[ \t]+"
                         r"(?:up[ \t]+to[ \t]+)?$")


def money_per_person(c: FigureClause) -> bool:
    """"cash grants of THB 3,000 each to 430 survivors", "entitled each released adult man to
    100,000 rupees" (but not "the budget rose each year to ...")."""
    if c.kind != "money":
        return False
    each = EACH_ONE_TO.search(c.before[-60:])
    return rules().structure.per_person_after.match(c.text, c.figure.end) is not None or (
        each is not None and each.group("who").split()[-1].lower() in rules().person_nouns)


def a_share_of_a_budget(c: FigureClause) -> bool:
    """"spent 174,000 leva ($96,300) of its budget on the shelters"."""
    return c.kind == "money" and rules().structure.budget_share_cue.search(c.after) is not None


def a_places_count(c: FigureClause) -> bool:
    """"125 victims rescued in the city of Agadez", "West Bengal alone identified 3,912
    victims", "Minas Gerais led the states with 768 rescued workers, followed by Goias with
    304": of no national total."""
    return bool(rules().structure.subnational_cue.search(c.text, *c.sentence_after(160)) or
                ALONE_BEFORE.search(c.before[-60:]) or PLACES_RANKED_BEFORE.search(c.before[-60:]))


def of_people_not_counted(c: FigureClause) -> bool:
    """"14,700 potential victims"."""
    return bool(c.figure.entity) and \
        rules().structure.not_counted_entity.search(c.figure.entity) is not None


def an_upper_bound_of_people(c: FigureClause) -> bool:
    """"as many as 4,000 children", "up to 1 million people"."""
    return c.figure.qualifier == "up_to" and c.kind == "persons"


def estimated(c: FigureClause) -> bool:
    """"an estimated 20,000", "each month up to 100 children were trafficked"."""
    recurring = RECURRING.search(c.own_phrase) or RECURRING.search(c.before[-40:])
    return bool(rules().structure.estimate_cue.search(c.before) or
                recurring and c.figure.qualifier != "exact")


# --- one case -----------------------------------------------------------------------------

def of_one_case(c: FigureClause) -> bool:
    """"a ring that trafficked 130 women", "three members of a network", "in a separate
    operation, it returned 98 women"."""
    cues = rules().structure
    own = cues.case_cue.search(c.own_phrase)
    if own and own.group(0).lower() == "accused of" and \
            PEOPLE_ACCUSED.match(c.own_phrase, 0, own.end()) and not c.news:
        own = None  # "acquitted three defendants accused of exploiting 12 workers": the count
    return bool(cues.case_cue.search(c.before) or own or
                CASE_SUBJECT.search(c.own_before) or ONE_PERSON_BEFORE.search(c.own_before) or
                IN_ONE_CASE.search(c.own_before) or cues.case_event.search(c.own_phrase))


def of_an_estimate_indicator(c: FigureClause) -> bool:
    return c.figure.indicator in rules().structure.estimate_indicators


def a_duration(c: FigureClause) -> bool:
    return c.kind == "duration"


def one_named_person(c: FigureClause) -> bool:
    """"sentenced one senior officer"; but not "acquitted one defendant" or "identified one
    foreign trafficking victim", and "compared with one trafficker convicted in 2020" is that
    year's count."""
    f = c.figure
    words = (f.entity or "").split()
    return f.value == 1 and f.value_max is None and c.kind == "persons" and \
        len(words) > 1 and not c.compared and \
        words[-1].lower() not in ("victim", "survivor")  # "identified one foreign victim"


def in_one_of_them(c: FigureClause) -> bool:
    """"In one case involving two young boys"; but not "indicted two suspects in one new
    case": the year's one case."""
    return c.figure.value == 1 and \
        c.figure.unit in rules().structure.law_enforcement_count_units and \
        re.search(r"\b[Ii]n[ \t]+$", c.before) is not None and \
        not PEOPLE_IN_CASES.search(c.before[-60:])


def officials_complicit(c: FigureClause) -> bool:
    """"two low-level police officers arrested": complicity cases."""
    cues = rules().structure
    return c.figure.indicator in cues.law_enforcement_indicators and c.kind == "persons" and \
        cues.official_noun.search(c.figure.entity or c.own_phrase[:40]) is not None


def an_organisations_own_casework(c: FigureClause) -> bool:
    """"Our lawyers represented survivors in 87 cases": the NGO's share of the total, unless
    quoted."""
    return c.figure.indicator in rules().structure.law_enforcement_indicators and \
        _first_person_subject(c.before) and not _quoted(c.text, c.sentence_start, c.figure.start)


def done_by_the_organisation_itself(c: FigureClause) -> bool:
    """"342 presumed victims identified by our caseworkers", "39 survivors returned home with
    our help": the organisation's own share of the country's count, unless quoted."""
    return OUR_AGENCY.search(c.own_phrase) is not None and \
        not _quoted(c.text, c.sentence_start, c.figure.start)


def dated_by_a_month(c: FigureClause) -> bool:
    """"In January 2010, the government placed four victims ...": an event; but "... opened a
    shelter in August 2022; it assisted 29 victims during the year, compared with 22 in 2021"
    is the year's count, as its comparison says. A clause after a semicolon tells another
    fact, unless its subject points back ("... arrested on June 7; he was apprehended taking
    nine women to Kenya")."""
    if rules().structure.comparison.search(c.after) is not None:
        return False
    text, start = c.text, c.sentence_start
    if MONTH_OPENING.match(text, start, c.figure.start) or \
            CASE_OPENING.match(text, start, c.figure.start):
        return True
    if ITS_OWN_YEAR_AFTER.match(text, c.figure.end) and \
            TOLD_WHEN.search(text, start, c.figure.start):
        return False  # "a report published in May 2023 recorded 312 victims in 2022": the
        # month is when it was told (but "in February 2008, the government prosecuted three
        # individuals for trafficking a girl in 2007" is the prosecution's month)
    month_start = start if PRONOUN_OPENING.match(text, c.clause_start) else c.clause_start
    month_start = max(month_start, c.story_start)
    clause_end = CLAUSE_BREAK.search(text, *c.sentence_after(160))
    return bool(MONTH_BEFORE.search(text, month_start, clause_end.start() if clause_end
                                    else c.sentence_after(160)[1]) or
                continues_an_event(text, c.structure, start, c.sentence_end))


# --- no total of its indicator ------------------------------------------------------------

def a_pool_or_no_total_indicator(c: FigureClause) -> bool:
    """"identified 262 victims among 2,041 screened": the pool."""
    cues = rules().structure
    return c.figure.indicator in cues.not_total_indicators or \
        cues.pool_before.search(c.before) is not None


def a_plans_budget(c: FigureClause) -> bool:
    """"the 2022-2025 action plan had a budget of 4.1 million soms"."""
    cues = rules().structure
    return c.kind == "money" and bool(cues.plan_budget.search(c.before) or
                                      cues.plan_budget.search(c.own_phrase))


def money_set_aside_not_spent(c: FigureClause) -> bool:
    """"an allocation of 1.1 billion colones ..., but disbursed only 612 million": the money
    spent is the count."""
    return c.kind == "money" and rules().structure.not_all_spent.match(
        c.text, c.figure.end, c.sentence_end) is not None


def money_a_court_awarded(c: FigureClause) -> bool:
    """"courts ordered traffickers to pay ฿6.8 million in compensation": not money spent on
    the problem."""
    return c.kind == "money" and COURT_ORDERED.search(c.before) is not None


def money_of_no_funding(c: FigureClause) -> bool:
    return c.kind == "money" and c.figure.indicator != "funding"


# --- counted already ----------------------------------------------------------------------

def pointing_back(c: FigureClause) -> bool:
    """"the two children", "The three were charged": counted already; but "Of the 150
    prosecutions, 30 were new" opens on the year's count to break it down."""
    opens_on_it = OF_THE_OPENING.fullmatch(c.text, c.sentence_start, c.figure.start) and \
        not after_a_case(c.text, c.structure, c.sentence_start)
    return DEFINITE_BEFORE.search(c.before[-24:]) is not None and \
        rules().structure.comparison.search(c.before[-40:]) is None and not opens_on_it and \
        not WHOLE_OF_A_PART_BEFORE.search(c.before[-24:])


# "housed 241 survivors, out of the 486 sheltered in the country's homes": the whole of the
# part before it, told here for the first time
WHOLE_OF_A_PART_BEFORE = re.compile(r"\b(?:out|part)[ \t]+of[ \t]+the[ \t]+$")


def a_story_detail(c: FigureClause) -> bool:
    """A news story's numbers tell its event, unless its sentence names a year, or breaks
    down the count of the sentence before that does ("... opened 41 investigations last year.
    Thirty-five of the investigations concerned ...; together they involved 63 suspects")."""
    if not c.news or NEWS_PERIOD.search(c.text, c.sentence_start,
                                        min(c.sentence_end, c.sentence_start + 600)):
        return False
    if c.sentence_start == 0 or not BREAKS_DOWN_THE_COUNT_BEFORE.match(c.text, c.sentence_start):
        return True
    previous = c.structure.sentence_span(c.sentence_start - 1)
    return not NEWS_PERIOD.search(c.text, previous[0], min(previous[1], previous[0] + 600))


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


DECISIONS: tuple[Decision, ...] = (
    Decision("case", one_persons_age),
    Decision("other", an_age_bound),
    Decision("other", a_penalty_or_no_unit),
    Decision("estimate", a_prevalence_percentage),
    Decision("other", a_percentage),
    Decision("case", an_event_of_no_panel_indicator),
    Decision("other", of_no_panel_indicator),
    Decision("other", a_range_of_sentences),
    Decision("case", a_sentence),
    Decision("other", a_running_count_in_a_story),
    Decision("other", part_of_a_share),
    Decision("other", a_difference),
    Decision("other", a_stock_or_no_count),
    Decision("other", not_of_the_whole_year),
    Decision("other", money_per_person),
    Decision("part", a_share_of_a_budget),
    Decision("part", a_places_count),
    Decision("other", of_people_not_counted),
    Decision("estimate", an_upper_bound_of_people),
    Decision("estimate", estimated),
    Decision("case", of_one_case),
    Decision("estimate", of_an_estimate_indicator),
    Decision("case", a_duration),
    Decision("case", one_named_person),
    Decision("case", in_one_of_them),
    Decision("case", officials_complicit),
    Decision("part", an_organisations_own_casework),
    Decision("part", done_by_the_organisation_itself),
    Decision("case", dated_by_a_month),
    Decision("other", a_pool_or_no_total_indicator),
    Decision("other", a_plans_budget),
    Decision("other", money_set_aside_not_spent),
    Decision("other", money_a_court_awarded),
    Decision("other", money_of_no_funding),
    Decision("case", pointing_back),
    Decision("case", a_story_detail),
)
