"""Parts across sentences: a sentence of parts ("Of these, 318 were children"), "N of the
suspects" of the count told before, "Country (N)" of the people counted before."""

from __future__ import annotations

import re

from tipfigures.extract.attachments.item import (
    OF_THE_NOUN,
    VICTIM_COUNTS,
    Attached,
    headline,
    year_label,
)
from tipfigures.extract.attachments.links import participle_indicator
from tipfigures.extract.attachments.parts import continue_the_list
from tipfigures.extract.periods import YearMention
from tipfigures.extract.reading import WERE_DONE, unit_kind
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import SENTENCE_OPENING, rules

# "Of the 36 victims, 22 were exploited in forced labor": a whole restated, then its parts
RESTATED_WHOLE = re.compile(SENTENCE_OPENING + r"(?:Of|Among)[ \t]+"
                            r"(?:the|these|those|all|our|its|their)[ \t]+[^,;]{1,40},")


# "Of the victims identified, 214 were foreign nationals", "Of those convicted, 52 were
# sentenced for sex trafficking": a sentence of parts
PART_SENTENCE = re.compile(  # "Of the new pre-trial proceedings,", "Of the victims identified in
    SENTENCE_OPENING + r"Of[ \t]+(?:the|all|those|(?:last|this)[ \t]+year['’]s)[ \t]+"
    r"(?:(?:19|20)[0-9]{2}[ \t]+)?[a-z-]+(?:[ \t]+[a-z-]+){0,3}"
    r"(?:[ \t]+in[ \t]+(?:19|20)[0-9]{2})?[ \t]*,"  # 2016,", "Of the 2017 investigations,"
    r"|\s*(?:The|These|Those)[ \t]+(?:[a-z-]+[ \t]+){0,2}?(?:[a-z-]+)[ \t]+"
    r"(?:comprised|included|consisted[ \t]+of)\b"  # "The victims comprised 107 children"
    r"|\s*(?:They|These|Those)[ \t]+(?:were|comprised|included)[ \t]+(?=[0-9])")  # "They were
# 241 women, 36 men and 112 children"


# "286 of the victims", "142 of these cases"
BY_DIMENSION = re.compile(r"\s*By[ \t]+(?:form|sex|gender|age|nationality|type)\b[^,;:]{0,40},"
                          r"(?:[ \t]+(?:the|these|those)[ \t]+[a-z]+[ \t]+(?:were|included))?")


NUMBER_WERE = re.compile(r"\s*(?:(?:Only|Another|Some|Nearly|Almost|About|Around|Roughly|"
                         r"Approximately|Over|More[ \t]+than)[ \t]+)?")  # before "Sixty-two were"


COPULA_OR_OF_THE = re.compile(r"[ \t]+(?:were|was|had[ \t]+been|concerned|involved|came[ \t]+from|"
                              r"of[ \t]+the[ \t]+[a-z]+|"
                              r"of[ \t]+them|in[ \t]+(?:sex|forced|labou?r)|"
                              r"for[ \t]+(?:sex|forced|labou?r))\b")


def parts_of_the_counted(text: str, items: list[Attached], previous: list[Figure],
                          own_year: str | None, paragraph: list[Figure],
                          told: list[Figure]) -> None:
    """"Prosecutors opened 163 cases involving 278 suspects. Foreign nationals made up 57 of
    the suspects": "N of the <noun>" is a part of the count of that kind just before (in the
    sentence before, else earlier in the paragraph, else, in a sentence that names its year,
    that year's count told anywhere before: "In 2022, 428 of the victims were female")."""
    for item in items:
        # (a part of a part goes back to the whole it names: "Children accounted for 187 of
        # the victims, 129 of them found begging, and 318 of the victims were women")
        of_a_part = isinstance(item.whole, Attached) and item.whole.role == "part"
        if item.whole is not None and not of_a_part or item.role not in ("", "part") or \
                not OF_THE_NOUN.match(text, item.end):
            continue
        kind = unit_kind(item.unit)
        wholes = [f for f in previous if headline(f) and unit_kind(f.unit) == kind and
                  f.value > item.figure.value and own_year in (None, f.period)]
        if not wholes:
            wholes = [f for f in reversed(paragraph) if headline(f) and
                      unit_kind(f.unit) == kind and f.value > item.figure.value and
                      own_year in (None, f.period) and _named_kind(text, item, f)]
        if not wholes and own_year:
            wholes = [f for f in reversed(told) if headline(f) and unit_kind(f.unit) == kind
                      and f.value > item.figure.value and f.period == own_year and
                      _named_kind(text, item, f)]
        whole = _named_whole(text, item, wholes) or (wholes[0] if wholes else None)
        if whole is not None:
            item.role, item.whole = "part", whole
            continue_the_list(text, items, items.index(item), whole)  # "... and 74 male"


# "the 11 foreign nationals among those convicted"
AMONG_THOSE_DONE = re.compile(r"[ \t]+(?:[A-Za-z-]+[ \t]+){0,3}?among[ \t]+(?:those|the)"
                              r"[ \t]+([a-z]+ed)\b")


def parts_among_those_done(text: str, items: list[Attached], paragraph: list[Figure]) -> None:
    """"courts convicted 13 defendants ... ordered the deportation of the 11 foreign nationals
    among those convicted": a part of the count its participle names, told before."""
    for i, item in enumerate(items):
        among = AMONG_THOSE_DONE.match(text, item.end) if item.whole is None else None
        if among is None or item.unit not in ("persons", None):
            continue
        named = participle_indicator(text, among.start(1), among.end(1), "persons")
        wholes = [*reversed(items[:i]), *reversed(paragraph)]
        whole = next((w for w in wholes if w.indicator == named and w.unit == "persons" and
                      (w.whole is None if isinstance(w, Attached) else headline(w)) and
                      (w.figure.value if isinstance(w, Attached) else w.value) >
                      item.figure.value), None) if named else None
        if whole is not None:
            item.role, item.whole, item.unit = "part", whole, "persons"


def _named_kind(text: str, item: Attached, whole: Figure) -> bool:
    """"57 of the suspects" is of a count of suspects, not of one of victims."""
    noun = OF_THE_NOUN.match(text, item.end).group(0).split()[-1].lower()
    return bool(whole.entity) and whole.entity.split()[-1].lower() == noun


def _named_whole(text: str, item: Attached, wholes: list[Figure]) -> Figure | None:
    """"Courts sentenced 33 of the convicted traffickers": of the count its participle names."""
    if not OF_THE_NOUN.match(text, item.end):
        return None
    named = participle_indicator(text, item.end, min(len(text), item.end + 40), item.unit)
    return next((f for f in wholes if f.indicator == named and headline(f) and
                 f.value > item.figure.value), None) if named else None


FOREIGN = re.compile(r"\b(?:foreign|non-national|migrant)\b", re.I)
WERE_AFTER = re.compile(r"\s+(?:were|was)\s+")


def _said_to_be_foreign(text: str, end: int) -> bool:
    """"46 were foreigners", "65 were non-nationals": the foreign part, by the yaml's words."""
    were = WERE_AFTER.match(text, end)
    foreign = dict(rules().structure.breakdowns).get("nationality=foreign")
    return were is not None and foreign is not None and \
        foreign.match(text, were.end()) is not None


def country_parts(text: str, items: list[Attached], earlier: Figure | None) -> None:
    """"Victims came from 14 countries, primarily India (31)": parts of the last count of
    people before them, in the sentence or the one before."""
    for index, item in enumerate(items):
        if item.whole is not None or not item.in_parenthesis or \
                not (item.breakdown or "").startswith(("nationality=", "form=")):
            continue  # (or of a form: "followed by forced marriage (94)")
        # (the count just before, itself a part or not: "the 56 foreign victims came from
        # Indonesia (24)", "and 46 were foreigners, mainly from Kenya (19)")
        before = [other for other in items[:index] if other.unit == "persons" and
                  not other.in_parenthesis and (
                      other.whole is None or FOREIGN.search(other.figure.entity or "") or
                      _said_to_be_foreign(text, other.end))]
        whole = before[-1] if before else earlier
        if whole is not None and whole.unit == "persons" and whole.figure.value > \
                item.figure.value if isinstance(whole, Attached) else whole is not None and \
                whole.unit == "persons" and whole.value > item.figure.value:
            item.whole = whole


# "The figure rose 12 percent from 347", "The figure compares with 347"
COMPARED_BEFORE = re.compile(r"\b(?:from|with|over|on)[ \t]+$")


def the_figure_again(text: str, sentence: tuple[int, int], items: list[Attached],
                     earlier: Figure | None) -> None:
    """"Prosecutors indicted 412 people last year ... The figure was up 18.7 percent from 347 in
    2022": the compared count is the count the sentence before told, of its compared year."""
    r = rules()
    if earlier is None or not items or not r.the_figure_again.match(text, sentence[0]):
        return
    comparison = r.structure.comparison
    for item in items:
        if item.indicator == "other" and item.unit is None and item.whole is None and (
                comparison.search(text, max(sentence[0], item.start - 40), item.start) or
                COMPARED_BEFORE.search(text, max(sentence[0], item.start - 8), item.start)):
            item.indicator, item.unit, item.compared = earlier.indicator, earlier.unit, True
            item.role, item.compares = item.role or "total", earlier


# a name right before a bracket: "the Australian Government (A$85,000)", "UNICEF (A$4,000)"
NAME_BEFORE_BRACKET = re.compile(r"\b[A-Z][\w'’&.-]*(?:[ \t]+\([A-Z]+\))?[ \t]*\([ \t]*$")
BRACKETED = re.compile(r".?\([ \t]*")


def shares_in_brackets(text: str, items: list[Attached], previous: list[Figure]) -> None:
    """"Our work cost A$268,900. It was funded by the New Zealand Ministry of Foreign Affairs
    (A$120,000) and the Australian Government (A$85,000)": amounts in brackets after the names
    of those who gave them are shares of the amount told before, in the same currency."""
    for index, item in enumerate(items):
        if item.whole is not None or item.role not in ("", "part") or \
                item.converts is not None or unit_kind(item.unit) != "money" or \
                not BRACKETED.fullmatch(text, max(0, item.start - 2), item.start) or \
                not NAME_BEFORE_BRACKET.search(text, max(0, item.start - 80), item.start):
            continue
        before = [other for other in items[:index] if other.unit == item.unit and
                  other.figure.value > item.figure.value and
                  not BRACKETED.fullmatch(text, max(0, other.start - 2), other.start)]
        if before:
            item.role, item.whole = "part", before[-1]
            continue
        whole = next((f for f in reversed(previous) if f.unit == item.unit and
                      f.value > item.figure.value and f.role in ("", "total") and
                      f.part_of is None and f.compared_with is None), None)
        if whole is not None:
            item.role, item.whole = "part", whole


def _restates(whole: Attached, told: Figure) -> bool:
    """"Of the 54 cases," restates a count of cases; a bare "Of the 91," a total."""
    if whole.unit is None:
        return told.role == "total" and told.part_of is None
    return unit_kind(told.unit) == unit_kind(whole.unit)


def part_sentence(text: str, sentence: tuple[int, int], items: list[Attached],
                   earlier: Figure | None, own_year: str | None,
                   previous: list[Figure], paragraph: list[Figure],
                   told: list[Figure] | tuple[Figure, ...] = (),
                   years: list[YearMention] | tuple[YearMention, ...] = ()) -> None:
    """"Authorities identified 484 victims. Of these, 318 were children, 402 were female":
    the figures of a sentence that opens on "Of these" are parts of the figure before it.
    "Of the 36 victims, 22 were ..." restates the whole in its opening and breaks it down."""
    earlier = _of_the_year_named(text, sentence, earlier, told, years) or \
        _of_the_noun_named(text, sentence, previous) or earlier
    restated = RESTATED_WHOLE.match(text, sentence[0])
    if restated and items and items[0].start < restated.end() and len(items) > 1:
        whole = items[0]
        # (told before in the sentence before, or anywhere before: "We registered 1,212
        # possible victims ... Sex: Of the 1,212 registered persons, 823 were female")
        # (a bare whole, "Of the 91,", restates a total of any kind: a table's Total row)
        same = earlier if earlier is not None and earlier.value == whole.figure.value else next(
            (f for f in reversed(previous) if f.value == whole.figure.value and
             f.compared_with is None and _restates(whole, f)), None) or \
            next((f for f in reversed(told) if f.value == whole.figure.value and
                  f.compared_with is None and f.indicator != "other" and
                  _restates(whole, f)), None)
        if same is not None:  # "Of the 54 cases, 31 ...": the 54 told before, of its kind
            whole.indicator, whole.period = same.indicator, same.period
            whole.unit = whole.unit or same.unit
            whole.role = whole.role or "total"  # the same count again
        for item in items[1:]:
            # (not an earlier year's count given beside a part: "Of the 286 investigations, 19
            # involved labor trafficking, compared with 11 in 2020")
            if not item.role and item.whole is None and not item.compared and \
                    item.figure.value < whole.figure.value and (unit_kind(item.unit) in (
                        unit_kind(whole.unit), "none") or whole.unit is None):
                # ("Of the remaining 594, 103 were referred": a bare whole, of the part's kind)
                item.role, item.whole = "part", whole
        return
    if _parts_of_the_named(text, sentence, items, earlier, previous, paragraph):
        return
    _an_including_list_of_the_headline(text, items, earlier)
    if earlier is None or earlier.role in ("part", "other") or unit_kind(earlier.unit) not in (
            "persons", "count"):
        return
    if own_year and earlier.period and own_year != earlier.period:
        # "Between 2015 and 2020 about 2,300 victims were identified. In 2019, 246 of the
        # identified victims were women and 97 were children": of 2019's victims, a total
        # the text does not give
        for i, item in enumerate(items):
            if item.role == "part" and item.whole is None:
                continue_the_list(text, items, i, None)
        return
    opened = rules().structure.part_sentence_opener.match(text, sentence[0]) or \
        PART_SENTENCE.match(text, sentence[0])
    # "Authorities identified 97 victims. Sixty-two were victims of forced labor, and 35 were
    # victims of sex trafficking; 78 were women.": numbers with no noun of their own, each
    # with its "were", tell the parts of the figure before
    # ("The government disaggregated the victims by sex: 73 were male and 39 female": after
    # a colon that opens the list)
    colon = text.rfind(":", sentence[0], items[0].start) if items else -1
    # (or after a semicolon: "Most were Burkinabe; 96 were foreign nationals")
    semicolon = text.rfind(";", sentence[0], items[0].start) if items else -1
    list_start = max(colon, semicolon) + 1 if max(colon, semicolon) >= 0 else sentence[0]
    bullet = BULLET.match(text, list_start)
    list_start = bullet.end() if bullet else list_start  # "- 44 were female and 29 male"
    by_dimension = BY_DIMENSION.match(text, list_start)  # "By form, 22 were exploited in ..."
    list_start = by_dimension.end() if by_dimension else list_start
    # "By nationality, the residents were 28 Filipinas, 19 Indonesians": a list of parts
    opened = opened or by_dimension is not None and by_dimension.group(0).endswith(
        ("were", "included"))
    copular = bool(items) and NUMBER_WERE.fullmatch(text, list_start, items[0].start) is not None
    # "The ministry disaggregated the victims by age: 29 adults and 17 children": a colon after
    # the noun of the count before opens the list of its parts
    # (the same ones: "the victims", not "many more Bulgarian victims")
    opened = opened or colon >= 0 and bool(earlier.entity) and re.search(
        rf"\b(?:the|these|those)[ \t]+(?:[a-z-]+[ \t]+)?{re.escape(earlier.entity.split()[-1])}\b",
        text[sentence[0]:colon]) is not None
    for item in items:
        if unit_kind(item.unit) == "percent" and item.indicator == "other" and (
                opened or copular and COPULA_OR_OF_THE.match(text, item.end)):
            # "Authorities identified 512 victims. Nearly three-quarters were Moroccan": a share
            # of the whole before, of its kind
            item.indicator = earlier.indicator
            continue
        if opened and not item.role and item.whole is None and \
                unit_kind(item.unit) not in (unit_kind(earlier.unit), "none") and \
                unit_kind(item.unit) in ("persons", "count"):
            # "185 recorded cases of abduction. Of these, 42 children were recovered": a part
            # counted in other units than its whole
            item.role = "part"
        if item.whole is not None or item.stands_for is not None or unit_kind(
                item.unit) not in (unit_kind(earlier.unit), "none"):
            continue  # (or an earlier year's count of a part: "71 in forced labor (33)")
        if item.figure.value >= earlier.value or copular and _a_stage_of_its_own(
                text, item, earlier):
            continue
        # ("Most victims were foreign nationals, including 19 from Benin": a part of the
        # untold foreign part, of the count before too)
        opener = rules().structure.part_opener.search(
            text, max(sentence[0], item.start - 30), item.start) if item.role == "part" else None
        included = opener is not None and opener.group(0).lower().startswith(("includ", "among"))
        if opened and (not item.role or included) or \
                copular and _no_noun_of_its_own(text, item, earlier) and \
                COPULA_OR_OF_THE.match(text, item.end + _noun_length(item)) or \
                item.role == "part" and OF_THE_NOUN.match(text, item.end):
            # "286 of the victims in forced labor": of the whole before, too
            # ("Courts convicted 687 traffickers ... Courts acquitted 59 defendants. Only 11 of
            # the convicted traffickers ...": the paragraph's count the participle names)
            item.role, item.whole = "part", _named_whole(text, item, previous) or _named_whole(
                text, item, paragraph) or earlier
            item.unit = item.unit or earlier.unit
            continue_the_list(text, items, items.index(item), earlier)


YEAR = re.compile(r"\b(?:19|20)[0-9]{2}\b")
# a bulleted line: "- 44 were female and 29 male", "• 17 were children"
BULLET = re.compile(r"[ \t]*[-–•*▪][ \t]+")

# "Of the victims, 604 were Ugandans": an opening that names its whole by its noun alone
OF_THE_NOUN_OPENING = re.compile(SENTENCE_OPENING +
                                 r"Of[ \t]+(?:the|these|those|all)[ \t]+([a-z-]+)[ \t]*,")


def _of_the_noun_named(text: str, sentence: tuple[int, int],
                       previous: list[Figure]) -> Figure | None:
    """"the cases involved 512 suspects and 861 victims. Of the victims, 604 were Ugandans":
    the parts are of the count the opening's noun names, not of the sentence's first."""
    opening = OF_THE_NOUN_OPENING.match(text, sentence[0])
    if opening is None:
        return None
    noun = opening.group(1).lower()
    named = [f for f in previous if headline(f) and f.entity and f.compared_with is None and
             noun in f.entity.lower().split()]  # ("861 victims of trafficking")
    # (the latest year's: "investigated 337 cases, compared with 301 investigations in 2020";
    # an undated count is of the reporting period, the latest, as in _parts_of_the_named)
    return max(named, key=lambda f: f.period or "9999") if named else None


def _of_the_year_named(text: str, sentence: tuple[int, int], earlier: Figure | None,
                       told: list[Figure] | tuple[Figure, ...],
                       years: list[YearMention] | tuple[YearMention, ...]) -> Figure | None:
    """"opened 38 investigations last year ... compares with 22 in 2021 and 17 in 2020. Of
    last year's cases, 21 ...": an opening that names a year breaks down that year's count,
    the latest told of the kind of the figure before, not the earlier year's count before it."""
    opened = PART_SENTENCE.match(text, sentence[0])
    if earlier is None or opened is None:
        return None
    named = next((m for m in years if sentence[0] <= m.start < opened.end()), None)
    if named is None or earlier.period == year_label(named):
        return None
    return next((f for f in reversed(told) if f.period == year_label(named) and
                 f.indicator == earlier.indicator and f.unit == earlier.unit and
                 f.compared_with is None and f.role in ("", "total") and f.part_of is None),
                None)


def _parts_of_the_named(text: str, sentence: tuple[int, int], items: list[Attached],
                        earlier: Figure | None, previous: list[Figure],
                        paragraph: list[Figure] | None = None) -> bool:
    """"Of the workers rescued in 2023, 2,671 were men and 375 were women": the opening names
    its whole by a participle, of another kind than the count just before (or with none
    before): the parts are of that kind, of the count of it told earlier when there is one."""
    opened = PART_SENTENCE.match(text, sentence[0])
    if opened is None or not items or items[0].start < opened.end():
        return False
    named = participle_indicator(text, opened.start(), opened.end(), "persons")
    if named is None or earlier is not None and earlier.indicator == named:
        return False
    year = YEAR.search(text, opened.start(), opened.end())
    period = year.group(0) if year else None
    # (not an earlier year's count given for comparison: "(397 defendants in 2016)")
    # (in the sentence before, else the paragraph's: "The unit rescued 512 victims ... opened
    # investigations into 164 cases. Of the victims rescued, 398 were children")
    candidates = list(reversed(previous)) + [f for f in paragraph or [] if f not in previous]
    named_ones = [f for f in candidates if headline(f) and f.indicator == named and
                  period in (None, f.period) and f.compared_with is None and
                  unit_kind(f.unit) == "persons"]
    # (the latest year's: "convicted 87 traffickers, compared with 118 and 61, respectively,
    # the previous year. Of those convicted, 52 ...": of the 87)
    # (an undated count is of the reporting period, the latest)
    whole = max(named_ones, key=lambda f: f.period or "9999") if named_ones else None
    for item in items:
        if item.role or item.whole is not None or \
                unit_kind(item.unit) not in ("persons", "none") or \
                whole is not None and item.figure.value >= whole.value:
            continue
        item.role, item.indicator, item.whole = "part", named, whole
        item.unit = item.unit or "persons"
        item.period = period or (whole.period if whole is not None else item.period)
    return True


def parts_after_a_semicolon(text: str, items: list[Attached]) -> None:
    """"It identified 27 victims, all of them women: 22 ... and five ...; 14 were from
    Bangladesh, six from India": a clause that opens on a bare number and "were" breaks down
    the sentence's headline too."""
    for i, item in enumerate(items):
        # (a bare number, or one with the headline's noun: "...; 27 cases concerned sex
        # trafficking and four concerned forced labor", "...; 57 victims were female")
        entity = item.figure.entity
        cases = item.unit == "cases" and entity in ("cases", "case")
        if i == 0 or item.whole is not None or item.role or entity is not None and \
                " " in entity:
            continue
        semicolon = text.rfind(";", items[i - 1].end, item.start)
        verb_at = item.end + (len(entity) + 1 if entity else 0)
        if semicolon < 0 or NUMBER_WERE.fullmatch(text, semicolon + 1, item.start) is None or \
                not COPULA_OR_OF_THE.match(text, verb_at):
            continue
        # (a bare number's unit is only a guess from the figure before it: the head's it is)
        head = next((other for other in items[:i] if other.whole is None and
                     not other.in_parenthesis and other.role in ("", "total") and
                     (other.unit == "cases" if cases else
                      unit_kind(other.unit) in ("persons", "count")) and not other.compared and
                     other.figure.value > item.figure.value), None)
        if head is None and isinstance(items[0].whole, Figure) and \
                unit_kind(item.unit) in (unit_kind(items[0].whole.unit), "none") and \
                items[0].whole.value > item.figure.value:
            # "In 2022, 428 of the victims were female and 74 male; 361 were exploited
            # sexually": of the whole the sentence's first part is of
            head = items[0].whole
        head_noun = (head.figure.entity if isinstance(head, Attached) else head.entity) \
            if head is not None else None
        if head is not None and (entity is None or head_noun is not None and
                                 head_noun.split()[-1] == entity):
            item.role, item.whole = "part", head
            item.unit = head.unit
            continue_the_list(text, items, i, head)


def _no_noun_of_its_own(text: str, item: Attached, earlier: Figure) -> bool:
    """"Sixty-two were ...", "Four victims were foreign nationals" after "identified 63
    victims": no noun, or the headline's own followed by what they were (not "600 victims
    had been rescued since January": a count of its own)."""
    entity = item.figure.entity
    if entity is None:
        return True
    # (the headline's noun, or "victims" after a restated count of victims: "Of the 63, 55 were
    # exploited in sex trafficking ... Four victims were foreign nationals")
    same_noun = entity == earlier.entity.split()[-1] if earlier.entity else \
        entity in ("victims", "victim") and earlier.indicator in VICTIM_COUNTS
    return same_noun and WERE_WHAT.match(text, item.end + len(entity) + 1) is not None


def _a_stage_of_its_own(text: str, item: Attached, earlier: Figure) -> bool:
    """"Police arrested 120 suspects. 45 were charged": a count whose own participle names
    another stage than the count before is that stage's count, not a part of the arrests (as
    "prosecuted 99 suspects, of whom 76 were convicted" is the convictions, in one sentence)."""
    stages = rules().structure.law_enforcement_indicators | VICTIM_COUNTS
    return item.indicator in stages and item.indicator != earlier.indicator and \
        WERE_DONE.match(text, item.end) is not None


WERE_WHAT = re.compile(r"[ \t]+(?:were|was)[ \t]+(?![a-z]+ed\b)")


def _noun_length(item: Attached) -> int:
    return len(item.figure.entity) + 1 if item.figure.entity else 0


def _an_including_list_of_the_headline(text: str, items: list[Attached],
                                       earlier: Figure | None) -> None:
    """"The unit identified 37 victims. ... All but one were foreign nationals, including nine
    Romanians, seven Indians": a list opened by "including" with no whole in its sentence is of
    the headline before."""
    if earlier is None or unit_kind(earlier.unit) != "persons":
        return
    for i, item in enumerate(items):
        clause = text.rfind(";", 0, item.start)  # ("21 were Costa Rican; the foreign ...")
        if item.role != "part" or item.whole is not None or any(
                other.whole is None and not other.role and other.start > clause
                for other in items[:i]) or \
                not rules().structure.part_opener.search(text, max(0, item.start - 30),
                                                         item.start):
            continue
        if unit_kind(item.unit) == "persons" and item.figure.value < earlier.value:
            item.whole = earlier
            continue_the_list(text, items, i, earlier)
        return


# "The corresponding figures were 663 in 2020 and 741 in 2019": the same count, other years
CORRESPONDING = re.compile(r"\s*(?:The|These|Those)[ \t]+(?:corresponding|comparable|equivalent|"
                           r"same)[ \t]+(?:figures?|numbers?|totals?|counts?)\b")


def corresponding_figures(text: str, sentence: tuple[int, int], items: list[Attached],
                          earlier: Figure | None) -> None:
    """A sentence that gives "the corresponding figures" for other years counts what the
    headline before it counts."""
    if earlier is None or not CORRESPONDING.match(text, sentence[0]):
        return
    for item in items:
        if item.figure.entity is None and not item.role and item.whole is None and \
                unit_kind(item.unit) in (unit_kind(earlier.unit), "none"):
            item.indicator, item.unit = earlier.indicator, item.unit or earlier.unit
