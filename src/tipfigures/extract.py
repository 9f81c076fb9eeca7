"""Figure extraction: report text in, figures, dated events and tier placements out.

A pure function of the text (and of the source's reporting period and country). One pass of a
compiled regular expression finds number candidates; each is then classified (a figure, a date,
a tier, a reference such as "Article 127") and, when it is a figure, read for its value, unit,
entity, qualifier, period, indicator and legal reference. Vocabulary and indicator rules live in
rules/extraction.yaml.
"""

from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from itertools import chain
from pathlib import Path
from typing import Any

import yaml
from text_to_num import text2num

from tipfigures import __version__
from tipfigures.text_structure import TextStructure, analyse

RULES_PATH = Path(__file__).parent / "rules" / "extraction.yaml"

# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Figure:
    """A number that quantifies something, with the characters it came from."""

    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    unit: str | None
    entity: str | None
    qualifier: str
    indicator: str
    period: str | None
    section: str | None
    sentence: str
    legal_reference: str | None
    method: str = "rule"


@dataclass(frozen=True)
class Event:
    """A dated statement: a year, a month or a day mentioned in the text."""

    start: int
    end: int
    text: str
    date: str
    date_precision: str  # year, month or day
    sentence: str


@dataclass(frozen=True)
class TierPlacement:
    """A country placed in a Trafficking in Persons report tier for a year."""

    start: int
    end: int
    text: str
    country_code: str | None
    year: int
    tier: str
    sentence: str


@dataclass(frozen=True)
class Extraction:
    figures: list[Figure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    tier_placements: list[TierPlacement] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Rules and the patterns built from them


def _alternation(phrases: list[str]) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching any white space."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


def _trie(phrases: list[str]) -> str:
    """A regex matching any of the phrases, as a trie: far faster than a plain alternation."""
    root: dict[str, dict] = {}
    for phrase in phrases:
        node = root
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [(r"\s+" if char == " " else re.escape(char)) + build(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


@dataclass(frozen=True)
class IndicatorRule:
    indicator: str
    kinds: frozenset[str]
    keywords: tuple[str, ...]
    units: frozenset[str] | None = None
    fallback: bool = False

    def fits(self, kind: str, unit: str | None) -> bool:
        return (kind in self.kinds or "any" in self.kinds) and (
            self.units is None or unit in self.units)


class Rules:
    """The compiled form of rules/extraction.yaml."""

    def __init__(self, data: dict[str, Any]):
        self.person_nouns = frozenset(data["person_nouns"])
        self.duration_units: dict[str, str] = data["duration_units"]
        self.currency_symbols: dict[str, Any] = data["currency_symbols"]
        self.currency_codes = frozenset(data["currency_codes"])
        self.currency_names: dict[str, Any] = data["currency_names"]
        phrases = data["reporting_period_phrases"]
        initials = "".join(sorted({c for p in phrases for c in (p[0].lower(), p[0].upper())}))
        self.reporting_period = re.compile(  # a trie, skipping positions at other letters
            rf"(?=[{re.escape(initials)}])(?:{_trie(sorted(phrases))})", re.I)
        self.estimate_words = tuple(word.lower() for word in data["estimate_words"])
        self.qualifier_last_words = frozenset(
            {phrase.split()[-1].lower() for words in data["qualifiers_before"].values()
             for phrase in words} | {"age", "ages", "of", "aged"})
        self.reference_words = frozenset(w.lower() for w in data["reference_words"])
        groups = "|".join(f"(?P<{name}>{_alternation(words)})"
                          for name, words in data["qualifiers_before"].items())
        self.qualifier_before = re.compile(  # "over 18", "over age 18", "under the age of 18"
            rf"(?:^|(?<![\w$]))(?:{groups})(?:\s+(?:the\s+)?ages?(?:\s+of)?)?\s*$", re.I)
        groups_after = "|".join(f"(?P<{name}>{_alternation(words)})"
                                for name, words in data["qualifiers_after"].items())
        self.qualifier_after = re.compile(rf"[^.;0-9]{{0,80}}?\b(?:{groups_after})\b", re.I)
        self.reference_before = re.compile(
            rf"\b(?:{_alternation(data['reference_words'])})\s*"
            r"(?:[0-9]+(?:\.[0-9a-z]+)*\.?\s*(?:,|and|or|&|-)\s*)*\(?$", re.I)
        name_words = [word.capitalize() for word in data["name_words"]]
        self.name_after = re.compile(  # capitalised: "the 2009 TIP Report", not "a 2006 report"
            rf"(?:\s+[A-Z][\w.'-]*){{0,3}}?\s+(?:{_alternation(name_words)})\b")
        names = sorted(self.currency_names, key=len, reverse=True)
        self.currency_after = re.compile(
            rf"^[ \t]*(?:({_alternation(names)})|({'|'.join(sorted(self.currency_codes))}))\b",
            re.I)
        self.indicator_rules = [
            IndicatorRule(r["indicator"], frozenset(r["kinds"]), tuple(r["keywords"]),
                          frozenset(r["units"]) if "units" in r else None,
                          bool(r.get("fallback")))
            for r in data["indicator_rules"]
        ]
        self.staff_nouns = frozenset(data["staff_nouns"])
        keywords = {k for rule in self.indicator_rules for k in rule.keywords}
        # a matched keyword ("sentenced") also counts for rules with a shorter one ("sentence")
        self.rules_by_keyword: dict[str, list[tuple[int, IndicatorRule]]] = {
            word.lower(): [(order, rule) for order, rule in enumerate(self.indicator_rules)
                           if any(word.lower().startswith(k.lower()) for k in rule.keywords)]
            for word in keywords}
        self.indicator_keywords = re.compile(rf"\b(?:{_trie(sorted(keywords))})", re.I)
        # the same, for text already in lower case (most texts: lower() keeps their length)
        self.indicator_keywords_lower = re.compile(rf"\b(?:{_trie(sorted(keywords))})")

    @cached_property
    def number(self) -> re.Pattern[str]:
        return _number_pattern(self)

    def currency_for_symbol(self, symbol: str, country_code: str | None) -> str:
        entry = self.currency_symbols.get(re.sub(r"\s+", " ", symbol))
        if entry is None:
            return symbol.upper()  # an ISO code: "CZK"
        if isinstance(entry, dict):
            return entry.get(country_code or "", entry.get("default"))
        return entry

    def currency_for_name(self, name: str, country_code: str | None) -> str | None:
        entry = self.currency_names.get(re.sub(r"\s+", " ", name.lower()))
        if isinstance(entry, dict):
            return entry.get(country_code or "", entry.get("default"))
        return entry


@cache
def rules() -> Rules:
    return Rules(yaml.safe_load(RULES_PATH.read_text(encoding="utf-8")))


@cache
def extractor_version() -> str:
    """The package version plus a digest of the extractor's code and rules: a cache key."""
    digest = hashlib.sha256()
    for path in (Path(__file__), RULES_PATH, Path(__file__).parent / "text_structure.py"):
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"


UNITS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen").split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "dozen": 12}

_SMALL = rf"(?:(?:{'|'.join(TENS)})(?:[ \t]*[-‑][ \t]*|[ \t]+)(?:{'|'.join(UNITS[:9])})\b|" \
         rf"(?:{'|'.join(TENS)}|{'|'.join(UNITS)}))\b"
_SCALE_WORD = r"(?:hundred|thousand|million|billion)\b"
_GROUP = rf"{_SMALL}(?:[ \t]+{_SCALE_WORD})*"
_AFTER_SCALE = r"(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))"
_WORD_NUMBER = rf"\b{_GROUP}(?:{_AFTER_SCALE}[ \t]+(?:and[ \t]+)?{_GROUP})*"
# Digits not glued to a word, a slash, a decimal point or a hyphenated name ("COVID-19").
_DIGITS = r"(?:[0-9]{1,3}(?:,[0-9]{3}){1,4}|[0-9]{1,12})(?:\.[0-9]{1,6})?(?![0-9])"
_NOT_GLUED = r"(?<![0-9A-Za-z/,.])(?<![A-Za-z][-‑])"


def _number_pattern(r: Rules) -> re.Pattern[str]:
    """Numbers in digits or words, with a currency before, a scale word or % after.

    The pattern starts with a look-ahead on its possible first characters: the regex engine
    then skips most positions at once (5-10 times faster on report text).
    """
    symbols = _alternation([s for s in r.currency_symbols if s != "N"])
    codes = "|".join(sorted(r.currency_codes))
    currency = rf"(?-i:(?<![A-Za-z])(?:{symbols}|(?:{codes})(?=[ \t]?[0-9])|N(?=[0-9])))"
    first = "".join(sorted({s[0] for s in r.currency_symbols})) + "0-9A-Zotfsne"
    return re.compile(
        rf"(?=(?-i:[{re.escape(first).replace(chr(92) + '-', '-')}]))"
        rf"(?:(?P<currency>{currency})[ \t]?|{_NOT_GLUED})"
        rf"(?:(?P<digits>{_DIGITS})|(?P<words>{_WORD_NUMBER}))"
        r"(?:[ \t]+(?P<scale>million|billion|thousand|dozen)\b)?"
        r"(?P<percent>[ \t]?%)?",
        re.IGNORECASE,
    )

MONTHS = {m.lower(): i for i, m in enumerate(
    "January February March April May June July August September October November December"
    .split(), start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|" \
         r"December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})"
DATE = re.compile(
    r"(?=[0-9JFMASONDF])(?:"
    rf"(?P<md>{_MONTH})[ \t]+(?P<mdday>[0-9]{{1,2}})(?:st|nd|rd|th)?\b(?:,?[ \t]+(?P<mdyear>{_YEAR}))?"  # noqa: E501
    rf"|(?P<dm>[0-9]{{1,2}})(?:st|nd|rd|th)?[ \t]+(?P<dmmonth>{_MONTH})(?:,?[ \t]+(?P<dmyear>{_YEAR}))?"  # noqa: E501
    rf"|(?P<my>{_MONTH})(?:[ \t]+of)?[ \t]+(?P<myyear>{_YEAR})"
    rf"|(?<![A-Za-z])FY[ \t]?(?P<fiscal>20[0-9]{{2}})\b"
    rf"|(?<![0-9A-Za-z$.,/])(?P<year>{_YEAR})(?![0-9]|,[0-9]|\.[0-9]|[ \t]?%|/[0-9]|s\b))"
)
TIER = re.compile(r"(?=T)\bTier"
                  r"[ \t]+(?P<tier>[123]|One|Two|Three)(?P<watch>[ \t]+Watch[ \t]*[Ll]ist)?")
TIER_NAMES = {"1": "1", "2": "2", "3": "3", "one": "1", "two": "2", "three": "3"}
LEGAL_REFERENCE = re.compile(
    r"\b(?:Articles?|Art\.)[ \t]+[0-9]+(?:\.[0-9]+)*(?:[ \t]*(?:,|and|or)[ \t]*[0-9]+(?:\.[0-9]+)*)*"  # noqa: E501
    r"|\b(?:Law|Decree|Ordinance|Proclamation|Act)[ \t]+(?:No\.?[ \t]*)?[0-9]+[/-][0-9]+")
YEAR_RANGE_LINK = re.compile(r"^\s*(?:-|–|—|to|and|through|until|till|thru)\s*$", re.I)
RANGE_LINK = re.compile(r"^(?:[ \t]*(?:-|–|—)[ \t]*|[ \t]+(?:to|and|or)[ \t]+)$", re.I)
RANGE_LINK_WITH_UNIT = re.compile(
    r"^[ \t]*[-‑]?(?P<unit>years?|months?|weeks?|days?|hours?)['’]?[ \t]+(?:to|and)[ \t]+$", re.I)
# "increased from 84 to 96", "eight and nine months ... respectively": two figures, not a range
NOT_A_RANGE_BEFORE = re.compile(
    r"\b(?:increas|decreas|expand|ris|rose|gr[eo]w|fell|fall|drop|declin|reduc|jump|climb|"
    r"doubl|tripl|went|up|down|rais|lower|cut)\w*\b[^.;]{0,100}$", re.I)
TIME_AFTER = re.compile(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o['’]clock\b|hrs\b|GMT\b|UTC\b)", re.I)
NAME_AFTER = re.compile(r"\s+[A-Z][a-z]+(?<!s)\b")
PHONE = re.compile(  # "+420 222 000 111", "0800 627 8478"
    r"(?=[+0])(?:\+[0-9]{1,3}(?:[ \t.-]?\(?[0-9]{1,4}\)?){2,5}|(?<![0-9,.])\b0[0-9]{2,4}"
    r"(?:[ \t.-][0-9]{2,4}){2,3})(?![0-9])")
FRACTION = re.compile(  # "two-thirds of victims", "nearly half of them", "a quarter of"
    r"(?=[OoTtFfAaHh])(?<![A-Za-z])(?i:\b(?:(?P<numerator>one|two|three|four|a)[ \t]*[-‑ ][ \t]*"
    r"(?P<denominator>thirds?|quarters?|fourths?|fifths?|tenths?)|(?P<half>half))\b)")
FRACTION_DENOMINATORS = {"third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "tenth": 10}
FRACTION_QUALIFIED = re.compile(r"\b(?:nearly|almost|about|over|than|roughly|around|some|just|"
                                r"approximately|close to|estimated|only)\s+$", re.I)
NUMBER_OF = re.compile(r"\b[Tt]he\s+(?:total\s+)?number\s+of\s+(?=[^.;]*$)")
COMPARISON_BEFORE = re.compile(r"\b(?:compared\s+(?:with|to)|from|than|versus|vs\.?)\s+"
                               r"(?:\S+\s+){0,3}$", re.I)
RELATIVE_CLAUSE = re.compile(r",\s+(?:who|which|where|whose)\b")
COMPLEMENT_CLAUSE = re.compile(r"\bthat\s+(?:a|an|the|this|these|those|he|she|it|they|[A-Z])\b")
LIST_LINK = re.compile(  # noqa: E501
    r"^(?:[ \t]*,[ \t]*|[ \t]+(?:and|or|to|out[ \t]+of)[ \t]+|[ \t]*[-–][ \t]*)$",
                       re.I)
PEOPLE_GIVEN = re.compile(r"[ \t]+(?:were[ \t]+)?(?:given|handed|received|sentenced)\b", re.I)
RESPECTIVELY_AFTER = re.compile(r"^[^.;]{0,60}\brespectively\b", re.I)
PAST_YEARS = re.compile(r"(?=[DdIiOoFfWw])\b(?:during|in|over|for|within)\s+the\s+"
                        r"(?:past|last|previous)\s+"
                        r"(?P<count>[0-9]{1,2}|two|three|four|five|six|seven|eight|nine|ten|"
                        r"eleven|twelve|fifteen|twenty|thirty)\s+years\b", re.I)
PREVIOUS_YEAR = re.compile(r"(?=[Tt])\b(?:the\s+(?:previous|prior|preceding)\s+"
                           r"(?:year|reporting\s+period)|the\s+year\s+before)\b", re.I)
RANGE_OPENER = re.compile(r"\b(?:between|from)(?:\s+the\s+ages?\s+of)?\s*$", re.I)
AGE_BEFORE = re.compile(r"\b(?:ages?|aged)(?:\s+of)?(?:\s+between)?\s*$", re.I)
# A month named without a year ("In July", "A December police report"): found by its name, then
# kept when a preposition or article stands before it ("May" alone is often the verb).
BARE_MONTH = re.compile(
    rf"(?=[JFMASOND])(?P<month>{_MONTH})\b(?![ \t]+(?:[0-9]|of[ \t]+[0-9]))")
BARE_MONTH_BEFORE = re.compile(
    r"\b(?:[Ii]n|[Oo]n|[Ss]ince|[Dd]uring|[Bb]y|[Uu]ntil|[Tt]hrough|[Ff]rom|[Ee]arly|[Ll]ate|"
    r"[Mm]id-?|[Aa]|[Tt]he|and|[Ll]ast)[ \t]+$")
COPULA_AFTER = re.compile(r"[ \t]+(?:were|was|are|is|had|have|remain|remained|died|escaped)\b",
                          re.I)
RECURRING = re.compile(r"\b(?:annually|each year|every year|per year|a year|yearly)\b", re.I)
PARENTHETICAL = re.compile(r"\([ \t]*$")
TOKEN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[-‑][A-Za-z]+)*|[0-9]+|[^\sA-Za-z0-9]")
ORDINAL_AFTER = re.compile(  # "3rd", "twenty-first"; fractions: "two-thirds", "three-quarters"
    r"^(?:st|nd|rd|th)\b|^[ \t]+(?:thirds|quarters|halves)\b|^[-‑](?:first|second|thirds?|"
    r"quarters?|halves|half|(?:four|fif|six|seven|eigh|nin|ten|eleven|twelf|[a-z]+tie)ths?)\b",
    re.I)
STOP_WORDS = frozenset(
    "of in at from to for by with on under into between during per who which that were was are is "
    "had have has been be being or but as than while whose whom where when since after before over "
    "through across among against because if not also reportedly allegedly still only plus each "
    "the a an their its his her these those this there here it they them we you he she what how "
    "within without until via including included such more less about around nearly so and "
    "remained remain remains continued continue could would will can may might must should did do "
    "does per cent percent out up down back".split())
DETERMINERS_AFTER_OF = re.compile(
    r"^[ \t]+of[ \t]+(?:(?P<pronoun>whom|them|which|those|these)\b(?![ \t]+[a-z]+s\b)|"
    r"(?:the|these|those|all|its|their|his|her|our)[ \t]+)", re.I)
ONE_AS_PRONOUN = re.compile(
    r"[ \t]*(?:of\b|another\b|is\b|was\b|who\b|that\b|such\b|which\b|can\b|must\b|may\b|[,.;:])",
    re.I)
PERSON_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ans|ese|is|ians|inos|ers)$")


# ---------------------------------------------------------------------------------------------
# Number candidates


@dataclass
class _Number:
    start: int
    end: int
    value: float
    currency: str | None
    percent: bool
    is_words: bool
    scale: float
    words: str | None


def _parse_number(match: re.Match[str], country_code: str | None = None) -> _Number | None:
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
    return _Number(match.start(), match.end(), value, currency, bool(match.group("percent")),
                   words is not None, scale, words)


# ---------------------------------------------------------------------------------------------
# Dates, years and tiers


@dataclass
class _Date:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    is_name: bool  # "the 2009 TIP Report"
    number_start: int  # where the year (or day) digits start


def _find_dates(text: str) -> list[_Date]:
    found = []
    name_after = rules().name_after
    for m in DATE.finditer(text):
        if m.group("fiscal"):  # "FY2022": the fiscal year, taken as its calendar year
            found.append(_Date(m.start(), m.end(), int(m.group("fiscal")), None, None, False,
                               m.start("fiscal")))
        elif m.group("year"):
            year = int(m.group("year"))
            is_name = bool(name_after.match(text, m.end(), min(len(text), m.end() + 60)))
            if not is_name and _year_is_a_count(text, m.start(), m.end()):
                continue
            found.append(_Date(m.start(), m.end(), year, None, None, is_name, m.start()))
        elif m.group("my"):
            found.append(_Date(m.start(), m.end(), int(m.group("myyear")),
                               _month_word(m.group("my")), None, False, m.start("myyear")))
        else:
            month_name = (m.group("md") or m.group("dmmonth")).rstrip(".").lower()
            month = _month_word(month_name)
            day = int(m.group("mdday") or m.group("dm"))
            year_text = m.group("mdyear") or m.group("dmyear")
            if not 1 <= day <= 31:
                continue
            found.append(_Date(m.start(), m.end(), int(year_text) if year_text else None, month,
                               day, False, m.start()))
    return found


def _year_is_a_count(text: str, start: int, end: int) -> bool:
    """'1500 children' is a count, 'In 2009 police' a year: look at the words around it."""
    after = TOKEN.findall(text, end, min(len(text), end + 30))[:1]
    before = TOKEN.findall(text, max(0, start - 25), start)[-1:]
    if not after or not after[0][0].isalpha():
        return False
    noun = after[0].lower()
    temporal = {"in", "since", "during", "by", "of", "from", "through", "until", "to", "and",
                "between", "before", "after", "fiscal", "year", "early", "late", "mid", "the",
                "a", "till", "–", "-", "’s", "'s"}
    if before and before[0].lower() in temporal:
        return False
    return noun in rules().person_nouns or noun in {"cases", "investigations", "prosecutions"}


def _month_word(name: str) -> int:
    name = name.rstrip(".").lower()
    return MONTHS.get(name) or MONTHS[name[:3]]


def _events(text: str, dates: list[_Date], structure: TextStructure,
            sentences: _Sentences | None = None) -> list[Event]:
    sentences = sentences or _Sentences(text, structure)
    events = []
    for d in dates:
        if d.is_name or d.year is None:
            continue
        if d.day is not None and d.month is not None:
            date, precision = f"{d.year:04d}-{d.month:02d}-{d.day:02d}", "day"
        elif d.month is not None:
            date, precision = f"{d.year:04d}-{d.month:02d}", "month"
        else:
            date, precision = f"{d.year:04d}", "year"
        events.append(Event(d.start, d.end, text[d.start:d.end], date, precision,
                            sentences.stripped(structure.sentence_span(d.start))))
    return events


def _tier_placements(text: str, dates: list[_Date], structure: TextStructure,
                     country_code: str | None,
                     sentences: _Sentences | None = None) -> list[TierPlacement]:
    sentences = sentences or _Sentences(text, structure)
    placements: list[TierPlacement] = []
    seen = set()
    date_starts = [d.start for d in dates]  # sorted: found left to right
    for m in TIER.finditer(text):
        s_start, s_end = structure.sentence_span(m.start())
        low, high = bisect_left(date_starts, s_start), bisect_left(date_starts, s_end)
        here = bisect_left(date_starts, m.end(), low, high)
        # the first year after the tier in its sentence, else the last one before it
        pick = next((dates[i] for i in chain(range(here, high), range(here - 1, low - 1, -1))
                     if dates[i].year and not dates[i].is_name), None)
        years = [pick] if pick else []
        if not years:
            continue
        after = [d for d in years if d.start >= m.end()]
        year = (after[0] if after else years[-1]).year
        tier = TIER_NAMES[m.group("tier").lower()] + (" Watch List" if m.group("watch") else "")
        key = (country_code, year, tier)
        if key in seen:
            continue
        seen.add(key)
        placements.append(TierPlacement(m.start(), m.end(), m.group(0), country_code, year, tier,
                                        sentences.stripped((s_start, s_end))))
    return placements


# ---------------------------------------------------------------------------------------------
# Reading one figure


class _Sentences:
    """Facts about a sentence (or a paragraph) found once, not once per figure in it: the work
    per figure must not grow with the length of its sentence. A table row, a list or a text
    without full stops can be one "sentence" of a million characters."""

    def __init__(self, text: str, structure: TextStructure):
        self.text, self.structure = text, structure
        self._stripped: dict[int, str] = {}
        self._recurring: dict[int, bool] = {}
        self._references: dict[int, tuple[list[int], list[str]]] = {}
        self._phrase: dict[int, tuple[int, int] | None] = {}
        self._relative: dict[int, tuple[list[int], list[int]]] = {}
        self._first_phrase: dict[int, int | None] = {}

    def stripped(self, sentence: tuple[int, int]) -> str:
        found = self._stripped.get(sentence[0])
        if found is None:
            found = self._stripped[sentence[0]] = self.text[sentence[0]:sentence[1]].strip()
        return found

    def recurring(self, sentence: tuple[int, int]) -> bool:
        found = self._recurring.get(sentence[0])
        if found is None:
            found = self._recurring[sentence[0]] = bool(RECURRING.search(self.text, *sentence))
        return found

    def legal_reference(self, start: int, sentence: tuple[int, int]) -> str | None:
        """The legal reference of the sentence nearest to `start` (the earlier one on a tie)."""
        found = self._references.get(sentence[0])
        if found is None:
            references = list(LEGAL_REFERENCE.finditer(self.text, *sentence))
            found = self._references[sentence[0]] = (
                [m.start() for m in references],
                [re.sub(r"\s+", " ", m.group(0)) for m in references])
        starts, names = found
        if not starts:
            return None
        i = bisect_left(starts, start)
        if i == len(starts) or i > 0 and start - starts[i - 1] <= starts[i] - start:
            i -= 1
        return names[i]

    def reporting_period_applies(self, start: int, end: int, sentence: tuple[int, int]) -> bool:
        """Does a "during the year" of the sentence date the figure at start:end? Not when it
        follows the figure in a relative clause ("..., who were in detention at year's end").
        Only the sentence's first such phrase counts: when a relative clause separates the
        figure from it, it also separates the figure from every later one."""
        if sentence[0] not in self._phrase:
            m = rules().reporting_period.search(self.text, *sentence)
            self._phrase[sentence[0]] = (m.start(), m.end()) if m else None
        phrase = self._phrase[sentence[0]]
        if phrase is None:
            return False
        if phrase[1] <= start:
            return True
        relative = self._relative.get(sentence[0])
        if relative is None:
            clauses = list(RELATIVE_CLAUSE.finditer(self.text, *sentence))
            relative = self._relative[sentence[0]] = ([m.start() for m in clauses],
                                                      [m.end() for m in clauses])
        i = bisect_left(relative[0], end)
        return not (i < len(relative[0]) and relative[1][i] <= phrase[0])

    def reporting_period_before(self, paragraph_start: int, offset: int) -> bool:
        """Is there a "during the year" in the paragraph before `offset`? Its first one, found
        once per paragraph, tells."""
        if paragraph_start not in self._first_phrase:
            starts = self.structure.paragraph_starts
            i = bisect_right(starts, paragraph_start)
            paragraph_end = starts[i] if i < len(starts) else len(self.text)
            m = rules().reporting_period.search(self.text, paragraph_start, paragraph_end)
            self._first_phrase[paragraph_start] = m.end() if m else None
        first_end = self._first_phrase[paragraph_start]
        return first_end is not None and first_end <= offset


def _sentence_text(text: str, structure: TextStructure, offset: int) -> str:
    start, end = structure.sentence_span(offset)
    return text[start:end].strip()


def _pluralize(noun: str) -> str:
    if noun.endswith("s"):
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


@dataclass
class _Reading:
    unit: str | None = None
    entity: str | None = None
    end: int | None = None  # where a unit word that belongs to the span ends


def _read_unit(text: str, number: _Number, limit: int, country_code: str | None,
               previous: _Reading | None) -> _Reading:
    """What a number counts, from the words after it."""
    r = rules()
    if number.currency:
        return _Reading(unit=number.currency)
    if number.percent:
        return _Reading(unit="percent", entity=_of_phrase(text, number.end, limit))
    limit = min(limit, number.end + 300)  # a unit is read from the next few words only
    after = text[number.end:limit]
    currency = r.currency_after.match(after)
    if currency:
        name, code = currency.group(1), currency.group(2)
        unit = r.currency_for_name(name, country_code) if name else code.upper()
        if unit:
            return _Reading(unit=unit)
    percent = re.match(r"^[ \t]+(?:percent|per[ \t]cent)\b", after, re.I)
    if percent:
        return _Reading(unit="percent", entity=_of_phrase(text, number.end + percent.end(), limit))
    duration = re.match(r"^(?:[ \t]*[-‑][ \t]*|[ \t]+)(?P<word>[A-Za-z]+)['’]?", after)
    if duration and duration.group("word").lower() in r.duration_units:
        return _Reading(unit=r.duration_units[duration.group("word").lower()],
                        end=number.end + duration.end())
    if PEOPLE_GIVEN.match(after):  # "where 23 given sentences": people, not sentences
        return _Reading(unit="persons")
    of = DETERMINERS_AFTER_OF.match(after)
    if of and of.group("pronoun") and of.group("pronoun").lower() in ("whom", "them", "which"):
        if previous is not None and previous.unit:
            return _Reading(unit=previous.unit, entity=previous.entity)
        return _Reading(unit="persons" if of.group("pronoun").lower() == "whom" else None)
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
        unit = "persons" if word in r.person_nouns else _pluralize(word)
        return _Reading(unit=unit, entity=word)
    reading = _noun_phrase(text, offset, limit, number.value)
    if reading.unit is None:  # "the number of detected victims fell from 203 to 98"
        counted = NUMBER_OF.search(text, max(0, number.start - 120), number.start)
        if counted:
            reading = _noun_phrase(text, counted.end(), limit, 2)
    return reading


def _noun_phrase(text: str, offset: int, limit: int, value: float) -> _Reading:
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
        if lower in STOP_WORDS:
            break
        if words and lower.endswith("ed") and _is_head(words[-1][0]):
            break  # "two countries recruited ...", "officials investigated by ...": a verb
        words.append((token, m.start(), m.end()))
        if len(words) >= 6:
            break
    while words and words[-1][0].lower() == "and":
        words.pop()
    if not words:
        return _Reading()
    person_positions = [i for i, (w, _, _) in enumerate(words)
                        if w.lower() in r.person_nouns or PERSON_DEMONYM.match(w)]
    head = words[-1][0]
    if _is_plural(head) and head.lower() not in r.person_nouns and head[0].islower() and (
            len(words) == 1 or words[-2][0].lower() not in ("and", "or")):
        # "41 criminal cases": the last word is the head, "criminal" only describes it
        return _Reading(unit=head.lower(), entity=text[words[0][1]:words[-1][2]])
    if person_positions:
        last = person_positions[-1]
        return _Reading(unit="persons", entity=text[words[0][1]:words[last][2]])
    plural = [i for i, (w, _, _) in enumerate(words) if _is_plural(w) and w[0].islower()]
    if plural:
        last = plural[0]
        return _Reading(unit=words[last][0].lower(), entity=text[words[0][1]:words[last][2]])
    if value == 1 and words[0][0][0].islower() and not words[0][0].lower().endswith(("ed", "ly")):
        head = 0
        while head + 1 < len(words) and words[head + 1][0][0].islower() and \
                not words[head + 1][0].lower().endswith(("ed", "ly", "ing")):
            head += 1
        return _Reading(unit=_pluralize(words[head][0].lower()),
                        entity=text[words[0][1]:words[head][2]])
    return _Reading()


def _is_plural(word: str) -> bool:
    lower = word.lower()
    return lower.endswith("s") and not lower.endswith(("ss", "us", "is"))


def _is_head(word: str) -> bool:
    lower = word.lower()
    return lower in rules().person_nouns or (lower.endswith("s") and not lower.endswith("ss"))


def _of_phrase(text: str, offset: int, limit: int) -> str | None:
    limit = min(limit, offset + 300)
    m = re.match(r"^[ \t]+of[ \t]+(?:(?:the|these|those|all)[ \t]+)?", text[offset:limit])  # noqa: E501
    if not m:
        return None
    reading = _noun_phrase(text, offset + m.end(), limit, 2)
    return reading.entity


def _mentions_estimate(clause: str) -> bool:
    lower = clause.lower()
    return any(word in lower for word in rules().estimate_words)


def _qualifier(text: str, start: int, end: int, sentence_start: int, unit: str | None) -> str:
    r = rules()
    window_start = max(sentence_start, start - 40)
    before = text[window_start:start]
    words = before.split()
    if words and words[-1].lower() in r.qualifier_last_words:  # cheap test before the regex
        m = r.qualifier_before.search(before)
        if m:
            return m.lastgroup or "exact"
    if _mentions_estimate(_clause_before(text, start, sentence_start)):
        return "approximate"
    after = r.qualifier_after.match(text, end, min(len(text), end + 100))
    if after:  # "800 to 1,000 immigrants ..., on average", "20 or more"
        return after.lastgroup or "exact"
    if re.search(r"\bto\s*$", before) and re.search(r"\brang(?:e|es|ed|ing)\s+from\b",
                                                   _clause_before(text, start, sentence_start)):
        return "at_most"  # "fines range from $375 to $1,500"
    if unit in ("years", "months", "weeks", "days") or (unit and unit.isupper()):
        clause = text[max(sentence_start, start - 300):start].rsplit(";", 1)[-1].lower()
        if "maximum" in clause:
            return "at_most"
        if "minimum" in clause:
            return "at_least"
    return "exact"


def _clause_before(text: str, start: int, sentence_start: int) -> str:
    """The text before a figure back to the start of its clause (sentence start or ';')."""
    return text[max(sentence_start, start - 90):start].rsplit(";", 1)[-1]


def _unit_kind(unit: str | None) -> str:
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
class _Keywords:
    """Every indicator keyword of a text, found in one pass: (start, end, keyword) sorted."""

    starts: list[int]
    ends: list[int]
    words: list[str]

    @classmethod
    def find(cls, text: str) -> _Keywords:
        lower = text.lower()
        pattern = rules().indicator_keywords_lower
        if len(lower) != len(text):  # a few characters change length in lower case
            lower, pattern = text, rules().indicator_keywords
        found = [(m.start(), m.end(), " ".join(m.group(0).lower().split()))
                 for m in pattern.finditer(lower)]
        return cls([f[0] for f in found], [f[1] for f in found], [f[2] for f in found])


def _indicator(text: str, start: int, end: int, sentence: tuple[int, int], unit: str | None,
               entity: str | None, keywords: _Keywords) -> str:
    r = rules()
    kind = _unit_kind(unit)
    window_start = max(sentence[0], start - 110)
    window_end = min(sentence[1], end + 80)
    semicolon = text.rfind(";", window_start, start)
    window_start = semicolon + 1 if semicolon >= 0 else window_start
    semicolon = text.find(";", end, window_end)
    window_end = semicolon if semicolon >= 0 else window_end
    if COPULA_AFTER.match(text, end) or COPULA_AFTER.match(text, end + len(entity or "") + 1):
        # "42 children were recovered, four were killed, and 139 were missing": each number's
        # own clause, between commas, says what happened to it
        comma = text.rfind(",", window_start, start)
        window_start = comma + 1 if comma >= 0 else window_start
        comma = text.find(",", end, window_end)
        window_end = comma if comma >= 0 else window_end
    best: tuple[tuple[bool, int, int], str] | None = None
    candidates = []
    if entity and kind != "persons":  # "102 trafficking investigations", not "60 investigators"
        for m in r.indicator_keywords.finditer(entity):
            candidates.append((0, " ".join(m.group(0).lower().split())))
    first = bisect_left(keywords.starts, window_start)
    last = bisect_left(keywords.starts, window_end)
    for i in range(first, last):
        if keywords.ends[i] > window_end:
            continue
        k_start, k_end = keywords.starts[i], keywords.ends[i]
        distance = start - k_end if k_end <= start else max(0, k_start - end)
        candidates.append((distance, keywords.words[i]))
    staff = kind == "persons" and entity and entity.split()[-1].lower() in r.staff_nouns
    for distance, word in candidates:
        for order, rule in r.rules_by_keyword.get(word, ()):
            if not rule.fits(kind, unit) or staff and rule.indicator != "officials_trained":
                continue
            rank = (rule.fallback, distance, order)
            if best is None or rank < best[0]:
                best = (rank, rule.indicator)
    return best[1] if best else "other"


@dataclass
class _YearMention:
    start: int
    end: int
    first: int
    last: int
    link: str  # the word before it: "in", "through", "since"...
    opens_sentence: bool = False  # "In 2009, ..." sets the time of what follows


def _year_mentions(text: str, dates: list[_Date],
                   reporting_period: int | None) -> list[_YearMention]:
    """Years usable as periods, joining "between 1999 and 2007" into one mention.

    In an annual report a month without a year ("In July", "On December 20") is in the
    reporting period.
    """
    mentions: list[_YearMention] = []
    dated = [(d.start, d.end, d.year) for d in dates if not d.is_name]
    if reporting_period:
        taken = {d.start for d in dates}
        dated += [(m.start("month"), m.end("month"), reporting_period)
                  for m in BARE_MONTH.finditer(text) if m.start("month") not in taken
                  and BARE_MONTH_BEFORE.search(text, max(0, m.start() - 12), m.start())]
        for m in PAST_YEARS.finditer(text):  # "during the past 20 years" of a 2006 report
            count = m.group("count")
            years = int(count) if count.isdigit() else int(text2num(count.lower(), "en"))
            dated.append((m.start(), m.end(), (reporting_period - years, reporting_period)))
        for m in PREVIOUS_YEAR.finditer(text):  # "compared with 18 the previous year"
            dated.append((m.start(), m.end(), (reporting_period - 1, reporting_period - 1)))
        dated.sort(key=lambda item: item[0])
    for start, end, year in dated:
        if isinstance(year, tuple):
            word = TOKEN.findall(text, max(0, start - 12), start)
            mentions.append(_YearMention(start, end, year[0], year[1], "during",
                                         bool(SENTENCE_OPENING_TIME.search(
                                             text, max(0, start - 40), start)) or start == 0))
            continue
        if year is None:
            year = reporting_period
            if year is None:
                continue
        d = _Date(start, end, year, None, None, False, start)
        word = TOKEN.findall(text, max(0, d.start - 12), d.start)
        link = word[-1].lower() if word else ""
        if re.search(r"\bsince\b[^,;]{0,30}$", text[max(0, d.start - 40):d.start], re.I):
            link = "since"
        if mentions and YEAR_RANGE_LINK.match(text[mentions[-1].end:d.start]) \
                and mentions[-1].last < d.year:
            previous = mentions[-1]
            mentions[-1] = _YearMention(previous.start, d.end, previous.first, d.year,
                                        previous.link)
            continue
        opens = bool(SENTENCE_OPENING_TIME.search(text, max(0, d.start - 40), d.start)) or \
            d.start == 0
        mentions.append(_YearMention(d.start, d.end, d.year, d.year, link, opens))
    return mentions


def _period_label(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}/{last}"


SENTENCE_OPENING_TIME = re.compile(
    r"(?:^|[.!?:][\"'”’)]*\s+|\n)(?:(?:In|During|By|On|Since|From|Between|Throughout|At the end of|"
    r"Early in|Late in|In early|In late|In mid-?|A|An|The)\s+)(?:the\s+)?(?:[A-Z][a-z]+\.?\s+)?"
    r"(?:[0-9]{1,2},?\s+)?$")


def _owned_by_other_number(text: str, mention: _YearMention, start: int, sentence_start: int,
                           number_starts: list[int], number_ends: list[int]) -> bool:
    """A year that dates a compared figure: "compared with 113 in 2021", "from 467 the previous
    year"."""
    index = bisect_left(number_starts, mention.start) - 1
    return (index >= 0 and number_starts[index] != start and number_starts[index] >= sentence_start
            and 0 <= mention.start - number_ends[index] <= 30
            and COMPARISON_BEFORE.search(text, max(sentence_start, number_starts[index] - 40),
                                         number_starts[index]) is not None)


def _period(text: str, start: int, end: int, sentence: tuple[int, int], paragraph_start: int,
            mentions: list[_YearMention], mention_starts: list[int], number_starts: list[int],
            reporting_period: int | None, indicator: str,
            number_ends: list[int] | None = None, sentences: _Sentences | None = None,
            opener_indices: list[int] | None = None) -> str | None:
    """The year(s) a figure refers to: a year after it in its clause, else before it in its
    sentence, else "during the year", else the last year named earlier in its paragraph."""
    # Mentions are sorted by start; found by bisection, so that the work per figure does not
    # grow with the number of years its sentence names.
    low = bisect_left(mention_starts, sentence[0])
    high = bisect_left(mention_starts, sentence[1])
    here = bisect_right(mention_starts, start, low, high)  # mentions[low:here] start before it
    around = None
    i = here - 1
    while i >= low and mentions[i].start >= start - 300:  # a mention spans a few words at most
        if mentions[i].end >= end:
            around = mentions[i]  # the first one that holds the figure
        i -= 1
    if around:  # "during the past 20 years"
        return _period_label(around.first, around.last)

    def before_figure(i: int):  # the mentions that end before the figure, from the last back
        while i >= low:
            if mentions[i].end <= start:
                yield mentions[i]
            i -= 1

    last_before = next(before_figure(here - 1), None)
    first_after = bisect_left(mention_starts, end, low, high)
    if first_after < high:
        m = mentions[first_after]
        next_number = bisect_left(number_starts, end)
        if next_number < len(number_starts) and not text[end:number_starts[next_number]].strip(
                " \t(" + "".join(rules().currency_symbols)):
            next_number += 1  # "94 million pesos ($1.69 million) in 2021": the same amount
        blocked = next_number < len(number_starts) and number_starts[next_number] < m.start
        gap = text[end:m.start] if m.start - end <= 160 else ""
        complement = COMPLEMENT_CLAUSE.search(gap)  # "one allegation that a ring ... in 2006"
        if not blocked and m.start - end <= 160 and ";" not in gap and not complement:
            if m.link == "since" and reporting_period:
                return _period_label(m.first, reporting_period)
            if m.link in ("through", "until", "till", "to") and last_before:
                return _period_label(last_before.first, m.last)
            return _period_label(m.first, m.last)
    if sentences.recurring(sentence) if sentences else RECURRING.search(text, *sentence):
        return None  # "brought in annually": a rate, not a period
    # a year right after another figure is that figure's: "a decrease from 467 the previous year"
    before = (m for m in before_figure(here - 1)
              if not _owned_by_other_number(text, m, start, sentence[0], number_starts,
                                            number_ends))
    last = next(before, None)
    if last is not None:
        # the last year before the figure in its clause, else the last one opening a sentence,
        # else the last one
        m = last
        if text.find(";", last.start, start) >= 0 and not last.opens_sentence:
            if opener_indices is None:
                opener_indices = [i for i, m in enumerate(mentions) if m.opens_sentence]
            k = bisect_left(opener_indices, here) - 1
            while k >= 0 and opener_indices[k] >= low:
                o = mentions[opener_indices[k]]
                if o.end <= start and not _owned_by_other_number(
                        text, o, start, sentence[0], number_starts, number_ends):
                    m = o
                    break
                k -= 1
        if m.link == "since" and reporting_period:
            return _period_label(m.first, reporting_period)
        return _period_label(m.first, m.last)
    if reporting_period and (sentences.reporting_period_applies(start, end, sentence)
                             if sentences else any(
            not RELATIVE_CLAUSE.search(text, end, m.start()) or m.end() <= start
            for m in rules().reporting_period.finditer(text, sentence[0], sentence[1]))):
        # "during the year", unless it sits in a clause about something else after the figure:
        # "arrested three members, who were in detention at year's end"
        return str(reporting_period)
    if opener_indices is None:
        opener_indices = [i for i, m in enumerate(mentions) if m.opens_sentence]
    opener = bisect_left(opener_indices, low) - 1  # the last year opening an earlier sentence
    if opener >= 0 and opener_indices[opener] >= bisect_left(mention_starts, paragraph_start):
        # "In March 2005, police arrested ... The three were charged ..."
        earlier = mentions[opener_indices[opener]]
        return _period_label(earlier.first, earlier.last)
    if reporting_period and (
            sentences.reporting_period_before(paragraph_start, sentence[0]) if sentences
            else rules().reporting_period.search(text, paragraph_start, sentence[0])):
        return str(reporting_period)
    return None


def _legal_reference(text: str, start: int, sentence: tuple[int, int]) -> str | None:
    references = list(LEGAL_REFERENCE.finditer(text, sentence[0], sentence[1]))
    if not references:
        return None
    nearest = min(references, key=lambda m: abs(m.start() - start))
    return re.sub(r"\s+", " ", nearest.group(0))


# ---------------------------------------------------------------------------------------------
# The extractor


def _fractions(text: str) -> list[_Number]:
    """Fractions of a whole, as percentages: "two-thirds were women" is 66.67 percent."""
    found = []
    for m in FRACTION.finditer(text):
        after = text[m.end():m.end() + 4]
        before = text[max(0, m.start() - 20):m.start()]
        followed_by_of = re.match(r"\s+of\b", after) is not None
        if m.group("half"):
            if after[:1] in "-‑" or re.search(r"\b(?:a|and a|first|second|one|in)\s+$", before,
                                               re.I):
                continue  # "one and a half", "first half", "half-brother"
            if not (followed_by_of or FRACTION_QUALIFIED.search(before)):
                continue
            value = 50.0
        else:
            numerator = m.group("numerator").lower()
            count = 1 if numerator in ("a", "one") else int(text2num(numerator, "en"))
            denominator = FRACTION_DENOMINATORS[m.group("denominator").lower().rstrip("s")]
            if count == 1 and not followed_by_of:
                continue  # "a third shelter" is an ordinal
            if count >= denominator:
                continue
            value = round(100 * count / denominator, 2)
        found.append(_Number(m.start(), m.end(), value, None, True, True, 1, m.group(0)))
    return found


def _is_reference_or_ordinal(text: str, number: _Number) -> bool:
    r = rules()
    before = text[max(0, number.start - 30):number.start]
    words = before.replace("(", " ").split()
    last = words[-1].lower() if words else ""
    if (last in r.reference_words or last in ("and", "or", "&", "-") or last.endswith(",")
            or last[:1].isdigit()) and r.reference_before.search(before):
        return True
    after = text[number.end:number.end + 12]
    if ORDINAL_AFTER.match(after) and not number.currency:
        return True
    if not number.is_words and (after[:1] == "/" or after[:1] == ":" and after[1:2].isdigit()):
        return True
    if not number.is_words and after[:1].isalpha() and not number.percent:
        return True  # "10am", "3rd", "4x4"
    if not number.is_words and (TIME_AFTER.match(after) or after[:1] == "." and
                                after[1:2].isdigit() or before[-1:] == "." and
                                before[-2:-1].isdigit()):
        return True  # "3 p.m.", "16.2.2"
    if re.search(r"\b[Tt]he\s+$", before) and NAME_AFTER.match(after) and not number.currency:
        return True  # "the 1343 Actionline"
    return number.start > 0 and text[number.start - 1] in "/#"


def _range_opener(text: str, start: int) -> bool:
    """Is the number after "between" or "from" (so "X and Y" is a range)?"""
    window = text[max(0, start - 30):start]
    return ("between" in window or "from" in window or "Between" in window
            or "From" in window) and bool(RANGE_OPENER.search(window))


def _merge_ranges(text: str, numbers: list[_Number]) -> list[tuple[_Number, _Number | None, int]]:
    """Pair numbers that form a range; the int is where the span ends."""
    merged: list[tuple[_Number, _Number | None, int]] = []
    i = 0
    while i < len(numbers):
        first = numbers[i]
        if i + 1 < len(numbers):
            second = numbers[i + 1]
            gap = text[first.end:second.start]
            opener = _range_opener(text, first.start)
            plain = RANGE_LINK.match(gap)
            with_unit = RANGE_LINK_WITH_UNIT.match(gap)
            word = plain.group(0).strip().lower() if plain else ""
            needs_opener = word in ("and", "or") and not first.is_words
            listed = RESPECTIVELY_AFTER.match(text[second.end:second.end + 80]) or (
                word in ("to", "-", "–", "—", "") and NOT_A_RANGE_BEFORE.search(
                    text, max(0, first.start - 120), first.start))
            if (plain and (not needs_opener or opener) and word != "or" or with_unit) \
                    and not listed and (None in (first.currency, second.currency)
                                        or first.currency == second.currency) \
                    and first.percent == second.percent:
                low, high = first.value, second.value
                if second.scale > 1 and first.scale == 1 and low < high / second.scale * 1.01:
                    low *= second.scale  # "20 and 25 thousand"
                if with_unit:  # "18 months to 15 years": compare in the upper bound's unit
                    low = _convert_duration(low, with_unit.group("unit"), text, second.end)
                if low < high:
                    first = _Number(first.start, first.end, low, second.currency or first.currency,
                                    first.percent, first.is_words, first.scale, first.words)
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


def _convert_duration(value: float, unit_word: str, text: str, after: int) -> float:
    """The lower bound of "six months' to 13 years'" in the upper bound's unit."""
    per_year = {"year": 1, "month": 12, "week": 52, "day": 365, "hour": 8760}
    tail = re.match(r"^[ \t]*[-‑]?(years?|months?|weeks?|days?|hours?)", text[after:after + 12],
                    re.I)
    if not tail:
        return value
    low_unit = unit_word.lower().rstrip("s")
    high_unit = tail.group(1).lower().rstrip("s")
    return value * per_year[high_unit] / per_year[low_unit]


def extract(text: str, *, reporting_period: int | None = None,
            country_code: str | None = None) -> Extraction:
    """All figures, dated events and tier placements in a text."""
    structure = analyse(text)
    dates = _find_dates(text)
    date_spans = sorted((d.start, d.end) for d in dates)
    date_starts = [s for s, _ in date_spans]

    def inside_date(start: int, end: int) -> bool:
        index = bisect_left(date_starts, end) - 1
        return index >= 0 and date_spans[index][1] > start

    tier_starts = [m.start() for m in TIER.finditer(text)]
    phones = [(m.start(), m.end()) for m in PHONE.finditer(text)]
    phone_starts = [start for start, _ in phones]
    numbers: list[_Number] = []
    for match in rules().number.finditer(text):
        number = _parse_number(match, country_code)
        if number is None:
            continue
        digits_start = match.start("digits") if match.group("digits") else match.start("words")
        if inside_date(digits_start, match.end("digits") if match.group("digits")
                       else match.end("words")):
            continue
        tier = bisect_left(tier_starts, number.start) - 1
        if tier >= 0 and number.start - tier_starts[tier] < 10:  # "Tier 2", "Tier Three"
            continue
        if _is_reference_or_ordinal(text, number):
            continue
        phone = bisect_left(phone_starts, number.start + 1) - 1
        if phone >= 0 and phones[phone][1] >= number.end:
            continue  # a telephone number
        numbers.append(number)
    if "half" in text or "third" in text or "quarter" in text:
        starts, ends = [n.start for n in numbers], [n.end for n in numbers]

        def free(fraction: _Number) -> bool:  # overlaps no number: not "$ two" in "$ two-thirds"
            i = bisect_left(starts, fraction.end) - 1
            return i < 0 or ends[i] <= fraction.start

        numbers += [f for f in _fractions(text) if free(f)]
        numbers.sort(key=lambda n: n.start)

    mentions = _year_mentions(text, dates, reporting_period)
    mention_starts = [m.start for m in mentions]
    openers = [i for i, m in enumerate(mentions) if m.opens_sentence]
    sentences = _Sentences(text, structure)
    number_starts = [n.start for n in numbers]
    number_ends = [n.end for n in numbers]
    figures: list[Figure] = []
    previous: tuple[int, _Reading] | None = None
    keywords = _Keywords.find(text)
    merged = _merge_ranges(text, numbers)
    for index, (first, second, span_end) in enumerate(merged):
        sentence = structure.sentence_span(first.start)
        last = second or first
        limit = sentence[1]
        following = merged[index + 1][0] if index + 1 < len(merged) else None
        if second is None and following is not None and LIST_LINK.match(
                text[span_end:following.start]):
            last = following  # "eight and nine months", "four out of 10 cases": the next unit
        reading = _read_unit(text, last, limit, country_code,
                             previous[1] if previous and previous[0] == sentence[0] else None)
        if first.currency and not last.currency:  # "€2.40–2.80"
            reading = _Reading(unit=first.currency)
        if last is following and not reading.unit:
            reading = _read_unit(text, first, limit, country_code,
                                 previous[1] if previous and previous[0] == sentence[0] else None)
        if first.is_words and first.value == 1 and second is None and (
                not reading.unit or ONE_AS_PRONOUN.match(text, first.end)):
            continue
        if not reading.unit and first.is_words and not reading.entity and \
                ONE_AS_PRONOUN.match(text, span_end) and first.value == 1:
            continue
        if reading.unit is None and "age" in text[max(0, first.start - 30):first.start] and \
                AGE_BEFORE.search(text, max(0, first.start - 30), first.start):
            reading = _Reading(unit="years", entity="age")
        if reading.unit is None and previous and previous[0] == sentence[0] and \
                previous[1].unit in ("persons",) or reading.unit is None and previous and \
                previous[0] == sentence[0] and _unit_kind(previous[1].unit) == "count":
            # "prosecuted 27 traffickers and convicted 11", "identified 253 victims (108 ...)"
            reading = _Reading(unit=previous[1].unit)
        if reading.unit is None and COPULA_AFTER.match(text, span_end):
            reading = _Reading(unit="persons")  # "The three were charged", "139 were missing"
        qualifier = "exact"
        if second is None:
            qualifier = _qualifier(text, first.start, span_end, sentence[0], reading.unit)
        elif _mentions_estimate(_clause_before(text, first.start, sentence[0])) or \
                rules().qualifier_after.match(text, span_end, min(len(text), span_end + 100)):
            qualifier = "approximate"
        indicator = _indicator(text, first.start, span_end, sentence, reading.unit,
                               reading.entity, keywords)
        period = None if indicator == "penalty" else _period(
            text, first.start, span_end, sentence, structure.paragraph_start(first.start),
            mentions, mention_starts, number_starts, reporting_period, indicator, number_ends,
            sentences, openers)
        restated = figures and PARENTHETICAL.search(text, figures[-1].end, first.start)
        if restated and text.count(")", figures[-1].end, first.start) == 0:
            # "$375 (50,000 naira)": the same amount again, with the same qualifier and period
            qualifier, period = figures[-1].qualifier, figures[-1].period
        previous = (sentence[0], reading)
        figures.append(Figure(
            start=first.start,
            end=span_end,
            text=text[first.start:span_end],
            value=first.value,
            value_max=second.value if second else None,
            unit=reading.unit,
            entity=reading.entity,
            qualifier=qualifier,
            indicator=indicator,
            period=period,
            section=structure.section(first.start),
            sentence=sentences.stripped(sentence),
            legal_reference=sentences.legal_reference(first.start, sentence),
        ))
    return Extraction(
        figures=figures,
        events=_events(text, dates, structure, sentences),
        tier_placements=_tier_placements(text, dates, structure, country_code, sentences),
    )


def read_value(quote: str) -> list[float] | None:
    """The numbers written in a figure's text ("$3,732" -> [3732], "5–20" -> [5, 20]), or None.

    Used to check that a published or corrected value really reads from its quote.
    """
    numbers = [n for n in (_parse_number(m) for m in rules().number.finditer(quote)) if n]
    values = [n.value for n in numbers]
    if len(numbers) == 2 and numbers[1].scale > 1 and numbers[0].scale == 1:
        values[0] *= numbers[1].scale  # "20 and 25 thousand"
    if len(values) == 2 and re.search(r"months?['’]?\s+(?:to|and)", quote, re.I) \
            and re.search(r"years?['’]?\s*$", quote, re.I):
        values[0] = values[0] / 12  # "six months' to 13 years'" is 0.5 to 13 years
    return values or None
