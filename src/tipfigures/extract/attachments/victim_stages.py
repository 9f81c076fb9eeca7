"""Victims counted out of another count: picked out of a pool ("identified 40 of them as
trafficking victims") or taken on to a later stage ("referred 83 of the victims to care"),
each the year's count of its own indicator rather than a part of the count before; two
providers' shares of a stage ("sheltered 14 of the victims, and private shelters sheltered nine
others") are parts of a total the text does not give."""

from __future__ import annotations

import re

from tipfigures.extract.attachments.item import VICTIM_COUNTS, VICTIM_STAGES, Attached
from tipfigures.extract.attachments.links import verb_before
from tipfigures.extract.reading import UNCONFIRMED, IndicatorKeywords
from tipfigures.extract.rules import rules

# "... 40 of them as trafficking victims", "181 of these to be victims"
OF_THEM_AS_VICTIMS = re.compile(r"[ \t]+of[ \t]+(?:them|these|those)[ \t]+(?:as|to[ \t]+be)"
                                r"[ \t]+(?:[a-z-]+[ \t]+){0,3}?victims\b")


def identified_out_of_a_pool(text: str, items: list[Attached]) -> None:
    """"screened 1,200 migrants and identified 40 of them as trafficking victims": the count
    picked out of a pool is the year's victims identified, not a part of the pool."""
    identified_as = rules().structure.identified_as_before
    for item in items:
        if item.whole is None and not item.role and not item.in_parenthesis and \
                OF_THEM_AS_VICTIMS.match(text, item.end) and \
                identified_as.search(text, max(0, item.start - 30), item.start):
            item.indicator, item.unit, item.role = "victims_identified", "persons", "total"


# "referred 83 of the victims", "assisted 58 of the identified victims", "12 of them"
OF_THE_COUNTED_VICTIMS = re.compile(
    r"[ \t]+of[ \t]+(?:them|these|those|(?:the|these|those)[ \t]+(?:[a-z-]+[ \t]+)?victims)\b")


def stages_of_the_victims(text: str, sentence: tuple[int, int], items: list[Attached],
                          keywords: IndicatorKeywords) -> None:
    """"Authorities identified 120 victims. They referred 83 of the victims to care": a verb
    of a later stage counts that stage, the year's referrals, not a part of the victims
    identified."""
    for index, item in enumerate(items):
        if item.role != "part" or item.in_parenthesis or \
                not OF_THE_COUNTED_VICTIMS.match(text, item.end):
            continue
        own = verb_before(text, sentence[0], item, keywords,
                          unit=item.unit or "persons")  # "12 of them": people
        whole = item.whole.indicator if item.whole is not None else None
        if own not in VICTIM_STAGES or own == whole:
            continue
        item.whole, item.indicator, item.unit = None, own, "persons"
        others = items[index + 1] if index + 1 < len(items) else None
        if others is not None and (others.figure.entity or "").lower() == "others" and \
                others.indicator == own and not others.role:
            # "Women's Consulting Centers sheltered 14 of the victims, and private shelters
            # sheltered nine others": two providers' shares of a total the text does not give
            item.role = others.role = "part"
            item.side_by_side = others.side_by_side = True
        else:
            item.role = "total"


# the part's own words: "including the 97 trafficking victims", "of whom 23 were trafficking
# victims", "including 88 victims of trafficking", "141 were survivors of human trafficking"
TRAFFICKING_VICTIMS = re.compile(
    r"[ \t]+(?:(?:were|was)[ \t]+)?(?:(?:confirmed|identified|recognized|recognised|"
    rf"{UNCONFIRMED}|formally[ \t]+identified)[ \t]+)?(?:(?:trafficking|trafficked)"
    r"[ \t]+(?:victims?|survivors?|persons|people)|(?:victims?|survivors?)[ \t]+of[ \t]+"
    r"(?:human[ \t]+)?trafficking)\b")


INCLUDING_THE = re.compile(r"[^,;.()]{0,60}?,?[ \t]+including[ \t]+the[ \t]+")


def victims_among_the_people(text: str, items: list[Attached]) -> None:
    """"The shelter accommodated 41 individuals, of whom 23 were trafficking victims": among
    the people a service counts, the trafficking victims are the year's count of that service;
    the people, who are not all victims, are a count of something else."""
    victim_nouns, people = rules().victim_nouns, rules().structure.people_served
    for index, item in enumerate(items):
        whole, role = item.whole, item.role
        if index and not role and INCLUDING_THE.fullmatch(text, items[index - 1].end,
                                                           item.start):
            # ("sheltered 486 people in 2019, including the 97 trafficking victims": pointed
            # at with "the", but still among the people)
            whole, role = items[index - 1], "part"
        if role != "part" or not isinstance(whole, Attached) or whole.whole is not None or \
                whole.indicator not in VICTIM_COUNTS or whole.unit != "persons" or \
                not TRAFFICKING_VICTIMS.match(text, item.end):
            continue
        noun = (whole.figure.entity or "").lower().split()
        if not noun or noun[-1] in victim_nouns and noun[-1] not in people or \
                any("victim" in word or "survivor" in word for word in noun):
            continue  # (a part of a count of victims is a part)
        item.whole, item.role, item.breakdown = None, "total", None
        item.indicator, item.period = whole.indicator, whole.period
        whole.role = "other"

