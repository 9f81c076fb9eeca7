"""Counts joined by their words: "27 cases involving 44 suspects" counts one thing twice, in cases
and in persons; a verb right before the next number governs that number, not this one; a
participle or noun after a number names its indicator ("11 traffickers prosecuted")."""

from __future__ import annotations

import re
from bisect import bisect_left

from tipfigures.extract.attachments.item import PARENTHESIS, Attached, year_label
from tipfigures.extract.periods import YearMention
from tipfigures.extract.reading import IndicatorKeywords, indicator_of, unit_kind
from tipfigures.extract.rules import rules

# (a colon after the verb opens a list of what the count before it counted: "243 officials
# trained: 212 police officers and 31 immigration officers")
GOVERNING_GAP_BREAK = re.compile(r"[,;:()]|\b(?:and|or|but|while|whereas)\b")


YEAR_CLOSES_PHRASE = re.compile(r"(?:[ \t]+[a-z]+)?[ \t]*,?[ \t]*(?:in|during|for)[ \t]+")


LINK_AFTER_COMMA = re.compile(r",[ \t]+(?=(?:involving|implicating)[ \t]+$)")


CASES_WITH = re.compile(r"[ \t]+[a-z]+[ \t]+with[ \t]+")  # "seven cases with 10 suspects"
IN_CASES = re.compile(r"[ \t]+[a-z]+[ \t]+in[ \t]+")  # "312 defendants in 196 cases"


def noun_indicator(item: Attached) -> str | None:
    """The indicator a count's own noun names: "252 investigations", "16 convictions"."""
    words = (item.figure.entity or "").split()[-1:]
    # (or a noun of what happens to one person each: "11 arrests", "nine convictions")
    noun = words if unit_kind(item.unit) == "count" or words and \
        words[0].lower() in rules().person_event_nouns else []
    for word in noun:
        for keyword, ranked in rules().rules_by_keyword.items():
            if word.lower().startswith(keyword):
                for _, rule in sorted(ranked, key=lambda pair: (pair[1].fallback, pair[0])):
                    if rule.fits(unit_kind(item.unit), item.unit) and not rule.fallback:
                        return rule.indicator
    return None


def participle_indicator(text: str, start: int, end: int, unit: str | None) -> str | None:
    """The indicator of a participle that follows a number: "11 traffickers prosecuted"."""
    r = rules()
    kind = unit_kind(unit) if unit else "persons"
    for m in re.finditer(r"\b[a-z]+ed\b", text[start:end]):
        word = m.group(0)
        if word in r.told_participles:
            continue  # "the 95 recorded in 2020": told, not done
        for keyword, ranked in r.rules_by_keyword.items():
            if not word.startswith(keyword):
                continue
            for _, rule in sorted(ranked, key=lambda pair: (pair[1].fallback, pair[0])):
                if rule.fits(kind, unit) and not rule.fallback:
                    return rule.indicator
    return None


WORD_REST = re.compile(r"^\w+")  # "referr|ed": the rest of a keyword's word


def verb_before(text: str, start: int, item: Attached, keywords: IndicatorKeywords,
                unit: str | None = None) -> str | None:
    """The indicator of a verb right before a count, after `start`: "compared with
    investigating 87 cases, prosecuting 67 defendants and convicting 33 traffickers" (read
    as counting `unit`, when given, instead of the count's own unit)."""
    first = bisect_left(keywords.starts, start)
    last = bisect_left(keywords.starts, item.start)
    near = [k for k in range(first, last) if keywords.ends[k] <= item.start
            and len(WORD_REST.sub("", text[keywords.ends[k]:item.start], count=1).split()) <= 2
            and not GOVERNING_GAP_BREAK.search(text[keywords.ends[k]:item.start])]
    if not near:
        return None
    found = indicator_of(text, item.start, item.end, (keywords.starts[near[0]], item.end),
                         unit or item.unit, item.figure.entity, keywords)
    return found if found != "other" else None


def same_count_links(text: str, items: list[Attached], years: list[YearMention]) -> None:
    """"27 cases involving 44 suspects": the second counts the same prosecutions in persons."""
    year_starts = [m.start for m in years]
    for i in range(1, len(items)):
        first, second = items[i - 1], items[i]
        if first.in_parenthesis and first.whole is not None and isinstance(first.whole, Attached):
            first = first.whole  # "58 cases (31 for ..., nine unspecified) involving 97 suspects"
        victims = second.figure.entity and second.figure.entity.split()[-1].lower() in \
            rules().victim_nouns  # "12 cases involving 30 child victims": not the suspects
        # ("four reports involving nine women as potential victims"; but "detected 195 cases
        # involving 398 suspects" counts the cases)
        offenders = second.figure.entity is not None and \
            second.figure.entity.split()[-1].lower() in rules().offender_nouns
        victims = victims or second.indicator == "victims_identified" and not offenders
        if same_count_gap(text, first, second) and not victims:
            k = bisect_left(year_starts, second.end)
            if k < len(years) and years[k].start - second.end <= 40 and \
                    YEAR_CLOSES_PHRASE.fullmatch(text, second.end, years[k].start):
                # "312 defendants in 196 cases in FY 2020/21": the year closes both
                first.period = year_label(years[k])
            second.indicator, second.period = first.indicator, first.period or second.period
            if second.role == "" and first.role:
                second.role = first.role


def same_count_gap(text: str, first: Attached, second: Attached) -> bool:
    """"27 cases involving 44 suspects", "312 defendants in 196 cases"."""
    gap = PARENTHESIS.sub("", text[first.end:second.start])
    # "opened 142 cases, involving 371 suspects": a comma right before the link word
    gap = LINK_AFTER_COMMA.sub(" ", gap)
    if len(gap) > 60 or re.search(r"[,;()]", gap):
        return False
    return rules().structure.same_count_link.search(gap) is not None or (
        IN_CASES.fullmatch(gap) is not None and second.figure.unit == "cases") or (
        CASES_WITH.fullmatch(gap) is not None and first.figure.unit == "cases")


def governing_verbs(text: str, sentence: tuple[int, int], items: list[Attached],
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


SHARED_NOUN_GAP = re.compile(r"[ \t]+and[ \t]+(?:then[ \t]+)?[a-z]+ed[ \t]+$")


def shared_nouns(text: str, sentence: tuple[int, int], items: list[Attached],
                 keywords: IndicatorKeywords) -> None:
    """"Courts convicted 14 and acquitted three defendants": the bare 14 counts the noun of
    the next figure, under its own verb."""
    for item, following in zip(items, items[1:], strict=False):
        if item.unit is None and item.figure.entity is None and following.unit and \
                SHARED_NOUN_GAP.fullmatch(text, item.end, following.start):
            item.unit = following.unit
            item.indicator = indicator_of(text, item.start, item.end, (sentence[0], item.end),
                                          item.unit, None, keywords)


# "431 female, 455 male, and eight transgender victims": bare describing words, one noun at the end
LIST_OF_DESCRIBED = re.compile(r"[ \t]+[a-z-]+(?:,[ \t]+(?:and[ \t]+)?|[ \t]+and[ \t]+)")


def nouns_at_a_lists_end(text: str, items: list[Attached]) -> None:
    """Counts listed with one describing word each ("431 female, 455 male, and eight
    transgender victims") count the noun that ends the list, under its verb: side by side,
    parts of a total the text does not give."""
    run: list[Attached] = []
    for item, following in zip(items, items[1:], strict=False):
        described = item.figure.entity is not None and " " not in item.figure.entity and \
            item.indicator == "other" and item.unit == following.unit
        if described and LIST_OF_DESCRIBED.fullmatch(text, item.start + len(item.figure.text),
                                                       following.start):
            run.append(item)
            if following.indicator != "other":
                for member in run:
                    member.indicator, member.side_by_side = following.indicator, True
                    member.breakdown = next((code for code, pattern in rules().structure.breakdowns
                                             if pattern.fullmatch(member.figure.entity or "")),
                                            None)  # "431 female": sex=female
                following.side_by_side = True
                run = []
        else:
            run = []


# "1,402 victims of sexual exploitation, 538 of forced labour and 179 of other forms": the
# later counts of a list, with "of" for a noun, count the noun of its first
GAPPED_ITEM = re.compile(r"[ \t]+of[ \t]")
LIST_ITEM_GAP = re.compile(r"[^,;:()0-9]{0,80}?(?:,[ \t]+(?:and[ \t]+)?|[ \t]+and[ \t]+)")


def nouns_of_a_gapped_list(text: str, items: list[Attached]) -> None:
    head: Attached | None = None  # the list's first count, the one with a noun
    for before, item in zip(items, items[1:], strict=False):
        if before.figure.entity is not None:
            head = before if unit_kind(before.unit) == "persons" else None
        if head is not None and item.figure.entity is None and item.unit == head.unit and \
                GAPPED_ITEM.match(text, item.end) and \
                LIST_ITEM_GAP.fullmatch(text, before.end, item.start):
            item.indicator = head.indicator
        elif item.figure.entity is None:
            head = None


SENTENCED = re.compile(r"\bsentenc|\bconvict|\breceived\b|\bimposed\b|\bsuspended\b")


def penalties_go_on(text: str, items: list[Attached]) -> None:
    """"prescribed penalties of two to five years' imprisonment ..., and five to 10 years'
    imprisonment for offenses involving children": the law's penalties go on, undated."""
    for before, item in zip(items, items[1:], strict=False):
        if before.indicator == "penalty" and item.indicator in ("other", "sentence") and \
                unit_kind(item.unit) == "duration" and unit_kind(before.unit) in (
                    "duration", "money") and not SENTENCED.search(
                        text, max(0, before.start - 150), item.start):
            item.indicator, item.period = "penalty", None
