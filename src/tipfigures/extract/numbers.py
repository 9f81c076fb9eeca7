"""Number candidates: digits, number words, currencies, fractions, ranges; and what is not a
figure (references, ordinals, telephone numbers, times)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from text_to_num import text2num

from tipfigures.extract.rules import alternation, rules, trie
from tipfigures.extract.stretches import finditer_in, stretches_around

UNITS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "dozen": 12, "lakh": 100_000, "lakhs": 100_000, "crore": 10_000_000,
          "crores": 10_000_000}
# the scale words written after digits ("1.5 million", "Rs 24.6 crore", "1 lakh")
SCALE_WORDS = ["million", "billion", "thousand", "dozen", "lakh", "lakhs", "crore", "crores"]


def _cased(words: list[str]) -> str:
    """An alternation of words as prose writes them: "one", "One", "ONE" (a case-sensitive
    pattern runs twice as fast as one with re.IGNORECASE)."""
    return "|".join(sorted({v for w in words for v in (w, w.capitalize(), w.upper())},
                           key=lambda v: (-len(v), v)))


_SMALL = rf"(?:(?:{_cased(TENS)})(?:[ \t]*[-‑][ \t]*|[ \t]+)(?:{_cased(UNITS[:9])})\b|" \
         rf"(?:{_cased(TENS + UNITS)}))\b"
SMALL_NUMBER_WORD = _SMALL  # "seven", "Twenty-one": for rules that look for a count nearby
_SCALE_WORD = rf"(?:{_cased(['hundred', 'thousand', 'million', 'billion'])})\b"
_GROUP = rf"{_SMALL}(?:[ \t]+{_SCALE_WORD})*"
_AFTER_SCALE = "(?:" + "|".join(
    rf"(?<={v})" for v in _cased(["hundred", "thousand", "million", "billion"]).split("|")) + ")"
_WORD_NUMBER = rf"\b{_GROUP}(?:{_AFTER_SCALE}[ \t]+(?:and[ \t]+|AND[ \t]+)?{_GROUP})*"
_DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3}){1,4}|[0-9]{1,12})(?:\.[0-9]{1,6})?(?![0-9])"
# (but a typo's "up to10 to 20 years" is a range: digits glued to a "to" before them)
_NOT_GLUED = r"(?:(?<![0-9A-Za-z/,.])|(?<=[ \t]to)(?=[0-9]))(?<![A-Za-z][-‑])"


@cache
def number_pattern() -> re.Pattern[str]:
    """Numbers in digits or words, with a currency before, a scale word or % after.

    The pattern starts with a look-ahead on its possible first characters: the regex engine
    then skips most positions at once (5-10 times faster on report text).
    """
    r = rules()
    # a symbol that is one letter ("N500", "R100 million") is one only right before a digit
    letters = "".join(sorted(s for s in r.currency_symbols if len(s) == 1 and s.isalpha()))
    symbols = alternation([s for s in r.currency_symbols if s not in letters])
    codes = trie(sorted(r.currency_codes))
    currency = rf"(?<![A-Za-z])(?:{symbols}|(?:{codes})(?=[ \t]?[0-9])|[{letters}](?=[0-9]))"
    first = "".join(sorted({s[0] for s in r.currency_symbols})) + "0-9A-Zotfsne"
    return re.compile(
        rf"(?=[{re.escape(first).replace(chr(92) + '-', '-')}])"
        rf"(?:(?P<currency>{currency})[ \t]?|{_NOT_GLUED})"
        rf"(?:(?P<digits>{_DIGITS})|(?P<words>{_WORD_NUMBER}))"
        rf"(?:[ \t]+(?P<scale>{_cased(SCALE_WORDS)})\b)?"
        r"(?P<percent>[ \t]?%)?",
    )


RANGE_LINK = re.compile(r"^(?:[ \t]*(?:-|–|—)[ \t]*|[ \t]+(?:to|and|or)[ \t]+)$", re.I)
RANGE_LINK_WITH_UNIT = re.compile(
    r"^[ \t]*[-‑]?(?P<unit>years?|months?|weeks?|days?|hours?)['’]?[ \t]+(?:to|and)[ \t]+$", re.I)

# "increased from 84 to 96", "eight and nine months ... respectively": two figures, not a range
# (but "Penalties increase if a minor is involved and range from five to 20 years" is one)
NOT_A_RANGE_BEFORE = re.compile(
    r"\b(?:increas|decreas|expand|ris|rose|gr[eo]w|fell|fall|drop|declin|reduc|jump|climb|"
    r"doubl|tripl|went|up|down|rais|lower|cut)\w*\b(?:(?!\brang)[^.;]){0,100}?\bfrom\b"
    r"[^.;]{0,30}$", re.I)
# (not "reducing a person to slavery with two to eight years", "rising to 20 to 30 years")
TIME_AFTER = re.compile(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o['’]clock\b|hrs\b|GMT\b|UTC\b)", re.I)
NAME_AFTER = re.compile(r"\s+[A-Z][a-z]+(?<!s)\b")
PHONE = re.compile(  # "+420 222 000 111", "0800 627 8478"
    r"(?:\+[0-9]{1,3}(?:[ \t.-]?\(?[0-9]{1,4}\)?){2,5}|0(?<![\w,.]0)[0-9]{2,4}"
    r"(?:[ \t.-][0-9]{2,4}){2,3})(?![0-9])")
# "Hotline: 800 22 333", "call the helpline on 116 123": digit groups after a phone's label;
# "the national hotline, 1696, received ...", "Hotline: 1696": one group set off after it
PHONE_LABELLED = re.compile(  # (the lookahead skips, fast, the positions no label starts at)
    r"(?=[HhTtPpDd])(?:(?i:\b(?:hot|help)line|\btel(?:ephone)?\.?|\bphone|\bdial|\btoll[- ]free)"
    r"(?:[ \t]+(?:number|line|no\.?|on))?[ \t]*[:(]?[ \t]*"  # ("hotline (800 290 290)")
    r"(?P<number>(?<![0-9,.])[0-9]{2,4}(?:[ \t.-][0-9]{2,4}){1,3})(?![0-9,])"
    r"|(?i:\b(?:hot|help)line)[ \t]*[,:(][ \t]*(?P<short>[0-9]{3,6})"
    r"(?=[ \t]*[,)](?![0-9])|[ \t]*$))")
FRACTION = re.compile(  # "two-thirds of victims", "nearly half of them", "a quarter of"
    r"(?=[OoTtFfAaHh])(?<![A-Za-z])(?i:\b(?:(?P<numerator>one|two|three|four|a)[ \t]*[-‑ ][ \t]*"
    r"(?P<denominator>thirds?|quarters?|fourths?|fifths?|tenths?)|(?P<half>half))\b)")
FRACTION_WORD = re.compile("|".join(  # what every fraction holds: a literal, found fast
    v for w in ("half", "third", "quarter", "fourth", "fifth", "tenth")
    for v in (w, w.capitalize(), w.upper())))
FRACTION_DENOMINATORS = {"third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "tenth": 10}
FRACTION_QUALIFIED = re.compile(r"\b(?:nearly|almost|about|over|than|roughly|around|some|just|"
                                r"approximately|close to|estimated|only)\s+$", re.I)
LIST_LINK = re.compile(
    r"^(?:[ \t]*,[ \t]*(?:(?:and|or)[ \t]+)?|[ \t]+(?:and|or|to|out[ \t]+of)[ \t]+|"
    r"[ \t]*[-–][ \t]*)$",
                       re.I)
RESPECTIVELY_AFTER = re.compile(r"^[^.;]{0,60}\brespectively\b", re.I)
RANGE_OPENER = re.compile(r"\b(?:between|from)(?:\s+the\s+ages?\s+of)?\s*$", re.I)
ORDINAL_AFTER = re.compile(  # "3rd", "twenty-first"; fractions: "two-thirds", "three-quarters"
    r"^(?:st|nd|rd|th)\b|^[ \t]+(?:thirds|quarters|halves)\b|^[-‑](?:first|second|thirds?|"
    r"quarters?|halves|half|(?:four|fif|six|seven|eigh|nin|ten|eleven|twelf|[a-z]+tie)ths?)\b",
    re.I)


@dataclass
class NumberCandidate:
    start: int
    end: int
    value: float
    currency: str | None
    percent: bool
    is_words: bool
    scale: float
    words: str | None


def parse_number(match: re.Match[str], country_code: str | None = None) -> NumberCandidate | None:
    scale = SCALES[match.group("scale").lower()] if match.group("scale") else 1
    words = match.group("words")
    if words is not None:
        normal = re.sub(r"[ \t]*[-‑][ \t]*", "-", words.lower())
        normal = re.sub(r"\s+", " ", normal)
        try:
            value = float(text2num(normal, "en"))
        except ValueError:
            return None
        value *= scale
    else:  # Decimal, so that "8.2 million" is 8200000, not 8199999.999999999
        value = float(Decimal(match.group("digits").replace(",", "")) * scale)
    if not math.isfinite(value):
        return None
    currency = match.group("currency")
    if currency:
        currency = rules().currency_for_symbol(currency.strip(), country_code)
    percent = bool(match.group("percent"))
    return NumberCandidate(match.start(), match.end(), value, currency, percent,
                   words is not None, scale, words)


def fraction_percent(match: re.Match[str]) -> float | None:
    """The percentage a FRACTION match writes ("two-thirds" 66.67, "half" 50), or None when it
    is not a proper fraction ("four-thirds")."""
    if match.group("half"):
        return 50.0
    numerator = match.group("numerator").lower()
    count = 1 if numerator in ("a", "one") else int(text2num(numerator, "en"))
    denominator = FRACTION_DENOMINATORS[match.group("denominator").lower().rstrip("s")]
    if count >= denominator:
        return None
    return round(100 * count / denominator, 2)


# "one in five of them", "1 in 10 Lithuanians": a share, in percent (found near its literal)
ONE_IN = re.compile(r"one in |One in |1 in ")
ONE_IN_N = re.compile(r"(?=[Oo1])\b(?:[Oo]ne|1)[ \t]+in[ \t]+(?P<n>[0-9]{1,3}|two|three|four|five|"
                      r"six|seven|eight|nine|ten|twenty|fifty|a[ \t]+hundred)\b"
                      r"(?![ \t]*[-‑%]|,[0-9])")


def find_shares(text: str) -> list[NumberCandidate]:
    """"one in five of them" is 20 percent: one figure, not the numbers one and five."""
    found = []
    near = stretches_around(((m.start(), m.end()) for m in ONE_IN.finditer(text)), 0, 40,
                            len(text))
    for m in finditer_in(ONE_IN_N, text, near):
        n = m.group("n")
        count = int(n) if n.isdigit() else 100 if n.endswith("hundred") else \
            int(text2num(n, "en"))
        if count > 1:
            found.append(NumberCandidate(m.start(), m.end(), round(100 / count, 2), None, True,
                                         not n.isdigit(), 1, m.group(0)))
    return found


def find_fractions(text: str) -> list[NumberCandidate]:
    """Fractions of a whole, as percentages: "two-thirds were women" is 66.67 percent."""
    found = []
    near = stretches_around(((m.start(), m.end()) for m in FRACTION_WORD.finditer(text)),
                            30, 15, len(text))  # "three - quarters": the numerator is before
    for m in finditer_in(FRACTION, text, near):
        after = text[m.end():m.end() + 4]
        before = text[max(0, m.start() - 20):m.start()]
        followed_by_of = re.match(r"\s+of\b", after) is not None
        value = fraction_percent(m)
        if value is None:
            continue
        if m.group("half"):
            if after[:1] in "-‑" or re.search(r"\b(?:a|and a|first|second|one|in)\s+$", before,
                                               re.I):
                continue  # "one and a half", "first half", "half-brother"
            if not (followed_by_of or FRACTION_QUALIFIED.search(before)):
                continue
        elif m.group("numerator").lower() in ("a", "one") and not followed_by_of:
            continue  # "a third shelter" is an ordinal
        found.append(NumberCandidate(m.start(), m.end(), value, None, True, True, 1, m.group(0)))
    return found


COUNTED_UNDER = re.compile(r"[ \t]+(?:[a-z]+[ \t]+)?(?:under|pursuant[ \t]+to)[ \t]")


def is_reference_or_ordinal(text: str, number: NumberCandidate) -> bool:
    r = rules()
    before = text[max(0, number.start - 30):number.start]
    words = before.replace("(", " ").split()
    last = words[-1].lower() if words else ""
    # ("under the trafficking law (34 for sex trafficking, ...)": a parenthesis of counts)
    counts_in_brackets = before.endswith("(") and re.match(r"[ \t]+[a-z]", text[number.end:])
    # "(39 under Article 181 and 13 under Article 181-1)": a count under a law, not a law
    counted_under = last in ("and", "or", "&") and COUNTED_UNDER.match(text, number.end)
    if (last in r.reference_words or last in ("and", "or", "&", "-") or last.endswith(",")
            or last[:1].isdigit()) and r.reference_before.search(before) and \
            not counts_in_brackets and not counted_under:
        return True
    after = text[number.end:number.end + 12]
    if ORDINAL_AFTER.match(after) and not number.currency:
        return True
    if not number.is_words and (after[:1] == "/" or after[:1] == ":" and after[1:2].isdigit()
                                or before[-1:] == ":" and before[-2:-1].isdigit()):
        return True  # "17:42", "24/7"
    if not number.is_words and after[:1].isalpha() and not number.percent:
        return True  # "10am", "3rd", "4x4"
    if not number.is_words and (TIME_AFTER.match(after) or after[:1] == "." and
                                after[1:2].isdigit() or before[-1:] == "." and
                                before[-2:-1].isdigit()):
        return True  # "3 p.m.", "16.2.2"
    if re.search(r"\b[Tt]he\s+$", before) and NAME_AFTER.match(after) and \
            not number.currency and not rules().structure.demonym.match(after.lstrip()):
        return True  # "the 1343 Actionline"; but "the seven Bangladeshi victims"
    return number.start > 0 and text[number.start - 1] in "/#"


def range_opener(text: str, start: int) -> bool:
    """Is the number after "between" or "from" (so "X and Y" is a range)?"""
    window = text[max(0, start - 30):start]
    return ("between" in window or "from" in window or "Between" in window
            or "From" in window) and bool(RANGE_OPENER.search(window))


Span = tuple[NumberCandidate, NumberCandidate | None, int]


def merge_ranges(text: str, numbers: list[NumberCandidate]) -> list[Span]:
    """Pair numbers that form a range; the int is where the span ends."""
    merged: list[tuple[NumberCandidate, NumberCandidate | None, int]] = []
    i = 0
    while i < len(numbers):
        first = numbers[i]
        if i + 1 < len(numbers):
            second = numbers[i + 1]
            gap = text[first.end:second.start]
            plain = RANGE_LINK.match(gap)
            with_unit = RANGE_LINK_WITH_UNIT.match(gap)
            word = plain.group(0).strip().lower() if plain else ""
            needs_opener = word in ("and", "or")
            # "less than one year and five received ...": with a unit, "and" makes a range
            # only after "between" ("between six months and 13 years")
            unit_and = with_unit is not None and re.search(r"\band\b", gap, re.I) is not None
            # (looked at only between numbers that a range link joins: most are not)
            opener = (plain or with_unit) and (range_opener(text, first.start) or
                                               _converts_a_range(text, merged, first.start))
            listed = (plain or with_unit) and (
                RESPECTIVELY_AFTER.match(text[second.end:second.end + 80]) or (
                    word in ("to", "-", "–", "—", "") and NOT_A_RANGE_BEFORE.search(
                        text, max(0, first.start - 120), first.start)))
            if (plain and (not needs_opener or opener) and word != "or" or
                    with_unit and (not unit_and or opener)) \
                    and not listed and (None in (first.currency, second.currency)
                                        or first.currency == second.currency) \
                    and first.percent == second.percent:
                low, high = first.value, second.value
                if second.scale > 1 and first.scale == 1 and low < high / second.scale * 1.01:
                    low *= second.scale  # "20 and 25 thousand"
                if with_unit:  # "18 months to 15 years": compare in the upper bound's unit
                    low = convert_duration(low, with_unit.group("unit"), text, second.end)
                if low < high:
                    currency = second.currency or first.currency
                    first = NumberCandidate(first.start, first.end, low, currency, first.percent,
                                            first.is_words, first.scale, first.words)
                    end = second.end
                    if with_unit:
                        tail = re.match(r"^[ \t]*[-‑]?(?:years?|months?|weeks?|days?|hours?)['’]?",
                                        text[second.end:second.end + 12], re.I)
                        if tail:
                            end = second.end + tail.end()
                    merged.append((first, second, end))
                    i += 2
                    continue
        merged.append((first, None, first.end))
        i += 1
    return merged


BRACKET_OPENS = re.compile(r"[ \t]*\([ \t]*")


def _converts_a_range(text: str, merged: list[Span], start: int) -> bool:
    """"between $20 and $40 (14,500 and 29,000 CFA francs)": the bracket right after a range
    of money gives the same range in another currency."""
    return bool(merged) and merged[-1][1] is not None and merged[-1][0].currency is not None \
        and \
        BRACKET_OPENS.fullmatch(text, merged[-1][2], start) is not None


def convert_duration(value: float, unit_word: str, text: str, after: int) -> float:
    """The lower bound of "six months' to 13 years'" in the upper bound's unit."""
    per_year = {"year": 1, "month": 12, "week": 52, "day": 365, "hour": 8760}
    tail = re.match(r"^[ \t]*[-‑]?(years?|months?|weeks?|days?|hours?)", text[after:after + 12],
                    re.I)
    if not tail:
        return value
    low_unit = unit_word.lower().rstrip("s")
    high_unit = tail.group(1).lower().rstrip("s")
    return value * per_year[high_unit] / per_year[low_unit]


def read_value(quote: str) -> list[float] | None:
    """The numbers written in a figure's text ("$3,732" -> [3732], "5–20" -> [5, 20]), or None.

    Used to check that a published or corrected value really reads from its quote. A quote that
    is a fraction reads as the percentage find_fractions() gives it ("one-third" -> [33.33]).
    """
    fraction = FRACTION.fullmatch(quote.strip())
    if fraction:
        value = fraction_percent(fraction)
        return [value] if value is not None else None
    numbers = [n for n in (parse_number(m) for m in number_pattern().finditer(quote)) if n]
    values = [n.value for n in numbers]
    if len(numbers) == 2 and numbers[1].scale > 1 and numbers[0].scale == 1:
        values[0] *= numbers[1].scale  # "20 and 25 thousand"
    if len(values) == 2 and re.search(r"months?['’]?\s+(?:to|and)", quote, re.I) \
            and re.search(r"years?['’]?\s*$", quote, re.I):
        values[0] = values[0] / 12  # "six months' to 13 years'" is 0.5 to 13 years
    return values or None
