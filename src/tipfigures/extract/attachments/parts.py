"""Parts within a sentence: "including 139 victims", "23 of them were sentenced", "54 of the 98
victims", lists that go on ("29 from El Salvador, 17 from Honduras, and nine from
Nicaragua"), counts side by side each of its own form, "another 27", "the remaining eight"."""

from __future__ import annotations

import re

from tipfigures.extract.attachments.item import (
    CATEGORY_UNITS,
    FORM_INDICATORS,
    OF_THE_COUNTED,
    OF_WHOM_WERE,
    PARENTHESIS,
    Attached,
)
from tipfigures.extract.attachments.links import participle_indicator, verb_before
from tipfigures.extract.reading import UNCONFIRMED, IndicatorKeywords, unit_kind
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import SENTENCE_OPENING, rules

# Indicators a part's own words may give that only say its form of exploitation: "of which 71
# were exploited in forced labor" are 71 of the victims, not a count of their own.


# between coordinated figures: "75 cases of sex trafficking and 20 cases of ..."
# (or with the second's own subject and no verb: "The ISF identified 38 victims of sex
# trafficking and DGS 189 victims of forced labor")
COORDINATION_GAP = re.compile(r"[^;:()\d]{0,70}?(?:,[ \t]+(?:and[ \t]+)?|[ \t]+and[ \t]+)"
                              r"(?:(?:the[ \t]+)?[A-Z][A-Za-z.'’-]*[ \t]+){0,3}"
                              r"(?:[a-z]+[ \t]+){0,2}")


# from a number to the form its noun phrase names: " cases of ", " victims of ", " "
OWN_FORM_LINK = re.compile(r"[ \t]+(?:(?:[a-z-]+[ \t]+){0,2}(?:of|for|in)[ \t]+(?:the[ \t]+)?)?"
                           r"(?:suspected[ \t]+|alleged[ \t]+|potential[ \t]+)?")


PART_SENTENCE_OR_OF = re.compile(SENTENCE_OPENING + r"(?:Of|Among)\b")


THE_REST_BEFORE = re.compile(r"\b[Tt]he[ \t]+(?:remaining|other)[ \t]+$")


ADDITIVE_BEFORE = re.compile(r"\b(?:another|a[ \t]+further)[ \t]+$", re.I)


SUBSET_LINK = re.compile(r",[ \t]+(?:where|whereby|with|while)[ \t]+(?:only[ \t]+)?[^,;]{0,8}$",
                         re.I)

# "Four were girls exploited in sex trafficking, while two men ...": a count said to be
# something is a sibling of what follows "while", not its whole
SAID_TO_BE = re.compile(r"[ \t]+(?:were|was|had[ \t]+been)\b")
WHILE_LINK = re.compile(r",[ \t]+(?:while|whereas)\b")

LIST_CONTINUES = re.compile(r"[ \t]*[A-Za-z' -]{0,40}?(?:,[ \t]*(?:(?:and|while|whereas)[ \t]+)?|"
                            r"[ \t]+and[ \t]+)")


LONG_LIST_CONTINUES = re.compile(r"[^.;:()0-9]{0,100}?(?:,?[ \t]+and[ \t]+|,[ \t]*"
                                 r"(?:(?:while|whereas)[ \t]+)?)")


FORM_LINK = re.compile(r"[ \t]+(?:[a-z]+[ \t]+){0,5}?(?:in|for|of|to|with)[ \t]+(?:the[ \t]+)?"
                       rf"(?:{UNCONFIRMED}[ \t]+)?"
                       r"(?:(?:child|adult|commercial|internal|transnational)[ \t]+)?")
# in a list: "17 of the investigations concerned sex trafficking, three forced labor"
LISTED_FORM_LINK = re.compile(r"[ \t]+(?:(?:[a-z]+[ \t]+){0,5}?(?:in|for|of|to|with|concerned|"
                              r"involved|related[ \t]+to)[ \t]+)?(?:the[ \t]+)?"
                              rf"(?:{UNCONFIRMED}[ \t]+)?"
                              r"(?:(?:child|adult|commercial|internal|transnational)[ \t]+)?")


COLON_LIST = re.compile(r"[ \t]*[a-z -]{0,120}?(?:[ \t]+in[ \t]+(?:19|20)[0-9]{2})?"
                        r"(?:[ \t]*\([^()]*\))?[ \t]*:[ \t]*")  # "14 cases in 2023: nine ..."


ALL_BUT = re.compile(r"\b[Aa]ll[ \t]+but[ \t]+$")


OF_THOSE_DONE = re.compile(r"[ \t]+of[ \t]+(?:those|whom|them)[ \t]+[a-z]+ed\b")  # convicted


PART_OF_NEXT = re.compile(r"\b(?:part[ \t]+of[ \t]+(?:the|a|an|its|their)?|out[ \t]+of[ \t]+"
                          r"(?:the|its|their))[ \t]*(?:approximately|about|some|nearly|roughly|"
                          r"around|an[ \t]+estimated)?[ \t]*$")  # ("out of the 486 sheltered")


CLAUSE_END = re.compile(r"[,;.()]")


# "12 traffickers, eight for ...": a count's noun phrase, then a comma
APPOSITION = re.compile(r"[ \t]+(?!(?:were|was|are|is|had|have|been)\b)(?:[A-Za-z-]+[ \t]+){0,3}?"
                        r"[a-z-]+,[ \t]+")


OF_THE_NEXT = re.compile(  # "three of the organization's five members"
    r"^[ \t]+of[ \t]+(?:the|these|those|all|its|their)?[ \t]*(?:[A-Za-z]+['’]s[ \t]+)?$", re.I)


def coordinated_forms(text: str, sentence: tuple[int, int], items: list[Attached]) -> None:
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
            continue  # the compared part follows its model (comparisons)
        officials = _officials_by_profession(run)
        if officials:
            # "trained 115 magistrates and 240 police officers": officials by profession, parts
            # of a total the text does not give
            for member in officials:
                member.side_by_side = True
            if len(officials) == len(run):
                continue
        forms = [_own_form(text, member) for member in run]
        for named in _runs_with_forms(run, forms):  # each a stretch of figures that name one
            if len(named) >= 2 and len({form for _, form in named}) == len(named):
                for member, form in named:
                    # a part of no stated whole, unless a later stage finds one ("Of the 40
                    # victims, 31 were exploited in sex trafficking and nine in forced labor")
                    member.breakdown, member.side_by_side = form, True


YEARS_SPAN = re.compile(r"\b(?:19|20)[0-9]{2}[ \t]*(?:-|–|to|through|and|until)[ \t]*"
                        r"(?:19|20)[0-9]{2}\b")
A_TOTAL_OF = re.compile(r",[ \t]+(?:for[ \t]+)?(?:a[ \t]+total[ \t]+of|in[ \t]+all)[ \t]+$")
IN_TOTAL = re.compile(r"[ \t]+(?:[A-Za-z-]+[ \t]+){0,3}in[ \t]+total\b")


def totals_after_their_parts(text: str, items: list[Attached]) -> None:
    """"repatriated 138 victims from China, 21 from Cambodia and 12 from Malaysia—171
    Vietnamese victims in total": the count "in total" is the whole of the counts before it."""
    for i, item in enumerate(items):
        # (or after them, "a total of 71" that they add up to: "to all 46 as well as to 25
        # presumed victims ..., a total of 71", "convicted 71 ... and upheld the convictions
        # of 84 others, for a total of 155 convictions")
        summed = A_TOTAL_OF.search(text, max(0, item.start - 20), item.start) is not None
        if not IN_TOTAL.match(text, item.end) and not summed:
            continue
        clause_start = max(text.rfind(";", 0, item.start), text.rfind(". ", 0, item.start))
        if YEARS_SPAN.search(text, clause_start + 1, item.start):
            continue  # "...; from 2017 through 2019, courts convicted 15 traffickers in
            # total": a sum over years, not of the counts before it
        parts = [other for other in items[:i] if not other.compared and
                 unit_kind(other.unit) in (unit_kind(item.unit), "none") and
                 other.figure.value < item.figure.value]
        if len(parts) < 2 or sum(other.figure.value for other in parts) > item.figure.value or \
                summed and sum(other.figure.value for other in parts) != item.figure.value:
            continue
        item.whole, item.role, item.breakdown, item.in_parenthesis = None, "", None, False
        if item.indicator == "other" or summed:
            item.indicator = next((other.indicator for other in parts
                                   if other.indicator != "other"), "other")
        item.unit = item.unit or parts[0].unit
        for other in parts:
            other.whole, other.role = item, "part"


def _officials_by_profession(run: list[Attached]) -> list[Attached]:
    """The longest stretch of a run that counts officials, each of another profession ("146
    police officers, 62 magistrates and 38 labor inspectors ..., and it trained 85 members of
    cocoa cooperatives": the first three)."""
    official = rules().structure.official_noun
    best: list[Attached] = []
    stretch: list[Attached] = []
    for member in run + [None]:
        if member is not None and member.unit == "persons" and member.indicator != "other" \
                and official.search(member.figure.entity or "") and \
                (member.figure.entity or "").split()[-1:] not in [
                    (other.figure.entity or "").split()[-1:] for other in stretch]:
            stretch.append(member)
            continue
        if len(stretch) > len(best):
            best = stretch
        stretch = [member] if member is not None and official.search(
            member.figure.entity or "") and member.unit == "persons" else []
    return best if len(best) >= 2 else []


def _runs_with_forms(run: list[Attached], forms: list[str | None]
                     ) -> list[list[tuple[Attached, str]]]:
    runs: list[list[tuple[Attached, str]]] = [[]]
    for member, form in zip(run, forms, strict=True):
        if form is None:
            runs.append([])
        else:
            runs[-1].append((member, form))
    return runs


def additive_parts(text: str, sentence: tuple[int, int], items: list[Attached]) -> None:
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
        clause_end = CLAUSE_END.search(text, item.end, min(len(text), item.end + 80))
        if rules().structure.other_cue.search(
                text, item.end, clause_end.start() if clause_end else item.end + 80):
            continue  # "another 130 women returned on their own": not more of the same count
        earlier = next((other for other in reversed(items[:i]) if other.whole is None and
                        not other.in_parenthesis and not other.compared and
                        other.indicator == item.indicator and _same_count(other, item)), None)
        if earlier is not None and not earlier.role:
            earlier.role = item.role = "part"


def _same_count(one: Attached, other: Attached) -> bool:
    """Counted in the same unit, or both in cases: "23 cases ... another 14 investigations"."""
    case_nouns = rules().structure.case_nouns
    return one.unit == other.unit or one.unit in case_nouns and other.unit in case_nouns


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


OWN_SUBJECT_INCLUDED = re.compile(r";[ \t]+(?:the|these|those)[ \t]+(?:[a-z-]+[ \t]+){0,3}?"
                                  r"(?:included|comprised|were)[ \t]+$")


def part_cues(text: str, sentence: tuple[int, int], items: list[Attached]) -> None:
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
                item.figure.value < items[head].figure.value and not structure.comparison.search(
                    text, max(0, items[head].start - 30), items[head].start):
            # "courts convicted 112 traffickers (139): 63 for forced labor, ... and 49 for sex
            # trafficking": a colon opens the list of the figure's parts
            item.role, item.whole = "part", items[head]
            item.unit = item.unit or items[head].unit
            continue_the_list(text, items, i, items[head])
            continue
        if i and not items[i - 1].in_parenthesis and items[i - 1].whole is None and \
                APPOSITION.fullmatch(text, items[i - 1].end, item.start) and \
                _form_of(text, item) and not _form_of(text, items[i - 1]) and \
                item.figure.value < items[i - 1].figure.value and \
                unit_kind(item.unit) in (unit_kind(items[i - 1].unit), "none"):
            # "convicted 12 traffickers, eight for sex trafficking and four for forced labor":
            # the count, then its parts by form
            item.role, item.whole = "part", items[i - 1]
            item.unit = item.unit or items[i - 1].unit
            continue_the_list(text, items, i, items[i - 1])
            continue
        head = _head_before_a_comparison(text, items, i)
        if head is not None:
            # "identified 27 victims in 2013, compared with 19 in 2012, all of them women: 22
            # victims of sex trafficking and five of forced labor": the list is the main count's
            item.role, item.whole = "part", items[head]
            item.unit = item.unit or items[head].unit
            continue_the_list(text, items, i, items[head])
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
            own = participle_indicator(text, of_whole.end, min(len(text), of_whole.end + 40),
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
                              text, max(sentence[0], items[j].start - 40), items[j].start)]
            if of_those:  # "25 of those convicted": people, if people were counted
                candidates = [j for j in candidates if items[j].unit == "persons"] or candidates
                if candidates:
                    item.unit = items[candidates[-1]].unit
            own_subject = OWN_SUBJECT_INCLUDED.search(text, max(0, item.start - 60), item.start)
            if own_subject:  # "21 were Costa Rican; the foreign victims included 13
                # Nicaraguans": parts of what the clause names, not of the figure before
                candidates = [j for j in candidates if items[j].start > own_subject.start()]
            whole = candidates[-1] if candidates else None
            while whole is not None and ";" in text[items[whole].end:item.start] and \
                    isinstance(items[whole].whole, Attached):
                # "identified 1,173 victims, including 138 children ...; 902 of the victims
                # were women": after a semicolon, of the headline, not of its last part
                whole = items.index(items[whole].whole)
        elif i and SUBSET_LINK.search(text[items[i - 1].end:item.start]) and \
                not (SAID_TO_BE.match(text, items[i - 1].end) and
                     WHILE_LINK.search(text, items[i - 1].end, item.start)) and \
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
                items[whole].indicator != "other" and \
                item.indicator not in FORM_INDICATORS and not (
                    included and included.group(0).lower().startswith(("includ", "among"))) and \
                not OF_WHOM_WERE.match(text, item.end) and not (
                    # "care to 2,217 victims, of whom 146 also received vocational training":
                    # victims trained are victims cared for, not officials trained
                    item.indicator == "officials_trained" and
                    items[whole].indicator.startswith("victims")) and not (
                    # "126 cases ...; 81 of the cases concerned forced prostitution": no word of
                    # its own says what the 81 are, so they are of the 126
                    OF_THE_COUNTED.match(text, item.end) and participle_indicator(
                        text, item.end, min(len(text), item.end + 60), item.unit) is None):
            # "99 individuals, 76 of whom were convicted": a total of its own; but "identified
            # 1,205 victims, including 610 children, and referred 402": 610 were identified
            continue
        item.role, item.whole = "part", items[whole]
        continue_the_list(text, items, i, items[whole])


def _head_before_a_comparison(text: str, items: list[Attached], i: int) -> int | None:
    """The figure a colon list is of when a comparison stands between them."""
    item = items[i]
    colon = text.rfind(":", max(0, item.start - 12), item.start)
    if colon < 0 or text[colon + 1:item.start].strip():
        return None
    comparison = next(reversed(list(rules().structure.comparison.finditer(
        text, max(0, colon - 120), colon))), None)
    if comparison is None or re.search(r"[;()]", text[comparison.start():colon]):
        return None
    head = next((j for j in range(i - 1, -1, -1) if items[j].end <= comparison.start() and
                 unit_kind(items[j].unit) != "percent"), None)  # not "37 percent more than"
    if head is None or re.search(r"[;:]", text[items[head].end:comparison.start()]) or \
            unit_kind(item.unit) not in (unit_kind(items[head].unit), "none") or \
            item.figure.value >= items[head].figure.value:
        return None
    return head


def continue_the_list(text: str, items: list[Attached], i: int,
                       whole: Attached | Figure | None) -> None:
    """"including 29 from El Salvador, 17 from Honduras, and nine from Nicaragua": the list
    goes on with parts of the same whole."""
    item = items[i]
    previous = item
    for position in range(i + 1, min(len(items), i + 20)):
        later = items[position]
        if later.in_parenthesis and (later.whole is not None or later.period != item.period):
            continue  # "52 foreign victims—44 of them Ethiopians—and six Zambians", "three
            # were recognized victims (seven in 2021) and 97 were potential victims"
        if later is whole:
            previous = later  # "26 of the 43 victims were male and 17 female"
            continue
        if later.role and later.role != "estimate" or later.in_parenthesis or \
                later.unit != item.unit and later.figure.entity is not None and \
                later.unit not in CATEGORY_UNITS:
            break  # (a bare number's unit is the list's: "nine concerned ..., five forced labor")
        gap = PARENTHESIS.sub(" ", text[previous.end:later.start])
        if not LIST_CONTINUES.fullmatch(gap) and not (
                # "754 of the victims in forced labor, most of them abroad, and 419 in sex
                # trafficking": a later part of the same kind, told by its form
                (_form_of(text, previous, LISTED_FORM_LINK) and
                 _form_of(text, later, LISTED_FORM_LINK) or
                 # "14 Fijian and Samoan nationals exploited in horticulture and construction
                 # and three Chinese women": by nationality
                 _named_nationality(text, previous) and _named_nationality(text, later)) and
                LONG_LIST_CONTINUES.fullmatch(gap)):
            break
        later.role, later.whole, later.unit = "part", whole, item.unit
        previous = later


def _named_nationality(text: str, item: Attached) -> bool:
    """The figure's own words open on a demonym: "three Chinese women", "four were
    Marshallese"."""
    if text[item.end:item.end + 1] != " ":
        return False
    copula = SAID_TO_BE.match(text, item.end)
    return rules().structure.demonym.match(
        text, copula.end() + 1 if copula else item.end + 1) is not None


def _form_of(text: str, item: Attached, link: re.Pattern[str] = FORM_LINK) -> str | None:
    """The form of exploitation a figure's own words name: "419 in sex trafficking"."""
    phrase = text[item.end:item.end + 60]
    for code, pattern in rules().structure.breakdowns:
        if code.startswith("form="):
            found = pattern.search(phrase)
            if found and link.fullmatch(phrase, 0, found.start()):
                return code
    return None


def the_remaining(text: str, items: list[Attached], previous: list[Figure],
                  keywords: IndicatorKeywords, earlier: Figure | None = None) -> None:
    """"Courts sentenced 33 of the convicted traffickers to prison; the remaining eight
    received suspended sentences": the rest of a whole is a part of it too. But "placed 247
    victims in shelters and referred the other 15 to NGOs": the rest under a verb of another
    indicator is that indicator's count."""
    for index, item in enumerate(items):
        if item.whole is not None or not THE_REST_BEFORE.search(
                text, max(0, item.start - 24), item.start):
            continue
        own = verb_before(text, max(0, item.start - 40), item, keywords)
        if own and index and own != items[index - 1].indicator:
            item.indicator, item.role = own, "total"
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
            continue
        if earlier is not None and earlier.value > item.figure.value and \
                unit_kind(item.unit) in (unit_kind(earlier.unit), "none"):
            # "Authorities identified 512 victims. Nearly three-quarters were Moroccan, while
            # the remaining 146 came from Guinea": the rest of the count before
            item.role, item.whole = "part", earlier
            item.unit = item.unit or earlier.unit
