"""Stage 3, attachments: what a sentence's structure says about its figures.

The reading stage looks at the words near each number. Report sentences pack several figures
into one structure, and the structure decides what each one is:

- a parenthesis after a figure breaks it down ("58 cases (31 for sex trafficking, 18 for labor
  trafficking and nine for forced criminality) in 2022"): the numbers inside are parts of the
  58, and the year after the parenthesis dates the 58 and its parts;
- a parenthesis with years compares ("investigated 58 cases (61 in 2021)");
- "compared with", "a decrease from" open a compared part, whose coordinated phrases are each
  dated by the year that closes them ("compared with 11 traffickers prosecuted and eight
  convicted in 2021 and 14 cases prosecuted in 2020") and counted by their own participle, or
  by the phrase they stand for in the main clause ("and 47 in 2020");
- "involving" joins two counts of the same thing ("27 cases involving 44 suspects");
- a verb that governs the next number does not govern this one ("cases involving 44 suspects
  and convicted 15 traffickers": "convicted" is the 15's);
- "including", "of whom", "N of the M" make a part of the figure before (or of M);
- "in <country>" after a figure says which country it is about.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from tipfigures.extract.periods import YearMention, period_label
from tipfigures.extract.reading import IndicatorKeywords, indicator_of, unit_kind
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules
from tipfigures.text_structure import TextStructure

# Between a year that opens a phrase and its number: a comma, a qualifier ("In 2001, more than
# 300 children"); and the words that open such a phrase.
OPENING_GAP = re.compile(
    r"[ \t]*,[ \t]*(?:(?:more[ \t]+than|at[ \t]+least|about|some|nearly|approximately|over|"
    r"almost|an[ \t]+estimated|around|up[ \t]+to|only|another|a[ \t]+further)[ \t]+)?")
COORDINATED = re.compile(r"[ \t]and[ \t]+(?:[a-z]+[ \t]+){0,2}[a-z]+ed[ \t]")
COORDINATED_NOUNS = re.compile(r"[ \t]+(?:[a-z-]+[ \t]+){1,3}and[ \t]+")
OWN_YEAR_GAP = re.compile(r"[ \t]+(?:[a-z-]+[ \t]+){0,3}(?:in|during)[ \t]+(?:FY[ \t]*)?")
OPENING_LINKS = frozenset({"in", "during", "by", "for", "throughout", "since", "until"})

# A parenthesis, or a pair of dashes that works as one ("46 traffickers—38 for sex trafficking,
# five for forced labor—compared with 39"), or one dash that opens a list to the end of the
# clause ("seven foreign victims—four from Bolivia and three from Brazil.").
PARENTHESIS = re.compile(r"\(([^()]*)\)|[—–]([^—–;]*)[—–]"
                         r"|[—–]([^—–;.()]*)(?=[.;](?:\s|$))")
ROUND_BRACKETS = re.compile(r"\(([^()]*)\)")
DASHES = re.compile(r"[—–]([^—–;]*)[—–]|[—–](?P<to_end>[^—–;.()]*)(?=[.;](?:\s|$))")
YEAR_LINK_AFTER = re.compile(r"^[ \t]*,?[ \t]*(?:in|during|for)?[ \t]*(?:fiscal[ \t]+year|FY)?"
                             r"[ \t]*$", re.I)
SUBJECT_BEFORE = re.compile(r"([A-Za-z][A-Za-z -]{2,40}?)[ \t]+(?:made[ \t]+up|accounted[ \t]+for|"
                            r"represented)[ \t]+$")
CHARGE = re.compile(r"\b(?:charged|accused|suspected|with|against)\b")
BARE_NUMBER = re.compile(r"[ \t]*[0-9][0-9,.]*[ \t]*")  # "(65)"
# between coordinated figures: "75 cases of sex trafficking and 20 cases of ..."
COORDINATION_GAP = re.compile(r"[^;:()\d]{0,70}?(?:,[ \t]+(?:and[ \t]+)?|[ \t]+and[ \t]+)"
                              r"(?:[a-z]+[ \t]+){0,2}")
# from a number to the form its noun phrase names: " cases of ", " victims of ", " "
OWN_FORM_LINK = re.compile(r"[ \t]+(?:(?:[a-z-]+[ \t]+){0,2}(?:of|for|in)[ \t]+(?:the[ \t]+)?)?"
                           r"(?:suspected[ \t]+|alleged[ \t]+|potential[ \t]+)?")
# a sentence that opens on its own year: "In 2019, ...", "During FY 2020, ..."
OPENING_YEAR = re.compile(r"[ \t]*(?:In|During|For|Throughout|By the end of)[ \t]+"
                          r"(?:(?:calendar|fiscal)[ \t]+year[ \t]+|FY[ \t]*)?"
                          r"(?P<year>(?:19|20)[0-9]{2})\b(?![ \t]*[-–/])")
PART_SENTENCE_OR_OF = re.compile(r"\s*(?:Of|Among)\b")
THE_REST_BEFORE = re.compile(r"\b[Tt]he[ \t]+(?:remaining|other)[ \t]+$")
ADDITIVE_BEFORE = re.compile(r"\b(?:another|a[ \t]+further)[ \t]+$", re.I)
RESPECTIVELY = re.compile(r"\brespectively\b")
CHUNK_END = re.compile(r"[,;()—–]|\b(?:who|whom|whose|which|that)\b")  # a figure's own phrase
# "Of the 36 victims, 22 were exploited in forced labor": a whole restated, then its parts
RESTATED_WHOLE = re.compile(r"\s*(?:Of|Among)[ \t]+(?:the|these|those|all)[ \t]+[^,;]{1,40},")
# "Of the victims identified, 214 were foreign nationals": a sentence of parts
PART_SENTENCE = re.compile(  # "Of the new pre-trial proceedings,", "Of the victims identified in
    r"\s*Of[ \t]+(?:the|all)[ \t]+(?:(?:19|20)[0-9]{2}[ \t]+)?[a-z-]+(?:[ \t]+[a-z-]+){0,3}"
    r"(?:[ \t]+in[ \t]+(?:19|20)[0-9]{2})?[ \t]*,"  # 2016,", "Of the 2017 investigations,"
    r"|\s*(?:The|These|Those)[ \t]+(?:[a-z-]+[ \t]+){0,2}?(?:[a-z-]+)[ \t]+"
    r"(?:comprised|included|consisted[ \t]+of)\b")  # "The victims comprised 107 children"
GOVERNING_GAP_BREAK = re.compile(r"[,;()]|\b(?:and|or|but|while|whereas)\b")
SUBSET_LINK = re.compile(r",[ \t]+(?:where|whereby|with|while)[ \t]+(?:only[ \t]+)?[^,;]{0,8}$",
                         re.I)
# "..., and courts convicted 22 traffickers": a new predicate ends a compared part
NEW_PREDICATE = re.compile(
    r",[ \t]*(?:and|but|while)[ \t]+(?:[A-Za-z]+[ \t]+){0,10}?(?:also[ \t]+)?[a-z]+ed\b")
LIST_CONTINUES = re.compile(r"[ \t]*[A-Za-z' -]{0,40}?(?:,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)")
YEAR_CLOSES_PHRASE = re.compile(r"(?:[ \t]+[a-z]+)?[ \t]*,?[ \t]*(?:in|during|for)[ \t]+")
IN_CASES = re.compile(r"[ \t]+[a-z]+[ \t]+in[ \t]+")  # "312 defendants in 196 cases"
LONG_LIST_CONTINUES = re.compile(r"[^.;:()0-9]{0,100}?,?[ \t]+and[ \t]+")
FORM_LINK = re.compile(r"[ \t]+(?:[a-z]+[ \t]+){0,4}?(?:in|for|of|to)[ \t]+(?:the[ \t]+)?")
COLON_LIST = re.compile(r"[ \t]*[a-z -]{0,40}?(?:[ \t]*\([^()]*\))?[ \t]*:[ \t]*")
ALL_BUT = re.compile(r"\b[Aa]ll[ \t]+but[ \t]+$")
OF_THE_NOUN = re.compile(r"[ \t]+of[ \t]+the[ \t]+[a-z]+\b(?![ \t]+[0-9])")  # "286 of the victims"
NUMBER_WERE = re.compile(r"\s*(?:(?:Only|Another|Some|Nearly|Almost|About|Around|Roughly|"
                         r"Approximately|Over|More[ \t]+than)[ \t]+)?")  # before "Sixty-two were"
COPULA_OR_OF_THE = re.compile(r"[ \t]+(?:were|was|had[ \t]+been|of[ \t]+the[ \t]+[a-z]+|"
                              r"of[ \t]+them|in[ \t]+(?:sex|forced|labou?r)|"
                              r"for[ \t]+(?:sex|forced|labou?r))\b")
OF_THOSE_DONE = re.compile(r"[ \t]+of[ \t]+(?:those|whom|them)[ \t]+[a-z]+ed\b")  # convicted
PART_OF_NEXT = re.compile(r"\bpart[ \t]+of[ \t]+(?:the|a|an|its|their)?[ \t]*(?:approximately"
                          r"|about|some|nearly|roughly|around|an[ \t]+estimated)?[ \t]*$")
OF_THE_NEXT = re.compile(  # "three of the organization's five members"
    r"^[ \t]+of[ \t]+(?:the|these|those|all|its|their)?[ \t]*(?:[A-Za-z]+['’]s[ \t]+)?$", re.I)


@dataclass
class Attached:
    """A figure of the sentence being attached, with the fields this stage may change."""

    figure: Figure
    indicator: str
    period: str | None
    unit: str | None
    role: str = ""
    whole: Attached | Figure | None = None  # the figure this one is a part of
    breakdown: str | None = None
    country_code: str | None = None
    in_parenthesis: bool = False
    compared: bool = False  # in the compared part of a sentence ("compared with 61 in 2021")
    side_by_side: bool = False  # "75 cases of sex trafficking and 20 of labor trafficking"
    converts: Attached | None = None  # the amount this one gives in another currency

    @property
    def start(self) -> int:
        return self.figure.start

    @property
    def end(self) -> int:
        return self.figure.end


def attach(text: str, figures: list[Figure], structure: TextStructure,
           mentions: list[YearMention], keywords: IndicatorKeywords,
           source_country: str | None, reporting_period: int | None = None) -> list[Figure]:
    """The figures, revised by the structure of the sentence each one is in."""
    mention_starts = [m.start for m in mentions]
    out: list[Figure] = []
    groups: list[tuple[tuple[int, int], list[Figure]]] = []
    for figure in figures:
        span = structure.sentence_span(figure.start)
        if groups and groups[-1][0] == span:
            groups[-1][1].append(figure)
        else:
            groups.append((span, [figure]))
    previous: list[Figure] = []
    earlier: Figure | None = None
    for sentence, group in groups:
        # the headline of the sentence before, in the same paragraph: its first whole figure,
        # or the headline before it when that sentence only told its parts
        same_paragraph = previous and structure.paragraph_start(previous[0].start) == \
            structure.paragraph_start(sentence[0])
        if not same_paragraph:
            earlier = None
        elif any(_headline(f) for f in previous):
            earlier = next(f for f in previous if _headline(f))
        # else the paragraph's headline stays: a sentence of parts does not replace it
        previous = _attach_sentence(text, sentence, group, mentions, mention_starts, keywords,
                                    source_country, earlier, reporting_period,
                                    previous if same_paragraph else [])
        out += previous
    return out


def _headline(figure: Figure) -> bool:
    """A figure the next sentence's parts can be parts of: a count, not a share or a part."""
    return figure.role not in ("part", "other") and unit_kind(figure.unit) in ("persons", "count")


def _attach_sentence(text: str, sentence: tuple[int, int], figures: list[Figure],
                     mentions: list[YearMention], mention_starts: list[int],
                     keywords: IndicatorKeywords, source_country: str | None,
                     earlier: Figure | None, reporting_period: int | None,
                     previous: list[Figure]) -> list[Figure]:
    low = bisect_left(mention_starts, sentence[0])
    high = bisect_left(mention_starts, sentence[1])
    years = mentions[low:high]
    items = [Attached(f, f.indicator, f.period, f.unit) for f in figures]
    _opening_years(text, sentence, items, years, reporting_period)
    _coordinated_years(text, items, years)
    _parentheses(text, sentence, items, years)
    _part_cues(text, items)
    _coordinated_forms(text, sentence, items)
    _additive_parts(text, sentence, items)
    _comparisons(text, sentence, items, years)
    _same_count_links(text, items, years)
    _governing_verbs(text, sentence, items, keywords)
    opening = OPENING_YEAR.match(text, sentence[0])  # "In 2019, ...": the sentence's own year
    own_year = opening.group("year") if opening else None
    _part_sentence(text, sentence, items, earlier, own_year, previous)
    _parts_of_the_counted(text, items, previous, own_year)
    _the_remaining(text, items, previous)
    _country_parts(items, earlier)
    for index, item in enumerate(items):
        if item.side_by_side and item.whole is None and not item.role:
            item.role = "part"  # of a total the text does not give
        if own_year and item.role == "part" and item.whole is None and item.breakdown is None:
            item.breakdown = _breakdown(text, index, items, sentence, source_country)
        if item.whole is not None:  # a part is of its whole's kind and time
            whole = item.whole
            item.indicator, item.period = whole.indicator, whole.period
            if item.unit is None:
                item.unit = whole.unit
            if item.breakdown is None:
                # "1,126 victims, including 87 women in sex trafficking": victims identified,
                # of the form sex trafficking
                item.breakdown = _breakdown(text, index, items, sentence, source_country)
            if whole.role == "part" and _dimension(item.breakdown) != _dimension(
                    whole.breakdown):
                # "61 were foreign nationals, including 29 from El Salvador" refines the
                # foreign part of the total; "41 were Zambian, including 26 children" is not a
                # breakdown of the total by age
                item.breakdown = None

        if item.converts is not None:
            item.indicator, item.period = item.converts.indicator, item.converts.period
        item.country_code = _country(text, index, items, sentence, source_country)
    return [_revised(item) for item in items]


def _dimension(breakdown: str | None) -> str | None:
    return breakdown.split("=")[0] if breakdown else None


def _revised(item: Attached) -> Figure:
    figure = item.figure
    part_of = item.whole.start if item.whole is not None else None
    if (figure.indicator, figure.period, figure.unit, figure.role, figure.part_of,
            figure.breakdown, figure.country_code) == (
            item.indicator, item.period, item.unit, item.role, part_of, item.breakdown,
            item.country_code):
        return figure  # nothing the structure changed
    return replace(figure, indicator=item.indicator, period=item.period, unit=item.unit,
                   role=item.role, part_of=part_of, breakdown=item.breakdown,
                   country_code=item.country_code)


def _opening_years(text: str, sentence: tuple[int, int], items: list[Attached],
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
            item.period = _year_label(years[k])
            continue
        if reporting_period is not None:
            phrase = rules().reporting_period.search(text, max(floor, item.start - 40), item.start)
            if phrase and OPENING_GAP.fullmatch(text, phrase.end(), item.start):
                item.period = str(reporting_period)


def _coordinated_years(text: str, items: list[Attached], years: list[YearMention]) -> None:
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
            item.period = _year_label(mention)


def _year_label(mention: YearMention) -> str:
    return period_label(mention.first, mention.last)


def _parentheses(text: str, sentence: tuple[int, int], items: list[Attached],
                 years: list[YearMention]) -> None:
    """A parenthesis right after a figure: its parts, its earlier years, or a conversion."""
    if text.find("(", sentence[0], sentence[1]) < 0 and \
            text.find("—", sentence[0], sentence[1]) < 0 and \
            text.find("–", sentence[0], sentence[1]) < 0:
        return
    year_starts = [m.start for m in years]
    starts = [item.start for item in items]
    # round brackets first, then dashes, which may hold brackets of their own: "1,277 victims
    # – 740 sex trafficking victims (490 women, ...) and 537 labor trafficking victims – "
    found = [(m, False) for m in ROUND_BRACKETS.finditer(text, sentence[0], sentence[1])] + \
        [(m, True) for m in DASHES.finditer(text, sentence[0], sentence[1])]
    for paren, dashed in found:
        opened, closed = paren.start(), paren.end()
        first, last = bisect_left(starts, opened), bisect_left(starts, closed)
        inside = [i for i in range(first, last) if items[i].end < closed and
                  not (dashed and items[i].in_parenthesis)]
        country = rules().structure.country_in_parenthesis.search(
            text, max(sentence[0], opened - 40), opened + 1)
        if len(inside) == 1 and country and BARE_NUMBER.fullmatch(text, opened + 1, closed - 1):
            item = items[inside[0]]  # "from 14 countries, primarily India (31)"
            item.in_parenthesis, item.role, item.unit = True, "part", "persons"
            item.breakdown = f"nationality={rules().structure.countries[country.group(1)]}"
            continue
        if not inside or first == 0 or items[first - 1].end > opened:
            continue
        head = first - 1
        gap = text[items[head].end:opened]
        if len(gap) > 80 or re.search(r"[,;:]", gap):
            continue  # the parenthesis is not about that figure
        whole = items[head]
        inner_years = [m for m in years[bisect_left(year_starts, opened):
                                        bisect_left(year_starts, closed)]]
        if dashed and paren.group("to_end") is not None and inner_years:
            continue  # "143 victims—including 139 assisted by a center closed in November 2009."
        for i in inside:
            item = items[i]
            item.in_parenthesis = True
            if item.unit == "percent":
                item.role = "other"  # a share of the whole, not a count
            elif not inner_years and len(inside) == 1 and BARE_NUMBER.fullmatch(
                    text, opened + 1, closed - 1) and (earlier := _earlier_compared_year(
                        text, sentence, opened, years)) is not None:
                # "(99 in 2015), indicted 62 defendants (65)": the same count, that year
                item.period = _year_label(earlier)
                item.indicator, item.unit = whole.indicator, item.unit or whole.unit
            elif inner_years:  # "(61 in 2021)": the same count for an earlier year
                after = [m for m in inner_years if m.start >= item.end]
                item.period = _year_label(after[0] if after else inner_years[-1])
                if unit_kind(item.unit) in (unit_kind(whole.unit), "none"):
                    item.indicator = whole.indicator
                    item.unit = item.unit or whole.unit
            elif unit_kind(whole.unit) == "money" and unit_kind(item.unit) == "money":
                item.role = "other"  # "$375 (50,000 naira)": the same amount, converted
                item.converts = whole
            else:
                item.role, item.whole = "part", whole
        after_close = bisect_left(year_starts, closed)
        following = years[after_close] if after_close < len(years) else None
        if following is not None and following.start - closed <= 24 and YEAR_LINK_AFTER.match(
                text[closed:following.start]) and not inner_years:
            whole.period = _year_label(following)  # "(...) in 2022": the whole's year
        elif following is not None and any(items[i].converts is whole for i in inside) and \
                following.start - closed <= 60 and not re.search(
                    r"[,;]|[0-9]", text[closed:following.start]):
            # "140 million rupees ($1.17 million) to them for FY 2021/22"
            whole.period = _year_label(following)


def _earlier_compared_year(text: str, sentence: tuple[int, int], before: int,
                           years: list[YearMention]) -> YearMention | None:
    """The year of the last "(N in YEAR)" before `before` in the sentence."""
    for mention in reversed(years):
        if mention.end > before:
            continue
        opened = text.rfind("(", sentence[0], mention.start)
        if opened >= 0 and text.find(")", opened, mention.start) < 0:
            return mention
    return None


def _comparisons(text: str, sentence: tuple[int, int], items: list[Attached],
                 years: list[YearMention]) -> None:
    """The compared part of a sentence: each phrase dated by the year that closes it."""
    structure = rules().structure
    openers = list(structure.comparison.finditer(text, sentence[0], sentence[1]))
    starts = [item.start for item in items]
    year_starts = [m.start for m in years]
    for n, opener in enumerate(openers):
        zone_end = openers[n + 1].start() if n + 1 < len(openers) else sentence[1]
        semicolon = text.find(";", opener.end(), zone_end)
        zone_end = semicolon if semicolon >= 0 else zone_end
        verb = NEW_PREDICATE.search(text, opener.end(), zone_end)
        zone_end = verb.start() if verb else zone_end  # "..., and acquitted 11 defendants"
        clause_start = max(sentence[0], text.rfind(";", sentence[0], opener.start()) + 1)
        zone = range(bisect_left(starts, opener.end()), bisect_left(starts, zone_end))
        members = [i for i in zone if not items[i].in_parenthesis and items[i].whole is None]
        main = [i for i in range(bisect_left(starts, clause_start, 0, zone.start), zone.start)
                if not items[i].in_parenthesis and items[i].whole is None
                and unit_kind(items[i].unit) in ("persons", "count", "money")]
        main = main[-12:]  # the phrases the compared ones can stand for
        zone_years = years[bisect_left(year_starts, opener.end()):
                           bisect_left(year_starts, zone_end)]
        for position, i in enumerate(members):
            item = items[i]
            item.compared = True
            after = [m for m in zone_years if m.start >= item.end]
            earlier = [m for m in zone_years if m.end <= item.start]
            if after:
                item.period = _year_label(after[0])
            elif earlier:
                item.period = _year_label(earlier[-1])
            following = members[position + 1] if position + 1 < len(members) else None
            chunk_end = items[following].start if following is not None else zone_end
            if after:
                chunk_end = min(chunk_end, after[0].start)
            own = _participle_indicator(text, item.end, chunk_end, item.unit) or \
                _noun_indicator(item)
            if own:  # "compared with 11 traffickers prosecuted", "with 252 investigations"
                item.indicator = own
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
                if len(main) == len(members):
                    model = items[main[position]]
                else:
                    last = (same or main)[-1]
                    if item.figure.entity is None and last > 0 and _same_count_gap(
                            text, items[last - 1], items[last]):
                        # "convicted 29 traffickers in 19 cases, up from 17": the headline's
                        last -= 1
                        item.unit = items[last].unit
                    model = items[last]
            else:
                continue
            item.indicator = model.indicator
            item.unit = item.unit or model.unit


def _coordinated_forms(text: str, sentence: tuple[int, int], items: list[Attached]) -> None:
    """"investigated 75 cases of sex trafficking and 20 cases of labor trafficking": figures
    side by side, each of its own form of exploitation, are parts of a total the text does not
    give (one alone, "27 sex trafficking cases", is the text's total)."""
    comparison = rules().structure.comparison
    free = [not item.in_parenthesis and item.whole is None and not item.role for item in items]
    first = 0
    while first < len(items) - 1:
        last = first
        while last + 1 < len(items) and free[last] and free[last + 1] and \
                items[last + 1].unit == items[last].unit and \
                items[last + 1].indicator == items[last].indicator and \
                COORDINATION_GAP.fullmatch(text, items[last].end, items[last + 1].start) and \
                not comparison.search(text, items[last].end, items[last + 1].start):
            last += 1
        run = items[first:last + 1]
        first = last + 1
        if len(run) < 2 or comparison.search(
                text, max(sentence[0], text.rfind(";", sentence[0], run[0].start) + 1),
                run[0].start):
            continue  # the compared part follows its model (_comparisons)
        forms = [_own_form(text, member) for member in run]
        for named in _runs_with_forms(run, forms):  # each a stretch of figures that name one
            if len(named) >= 2 and len({form for _, form in named}) == len(named):
                for member, form in named:
                    # a part of no stated whole, unless a later stage finds one ("Of the 40
                    # victims, 31 were exploited in sex trafficking and nine in forced labor")
                    member.breakdown, member.side_by_side = form, True


def _runs_with_forms(run: list[Attached], forms: list[str | None]
                     ) -> list[list[tuple[Attached, str]]]:
    runs: list[list[tuple[Attached, str]]] = [[]]
    for member, form in zip(run, forms, strict=True):
        if form is None:
            runs.append([])
        else:
            runs[-1].append((member, form))
    return runs


def _additive_parts(text: str, sentence: tuple[int, int], items: list[Attached]) -> None:
    """"The reception center accommodated 19 victims, and NGO shelters housed another 27":
    pieces of a total the text does not give; neither is the year's count (but "Of the new
    proceedings, 49 concerned sex trafficking, 13 labor trafficking, and another 13 the sale
    of newborns" lists parts of a whole)."""
    if text.find("nother", *sentence) < 0 and text.find("further", *sentence) < 0 or \
            PART_SENTENCE_OR_OF.match(text, sentence[0]):
        return
    for i, item in enumerate(items):
        if not i or item.role or item.whole is not None or _form_of(text, item) or \
                not ADDITIVE_BEFORE.search(text, max(0, item.start - 16), item.start):
            continue
        earlier = next((other for other in reversed(items[:i]) if other.whole is None and
                        not other.in_parenthesis and not other.compared and
                        other.indicator == item.indicator and other.unit == item.unit), None)
        if earlier is not None and not earlier.role:
            earlier.role = item.role = "part"


def _own_form(text: str, item: Attached) -> str | None:
    """The form a figure's own noun phrase names: "75 cases of sex trafficking", "14 sex
    trafficking cases", "40 victims of forced labor"."""
    phrase = text[item.end:item.end + 70]
    for code, pattern in rules().structure.breakdowns:
        if code.startswith("form="):
            found = pattern.search(phrase)
            if found and OWN_FORM_LINK.fullmatch(phrase, 0, found.start()):
                return code
    return None


def _noun_indicator(item: Attached) -> str | None:
    """The indicator a count's own noun names: "252 investigations", "16 convictions"."""
    noun = (item.figure.entity or "").split()[-1:] if unit_kind(item.unit) == "count" else []
    for word in noun:
        for keyword, ranked in rules().rules_by_keyword.items():
            if word.lower().startswith(keyword):
                for _, rule in sorted(ranked, key=lambda pair: (pair[1].fallback, pair[0])):
                    if rule.fits("count", item.unit) and not rule.fallback:
                        return rule.indicator
    return None


def _participle_indicator(text: str, start: int, end: int, unit: str | None) -> str | None:
    """The indicator of a participle that follows a number: "11 traffickers prosecuted"."""
    r = rules()
    kind = unit_kind(unit) if unit else "persons"
    for m in re.finditer(r"\b[a-z]+ed\b", text[start:end]):
        word = m.group(0)
        for keyword, ranked in r.rules_by_keyword.items():
            if not word.startswith(keyword):
                continue
            for _, rule in sorted(ranked, key=lambda pair: (pair[1].fallback, pair[0])):
                if rule.fits(kind, unit) and not rule.fallback:
                    return rule.indicator
    return None


def _same_count_links(text: str, items: list[Attached], years: list[YearMention]) -> None:
    """"27 cases involving 44 suspects": the second counts the same prosecutions in persons."""
    year_starts = [m.start for m in years]
    for i in range(1, len(items)):
        first, second = items[i - 1], items[i]
        if first.in_parenthesis and first.whole is not None and isinstance(first.whole, Attached):
            first = first.whole  # "58 cases (31 for ..., nine unspecified) involving 97 suspects"
        victims = second.figure.entity and second.figure.entity.split()[-1].lower() in \
            rules().victim_nouns  # "12 cases involving 30 child victims": not the suspects
        if _same_count_gap(text, first, second) and not victims:
            k = bisect_left(year_starts, second.end)
            if k < len(years) and years[k].start - second.end <= 40 and \
                    YEAR_CLOSES_PHRASE.fullmatch(text, second.end, years[k].start):
                # "312 defendants in 196 cases in FY 2020/21": the year closes both
                first.period = _year_label(years[k])
            second.indicator, second.period = first.indicator, first.period or second.period
            if second.role == "" and first.role:
                second.role = first.role


def _same_count_gap(text: str, first: Attached, second: Attached) -> bool:
    """"27 cases involving 44 suspects", "312 defendants in 196 cases"."""
    gap = PARENTHESIS.sub("", text[first.end:second.start])
    if len(gap) > 60 or re.search(r"[,;()]", gap):
        return False
    return rules().structure.same_count_link.search(gap) is not None or (
        IN_CASES.fullmatch(gap) is not None and second.figure.unit == "cases")


def _governing_verbs(text: str, sentence: tuple[int, int], items: list[Attached],
                     keywords: IndicatorKeywords) -> None:
    """A keyword right before the next number is that number's verb, not this one's."""
    for i in range(len(items) - 1):
        item, following = items[i], items[i + 1]
        if item.in_parenthesis or item.whole is not None or following.in_parenthesis or \
                item.compared:
            continue
        first = bisect_left(keywords.starts, item.end)
        last = bisect_left(keywords.starts, following.start)
        governing = [k for k in range(first, last)
                     if len(text[keywords.ends[k]:following.start].split()) <= 3
                     and not GOVERNING_GAP_BREAK.search(text[keywords.ends[k]:following.start])]
        if not governing:
            continue
        verb_start = keywords.starts[governing[0]]
        if verb_start <= item.end + 1:
            continue
        if re.search(r"[,;]", text[item.end:verb_start]) is None and \
                indicator_of(text, following.start, following.end, sentence, following.unit,
                             following.figure.entity, keywords) == item.indicator:
            item.indicator = indicator_of(text, item.start, item.end,
                                          (sentence[0], verb_start), item.unit,
                                          item.figure.entity, keywords)


def _part_cues(text: str, items: list[Attached]) -> None:
    """"including 139 victims", "23 of them were sentenced", "54 of the 98 victims"."""
    structure = rules().structure
    for i, item in enumerate(items):
        if item.whole is not None or item.role or item.in_parenthesis:
            continue
        if ALL_BUT.search(text, max(0, item.start - 12), item.start):
            item.role = "other"  # "All but two of the convictions were ...": the complement
            continue
        head = next((j for j in range(i - 1, -1, -1) if not items[j].in_parenthesis), None)
        if head is not None and COLON_LIST.fullmatch(text, items[head].end, item.start) and \
                unit_kind(item.unit) in (unit_kind(items[head].unit), "none") and \
                item.figure.value < items[head].figure.value:
            # "courts convicted 112 traffickers (139): 63 for forced labor, ... and 49 for sex
            # trafficking": a colon opens the list of the figure's parts
            item.role, item.whole = "part", items[head]
            item.unit = item.unit or items[head].unit
            _continue_the_list(text, items, i, items[head])
            continue
        whole: int | None = None
        if i + 1 < len(items) and PART_OF_NEXT.search(text, item.end, items[i + 1].start) and \
                unit_kind(items[i + 1].unit) == unit_kind(item.unit) and \
                items[i + 1].figure.value > item.figure.value:
            # "$150,000 to a shelter, part of the $412,000 it spent": the next is the whole
            item.role, item.whole = "part", items[i + 1]
            continue
        if i + 1 < len(items) and OF_THE_NEXT.match(text[item.end:items[i + 1].start]) and \
                unit_kind(items[i + 1].unit) in ("persons", "count"):
            whole = i + 1  # "54 of the 98 detected victims"
            of_whole = items[whole]
            own = _participle_indicator(text, of_whole.end, min(len(text), of_whole.end + 40),
                                        of_whole.unit)
            if own:  # "convicted 36 of the 107 defendants prosecuted": a total of its own
                of_whole.indicator = own
            elif of_whole.indicator == item.indicator and not of_whole.role:
                of_whole.role = "other"  # "arrested three of the organization's five members"
        elif i and (structure.part_opener.search(text, max(0, item.start - 30), item.start)
                    or structure.part_closer.match(text, item.end)):
            of_those = item.figure.entity is None and OF_THOSE_DONE.match(text, item.end)
            candidates = [j for j in range(max(0, i - 12), i)
                          if (unit_kind(item.unit) in (unit_kind(items[j].unit), "none")
                              or of_those)
                          and not items[j].in_parenthesis
                          and (unit_kind(items[j].unit) in ("persons", "count") or
                               # "3.7 million soms, including 2.5 million soms for a shelter"
                               unit_kind(item.unit) == "money" and items[j].unit == item.unit)
                          and not structure.comparison.search(  # not "compared with 301"
                              text, max(0, items[j].start - 40), items[j].start)]
            if of_those:  # "25 of those convicted": people, if people were counted
                candidates = [j for j in candidates if items[j].unit == "persons"] or candidates
                if candidates:
                    item.unit = items[candidates[-1]].unit
            whole = candidates[-1] if candidates else None
            while whole is not None and ";" in text[items[whole].end:item.start] and \
                    isinstance(items[whole].whole, Attached):
                # "identified 1,173 victims, including 138 children ...; 902 of the victims
                # were women": after a semicolon, of the headline, not of its last part
                whole = items.index(items[whole].whole)
        elif i and SUBSET_LINK.search(text[items[i - 1].end:item.start]) and \
                items[i - 1].whole is None and item.indicator == items[i - 1].indicator and \
                item.unit == items[i - 1].unit and item.figure.value < items[i - 1].figure.value:
            whole = i - 1  # "28 people were convicted ..., where 23 given sentences"
        if whole is None:
            opener = structure.part_opener.search(text, max(0, item.start - 30), item.start)
            if structure.part_closer.match(text, item.end) or opener and (
                    i or opener.group(0).lower().startswith("includ")):
                # "Three of these victims": of a whole in another sentence; "several
                # investigations continued, including two cases": of an uncounted whole
                item.role = "part"
            continue
        included = structure.part_opener.search(text, max(0, item.start - 30), item.start)
        if item.indicator != items[whole].indicator and item.indicator != "other" and \
                items[whole].indicator != "other" and not (
                    included and included.group(0).lower().startswith("includ")):
            # "99 individuals, 76 of whom were convicted": a total of its own; but "identified
            # 1,205 victims, including 610 children, and referred 402": 610 were identified
            continue
        item.role, item.whole = "part", items[whole]
        _continue_the_list(text, items, i, items[whole])


def _continue_the_list(text: str, items: list[Attached], i: int,
                       whole: Attached | Figure | None) -> None:
    """"including 29 from El Salvador, 17 from Honduras, and nine from Nicaragua": the list
    goes on with parts of the same whole."""
    item = items[i]
    previous = item
    for position in range(i + 1, min(len(items), i + 20)):
        later = items[position]
        if later.in_parenthesis and later.whole is not None:
            continue  # "52 foreign victims—44 of them Ethiopians—and six Zambians"
        if later.role and later.role != "estimate" or later.in_parenthesis or \
                later.unit != item.unit:
            break
        gap = PARENTHESIS.sub(" ", text[previous.end:later.start])
        if not LIST_CONTINUES.fullmatch(gap) and not (
                # "754 of the victims in forced labor, most of them abroad, and 419 in sex
                # trafficking": a later part of the same kind, told by its form
                _form_of(text, previous) and _form_of(text, later) and
                LONG_LIST_CONTINUES.fullmatch(gap)):
            break
        later.role, later.whole = "part", whole
        previous = later


def _form_of(text: str, item: Attached) -> str | None:
    """The form of exploitation a figure's own words name: "419 in sex trafficking"."""
    phrase = text[item.end:item.end + 60]
    for code, pattern in rules().structure.breakdowns:
        if code.startswith("form="):
            found = pattern.search(phrase)
            if found and FORM_LINK.fullmatch(phrase, 0, found.start()):
                return code
    return None


def _chunk_end(text: str, index: int, items: list[Attached], sentence: tuple[int, int]) -> int:
    """Where a figure's own phrase ends: the next figure, comma, parenthesis or "and"."""
    item = items[index]
    later = [items[index + 1].start] if index + 1 < len(items) else []
    limit = min([sentence[1], item.end + 90] + later)
    stop = CHUNK_END.search(text, item.end, limit)
    return stop.start() if stop else limit


def _breakdown(text: str, index: int, items: list[Attached], sentence: tuple[int, int],
               source_country: str | None) -> str | None:
    structure = rules().structure
    phrase = text[items[index].end:_chunk_end(text, index, items, sentence)]
    phrase = CHARGE.split(phrase, 1)[0]  # "six were charged with the abduction of minors"
    subject = SUBJECT_BEFORE.search(text[max(sentence[0], items[index].start - 60):
                                         items[index].start])
    if subject and any(pattern.search(subject.group(1)) for _, pattern in structure.breakdowns):
        phrase = subject.group(1)  # "Children accounted for 187 of the victims"
    item = items[index]
    no_form = (item.whole.indicator if item.whole is not None else item.indicator) in \
        structure.no_form_indicators
    codes = [code for code, pattern in structure.breakdowns if pattern.search(phrase)
             and not (no_form and code.startswith("form="))]
    pair = structure.breakdown_pair.search(phrase)
    if codes and pair and not codes[0].startswith("form="):
        shared = set(_breakdowns_of(pair.group(1))) & set(_breakdowns_of(pair.group(2)))
        return shared.pop() if len(shared) == 1 else None  # "women and girls": female
    if codes and not codes[0].startswith("form="):
        noun = structure.breakdown_noun.search(phrase)
        if noun and noun.group(1).lower() in structure.no_breakdown_alone:
            return None  # "including 37 boys"
    if codes:
        return codes[0]
    demonym = structure.demonym.search(phrase)
    # "repatriated 23 victims, 14 of them from Lebanon": where they came back from
    repatriated = items[index].indicator == "victims_repatriated" or (
        items[index].whole is not None and items[index].whole.indicator == "victims_repatriated")
    origin = None if repatriated else structure.from_country.search(phrase)
    code = structure.demonyms[demonym.group(1)] if demonym else \
        structure.countries[origin.group(1)] if origin else None
    if code and code != source_country:  # "33 were Kyrgyz citizens": no breakdown of their own
        return f"nationality={code}"
    return None


def _breakdowns_of(noun: str) -> list[str]:
    """"girls": age=child and sex=female; "children": age=child."""
    structure = rules().structure
    noun = noun.lower()
    return structure.two_breakdown_nouns.get(noun) or [
        code for code, pattern in structure.breakdowns if pattern.fullmatch(noun)]


def _country(text: str, index: int, items: list[Attached], sentence: tuple[int, int],
             source_country: str | None) -> str | None:
    """"8,000 Russian women ... in the United States": the country the figure is about."""
    item = items[index]
    later = [items[index + 1].start] if index + 1 < len(items) else []
    limit = min([sentence[1], item.end + 100] + later)
    # in its own phrase: not "230 were victims of forced labor, most of them exploited in Russia"
    stop = min((p for p in (text.find(";", item.end, limit), text.find(",", item.end, limit))
                if p >= 0), default=-1)
    found = rules().structure.in_country.search(text, item.end, stop if stop >= 0 else limit)
    if not found:
        earlier = items[index - 1].end if index else sentence[0]
        found = rules().structure.country_before.search(
            text, max(sentence[0], earlier, item.start - 200), item.start)
        if not found and unit_kind(item.unit) in ("persons", "count"):
            found = rules().structure.country_possessive.search(
                text, max(sentence[0], earlier, item.start - 200), item.start)
    if not found:
        return None
    code = rules().structure.countries[found.group(1)]
    return code if code != source_country else None


def _parts_of_the_counted(text: str, items: list[Attached], previous: list[Figure],
                          own_year: str | None) -> None:
    """"Prosecutors opened 163 cases involving 278 suspects. Foreign nationals made up 57 of
    the suspects": "N of the <noun>" is a part of the count of that kind just before."""
    for item in items:
        if item.whole is not None or item.role not in ("", "part") or \
                not OF_THE_NOUN.match(text, item.end):
            continue
        kind = unit_kind(item.unit)
        wholes = [f for f in previous if _headline(f) and unit_kind(f.unit) == kind and
                  f.value > item.figure.value and own_year in (None, f.period)]
        whole = _named_whole(text, item, wholes) or (wholes[0] if wholes else None)
        if whole is not None:
            item.role, item.whole = "part", whole


def _named_whole(text: str, item: Attached, wholes: list[Figure]) -> Figure | None:
    """"Courts sentenced 33 of the convicted traffickers": of the count its participle names."""
    if not OF_THE_NOUN.match(text, item.end):
        return None
    named = _participle_indicator(text, item.end, min(len(text), item.end + 40), item.unit)
    return next((f for f in wholes if f.indicator == named and _headline(f) and
                 f.value > item.figure.value), None) if named else None


def _the_remaining(text: str, items: list[Attached], previous: list[Figure]) -> None:
    """"Courts sentenced 33 of the convicted traffickers to prison; the remaining eight
    received suspended sentences": the rest of a whole is a part of it too."""
    for index, item in enumerate(items):
        if item.whole is not None or not THE_REST_BEFORE.search(
                text, max(0, item.start - 24), item.start):
            continue
        part = next((other for other in reversed(items[:index]) if other.whole is not None
                     and unit_kind(other.unit) == unit_kind(item.unit)), None)
        if part is not None:
            item.role, item.whole = "part", part.whole
            continue
        head = next((j for j, other in enumerate(items[:index]) if other.whole is None and
                     not other.compared and not other.in_parenthesis and
                     unit_kind(other.unit) == unit_kind(item.unit) and
                     other.figure.value > item.figure.value), None)
        if head is not None:
            # "referred 167 victims, compared with 181 in 2018; police referred 71, social
            # welfare centers 48, and NGOs the remaining 48": the list before is of it too
            for other in items[head + 1:index + 1]:
                if other.whole is None and not other.compared and \
                        unit_kind(other.unit) == unit_kind(item.unit):
                    other.role, other.whole = "part", items[head]
            continue
        by_start = {f.start: f for f in previous}
        told = next((f for f in reversed(previous) if f.part_of in by_start
                     and unit_kind(f.unit) == unit_kind(item.unit)), None)
        if told is not None:
            item.role, item.whole = "part", by_start[told.part_of]


def _country_parts(items: list[Attached], earlier: Figure | None) -> None:
    """"Victims came from 14 countries, primarily India (31)": parts of the last count of
    people before them, in the sentence or the one before."""
    for index, item in enumerate(items):
        if item.whole is not None or not item.in_parenthesis or \
                not (item.breakdown or "").startswith("nationality="):
            continue
        before = [other for other in items[:index] if other.unit == "persons" and
                  other.whole is None and not other.in_parenthesis]
        whole = before[-1] if before else earlier
        if whole is not None and whole.unit == "persons" and whole.figure.value > \
                item.figure.value if isinstance(whole, Attached) else whole is not None and \
                whole.unit == "persons" and whole.value > item.figure.value:
            item.whole = whole


def _part_sentence(text: str, sentence: tuple[int, int], items: list[Attached],
                   earlier: Figure | None, own_year: str | None,
                   previous: list[Figure]) -> None:
    """"Authorities identified 484 victims. Of these, 318 were children, 402 were female":
    the figures of a sentence that opens on "Of these" are parts of the figure before it.
    "Of the 36 victims, 22 were ..." restates the whole in its opening and breaks it down."""
    restated = RESTATED_WHOLE.match(text, sentence[0])
    if restated and items and items[0].start < restated.end() and len(items) > 1:
        whole = items[0]
        if earlier is not None and earlier.value == whole.figure.value:
            whole.indicator, whole.period = earlier.indicator, earlier.period
            whole.unit = whole.unit or earlier.unit
            whole.role = whole.role or "total"  # the same count again
        for item in items[1:]:
            if not item.role and item.whole is None and (unit_kind(item.unit) in (
                    unit_kind(whole.unit), "none") or whole.unit is None):
                # ("Of the remaining 594, 103 were referred": a bare whole, of the part's kind)
                item.role, item.whole = "part", whole
        return
    if earlier is None or earlier.role in ("part", "other") or unit_kind(earlier.unit) not in (
            "persons", "count"):
        return
    if own_year and earlier.period and own_year != earlier.period:
        # "Between 2015 and 2020 about 2,300 victims were identified. In 2019, 246 of the
        # identified victims were women and 97 were children": of 2019's victims, a total
        # the text does not give
        for i, item in enumerate(items):
            if item.role == "part" and item.whole is None:
                _continue_the_list(text, items, i, None)
        return
    opened = rules().structure.part_sentence_opener.match(text, sentence[0]) or \
        PART_SENTENCE.match(text, sentence[0])
    # "Authorities identified 97 victims. Sixty-two were victims of forced labor, and 35 were
    # victims of sex trafficking; 78 were women.": numbers with no noun of their own, each
    # with its "were", tell the parts of the figure before
    copular = bool(items) and NUMBER_WERE.fullmatch(text, sentence[0], items[0].start) is not None
    for item in items:
        if unit_kind(item.unit) == "percent" and item.indicator == "other" and (
                opened or copular and COPULA_OR_OF_THE.match(text, item.end)):
            # "Authorities identified 512 victims. Nearly three-quarters were Moroccan": a share
            # of the whole before, of its kind
            item.indicator = earlier.indicator
            continue
        if opened and not item.role and item.whole is None and \
                unit_kind(item.unit) not in (unit_kind(earlier.unit), "none"):
            # "185 recorded cases of abduction. Of these, 42 children were recovered": a part
            # counted in other units than its whole
            item.role = "part"
        if item.whole is not None or unit_kind(item.unit) not in (unit_kind(earlier.unit),
                                                                 "none"):
            continue
        if item.figure.value >= earlier.value:
            continue
        if opened and not item.role or copular and item.figure.entity is None and \
                COPULA_OR_OF_THE.match(text, item.end) or item.role == "part" and \
                OF_THE_NOUN.match(text, item.end):
            # "286 of the victims in forced labor": of the whole before, too
            item.role, item.whole = "part", _named_whole(text, item, previous) or earlier
            item.unit = item.unit or earlier.unit
            _continue_the_list(text, items, items.index(item), earlier)
