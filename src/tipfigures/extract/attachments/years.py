"""Which year a figure of a sentence is for: the year that opens its phrase ("In 2001, more
than 300 children"), the year that closes coordinated predicates, and the compared part
("..., compared with 61 cases in 2021 and 47 in 2020"), each phrase dated by its own year."""

from __future__ import annotations

import re
from bisect import bisect_left

from tipfigures.extract.attachments.item import Attached, year_label
from tipfigures.extract.attachments.links import (
    noun_indicator,
    participle_indicator,
    same_count_gap,
    verb_before,
)
from tipfigures.extract.periods import YearMention
from tipfigures.extract.reading import IndicatorKeywords, a_place, indicator_of, unit_kind
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules

# Between a year that opens a phrase and its number: a comma, a qualifier ("In 2001, more than
# 300 children"); and the words that open such a phrase.
OPENING_GAP = re.compile(
    r"[ \t]*,[ \t]*(?:(?:more[ \t]+than|at[ \t]+least|about|some|nearly|approximately|over|"
    r"almost|an[ \t]+estimated|around|up[ \t]+to|only|another|a[ \t]+further)[ \t]+)?")


COORDINATED = re.compile(r"[ \t]and[ \t]+(?:[a-z]+[ \t]+){0,2}[a-z]+ed[ \t]")


COORDINATED_NOUNS = re.compile(r"[ \t]+(?:[a-z-]+[ \t]+){1,3}and[ \t]+")


# The words that open a phrase of a year ("In 2019", "During fiscal year 2020", "Throughout
# FY2021"), and what may stand between them and the year.
YEAR_OPENERS = ("In", "During", "Throughout")
YEAR_KIND = r"(?:(?:calendar|fiscal)[ \t]+year[ \t]+|FY[ \t]*)?"
# where a year opens a clause: the sentence's start (after any citation markers), or ", and"
# or ";" before "in"
YEAR_OPENS_SENTENCE = re.compile(
    rf"(?:\[[0-9]+\])*[ \t]*(?:{'|'.join(YEAR_OPENERS)})[ \t]+{YEAR_KIND}")
CLAUSE_OPENING = re.compile(
    rf"(?:,[ \t]+and|;)[ \t]+(?:{'|'.join(w.lower() for w in YEAR_OPENERS)})[ \t]+{YEAR_KIND}\Z")
# then the clause's subject and verb, up to its first count: no comma, no other number
CLAUSE_GAP = re.compile(r"[ \t]+[A-Za-z][^,;:.()0-9]{0,60}?[ \t]+")
OWN_YEAR_GAP = re.compile(r"[ \t]+(?:[a-z-]+[ \t]+){0,3}(?:in|during)[ \t]+(?:FY[ \t]*)?")


OPENING_LINKS = frozenset({"in", "during", "by", "for", "throughout", "since", "until"})


GERUND_AFTER = re.compile(r"[ \t]+[a-z]+ing\b")
RESPECTIVELY = re.compile(r"\brespectively\b")


# "..., and courts convicted 22 traffickers": a new predicate ends a compared part
NEW_PREDICATE = re.compile(  # (",[15] and Italian authorities assisted": after a citation mark)
    r",?(?:\[[^\]\n]{1,20}\])*,[ \t]*(?:\[[^\]\n]{1,20}\])*[ \t]*(?:and|but|while)"
    r"(?:,[^,;()0-9]{1,60},)?[ \t]+"  # (", and, in partnership with NGOs, provided")
    r"(?:[A-Za-z'’-]+[ \t]+|\([A-Za-z'’ -]{1,30}\)[ \t]+){0,14}?(?:also[ \t]+)?"
    r"(?:[a-z]+ed\b|(?:has|have|had)[ \t]+[a-z]+|(?:sent|brought|took|gave|held|began|won|"
    r"made|found|led|saw|put|set|kept|paid|sought|told|spent|built|ran|got|lost|rose|fell|"
    r"grew|sold|met|taught|bought|became|left)\b|"  # (", and ... has fallen")
    r"(?:acquitting|convicting|prosecuting|sentencing|arresting|identifying|referring|"
    r"repatriating|investigating|charging|indicting|assisting|sheltering)\b)")  # (", and
# acquitting 74 defendants": a verb of its own, in the form the main clause used


def _opens_a_clause(text: str, sentence: tuple[int, int], year: YearMention) -> bool:
    """"In 2021 authorities ...", "..., and in 2022 they ...": the year opens its clause."""
    return YEAR_OPENS_SENTENCE.fullmatch(text, sentence[0], year.start) is not None or \
        CLAUSE_OPENING.search(text, max(sentence[0], year.start - 24), year.start) is not None


def opening_years(text: str, sentence: tuple[int, int], items: list[Attached],
                   years: list[YearMention], reporting_period: int | None) -> None:
    """"In 2001, more than 300 children were returned ..., in 2002, 58 children were returned,
    and, during the year, 34": a year (or "during the year") right before a number opens that
    number's phrase and dates it, whatever the words after the number say."""
    year_ends = [m.end for m in years]
    year_starts = [m.start for m in years]
    for index, item in enumerate(items):
        floor = items[index - 1].end if index else sentence[0]
        k = bisect_left(year_ends, item.start + 1) - 1
        own = bisect_left(year_starts, item.end)
        if own < len(years) and OWN_YEAR_GAP.fullmatch(text, item.end, years[own].start):
            continue  # "1,200 offences in 2019, 1,350 in 2020": its own year follows it
        if k >= 0 and years[k].end > floor and years[k].link in OPENING_LINKS and \
                OPENING_GAP.fullmatch(text, years[k].end, item.start):
            item.period = year_label(years[k])
            continue
        if k >= 0 and years[k].end > floor and years[k].link in OPENING_LINKS and \
                _opens_a_clause(text, sentence, years[k]) and \
                CLAUSE_GAP.fullmatch(text, years[k].end, item.start):
            # "In 2021 authorities identified 12 victims, and in 2022 they identified 23": a
            # year that opens its clause, with no comma, dates the clause's first count
            item.period = year_label(years[k])
            continue
        if reporting_period is not None:
            phrase = rules().reporting_period.search(text, max(floor, item.start - 40), item.start)
            if phrase and OPENING_GAP.fullmatch(text, phrase.end(), item.start):
                item.period = str(reporting_period)


def coordinated_years(text: str, items: list[Attached], years: list[YearMention]) -> None:
    """"District courts convicted 148 traffickers and acquitted 71 defendants in FY 2020/21":
    the year that closes coordinated predicates dates each of them."""
    year_starts = [m.start for m in years]
    for index, item in enumerate(items[:-1]):
        k = bisect_left(year_starts, item.end)
        if k == len(years) or years[k].link not in OPENING_LINKS:
            continue
        mention = years[k]
        gap = text[item.end:mention.start]
        between = mention.start - item.end <= 120 and items[index + 1].start < mention.start
        coordinated = COORDINATED.search(gap) or COORDINATED_NOUNS.fullmatch(
            text, item.end, items[index + 1].start)  # "14 prosecutions and nine convictions"
        if between and coordinated and \
                not re.search(r"[,;:()—–]", gap) and \
                rules().structure.comparison.search(gap) is None:
            item.period = year_label(mention)


# "charged 18 and 12 defendants in 2017 and 2016, respectively": numbers joined by commas or
# "and", their noun, then as many years, then "respectively"
RESPECTIVE_NUMBERS_GAP = re.compile(r"[ \t]*,?[ \t]*(?:and[ \t]+)?")
RESPECTIVE_YEARS_GAP = re.compile(r"[ \t]+(?:[a-z-]+[ \t]+){0,4}?(?:in|during)[ \t]+")
RESPECTIVELY_AFTER_YEARS = re.compile(r"[ \t]*,?[ \t]*respectively\b")


def dated_respectively(text: str, numbers: list[Attached], named: list[YearMention]) -> bool:
    """Date each number by its year, in order, when the text pairs them with "respectively"
    ("18 and 12 defendants in 2017 and 2016, respectively", "compared with 68 and 11,
    respectively, in 2020 and 2019"); say whether it did."""
    if not 1 < len(numbers) == len(named) or named[0].start < numbers[-1].end:
        return False
    if not (RESPECTIVELY.search(text, numbers[-1].end, named[0].start) or
            RESPECTIVELY_AFTER_YEARS.match(text, named[-1].end)):
        return False
    for item, mention in zip(numbers, named, strict=True):
        item.period = year_label(mention)
    return True


def respective_years(text: str, items: list[Attached], years: list[YearMention]) -> None:
    """"Prosecutors charged 18 and 12 defendants in 2017 and 2016, respectively": in a main
    clause, the numbers joined by "and" or commas, then as many years joined the same way."""
    year_starts = [m.start for m in years]
    index = 0
    while index < len(items):
        run = [index]  # the numbers joined by "and" or commas
        while run[-1] + 1 < len(items) and RESPECTIVE_NUMBERS_GAP.fullmatch(
                text, items[run[-1]].end, items[run[-1] + 1].start):
            run.append(run[-1] + 1)
        index = run[-1] + 1
        last = items[run[-1]]
        gap = RESPECTIVE_YEARS_GAP.match(text, last.end)
        k = bisect_left(year_starts, last.end)
        if len(run) < 2 or gap is None or k == len(years) or years[k].start != gap.end():
            continue
        named = [years[k]]  # "2017 and 2016", "2019, 2018 and 2017"
        while len(named) < len(run) and k + len(named) < len(years) and \
                RESPECTIVE_NUMBERS_GAP.fullmatch(text, named[-1].end, years[k + len(named)].start):
            named.append(years[k + len(named)])
        if RESPECTIVELY_AFTER_YEARS.match(text, named[-1].end):
            dated_respectively(text, [items[i] for i in run], named)


# "These incidents involved 437 victims": a sentence that points back at the counts before
THESE_OPENING = re.compile(r"\s*(?:These|Those)[ \t]+(?:[a-z-]+[ \t]+){0,2}?[a-z-]+[ \t]+"
                           r"(?:involved|included|concerned|comprised|affected)\b")


def years_of_the_counts_pointed_at(text: str, sentence: tuple[int, int],
                                   items: list[Attached], earlier: Figure | None) -> None:
    """"Police reported 489 incidents in 2020. These incidents involved 437 victims": a
    sentence that opens on the counts before it is of their year."""
    if earlier is None or earlier.period is None or not THESE_OPENING.match(text, sentence[0]):
        return
    for item in items:
        if item.period is None:
            item.period = earlier.period


SERIES_YEAR_BEFORE = re.compile(r"\b(?:19|20)[0-9]{2}[ \t]*(?:,|–|—|-|:)[ \t]*$")
SERIES_ITEM_END = re.compile(r"[ \t]*(?:\[[^\]\n]{1,8}\])*[ \t]*(?:[;.]|$|,?[ \t]+and\b)")


def year_series(text: str, sentence: tuple[int, int], items: list[Attached],
                keywords: IndicatorKeywords) -> None:
    """"Cases ending in a conviction, by year: 2016 – 25; 2017 – 34; 2018 – 43": a list of
    years, each with its count, counts what the words before the list name (or, when they
    name nothing, the sentence before: "... cases registered by year. The totals were: ...")."""
    members = [item for item in items if SERIES_YEAR_BEFORE.search(
        text, max(sentence[0], item.start - 12), item.start) and
        SERIES_ITEM_END.match(text, item.end)]
    if len(members) < 3:
        return
    head_end = text.rfind(":", sentence[0], members[0].start)
    head_end = head_end if head_end >= 0 else members[0].start - 12
    head_start = sentence[0]
    if not _names_a_count(text, head_start, head_end, keywords):
        head_start = max(0, text.rfind(". ", max(0, sentence[0] - 300), sentence[0] - 2) + 2)
    head = text[head_start:head_end].lower()
    unit = "cases" if any(re.search(rf"\b{re.escape(noun)}\b", head)
                          for noun in rules().structure.case_nouns) else "persons"
    indicator = indicator_of(text, head_end, head_end, (head_start, head_end), unit, None,
                             keywords)
    if indicator == "other":
        return
    for item in members:
        if item.figure.entity is None and not item.role and item.whole is None:
            item.indicator, item.unit = indicator, unit


def _names_a_count(text: str, start: int, end: int, keywords: IndicatorKeywords) -> bool:
    return bisect_left(keywords.starts, start) < bisect_left(keywords.starts, end)


def earlier_compared_year(text: str, sentence: tuple[int, int], before: int,
                           years: list[YearMention]) -> YearMention | None:
    """The year of the last "(N in YEAR)" before `before` in the sentence; of "(41 in 2015 and
    54 in 2014)", its first year, the one compared with."""
    for mention in reversed(years):
        if mention.end > before:
            continue
        opened = text.rfind("(", sentence[0], mention.start)
        if opened >= 0 and text.find(")", opened, mention.start) < 0:
            return next(m for m in years if m.start > opened and m.end <= mention.end)
    return None


def _clause_start(text: str, sentence_start: int, offset: int) -> int:
    """Where the clause holding `offset` begins: after the last semicolon before it that is
    not inside brackets ("21 victims (15 sex trafficking ...; 17 females and four males),
    compared with 26 in 2022": the clause is the whole sentence)."""
    semicolon = text.rfind(";", sentence_start, offset)
    while semicolon >= 0 and text.rfind("(", sentence_start, semicolon) > text.rfind(
            ")", sentence_start, semicolon) and text.find(")", semicolon, offset) >= 0:
        semicolon = text.rfind(";", sentence_start, semicolon)
    if semicolon >= 0 and POINTS_BACK.match(text, semicolon + 1):
        # "... allocated RM 11.4 million ...; this compared with RM 6.5 million in 2021": the
        # clause the pronoun points back to
        return _clause_start(text, sentence_start, semicolon)
    return max(sentence_start, semicolon + 1)


THE_JUST_BEFORE = re.compile(r"\bthe[ \t]+$", re.I)
# a change from a count with no year of its own: that count is the year before's
CHANGE_FROM = re.compile(r"(?:up|down)[ \t]+from\b", re.I)
POINTS_BACK = re.compile(r"[ \t]*(?:this|that|which)[ \t]+(?:was[ \t]+)?(?:compared|compares|"
                         r"was[ \t]+up|was[ \t]+down|represented)\b")


def comparisons(text: str, sentence: tuple[int, int], items: list[Attached],
                years: list[YearMention], keywords: IndicatorKeywords,
                reporting_period: int | None = None) -> None:
    """The compared part of a sentence: each phrase dated by the year that closes it."""
    structure = rules().structure
    openers = list(structure.comparison.finditer(text, sentence[0], sentence[1]))
    starts = [item.start for item in items]
    year_starts = [m.start for m in years]
    for n, opener in enumerate(openers):
        zone_end = openers[n + 1].start() if n + 1 < len(openers) else sentence[1]
        semicolon = text.find(";", opener.end(), zone_end)
        zone_end = semicolon if semicolon >= 0 else zone_end
        colon = text.find(":", opener.end(), zone_end)  # "..., all of them women: 22 ..."
        zone_end = colon if colon >= 0 else zone_end
        if text.rfind("(", sentence[0], opener.start()) > text.rfind(")", sentence[0],
                                                                        opener.start()):
            closed = text.find(")", opener.end(), zone_end)  # "(compared with 87 in 2014), of
            zone_end = closed if closed >= 0 else zone_end  # which 71 were ...": inside only
        verb = NEW_PREDICATE.search(text, opener.end(), zone_end)
        if verb and verb.group(0).endswith("ing") and GERUND_AFTER.match(text, opener.end()):
            verb = None  # "compared with investigating 87 cases, ..., and convicting 33"
        zone_end = verb.start() if verb else zone_end  # "..., and acquitted 11 defendants"
        clause_start = _clause_start(text, sentence[0], opener.start())
        zone = range(bisect_left(starts, opener.end()), bisect_left(starts, zone_end))
        members = [i for i in zone if not items[i].in_parenthesis and items[i].whole is None]
        main = [i for i in range(bisect_left(starts, clause_start, 0, zone.start), zone.start)
                if not items[i].in_parenthesis and items[i].whole is None
                and unit_kind(items[i].unit) in ("persons", "count", "money")]
        main = main[-12:]  # the phrases the compared ones can stand for
        # (not a place the count was in: "placed 247 victims in its nine shelters, compared
        # with 109 in 2021": the 109 are victims)
        main = [i for i in main if not a_place(text, items[i].start)] or main
        # (nor a thing pointed at with "the": "investigations of 197 persons under the three
        # articles, a decrease from 221 in 2021": the 221 are persons)
        main = [i for i in main if not THE_JUST_BEFORE.search(
            text, max(0, items[i].start - 5), items[i].start)] or main
        zone_years = years[bisect_left(year_starts, opener.end()):
                           bisect_left(year_starts, zone_end)]
        # "compared with five and seven convictions in 2012 and 2011, respectively"
        respective = bool(members) and dated_respectively(
            text, [items[i] for i in members], zone_years)
        for position, i in enumerate(members):
            item = items[i]
            item.compared = True
            after = [m for m in zone_years if m.start >= item.end]
            earlier = [m for m in zone_years if m.end <= item.start]
            if not respective and (after or earlier):  # dated by the nearest year after
                item.period = year_label(after[0] if after else earlier[-1])
            elif not zone_years and CHANGE_FROM.match(opener.group(0)):
                # "convicted 47, up from 29": the year before's (an undated count is of the
                # reporting period)
                year = item.period or (str(reporting_period) if reporting_period else None)
                if year and year.isdigit():
                    item.period = str(int(year) - 1)
            following = members[position + 1] if position + 1 < len(members) else None
            chunk_end = items[following].start if following is not None else zone_end
            if after:
                chunk_end = min(chunk_end, after[0].start)
            chunk_start = items[members[position - 1]].end if position else opener.end()
            own = verb_before(text, chunk_start, item, keywords) or \
                participle_indicator(text, item.end, chunk_end, item.unit) or \
                noun_indicator(item)
            if own:  # "compared with 11 traffickers prosecuted", "with 252 investigations"
                item.indicator = own
                if item.unit is None:  # "more than the 92 convicted in 2020": the main count's
                    model = next((items[j] for j in reversed(main) if items[j].indicator == own),
                                 None)
                    item.unit = model.unit if model is not None else None
                continue
            previous = members[position - 1] if position else None
            if main and len(main) == len(members) and (
                    RESPECTIVELY.search(text, opener.end(), zone_end) or
                    items[main[position]].side_by_side):
                # "75 cases of sex trafficking and 20 of labor trafficking, compared with 68
                # and 11, respectively, in 2021": each compared figure stands for its own
                model = items[main[position]]
                item.indicator, item.unit = model.indicator, item.unit or model.unit
                if model.side_by_side:
                    item.breakdown, item.side_by_side = model.breakdown, True
                continue
            if previous is not None and unit_kind(items[previous].unit) in (
                    unit_kind(item.unit), "none") or previous is not None and item.unit is None:
                model = items[previous]
            elif main:
                same = [j for j in main if unit_kind(items[j].unit) == unit_kind(item.unit)]
                if not same and item.unit is not None and (
                        item.figure.entity is not None or unit_kind(item.unit) != "count"):
                    continue  # "down from 4.4 million reais ..., and about 2,050 inspectors"
                if not same and unit_kind(item.unit) == "count" and \
                        unit_kind(items[main[-1]].unit) == "persons":
                    # a bare count, its unit only read from the number before it:
                    # "assisted 163 victims (68 new cases and 95 carried over), an increase
                    # from 124 in 2016": of the main count's kind
                    item.unit = items[main[-1]].unit
                # (pair by position, but not a series of one count's earlier years: "opened
                # 58 investigations involving 96 suspects, down from 67 in 2019 and 71 in 2018")
                series = len({items[j].period for j in members}) == len(members) > 1
                if len(main) == len(members) and not series:
                    model = items[main[position]]
                else:
                    last = (same or main)[-1]
                    if item.figure.entity is None and last > 0 and same_count_gap(
                            text, items[last - 1], items[last]):
                        # "convicted 29 traffickers in 19 cases, up from 17": the headline's
                        last -= 1
                        item.unit = items[last].unit
                    model = items[last]
            else:
                continue
            if len(members) == 1 and model.side_by_side and sum(
                    items[j].side_by_side for j in main) > 1:
                # "identified 1,148 victims of forced labor and 97 of sex trafficking, compared
                # with 531 victims in 2021": the one compared count is of them all
                item.indicator, item.unit = model.indicator, item.unit or model.unit
                continue
            item.indicator, item.stands_for = model.indicator, model
            item.unit = item.unit or model.unit
