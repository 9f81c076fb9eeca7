"""What a part is broken down by (form, sex, age, nationality: the code list of
rules/extraction.yaml), and the country a figure is about, from its own phrase."""

from __future__ import annotations

import re

from tipfigures.extract.attachments.item import (
    FORM_INDICATORS,
    OF_THE_NOUN_WERE,
    OF_WHOM_WERE,
    Attached,
)
from tipfigures.extract.reading import UPPER_AGE_BOUND, unit_kind
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules

SUBJECT_BEFORE = re.compile(r"([A-Za-z][A-Za-z -]{2,40}?)[ \t]+(?:made[ \t]+up|accounted[ \t]+for|"
                            r"represented|numbered)[ \t]+$")
SUBJECT_VERBS = ("made", "accounted", "represented", "numbered")
# "Labour exploitation, including domestic work and street vending, accounted for 529": the
# subject, then an aside in commas that names what it includes
SUBJECT_BEFORE_AN_ASIDE = re.compile(
    r"([A-Za-z][A-Za-z -]{2,40}?),[ \t]+(?:including|such[ \t]+as|mainly|mostly|chiefly|"
    r"largely|especially|in[ \t]+particular)\b[^;:()\[\],]{0,80}"
    r"(?:,[^;:()\[\],]{1,80}){0,3}?,[ \t]+(?:made[ \t]+up|accounted[ \t]+for|represented|"
    r"numbered)[ \t]+$")
# after such a count: "..., Ethiopians for 51", "..., and women 30", "Women and girls accounted
# for 1,455 of the victims assisted and minors for 94": a capitalised name or a noun of people,
# then the count (or "for" and the count)
# ("Female victims numbered 258 and male victims 114": a noun after the subject's word)
GAPPED_SUBJECT = re.compile(r"(?:[ \t]+[a-z]+){0,5}?(?:,[ \t]+(?:and[ \t]+)?|[ \t]+and[ \t]+)"
                            r"([A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,2}|"
                            r"[a-z]+(?:[ \t]+[a-z]+){0,2})"
                            r"[ \t]+(?:for[ \t]+)?")


# what a part's whole's words then say it was: "26 of the 43 victims were male", "two of the six
# concerned labor trafficking"
WERE = re.compile(r"\b(?:were|was|concerned|involved)\b")
CHARGE = re.compile(r"\b(?:charged|accused|suspected|with|against)\b")


UNDER_AN_AGE = re.compile(rf"[ \t]+(?:[a-z]+[ \t]+)?(?:were|was)[ \t]+(?:aged[ \t]+)?"
                          rf"{UPPER_AGE_BOUND}[ \t]+")
CHUNK_END = re.compile(r"[,;()—–]|\b(?:who|whom|whose|which|that)\b")  # a figure's own phrase


ANOTHER_DEMONYM = re.compile(r"[ \t]*(?:,|,?[ \t]+(?:and|or))[ \t]+")

def _chunk_end(text: str, index: int, items: list[Attached], sentence: tuple[int, int]) -> int:
    """Where a figure's own phrase ends: the next figure, comma, parenthesis or "and"."""
    item = items[index]
    later = [items[index + 1].start] if index + 1 < len(items) else []
    limit = min([sentence[1], item.end + 90] + later)
    stop = CHUNK_END.search(text, item.end, limit)
    return stop.start() if stop else limit

# between a part a subject named and the next count: ", while 88 were ...", "; 40 were ..."
CONTRASTED = re.compile(r"(?:[ \t]+[a-z]+(?:[ \t]+[a-z]+){0,2}?)?(?:,[ \t]+|;[ \t]+|[ \t]+)"
                        r"(?:while|whereas|and|but|only)?[ \t]*")
BRACKETS = re.compile(r"[ \t]*\([^()]*\)")


def breakdown(text: str, index: int, items: list[Attached], sentence: tuple[int, int],
               source_country: str | None, subject_said: str | None = None) -> str | None:
    """The part's breakdown, read from its own words (or from `subject_said`, the subject a
    gapped verb shares: "..., Ethiopians for 51"). An amount of money has none: "US$910,000
    came from the U.S. Department of State" is no breakdown by nationality."""
    if unit_kind(items[index].unit) == "money":
        return None
    structure = rules().structure
    phrase_start = items[index].end  # where the phrase read for the breakdown begins
    phrase = text[phrase_start:_chunk_end(text, index, items, sentence)]
    who = OF_WHOM_WERE.match(text, phrase_start) or OF_THE_NOUN_WERE.match(text, phrase_start)
    if who:  # "176 of whom were children", "105 of the victims (31%) were children"
        limit = min([sentence[1], who.end() + 60] + [
            other.start for other in items[index + 1:index + 2] if other.start > who.end()])
        stop = CHUNK_END.search(text, who.end(), limit)
        phrase = text[who.end():stop.start() if stop else limit]
    if index + 1 < len(items) and items[index].whole is items[index + 1]:
        # "26 of the 43 victims were male": what the whole's words then say the part was (not
        # the whole's own noun: "six of the seven Bangladeshi victims")
        said = WERE.search(text, items[index + 1].end,
                           _chunk_end(text, index + 1, items, sentence))
        if said:
            phrase_start = said.end()
            phrase = text[phrase_start:_chunk_end(text, index + 1, items, sentence)]
    charged_with = phrase  # "349 were charged with sex trafficking": the form they were
    phrase = CHARGE.split(phrase, 1)[0]  # "six were charged with the abduction of minors"
    subject = SUBJECT_BEFORE.search(text[max(sentence[0], items[index].start - 60):
                                         items[index].start])
    said = subject_said or (subject.group(1) if subject else None)
    if said and (any(pattern.search(said) for _, pattern in structure.breakdowns)
                 or structure.demonym.search(said)):
        phrase = said  # "Children accounted for 187 of the victims", "Albanians accounted for
        # 4,470 referrals"
    item = items[index]
    no_form = (item.whole.indicator if item.whole is not None else item.indicator) in \
        structure.no_form_indicators
    codes = [code for code, pattern in structure.breakdowns if pattern.search(phrase)
             and not (no_form and code.startswith("form="))] or [
        code for code, pattern in structure.breakdowns if code.startswith("form=") and
        not no_form and pattern.search(charged_with)]
    pair = structure.breakdown_pair.search(phrase)
    if codes and pair and not codes[0].startswith("form="):
        shared = set(_breakdowns_of(pair.group(1))) & set(_breakdowns_of(pair.group(2)))
        return shared.pop() if len(shared) == 1 else None  # "women and girls": female
    if codes and not codes[0].startswith("form="):
        noun = structure.breakdown_noun.search(phrase)
        if noun and noun.group(1).lower() in structure.no_breakdown_alone:
            return None  # "including 37 boys"
    following = items[index + 1] if index + 1 < len(items) else None
    if not codes and following is not None and following.figure.entity == "age" and \
            following.figure.value <= 18 and UNDER_AN_AGE.fullmatch(phrase):
        return "age=child"  # "57 were under 18"
    demonym = structure.demonym.search(phrase)
    if demonym and ANOTHER_DEMONYM.match(phrase, demonym.end()) and \
            structure.demonym.match(phrase, ANOTHER_DEMONYM.match(phrase, demonym.end()).end()):
        return None  # "14 Fijian and Samoan nationals": of no one nationality
    previous = items[index - 1] if index else None
    if codes and demonym and previous is not None and previous.whole is item.whole and \
            (previous.breakdown or "").startswith("nationality=") and \
            structure.demonyms[demonym.group(1)] != source_country:
        # "including nine Filipinas and four Thai women": a list by nationality goes on
        return f"nationality={structure.demonyms[demonym.group(1)]}"
    if codes and codes[0].startswith("sex="):
        # "nine of them Guyanese women", "three were women from Guyana": a foreign nationality
        # is the breakdown, the sex only says who they were (but not "women from Uzbekistan
        # and Nepal": of no one nationality)
        origin = structure.from_country.search(phrase)
        sex = next(pattern for code, pattern in structure.breakdowns if code == codes[0])
        named = demonym is not None and sex.match(
            phrase, demonym.end() + len(phrase[demonym.end():]) - len(
                phrase[demonym.end():].lstrip())) is not None  # "Guyanese women"
        code = structure.demonyms[demonym.group(1)] if named else \
            structure.countries[origin.group(1)] if origin and not \
            structure.next_country.match(phrase, origin.end()) else None
        if code and code != source_country:
            return f"nationality={code}"
        if "nationality=foreign" in codes:
            return "nationality=foreign"  # "Twelve were foreign men": the foreign part
    if codes:
        return codes[0]
    # "repatriated 23 victims, 14 of them from Lebanon": where they came back from
    repatriated = items[index].indicator == "victims_repatriated" or (
        items[index].whole is not None and items[index].whole.indicator == "victims_repatriated")
    # (victims sent home "to the Philippines" are Filipino)
    origin = structure.to_country.match(phrase) if repatriated else \
        structure.from_country.search(phrase)
    code = structure.demonyms[demonym.group(1)] if demonym else \
        structure.countries[origin.group(1)] if origin else None
    if origin and not demonym and structure.next_country.match(text, phrase_start + origin.end()):
        # "eight from Nicaragua and El Salvador": of no one nationality, and maybe not all the
        # foreign ones
        return None
    if code and code != source_country:  # "33 were Kyrgyz citizens": no breakdown of their own
        return f"nationality={code}"
    return None


def _breakdowns_of(noun: str) -> list[str]:
    """"girls": age=child and sex=female; "children": age=child."""
    structure = rules().structure
    noun = noun.lower()
    return structure.two_breakdown_nouns.get(noun) or [
        code for code, pattern in structure.breakdowns if pattern.fullmatch(noun)]


def country(text: str, index: int, items: list[Attached], sentence: tuple[int, int],
             source_country: str | None) -> str | None:
    """"8,000 Russian women ... in the United States": the country the figure is about."""
    item = items[index]
    later = [items[index + 1].start] if index + 1 < len(items) else []
    limit = min([sentence[1], item.end + 100] + later)
    # in its own phrase: not "230 were victims of forced labor, most of them exploited in Russia"
    stop = min((p for p in (text.find(";", item.end, limit), text.find(",", item.end, limit))
                if p >= 0), default=-1)
    # (victims repatriated "from camps in Syria" were counted by the source's country)
    found = rules().structure.in_country.search(text, item.end, stop if stop >= 0 else limit) \
        if item.indicator != "victims_repatriated" else None
    if not found:
        earlier = items[index - 1].end if index else sentence[0]
        if item.compared:  # "five victims identified in Costa Rica, compared with nine in
            # 2022": the compared count's words begin at the comparison
            openers = list(rules().structure.comparison.finditer(text, earlier, item.start))
            earlier = openers[-1].start() if openers else earlier
        found = rules().structure.country_before.search(
            text, max(sentence[0], earlier, item.start - 200), item.start)
        if not found and unit_kind(item.unit) in ("persons", "count"):
            found = rules().structure.country_possessive.search(
                text, max(sentence[0], earlier, item.start - 200), item.start)
        if not found and unit_kind(item.unit) in ("persons", "count", "cases"):
            window = max(sentence[0], earlier, item.start - 120)
            structure = rules().structure
            between = text[window:item.start]
            subject = structure.country_subject.search(text, window, item.start) or (
                structure.adverb_country_subject.search(text, window, item.start)
                if ", " in between else None) or (
                _country_after_and(text, window, item.start) if "and " in between else None)
            if subject:
                code = structure.countries[next(name for name in subject.groups() if name)]
                return code if code != source_country else None
        if not found and unit_kind(item.unit) in ("persons", "count"):
            subject = rules().structure.demonym_subject.search(
                text, max(sentence[0], earlier, item.start - 200), item.start)
            if subject and not rules().structure.joint_subject.search(
                    text, max(0, subject.start() - 40), subject.start()):
                code = rules().structure.demonyms[subject.group(1)]
                return code if code != source_country else None
    if not found:
        return _country_of_the_same_subject(text, index, items)
    code = rules().structure.countries[found.group(1)]
    return code if code != source_country else None


# "investigated 10 cases and identified 102", "were filed and courts convicted 19": a second
# verb joined by "and", with at most a noun of its own between (the place is still the same)
SECOND_VERB = re.compile(r"[^,;()]{0,60}?\band[ \t]+(?:[a-z]+[ \t]+)?[a-z]+ed[ \t][^,;()]{0,40}")


def _country_of_the_same_subject(text: str, index: int, items: list[Attached]) -> str | None:
    """"In 2020 Fiji's police investigated 10 cases and identified 102 victims": a count
    whose verb is coordinated with the count's before it is of that one's country."""
    item = items[index]
    if index == 0 or item.compared:
        return None
    before = items[index - 1]
    counts = ("persons", "count")
    if before.country_code is None or before.compared or unit_kind(before.unit) not in counts \
            or unit_kind(item.unit) not in counts or \
            not SECOND_VERB.fullmatch(text, before.end, item.start) or \
            rules().structure.in_country.search(text, before.end, item.start):
        return None
    return before.country_code


def _country_after_and(text: str, start: int, end: int) -> re.Match[str] | None:
    """"Turkish authorities identified 22 Georgian victims, and Greece identified six": the
    country after "and" is the subject, unless it ends a list ("Russia, Kazakhstan, and
    Turkey identified the other 241")."""
    structure = rules().structure
    found = structure.and_country_subject.search(text, start, end)
    if found is None or structure.country_list_end.search(
            text, max(0, found.start() - 40), found.start()):
        return None
    return found


def sent_home_to(text: str, item: Attached, source_country: str | None) -> str | None:
    """"assisted in the repatriation of 19 children to Burkina Faso": victims sent home are
    of the country they were sent to (one country, not the source's)."""
    structure = rules().structure
    found = structure.to_country.match(text, item.end)
    if found is None or structure.next_country.match(text, found.end()):
        return None
    code = structure.countries[found.group(1)]
    return f"nationality={code}" if code != source_country else None


def nationals_counted_abroad(text: str, index: int, items: list[Attached],
                             sentence: tuple[int, int]) -> None:
    """"the UK's mechanism received 1,106 referrals of Romanian potential victims": a count
    by another country of the source's (or a third country's) nationals is a part of that
    nationality."""
    item = items[index]
    if item.country_code and not item.role and item.whole is None and \
            unit_kind(item.unit) == "persons" and item.indicator != "other" and \
            item.indicator not in rules().structure.estimate_indicators:
        found = breakdown(text, index, items, sentence, item.country_code)
        before = items[index - 1] if index else None
        if not found and item.figure.entity is None and before is not None and \
                before.country_code not in (None, item.country_code) and \
                before.indicator == item.indicator and \
                (before.breakdown or "").startswith("nationality="):
            found = before.breakdown  # "... 22 Georgian victims, and Greece identified six"
        if found and found.startswith("nationality="):
            item.role, item.breakdown = "part", found


def subjects_that_break_down(text: str, sentence: tuple[int, int], items: list[Attached],
                             source_country: str | None, earlier: Figure | None) -> None:
    """"Albanians accounted for 4,470 referrals", "Children made up 2,100": a subject that
    names a breakdown makes the count a part of the year's total, under that breakdown."""
    structure = rules().structure

    def names_a_breakdown(subject: re.Match[str] | None) -> bool:
        return subject is not None and (
            structure.demonym.search(subject.group(1)) is not None or
            any(pattern.search(subject.group(1)) for _, pattern in structure.breakdowns))

    last: Attached | None = None  # the last count a subject broke down, in the sentence
    for index, item in enumerate(items):
        open_to_it = not item.role and item.whole is None and not item.in_parenthesis and \
            unit_kind(item.unit) in ("persons", "none")
        if not open_to_it and item.role != "part":
            continue
        window = max(sentence[0], item.start - 60)
        # (a quick look for the verb first: the pattern is slow to fail)
        subject = SUBJECT_BEFORE.search(text, window, item.start) if any(
            verb in text[window:item.start] for verb in SUBJECT_VERBS) else None
        aside = None
        if subject is None and ", " in text[window:item.start] and any(
                verb in text[window:item.start] for verb in SUBJECT_VERBS):
            subject = aside = SUBJECT_BEFORE_AN_ASIDE.search(
                text, max(sentence[0], item.start - 300), item.start)
        if not open_to_it:
            if names_a_breakdown(subject):
                last = item  # a part already, by "of the victims" after it
            continue
        gapped = None
        if subject is None and last is not None:
            # "Indonesians accounted for 62 victims, Ethiopians for 51": the verb gapped
            # (past the brackets of the parts before: "Children made up 8,816 of the victims
            # (5,012 girls and 3,804 boys) and adults 6,563")
            between = text[last.end:item.start]
            subject = gapped = GAPPED_SUBJECT.fullmatch(
                BRACKETS.sub("", between) if "(" in between else between)
        if last is not None and not names_a_breakdown(subject) and \
                CONTRASTED.fullmatch(text, last.end, item.start):
            # "Forced labour accounted for 301 victims, while 88 were sexually exploited",
            # "Female victims numbered 258 and male victims 114, and 243 were children": the
            # next count of the sentence, what its own words say it was, is another part
            own = breakdown(text, index, items, sentence, source_country)
            if own:
                item.role, item.unit, item.breakdown = "part", item.unit or last.unit, own
                item.indicator, item.whole, item.period = \
                    last.indicator, last.whole, last.period
                last = item
            continue
        if not names_a_breakdown(subject):
            continue
        item.role, item.unit = "part", item.unit or "persons"
        named = gapped or aside  # a subject away from the count names its breakdown
        item.breakdown = breakdown(text, index, items, sentence, source_country,
                                   named.group(1) if named else None)
        # (a form's own indicator says only what the subject said: "Forced labour accounted
        # for 118 of the victims, sexual exploitation for 27")
        unsaid = item.indicator == "other" or item.indicator in FORM_INDICATORS
        if last is not None and unsaid:
            item.indicator, item.whole, item.period = last.indicator, last.whole, last.period
        last = item
        if (unsaid or item.indicator == (earlier.indicator if earlier else "")) and \
                item.whole is None and earlier is not None and earlier.unit == "persons" and \
                earlier.value > item.figure.value:
            # "Authorities identified 1,136 victims. Foreign nationals numbered 61": of them
            # ("Foreign nationals accounted for 187 victims": of the victims told before)
            item.whole, item.indicator, item.period = earlier, earlier.indicator, earlier.period


def as_its_model(item: Attached) -> None:
    """"the UK's mechanism received 1,106 referrals in 2022, up from 873 in 2021": a compared
    figure is the same count of the same country, another year; "a center assisted 284
    victims (226 in 2019), NGO shelters another 118": a part, as its model is."""
    model = item.stands_for
    if model is not None and item.whole is None and model.whole is not None:
        item.indicator = model.indicator  # of the kind its model's whole made it
    if model is not None and item.country_code is None and item.whole is None:
        item.country_code = model.country_code
        if model.role == "part" and not item.role:
            item.role, item.breakdown = "part", model.breakdown


def shared_breakdowns(items: list[Attached]) -> None:
    """"14 cases: nine of child sex trafficking, four of labor trafficking and one of adult sex
    trafficking": two parts of one whole under one breakdown are pieces of it, neither is its
    count."""
    shared: dict[tuple[int, str], list[Attached]] = {}
    for item in items:
        if item.whole is not None and item.breakdown:
            shared.setdefault((id(item.whole), item.breakdown), []).append(item)
    for group in shared.values():
        if len(group) > 1:
            for item in group:
                item.breakdown = None


ADULTS_OR_MINORS = re.compile(r"\b(men|women|boys|girls|children|minors)\b", re.I)
PAIRED = re.compile(r"[ \t]+(?:and|or)[ \t]+(?:men|women|boys|girls)\b", re.I)
# The counts beside which a count of men, women, boys or girls is not all of a sex: men beside
# boys or children are neither all the males nor all the adults. ("female" and "male", not
# listed, are all of a sex whatever else is counted.)
NOT_ALL_OF_A_SEX = {"men": ("boys", "children", "minors"), "women": ("girls", "children", "minors"),
                    "boys": ("men",), "girls": ("women",)}


def adults_beside_minors(text: str, items: list[Attached]) -> None:
    """"Of these, 181 were women and girls, 29 were men and 17 were boys", "468 were women, 391
    were men and 267 were children": men beside boys, or women beside children, are not all
    of a sex (the docs' convention), so the part has no breakdown by sex."""
    nouns: dict[int, dict[str, Attached]] = {}
    for item in items:
        if item.whole is not None and (item.breakdown or "").startswith("sex="):
            said = ADULTS_OR_MINORS.search(text, item.end, item.end + 24)
            if said and not PAIRED.match(text, said.end()):  # not "women and girls"
                nouns.setdefault(id(item.whole), {})[said.group(1).lower()] = item
        elif item.whole is not None:
            said = ADULTS_OR_MINORS.search(text, item.end, item.end + 24)
            if said:
                nouns.setdefault(id(item.whole), {}).setdefault(said.group(1).lower(), item)
    for found in nouns.values():
        for noun, item in found.items():
            if any(other in found for other in NOT_ALL_OF_A_SEX.get(noun, ())) and \
                    (item.breakdown or "").startswith("sex="):
                item.breakdown = None
