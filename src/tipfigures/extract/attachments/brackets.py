"""A parenthesis or a pair of dashes after a figure: its parts ("58 cases (31 for sex
trafficking, 18 for labor trafficking)"), its earlier years ("(61 in 2021)"), or the same amount
in another currency ("450,000 cedis ($74,000)")."""

from __future__ import annotations

import re
from bisect import bisect_left

from tipfigures.extract.attachments.item import VICTIM_COUNTS, Attached, year_label
from tipfigures.extract.attachments.years import earlier_compared_year
from tipfigures.extract.periods import YearMention
from tipfigures.extract.reading import IndicatorKeywords, indicator_of, unit_kind
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules

ROUND_BRACKETS = re.compile(r"\(([^()]*)\)")


DASHES = re.compile(r"[—–]([^—–;]*)[—–]|[—–](?P<to_end>[^—–;.()]*)(?=[.;](?:\s|$))")


YEAR_LINK_AFTER = re.compile(r"^[ \t]*,?[ \t]*(?:in|during|for)?[ \t]*(?:fiscal[ \t]+year|FY)?"
                             r"[ \t]*$", re.I)


# "convicted six traffickers, all for sex trafficking (four in 2022 and 10 in 2021)": what
# is said of all of them stands between the figure and its parenthesis
ALL_OF_THEM = re.compile(r"[^,;:()0-9]{0,30},[ \t]+(?:all|both|each|most)\b[^,;:()0-9]{0,50}")


BARE_NUMBER = re.compile(r"[ \t]*(?:[0-9][0-9,.]*|[a-z]+(?:-[a-z]+)?)[ \t]*")  # "(65)", "(four)"
# what a country named after them says of people: where they came from, or where they were
PLACE_PREPOSITIONS = re.compile(r"\b(from|in|of|to)\b")
# a count and its share: "Albanians (4,010; 23%)", "labour exploitation (4,470, 26%)"
COUNT_AND_SHARE = re.compile(r"[ \t]*[0-9][0-9,.]*[ \t]*[;,][ \t]*[0-9][0-9.]*[ \t]*%[ \t]*")


def parentheses(text: str, sentence: tuple[int, int], items: list[Attached],
                 years: list[YearMention],
                 told: tuple[int, list[YearMention]] | None = None,
                 source_country: str | None = None, brackets_year: str | None = None) -> None:
    """A parenthesis right after a figure: its parts, its earlier years, or a conversion.
    `told`: where the paragraph's figures begin, and its years before this sentence;
    `brackets_year`: the year the report says its bare brackets are for."""
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
        if len(inside) == 2 and not dashed and COUNT_AND_SHARE.fullmatch(text, opened + 1,
                                                                          closed - 1):
            share = items[inside[1]]  # the share is of the count: read the count alone
            share.in_parenthesis, share.role = True, "other"
            inside = inside[:1]
            closed = items[inside[0]].end + 1  # (as if the bracket closed after the count)
        country = rules().structure.country_in_parenthesis.search(
            text, max(sentence[0], opened - 40), opened + 1)
        demonym = rules().structure.demonym_in_parenthesis.search(
            text, max(sentence[0], opened - 40), opened + 1) if not country else None
        if len(inside) == 1 and demonym and BARE_NUMBER.fullmatch(text, opened + 1, closed - 1):
            item = items[inside[0]]
            item.in_parenthesis, item.role, item.unit = True, "part", "persons"
            code = rules().structure.demonyms[demonym.group(1)]
            item.breakdown = f"nationality={code}" if code != source_country else None
            continue
        form = next((code for code, pattern in rules().structure.form_in_parenthesis
                     if pattern.search(text, max(sentence[0], opened - 40), opened + 1)), None)
        if len(inside) == 1 and form and not country and not demonym and \
                BARE_NUMBER.fullmatch(text, opened + 1, closed - 1) and not _year_just_before(
                    text, years, [m.start for m in years], opened) and \
                earlier_compared_year(text, sentence, opened, years) is None:
            # "followed by forced marriage (94)" (but in "268 concerned sex trafficking (259
            # in 2020) and 69 labor trafficking (42)" the 42 is of 2020 too)
            item = items[inside[0]]
            item.in_parenthesis, item.role, item.unit = True, "part", item.unit or "persons"
            item.breakdown = form
            continue
        if len(inside) == 1 and country and BARE_NUMBER.fullmatch(text, opened + 1, closed - 1):
            item = items[inside[0]]  # "from 14 countries, primarily India (31)"
            item.in_parenthesis, item.role, item.unit = True, "part", "persons"
            where = PLACE_PREPOSITIONS.findall(text, max(sentence[0], opened - 150),
                                               country.start())
            if item.indicator != "victims_repatriated" and where[-1:] != ["in"]:
                # (but "repatriated 1,960 Cambodians, mostly from Thailand (1,412)" tells where
                # they came back from, and "exploited abroad: in Russia (46), Germany (31)"
                # where they were exploited)
                item.breakdown = f"nationality={rules().structure.countries[country.group(1)]}"
            continue
        dated = _year_just_before(text, years, year_starts, opened)
        if len(inside) == 1 and dated is not None and BARE_NUMBER.fullmatch(
                text, opened + 1, closed - 1):
            # "victims identified in 2019 (1266) and 2018 (1189)": that year's count
            item = items[inside[0]]
            item.in_parenthesis, item.period = True, year_label(dated)
            model = next((items[j] for j in range(inside[0] - 1, -1, -1)
                          if unit_kind(items[j].unit) in ("persons", "count")), None)
            if item.unit is None and model is not None:
                # "registered 1,212 victims, 9% more than in 2018 (1,112)": of the count's kind
                item.indicator, item.unit, item.stands_for = model.indicator, model.unit, model
            continue
        if not inside or first == 0 or items[first - 1].end > opened:
            continue
        if _earlier_years_of_a_list(text, sentence, items, first, inside, opened, closed, years,
                                    told):
            continue
        head = first - 1
        gap = text[items[head].end:opened]
        if len(gap) > 80 or re.search(r"[,;:]", gap) and not ALL_OF_THEM.fullmatch(gap):
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
                    text, opened + 1, closed - 1) and ((earlier := earlier_compared_year(
                        text, sentence, opened, years) or (earlier_compared_year(
                            text, (told[0], sentence[0]), sentence[0], told[1])
                        if told else None)) is not None or brackets_year):
                # "(99 in 2015), indicted 62 defendants (65)": the same count, that year
                # ("supported 286 clients (241)", where "Figures in brackets are for 2021")
                item.period = year_label(earlier) if earlier is not None else brackets_year
                item.indicator, item.unit = whole.indicator, item.unit or whole.unit
                item.stands_for = whole
            elif inner_years:  # "(61 in 2021)": the same count for an earlier year
                after = [m for m in inner_years if m.start >= item.end]
                item.period = year_label(after[0] if after else inner_years[-1])
                model = whole
                if unit_kind(item.unit) not in (unit_kind(whole.unit), "none"):
                    # the last count of its kind before: "438 defendants in 171 cases (397
                    # defendants)", "investigated 35 cases and arrested 43 suspects (31 cases
                    # and 38 suspects in 2020)"
                    model = next((items[j] for j in range(head - 1, -1, -1)
                                  if not items[j].in_parenthesis and not items[j].compared and
                                  unit_kind(items[j].unit) == unit_kind(item.unit)), whole)
                if unit_kind(item.unit) in (unit_kind(model.unit), "none"):
                    item.indicator, item.stands_for = model.indicator, model
                    item.unit = item.unit or model.unit
            elif unit_kind(whole.unit) == "money" and unit_kind(item.unit) == "money":
                if ")" in gap:
                    continue  # "the Fund (A$90,000) and the Government (A$35,000)": shares
                item.role = "other"  # "$375 (50,000 naira)": the same amount, converted
                item.converts = whole
            else:
                item.role, item.whole = "part", whole
        after_close = bisect_left(year_starts, closed)
        following = years[after_close] if after_close < len(years) else None
        if following is not None and following.start - closed <= 24 and YEAR_LINK_AFTER.match(
                text[closed:following.start]) and not inner_years:
            whole.period = year_label(following)  # "(...) in 2022": the whole's year
        elif following is not None and any(items[i].converts is whole for i in inside) and \
                following.start - closed <= 60 and not re.search(
                    r"[,;]|[0-9]", text[closed:following.start]):
            # "140 million rupees ($1.17 million) to them for FY 2021/22"
            whole.period = year_label(following)


def what_bracketed_parts_count(text: str, sentence: tuple[int, int], items: list[Attached],
                               keywords: IndicatorKeywords, paragraph: list[Figure]) -> None:
    """"Most of the people we supported came from Nigeria (51), Thailand (23)": a count in
    brackets after a place or a form, a part of no whole the sentence gives, counts what the
    sentence's words say of people ("supported": victims assisted)."""
    structure = rules().structure
    for item in items:
        if not (item.in_parenthesis and item.role == "part" and item.whole is None and
                item.indicator == "other" and item.unit == "persons"):
            continue
        own = indicator_of(text, item.start, item.end, sentence, "persons", None, keywords)
        if own != "other" and own not in structure.not_total_indicators and own not in \
                structure.estimate_indicators:
            item.indicator = own  # (not "traffickers", an indicator of no year's total)
        elif (counted := next((f for f in reversed(paragraph) if f.unit == "persons" and
                               f.indicator in VICTIM_COUNTS and f.part_of is None and
                               f.compared_with is None and f.value > item.figure.value),
                              None)) is not None:
            # "Of our 286 clients, ... The others came from India (38)": of the count of
            # victims the paragraph told before
            item.indicator = counted.indicator
        elif any(word in rules().victim_nouns
                 for word in re.findall(r"[a-z]+", text[max(sentence[0], item.start - 300):
                                                         item.start].lower())):
            # "the foreign victims came from Afghanistan (four)": victims a report counts are
            # victims it identified
            item.indicator = "victims_identified"


# "(151, 33, and 10, respectively, in 2016)", "(171 and 23)": bare numbers, one for each
# figure of the list before the parenthesis
BARE_LIST = re.compile(r"[ \t]*(?:[0-9][0-9,.]*|[a-z]+(?:-[a-z]+)?)"
                       r"(?:(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)"
                       r"(?:[0-9][0-9,.]*|[a-z]+(?:-[a-z]+)?))+"
                       r"(?:[ \t]*,?[ \t]*respectively)?"
                       r"(?:[ \t]*,?[ \t]*in[ \t]+(?:19|20)[0-9]{2})?[ \t]*")


def _earlier_years_of_a_list(text: str, sentence: tuple[int, int], items: list[Attached],
                             first: int, inside: list[int], opened: int, closed: int,
                             years: list[YearMention],
                             told: tuple[int, list[YearMention]] | None) -> bool:
    """"203 were exploited in sex trafficking, 71 in forced labor, and 53 in forced begging
    (151, 33, and 10, respectively, in 2016)": each number in the parenthesis is the earlier
    year's count of the figure in the same place in the list before it."""
    count = len(inside)
    if count < 2 or first < count or not BARE_LIST.fullmatch(text, opened + 1, closed - 1):
        return False
    run = items[first - count:first]
    clause_start = max(sentence[0], text.rfind(";", sentence[0], opened) + 1)
    if run[0].start < clause_start or any(m.in_parenthesis for m in run) or \
            len({unit_kind(m.unit) for m in run}) > 1:
        return False
    year_starts = [m.start for m in years]
    inner = years[bisect_left(year_starts, opened):bisect_left(year_starts, closed)]
    earlier = inner[-1] if inner else earlier_compared_year(text, sentence, opened, years) or (
        earlier_compared_year(text, (told[0], sentence[0]), sentence[0], told[1])
        if told else None)
    if earlier is None:
        return False
    for model, i in zip(run, inside, strict=True):
        item = items[i]
        item.in_parenthesis, item.period = True, year_label(earlier)
        item.indicator, item.stands_for = model.indicator, model
        item.unit = item.unit or model.unit
    return True


def _year_just_before(text: str, years: list[YearMention], year_starts: list[int],
                      opened: int) -> YearMention | None:
    """The year a parenthesis follows at once: "in 2019 (1266)"."""
    at = bisect_left(year_starts, opened) - 1
    if at >= 0 and text[years[at].end:opened].strip(" \t") == "":
        return years[at]
    return None
