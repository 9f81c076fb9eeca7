"""Reading one figure: what it counts (unit, entity), how exact it is, what it measures."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from tipfigures.extract.numbers import SCALES, TENS, UNITS, NumberCandidate
from tipfigures.extract.rules import rules
from tipfigures.extract.stretches import finditer_in, stretches_around
from tipfigures.text_structure import TOKEN

NUMBER_WORDS = frozenset(UNITS) | frozenset(TENS) | frozenset(SCALES)
NUMBER_OF = re.compile(r"\b[Tt]he\s+(?:total\s+)?number\s+of\s+(?=[^.;]*$)")
NUMBER_NAMED = re.compile(r"\b[Tt]he\s+(?:total\s+)?number\s+of\s+")
# a sentence that opens on "The number" again, then tells its counts

# a verb whose object is people, then "all" and a bare number: "referred all 26 to care"
PEOPLE_VERB_BEFORE = re.compile(r"\b(?:referred|repatriated|sheltered|housed|rescued|returned|"
                                r"assisted|placed|reunited|reunified)[ \t]+all[ \t]+$")
# the noun of a count told before: "26 cases", "46 victims"
LAST_COUNTED = re.compile(r"\b[0-9][0-9,]*[ \t]+(?:[a-z-]+[ \t]+){0,2}?([a-z]+)\b")
PEOPLE_GIVEN = re.compile(r"[ \t]+(?:were[ \t]+)?(?:given|handed|received|sentenced)\b", re.I)
AGE_BEFORE = re.compile(  # "aged 14", "between the ages of 10 and 17", "aged 13 and 15"
    r"\b(?:ages?|aged)(?:\s+of)?(?:\s+between)?(?:\s+[0-9]{1,2}\s*(?:,|and|or|to))?\s*$", re.I)
# "under 18", "younger than the age of 16", "over 60": words that make the number after them an
# age bound (the first ones, an upper bound: of children)
UPPER_AGE_BOUND = r"(?:under|below|younger[ \t]+than)(?:[ \t]+the[ \t]+age[ \t]+of)?"
AGE_BOUND = rf"(?:{UPPER_AGE_BOUND}|(?:over|above|older[ \t]+than)(?:[ \t]+the[ \t]+age[ \t]+of)?)"
# "children under 18", "girls below 16", "57 were under 18": an age bound after people of an
# age
AGE_BOUND_BEFORE = re.compile(r"\b(?:children|child|girls|boys|minors|persons|people|victims|"
                              rf"were|was|aged)[ \t]+{AGE_BOUND}[ \t]+$", re.I)
COPULA_AFTER = re.compile(r"[ \t]+(?:were|was|are|is|had|have|remain|remained|died|escaped)\b",
                          re.I)
WORD_REST = re.compile(r"[a-z]*")
# "45 were charged", "12 were later acquitted": the participle of what was done to them
WERE_DONE = re.compile(r"[ \t]+(?:were|was)[ \t]+(?:later[ \t]+|subsequently[ \t]+|then[ \t]+)?"
                       r"[a-z]+ed\b")
# a clause of its own opened before a number: "... were convicted and 12 were acquitted"
CONJUNCTION_BEFORE = re.compile(r"[ \t]+(?:and|while|but|whereas)[ \t]+$")
# a line that gives a year's counts: "2019 -- 612 cases, 1,488 suspects, 97 detained"
YEAR_ROW = re.compile(r"[ \t]*[-•*]?[ \t]*(?:19|20)[0-9]{2}[ \t]*(?:--|[–—:-])[ \t]*"
                      r"(?:[0-9][0-9,.]*[ \t]+[a-z][^\n]*)?$")  # (its first count, or a later)
# the words that say a count's status is not confirmed: "potential victims", "suspected cases"
UNCONFIRMED = "(?:potential|possible|suspected|presumed|alleged|likely)"
# people counted, then what they were taken for: "nine women as potential victims"
AS_VICTIMS = re.compile(rf"[ \t]+as[ \t]+(?:{UNCONFIRMED}[ \t]+)?(?:trafficking[ \t]+)?victims\b")
MODIFIER_THEN_VERB = re.compile(r"[ \t]+[a-z]+ed[ \t]+(?:as|by|in|from|to)[ \t]+[^,;.()]{1,60}?"
                                r"[ \t]+(?:were|was|had[ \t]+been)[ \t]+(?P<verb>[a-z]+ed)\b")
# (only where a link names the people a case involves: "four reports involving nine women as
# potential victims"; "the shelter assisted 40 women as victims" keeps its verb)
AS_VICTIMS_LINK = re.compile(r"\b(?:involving|involved|concerning|implicating)[ \t]+$")
PASSIVE_AFTER = re.compile(r"[ \t]+(?:were|was|had[ \t]+been|have[ \t]+been)[ \t]+[a-z]+ed\b")
PARENTHETICAL = re.compile(r"\([ \t]*$")
OF_THE = re.compile(r"[ \t]+of[ \t]+(?:(?:the|these|those|all)[ \t]+)?")
STOP_WORDS = frozenset(
    "of in at from to for by with on under into between during per who which that were was are is "
    "had have has been be being or but as than while whose whom where when since after before over "
    "through across among against because if not also reportedly allegedly still only plus each "
    "the a an their its his her these those this there here it they them we you he she what how "
    "within without until via including included such more less about around nearly so and "
    "remained remain remains continued continue could would will can may might must should did do "
    "does per cent percent out up down back both either neither involving concerning regarding "
    "implicating our your my".split())
# "one conviction last year": the noun phrase ends where a time phrase begins
TIME_DETERMINERS = frozenset({"last", "next", "previous", "every"})
DETERMINERS_AFTER_OF = re.compile(
    r"^[ \t]+of[ \t]+(?:(?P<pronoun>whom|them|which|those|these)\b(?![ \t]+[a-z]+s\b)|"
    r"(?:the|these|those|all|its|their|his|her|our)[ \t]+)", re.I)
ONE_AS_PRONOUN = re.compile(
    r"[ \t]*(?:of\b|another\b|is\b|was\b|who\b|that\b|such\b|which\b|can\b|must\b|may\b|[,.;:])",
    re.I)
LIST_GOES_ON = re.compile(r"[ \t]*(?:[,;)]|and\b|or\b|\.(?:\s|$))")
PERSON_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ans|ese|is|ians|inos|ers)$")


def pluralize(noun: str) -> str:
    if noun.endswith("s"):
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


@dataclass
class Reading:
    unit: str | None = None
    entity: str | None = None
    end: int | None = None  # where a unit word that belongs to the span ends


def read_unit(text: str, number: NumberCandidate, limit: int, country_code: str | None,
               previous: Reading | None) -> Reading:
    """What a number counts, from the words after it."""
    r = rules()
    if number.currency:
        return Reading(unit=number.currency)
    if number.percent:
        return Reading(unit="percent", entity=of_phrase(text, number.end, limit))
    limit = min(limit, number.end + 300)  # a unit is read from the next few words only
    after = text[number.end:limit]
    currency = r.currency_after.match(after)
    if currency:
        name, code = currency.group("name"), currency.group("code")
        unit = r.currency_for_name(name, country_code, currency.group("demonym")) if name \
            else code.upper() if code else r.currency_abbreviations[currency.group("abbreviation")]
        if unit:
            return Reading(unit=unit)
    percent = re.match(r"^[ \t]+(?:percent|per[ \t]cent)\b", after, re.I)
    if percent:
        return Reading(unit="percent", entity=of_phrase(text, number.end + percent.end(), limit))
    duration = re.match(r"^(?:[ \t]*[-‑][ \t]*|[ \t]+)(?P<word>[A-Za-z]+)['’]?", after)
    if duration and duration.group("word").lower() in r.duration_units:
        return Reading(unit=r.duration_units[duration.group("word").lower()],
                        end=number.end + duration.end())
    if PEOPLE_GIVEN.match(after):  # "where 23 given sentences": people, not sentences
        return Reading(unit="persons")
    of = DETERMINERS_AFTER_OF.match(after)
    if of and of.group("pronoun") and of.group("pronoun").lower() in ("whom", "them", "which"):
        if previous is not None and previous.unit:
            return Reading(unit=previous.unit, entity=previous.entity)
        return Reading(unit="persons" if of.group("pronoun").lower() == "whom" else None)
    offset = number.end + (of.end() if of else 0)
    if of:  # "54 of the 98 detected victims": the noun comes after the second number
        whole = re.match(r"(?:[0-9][0-9,.]*|[a-z]+(?:-[a-z]+)?)[ \t]+(?=[a-z])", text[offset:limit])
        if whole and whole.group(0)[0].isdigit():
            offset += whole.end()
    modifier = re.match(r"[ \t]+(?:more|other|additional|new|further|fewer)[ \t]+(?!than\b)",
                        text[offset:limit])
    if modifier:  # "38 more girls", "two other houses"
        offset += modifier.end() - 1
    hyphenated = re.match(r"^[-‑](?P<word>[A-Za-z]+)\b", after) if not of else None
    if hyphenated:  # "a 200-employee agency", "a 120-bed shelter"
        word = hyphenated.group("word").lower()
        unit = "persons" if word in r.person_nouns else pluralize(word)
        return Reading(unit=unit, entity=word)
    reading = noun_phrase(text, offset, limit, number.value)
    if reading.unit is None:  # "the number of detected victims fell from 203 to 98"
        counted = NUMBER_OF.search(text, max(0, number.start - 120), number.start)
        if counted:
            reading = noun_phrase(text, counted.end(), limit, 2)
    if reading.unit is None and PEOPLE_VERB_BEFORE.search(text, max(0, number.start - 30),
                                                          number.start):
        # "referred all 26 to the commission", "repatriated all three": people (but "opened 26
        # cases and referred all 26 to prosecutors": the cases)
        counted = [noun for noun in LAST_COUNTED.findall(text, max(0, number.start - 200),
                                                         number.start)
                   if noun in r.person_nouns or noun in r.structure.law_enforcement_count_units]
        if not counted or counted[-1] in r.person_nouns:
            reading = Reading(unit="persons")
    if reading.unit is None and "umber" in text[max(0, number.start - 120):number.start]:
        # "... published the number of trafficking victims recorded by the police. The number
        # rose from 362 in 2017 to 468 in 2019": the noun of the number named before
        again = r.the_number_again.search(text, max(0, number.start - 120), number.start)
        named = [*NUMBER_NAMED.finditer(text, max(0, again.start() - 400), again.start())] \
            if again is not None else []
        if named:  # (the last one named before)
            reading = noun_phrase(text, named[-1].end(), min(len(text), named[-1].end() + 90), 2)
    if reading.unit is None and any(verb in text[max(0, number.start - 120):number.start]
                                    for verb in r.trend_verbs):
        # "Investigations fell to four in 2019 and three in 2020": the subject is what is counted
        trend = r.trend_subject.search(text, max(0, number.start - 120), number.start)
        noun = trend.group("noun").lower() if trend else ""
        if noun in r.person_nouns:
            reading = Reading(unit="persons", entity=trend.group("noun"))
        elif noun in r.structure.law_enforcement_count_units:
            reading = Reading(unit=noun, entity=trend.group("noun"))
    if reading.unit in r.person_event_nouns:  # "secured 37 convictions": 37 persons
        reading = Reading(unit="persons", entity=reading.entity, end=reading.end)
    return reading


def noun_phrase(text: str, offset: int, limit: int, value: float) -> Reading:
    r = rules()
    words: list[tuple[str, int, int]] = []
    for m in TOKEN.finditer(text, offset, min(limit, offset + 90)):
        token = m.group(0)
        if not token[0].isalpha():
            break
        lower = token.lower()
        if lower in ("and", "or") and words:  # "women and girls", "Mozambican and Swazi children"
            words.append((token, m.start(), m.end()))
            continue
        if lower in STOP_WORDS or lower in TIME_DETERMINERS:
            break
        if words and lower.endswith("ed") and (is_head(words[-1][0]) or (
                words[-1][0].lower() in ("and", "or") and not (
                    len(words) > 1 and words[-2][0].lower().endswith("ed")))):
            break  # "two countries recruited ...", "defendants and dismissed ...": a verb
            # (but "149 presumed and confirmed victims" describes its noun)
        if lower in NUMBER_WORDS or lower in ("no", "zero"):
            break  # "three defendants and two cases", "six prosecutions and no convictions":
            # the next count's noun
        words.append((token, m.start(), m.end()))
        if len(words) >= 6:
            break
    while words and words[-1][0].lower() == "and":
        words.pop()
    if not words:
        return Reading()
    if len(words) == 1 and words[0][0] in r.structure.demonyms and \
            LIST_GOES_ON.match(text, words[0][2]):
        # "312 Burkinabe, 206 Malian, and 17 Guinean nationals": people of that nationality
        return Reading(unit="persons", entity=words[0][0])
    person_positions = [i for i, (w, _, _) in enumerate(words)
                        if w.lower() in r.person_nouns or PERSON_DEMONYM.match(w)]
    head = words[-1][0]
    if is_plural(head) and head.lower() not in r.person_nouns and head[0].islower() and (
            len(words) == 1 or words[-2][0].lower() not in ("and", "or")):
        # "41 criminal cases": the last word is the head, "criminal" only describes it
        return Reading(unit=head.lower(), entity=text[words[0][1]:words[-1][2]])
    if person_positions:
        last = person_positions[-1]
        return Reading(unit="persons", entity=text[words[0][1]:words[last][2]])
    plural = [i for i, (w, _, _) in enumerate(words) if is_plural(w) and w[0].islower()]
    if plural:
        last = plural[0]
        return Reading(unit=words[last][0].lower(), entity=text[words[0][1]:words[last][2]])
    # (a participle that describes the noun after it: "one reported case")
    described = len(words) > 1 and words[0][0].lower().endswith("ed") and \
        words[1][0][0].islower() and not words[1][0].lower().endswith(("ed", "ly", "ing"))
    if value == 1 and words[0][0][0].islower() and (
            described or not words[0][0].lower().endswith(("ed", "ly"))):
        head = 0
        while head + 1 < len(words) and words[head + 1][0][0].islower() and \
                not words[head + 1][0].lower().endswith(("ed", "ly", "ing")):
            head += 1
        return Reading(unit=pluralize(words[head][0].lower()),
                        entity=text[words[0][1]:words[head][2]])
    return Reading()


def is_plural(word: str) -> bool:
    lower = word.lower()
    return lower.endswith("s") and not lower.endswith(("ss", "us", "is"))


def is_head(word: str) -> bool:
    lower = word.lower()
    return lower in rules().person_nouns or (lower.endswith("s") and not lower.endswith("ss"))


def of_phrase(text: str, offset: int, limit: int) -> str | None:
    limit = min(limit, offset + 300)
    m = OF_THE.match(text, offset, limit)
    if not m:
        return None
    return noun_phrase(text, m.end(), limit, 2).entity


def mentions_estimate(clause: str) -> bool:
    lower = clause.lower()
    return any(word in lower for word in rules().estimate_words)


def qualifier_of(text: str, start: int, end: int, sentence_start: int, unit: str | None) -> str:
    r = rules()
    window_start = max(sentence_start, start - 40)
    before = text[window_start:start]
    words = before.split()
    if words and words[-1].lower() in r.qualifier_last_words:  # cheap test before the regex
        m = r.qualifier_before.search(before)
        if m:
            return m.lastgroup or "exact"
    if mentions_estimate(clause_before(text, start, sentence_start)):
        return "approximate"
    after = r.qualifier_after.match(text, end, min(len(text), end + 100))
    if after:  # "800 to 1,000 immigrants ..., on average", "20 or more"
        return after.lastgroup or "exact"
    if re.search(r"\bto\s*$", before) and re.search(r"\brang(?:e|es|ed|ing)\s+from\b",
                                                   clause_before(text, start, sentence_start)):
        return "at_most"  # "fines range from $375 to $1,500"
    if unit in ("years", "months", "weeks", "days") or (unit and unit.isupper()):
        clause = text[max(sentence_start, start - 300):start].rsplit(";", 1)[-1].lower()
        if "maximum" in clause:
            return "at_most"
        if "minimum" in clause:
            return "at_least"
    return "exact"


def clause_before(text: str, start: int, sentence_start: int) -> str:
    """The text before a figure back to the start of its clause (sentence start or ';')."""
    return text[max(sentence_start, start - 90):start].rsplit(";", 1)[-1]


OPENED = re.compile(r"\bopen(?:ed|s|ing)?\b")
PLACE_BEFORE = re.compile(
    r"\b(?:in|at|across|into|through|by)[ \t]+(?:its|their|the|all)[ \t]+$")


def a_place(text: str, start: int) -> bool:
    """"placed 247 victims in its nine shelters", "assisted by its 21 regional projects": a
    number that counts the places or means of the count before it, not a count the next bare
    number can stand for."""
    return PLACE_BEFORE.search(text, max(0, start - 30), start) is not None


def unit_kind(unit: str | None) -> str:
    if unit is None:
        return "none"
    if unit == "persons":
        return "persons"
    if unit == "percent":
        return "percent"
    if unit in ("years", "months", "weeks", "days", "hours"):
        return "duration"
    if len(unit) == 3 and unit.isupper():
        return "money"
    return "count"


@dataclass(frozen=True)
class IndicatorKeywords:
    """Every indicator keyword of a text, found in one pass: (start, end, keyword) sorted."""

    starts: list[int]
    ends: list[int]
    words: list[str]

    # how far from a number a keyword is read (indicator_of's window), plus a margin so that a
    # keyword at a window's edge is found whole
    BEFORE, AFTER = 110 + 30, 80 + 40

    @classmethod
    def find(cls, text: str, numbers: list[tuple[int, int]] | None = None) -> IndicatorKeywords:
        """The keywords of the text, or only those near `numbers` (start, end): the only ones
        a figure's indicator is read from, and a small part of a long report."""
        lower = text.lower()
        pattern = rules().indicator_keywords_lower
        if len(lower) != len(text):  # a few characters change length in lower case
            lower, pattern = text, rules().indicator_keywords
        stretches = [(0, len(text))] if numbers is None else stretches_around(
            numbers, cls.BEFORE, cls.AFTER, len(text))
        found = [(m.start(), m.end(), " ".join(m.group(0).lower().split()))
                 for m in finditer_in(pattern, lower, stretches)
                 if not _in_a_name(text, m.start())]
        return cls([f[0] for f in found], [f[1] for f in found], [f[2] for f in found])


def _in_a_name(text: str, start: int) -> bool:
    """"the Chief of the Investigation and Detention Center": a keyword capitalized inside a
    sentence is part of a name, not a verb or noun of the figure."""
    if not text[start].isupper():
        return False
    before = text[max(0, start - 3):start].rstrip(" \t")
    return bool(before) and before[-1] not in ".!?:;\n\"'(“" and not before.endswith("\n")


def _in_a_year_row(text: str, start: int) -> bool:
    """"2019 -- 612 cases, 1,488 suspects, 97 detained": a year's row of counts."""
    line = text.rfind("\n", max(0, start - 200), start)
    return (line >= 0 or start <= 200) and YEAR_ROW.match(text, line + 1, start) is not None


def indicator_of(text: str, start: int, end: int, sentence: tuple[int, int], unit: str | None,
               entity: str | None, keywords: IndicatorKeywords) -> str:
    r = rules()
    kind = unit_kind(unit)
    window_start = max(sentence[0], start - 110)
    window_end = min(sentence[1], end + 80)
    semicolon = text.rfind(";", window_start, start)
    window_start = semicolon + 1 if semicolon >= 0 else window_start
    semicolon = text.find(";", end, window_end)
    window_end = semicolon if semicolon >= 0 else window_end
    if COPULA_AFTER.match(text, end) or COPULA_AFTER.match(text, end + len(entity or "") + 1) \
            or _in_a_year_row(text, start):
        # ("2019 -- 612 cases, 1,488 suspects, 97 detained": a year's row of counts, each
        # with its own words)
        # "42 children were recovered, four were killed, and 139 were missing": each number's
        # own clause, between commas, says what happened to it
        comma = text.rfind(",", window_start, start)
        window_start = comma + 1 if comma >= 0 else window_start
        comma = text.find(",", end, window_end)
        window_end = comma if comma >= 0 else window_end
        done = WERE_DONE.match(text, end)
        conjunction = CONJUNCTION_BEFORE.search(text, window_start, start) if done else None
        if conjunction and bisect_left(keywords.starts, done.start()) < bisect_left(
                keywords.starts, done.end()):
            # "76 suspects were convicted and 12 were acquitted": the 12's own participle
            window_start = conjunction.end()
    best: tuple[tuple[bool, int, int], str] | None = None
    candidates = []
    if entity and kind != "persons":  # "102 trafficking investigations", not "60 investigators"
        for m in r.indicator_keywords.finditer(entity):
            candidates.append((0, " ".join(m.group(0).lower().split())))
    first = bisect_left(keywords.starts, window_start)
    last = bisect_left(keywords.starts, window_end)
    # "188 Zimbabweans identified as trafficking victims were repatriated": a participle
    # after the counted noun describes it; the verb after it says what was done
    modifier = MODIFIER_THEN_VERB.match(text, end + (len(entity) + 1 if entity else 0)) \
        if kind == "persons" else None
    for i in range(first, last):
        if keywords.ends[i] > window_end:
            continue
        k_start, k_end = keywords.starts[i], keywords.ends[i]
        if modifier and modifier.start() <= k_start < modifier.start("verb"):
            continue
        if k_start > start and keywords.words[i] in r.keywords_only_before:
            continue
        if k_end < start:  # (from the end of the word: "repatriat" in "repatriated")
            k_end = WORD_REST.match(text, k_end, start).end()
        distance = start - k_end if k_end <= start else max(0, k_start - end)
        candidates.append((distance, keywords.words[i]))
    head = entity.split()[-1].lower() if kind == "persons" and entity else ""
    # (a staff noun of two words too: "six social workers")
    staff = head in r.staff_nouns or \
        " ".join(entity.lower().split()[-2:]) in r.staff_nouns if head else False
    # "arrested several traffickers for trafficking 47 children": the children are victims,
    # whatever the verb does to the traffickers
    victims = head in r.victim_nouns
    if kind == "persons" and r.structure.identified_and_then.search(
            text, max(window_start, start - 60), start):
        return "victims_identified"  # "identified and assisted a further 352 victims"
    as_victims = AS_VICTIMS.match(text, end + (len(entity) + 1 if entity else 0)) \
        if kind == "persons" and AS_VICTIMS_LINK.search(text, max(window_start, start - 20),
                                                         start) else None
    if as_victims and not PASSIVE_AFTER.match(text, as_victims.end()):
        # "involving nine foreign women as potential victims" (but "188 Zimbabweans identified
        # as trafficking victims were repatriated": the verb after says what was done)
        return "victims_identified"
    if kind == "persons" and r.victim_object.search(text, max(window_start, start - 60), start) \
            and r.structure.estimate_cue.search(text, window_start, start) is None:
        return "victims_identified"  # "arrested for trafficking two children"
    # "UNICEF estimated that at least 3,000 children had yet to be demobilized": an estimate
    # measures the size of a problem, whatever the verb after it says
    estimate = kind in ("persons", "percent") and (
        r.structure.estimate_cue.search(text, window_start, start) is not None or
        r.structure.stock_after.match(text, end + (len(entity) + 1 if entity else 0)) is not None)
    for distance, word in candidates:
        for order, rule in r.rules_by_keyword.get(word, ()):
            if not rule.fits(kind, unit) or staff and rule.indicator != "officials_trained":
                continue
            if victims and (rule.indicator in r.offender_indicators or
                            rule.indicator == "officials_trained"):
                continue  # ("vocational training to 261 victims": victims assisted)
            if head in ("victims", "survivors", "others") and rule.fallback and not estimate and \
                    rule.indicator in r.structure.estimate_indicators:
                continue  # "40 victims had been subjected to sex trafficking": victims counted
                # (but "two girls exploited in the case" are a case of sexual exploitation)
            if estimate and rule.indicator not in r.structure.estimate_indicators:
                continue
            rank = (rule.last_resort, rule.fallback, distance, order)
            if best is None or rank < best[0]:
                best = (rank, rule.indicator)
    if best is None and estimate:
        victims = victims or r.estimate_victim_cue.search(text, window_start, window_end)
        return "victims_estimated" if victims else "other"
    if best is None and victims and r.structure.victims_given.search(text, window_start, start):
        return "other"  # "Courts awarded compensation to one victim"
    if best is None and victims:
        return "victims_identified"  # victims a report counts are victims it identified
    if best and best[1] == "penalty" and kind == "money" and \
            r.imposed_cue.search(text, window_start, window_end) and \
            not r.law_cue.search(text, window_start, window_end):
        return "other"  # "fined each of them 30 million kip": a case's fine, not the law's
    if best and best[0][1] and kind == "count" and not OPENED.search(text, window_start, start):
        # only a fallback said what the cases are (but cases opened are investigations)
        clause = text[window_start:start]
        for indicator, subject in r.structure.case_subjects:
            if subject.search(clause):
                return indicator  # "Prosecutors initiated 29 new cases"
    if best and best[1] in r.structure.law_enforcement_indicators and kind == "count" and \
            unit not in r.structure.law_enforcement_count_units and not re.search(r"['’]", unit):
        return "other"  # "the hotline received 412 calls": no investigations
    if best and best[1] in ("arrests", "investigations") and head in r.not_suspect_nouns:
        return "other"  # "detained 15 domestic workers who had fled", "70,000 refugees
        # registered in Lithuania": not suspects
    if best and best[1] == "officials_trained" and entity and \
            r.civilian_trainees.search(re.split(r"[,;.(]", text[end:min(window_end, end + 70)])[0]):
        return "other"  # "trained 68 hotel employees", "85 members of cocoa cooperatives":
        # people trained who are not officials
    if best and best[1] == "victims_estimated" and not victims and \
            r.estimate_victim_cue.search(text, window_start, window_end) is None:
        return "other"  # "an estimated 60,000 people attended": an estimate of no victims
    return best[1] if best else "other"
