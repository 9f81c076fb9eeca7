"""The extractor's vocabulary and indicator rules (rules/extraction.yaml), compiled."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tipfigures import __version__

RULES_PATH = Path(__file__).parent.parent / "rules" / "extraction.yaml"



# where a sentence's words begin, past an opening quotation mark: '"Of the 71 people we ...'
SENTENCE_OPENING = r"\s*[\"“]?"

def alternation(phrases: list[str]) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching any white space."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


def starts(*phrase_lists: list[str], also: str = "") -> str:
    """A look-ahead on the characters the phrases (and `also`) start with, in both cases.

    Put before a pattern that can only start there, it lets the regex engine pass over every
    other position at once: a pattern searched through whole sentences runs several times
    faster. (A phrase's space matches any white space, as in alternation() and trie().)"""
    chars = {c for phrases in phrase_lists for p in phrases if p
             for c in (p[0].lower(), p[0].upper())} | set(also.lower() + also.upper())
    escaped = [r"\s" if c == " " else re.escape(c) for c in sorted(chars)]
    return "(?=[" + "".join(escaped) + "])"


def cue_pattern(phrases: list[str], word_end: bool = True) -> re.Pattern[str]:
    """Any of the phrases as a word of its own (or, without word_end, the start of one), in any
    case: the shape of most cue lists in rules/extraction.yaml."""
    end = r"\b" if word_end else ""
    return re.compile(starts(phrases) + rf"\b(?:{trie(phrases)}){end}", re.I)


def trie(phrases: list[str]) -> str:
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
    last_resort: bool = False  # chosen only when no other rule's keyword is in the clause

    def fits(self, kind: str, unit: str | None) -> bool:
        # a share ("41 per cent of detected victims") measures what it is a share of
        share = kind == "percent" and bool(self.kinds & {"persons", "count", "money"})
        return (kind in self.kinds or "any" in self.kinds or share) and (
            self.units is None or unit in self.units)


def _currency_codes() -> frozenset[str]:
    """Every ISO 4217 code ("MNT 150 million", "ALL 68 million"), from pycountry's data."""
    import pycountry

    return frozenset(currency.alpha_3 for currency in pycountry.currencies
                     if not currency.alpha_3.startswith("X") or currency.alpha_3 in (
                         "XAF", "XOF", "XCD", "XPF"))


def _currency_names() -> dict[str, str]:
    """ISO 4217's English names ("kwanza", "armenian dram"), singular and plural, from
    pycountry's data: the currencies the rules do not name."""
    import pycountry

    names: dict[str, str] = {}
    for currency in pycountry.currencies:
        name = currency.name.lower()
        if currency.alpha_3.startswith("X") or re.search(r"[()]|\bunidad\b|\bwir\b", name):
            continue  # (funds and units of account: "Unidad de Fomento", "WIR Euro")
        names.setdefault(name, currency.alpha_3)
        names.setdefault(name + "s", currency.alpha_3)
    return names


@cache
def national_currency(country_code: str, word: str) -> str | None:
    """The one currency of a country whose name has the word: ("URY", "peso") -> UYU. An
    ISO 4217 code begins with its country's ISO 3166-1 alpha-2 code."""
    import pycountry

    country = pycountry.countries.get(alpha_3=country_code)
    if country is None:
        return None
    found = [currency.alpha_3 for currency in pycountry.currencies
             if currency.alpha_3.startswith(country.alpha_2) and "(" not in currency.name
             and word in currency.name.lower()]
    return found[0] if len(found) == 1 else None


def _country_names(aliases: dict[str, str]) -> dict[str, str]:
    """Country names as reports write them, with their ISO 3166-1 alpha-3 codes."""
    import pycountry  # its data ships with the package: nothing is downloaded

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name"):
            name = getattr(country, attribute, None)
            if name and "," not in name and "(" not in name:
                names[name] = country.alpha_3
    names.update(aliases)
    return names


class StructureRules:
    """The vocabulary of the attachments and roles stages, compiled."""

    def __init__(self, data: dict[str, Any]):
        # "an increase from", and with a degree word or two: "a significant increase from"
        # (or with its size: "an increase of 31% on the 13,140 referred in 2021")
        change = (rf"\ban?[ \t]+(?:[a-z]+[ \t]+){{0,2}}(?:{trie(data['comparison_changes'])})"
                  rf"(?:[ \t]+of[ \t]+[0-9][0-9.,]*[ \t]*(?:%|percent|per[ \t]cent))?"
                  rf"[ \t]+(?:from|over|on|compared[ \t]+(?:with|to))\b")
        # ("up 12% from 1,170 in 2020": a change in percent, then the compared count)
        percent_change = (r"\b(?:up|down)[ \t]+[0-9][0-9.,]*(?:[ \t]*%|[ \t]+per[ \t]?cent)"
                          r"[ \t]+(?:from|on)\b")
        self.comparison = re.compile(
            starts(data["comparison_openers"], also="aud")  # ("a"n increase, "up"/"down" 12%)
            + rf"(?:\b(?:{trie(data['comparison_openers'])})\b|{change}|{percent_change})", re.I)
        # "an increase of 12 over the previous year", "rose by 40": a difference, not a count
        self.difference_before = re.compile(
            rf"\b(?:an?[ \t]+(?:[a-z]+[ \t]+)?(?:{trie(data['comparison_changes'])})[ \t]+of|"
            rf"(?:increased|decreased|rose|fell|dropped|declined|grew|went[ \t]+up|"
            rf"went[ \t]+down)[ \t]+by)[ \t]+$", re.I)
        # "identified 262 victims among 2,041 screened": the pool a count was drawn from
        self.pool_before = re.compile(rf"\b(?:{trie(data['pool_cues'])})[ \t]+$", re.I)
        self.identified_as_before = re.compile(
            rf"\b(?:{trie(data['identified_as_verbs'])})[ \t]+$", re.I)
        self.part_opener = re.compile(
            rf"\b(?:{trie(data['part_openers'])})[ \t]*,?[ \t]+$", re.I)
        self.part_closer = re.compile(rf"[ \t]+(?:{trie(data['part_closers'])})\b", re.I)
        self.same_count_link = re.compile(
            rf"\b(?:{trie(data['same_count_links'])})[ \t]+$", re.I)
        not_before = data["breakdown_word_not_before"]

        def breakdown_word(word: str) -> str:
            exceptions = not_before.get(word.lower())
            return rf"{re.escape(word)}(?![ \t]+(?:{trie(exceptions)})\b)" if exceptions \
                else re.escape(word)

        self.breakdowns = [
            (code, re.compile(rf"\b(?:{trie([w for w in words if w.lower() not in not_before])}"
                              + "".join(f"|{breakdown_word(w)}" for w in words
                                        if w.lower() in not_before) + r")\b", re.I))
            for code, words in data["breakdowns"].items()]
        # "followed by forced marriage (94) and sexual exploitation (52)": a form, counted
        self.form_in_parenthesis = [
            (code, re.compile(rf"\b(?:{trie(words)})[ \t]*\($", re.I))
            for code, words in data["breakdowns"].items() if code.startswith("form=")]
        self.no_form_indicators = frozenset(data["no_form_indicators"])
        self.two_breakdown_nouns: dict[str, list[str]] = data["two_breakdown_nouns"]
        nouns = trie([word for words in data["breakdowns"].values() for word in words])
        self.no_breakdown_alone = frozenset(data["no_breakdown_alone"])
        self.breakdown_noun = re.compile(rf"\b({nouns})\b", re.I)
        self.breakdown_pair = re.compile(
            rf"\b({nouns})[ \t]+(?:and|or|and/or)[ \t]+(?:[a-z]+[ \t]+)?({nouns})\b", re.I)
        self.demonyms: dict[str, str] = data["demonyms"]
        self.demonym = re.compile(rf"\b({trie(list(self.demonyms))})s?\b")
        # "Spanish police identified 64 Moroccan victims": a country's authorities count
        self.demonym_subject = re.compile(
            rf"\b({trie(list(self.demonyms))})[ \t]+(?:{trie(data['counting_authorities'])})\b"
            rf"(?=(?:(?!,[ \t]+(?:and|but|while|whereas)[ \t])[^;])*$)")
        self.countries = _country_names(data["country_aliases"])
        names = trie(list(self.countries))
        # "primarily India (31), the Philippines (19)": a count of people from that country
        self.country_in_parenthesis = re.compile(rf"\b({names})[ \t]*\($")
        # "followed by Romanians (96) and Chinese (48)": people of a nationality, counted
        self.demonym_in_parenthesis = re.compile(
            rf"\b({trie(list(self.demonyms))})s?[ \t]*\($")
        # "Bulgaria identified 330 victims ... and Cyprus 94": a country that counts; in the
        # figure's own clause
        # a country, then (its authorities and) a counting verb: "Bulgaria identified"
        counting_country = (rf"({names})[ \t]+(?:(?:{trie(data['counting_authorities'])})[ \t]+)?"
                            rf"(?:{trie(data['country_subject_verbs'])})\b")
        own_clause = r"(?=(?:(?!,[ \t]+(?:and|but|while|whereas)[ \t])[^;])*$)"
        # an agency's name: capitalised words ("the National Bureau of Investigation (NBI)"),
        # or a common noun of one ("the immigration service")
        self.agency_name = (rf"(?:(?:{trie(data['agency_nouns'])})\b|"
                            r"[A-Z][\w'’.-]*(?:[ \t]+(?:of[ \t]+|for[ \t]+|and[ \t]+)?"
                            r"[A-Z][\w'’.-]*)*(?:[ \t]+\([A-Z]{2,8}\))?)")
        self.country_subject = re.compile(
            # (one country, not the last of a list: "consulates in Russia, Kazakhstan, and
            # Turkey identified the other 241")
            starts(list(self.countries), also="a") +
            rf"(?:(?<!, )(?<!and )(?<!or )(?<!in )(?<!of )\b{counting_country}{own_clause}"
            rf"|\band[ \t]+({names})[ \t]+$)")
        # (but after a sentence adverb, "By comparison, Trinidad and Tobago identified 39",
        # the country opens the clause)
        self.adverb_country_subject = re.compile(
            rf"\b(?:{alternation(data['sentence_adverbs'])}),[ \t]+{counting_country}{own_clause}")
        # "..., and Greece identified six": a country that counts, after "and" (a list of
        # countries before it, "Russia, Kazakhstan, and Turkey identified", is no subject)
        self.and_country_subject = re.compile(
            rf"(?<![A-Za-z])and[ \t]+{counting_country}[^,;0-9]{{0,30}}$")
        self.country_list_end = re.compile(rf"\b(?:{names}),?[ \t]*$")
        self.form_ranking = re.compile(  # "Sexual exploitation remained the main form"
            SENTENCE_OPENING + r"(?P<subject>[A-Z][^,;.()0-9]{2,80}?)(?:,[^;.0-9]{0,100}?,)?[ \t]+"
            r"(?:was|remained|is)[ \t]+(?:again[ \t]+|still[ \t]+)?(?:by[ \t]+far[ \t]+)?"
            rf"(?:the[ \t]+)?(?:{trie(data['form_ranking_words'])})[ \t]+(?:[a-z]+[ \t]+)?"
            rf"(?:{trie(data['form_ranking_nouns'])})\b")
        self.in_country = re.compile(rf"(?=[iw])\b(?:in|within)[ \t]+({names})(?![\w-]|\.[\w])")
        # before a figure, in its sentence: "on the whole territory of US, ... 8,000 women"
        self.country_before = re.compile(
            rf"(?=[IiWwTtAa])\b(?:[Ii]n|[Ww]ithin|[Tt]hroughout|[Aa]cross|territory[ \t]+of)[ \t]+"
            rf"(?:neighbou?ring[ \t]+)?({names})"
            rf"(?![\w-]|\.[\w])"
            # in the figure's own clause: not "... exploited in China, and 183 were foreign"
            rf"(?=(?:(?!,[ \t]+(?:and|but|while|whereas)[ \t])[^;])*$)")
        # "the United Kingdom's referral mechanism registered 89 victims": a counting subject
        self.country_possessive = re.compile(
            starts(list(self.countries)) + rf"\b({names})['’]s[ \t]"
            rf"(?=(?:(?!,[ \t]+(?:and|but|while|whereas)[ \t])[^;])*$)")
        # "GTSEZ authorities and Chinese police detained 771 people": a joint subject
        self.joint_subject = re.compile(
            rf"\b(?:{trie(data['counting_authorities'])})[ \t]+(?:and|with)[ \t]+$")
        self.stock_after = re.compile(  # "30,000 women worked in Beirut": a population
            rf"[ \t]*(?:{trie(data['stock_verbs'])})\b", re.I)
        self.cumulative = cue_pattern(data["cumulative_cues"])
        self.plan_budget = cue_pattern(data["plan_budget_cues"])
        self.partial_year = cue_pattern(data["partial_year_cues"])
        self.case_cue = cue_pattern(data["case_cues"])
        self.case_event = re.compile(rf"\b(?:in|during)[ \t]+an?[ \t]+(?:[\w-]+[ \t]+){{0,2}}?"
                                     rf"(?:{trie(data['case_events'])})\b", re.I)
        # (not "children released from armed groups": freed, a count of victims)
        self.not_other_cues_for_money = frozenset(data["not_other_cues_for_money"])
        self.law_enforcement_outcomes = frozenset(data["law_enforcement_outcomes"])
        self.identified_and_then = re.compile(  # "identified and assisted a further 352"
            rf"\bidentified[ \t]+and[ \t]+(?:{trie(data['care_after_identification'])})[ \t]+"
            r"(?:(?:an?|another|additional|further|a[ \t]+total[ \t]+of|at[ \t]+least)[ \t]+)*$")
        self.other_cue = re.compile(starts(data["other_cues"]) +
                                    rf"\b(?!(?:{trie(data['not_other_cues'])})\b)"
                                    rf"(?:{trie(data['other_cues'])})\b", re.I)
        self.carried_over = re.compile(
            rf"\b(?:{trie(data['carried_over_cues'])})[ \t]+(?:[a-z]+[ \t]+)?$", re.I)
        self.estimate_cue = cue_pattern(data["estimate_cues"], word_end=False)
        self.not_reported_cue = cue_pattern(data["not_reported_cues"])
        self.official_noun = cue_pattern(data["official_nouns"])
        self.law_enforcement_indicators = frozenset(data["law_enforcement_indicators"])
        self.not_all_trafficking = re.compile(
            starts(data["not_all_trafficking_cues"]) +
            rf"\b(?:{trie(data['not_all_trafficking_cues'])})\b[^.;]{{0,40}}?\btraffick", re.I)
        self.first_person = re.compile(
            rf"\b(?:{alternation(data['first_person_words'])})\b", re.I)
        self.law_enforcement_count_units = frozenset(data["law_enforcement_count_units"])
        self.people_served = frozenset(data["people_served"])
        self.victims_given = cue_pattern(data["victims_given_cues"])
        self.case_subjects = [(indicator, cue_pattern(words))
                              for indicator, words in data["case_subjects"].items()]
        self.case_nouns = frozenset(data["case_nouns"])
        self.subnational_cue = cue_pattern(data["subnational_cues"])
        self.budget_share_cue = cue_pattern(data["budget_share_cues"])
        self.per_person_after = re.compile(
            r"(?:[ \t]+[a-z]+)?[ \t]+(?:\([^()]{0,40}\)[ \t]+)?"
            rf"(?:{trie(data['per_person_cues'])})\b(?![ \t]+(?:{trie(data['per_year_words'])})\b)")
        self.not_all_spent = re.compile(
            r"(?:[^.;]|\.(?=[0-9])){0,120}?\bbut[ \t]+(?:[a-z]+[ \t]+){0,3}?"
            rf"(?:{trie(data['spent_verbs'])})\b")
        self.not_counted_entity = re.compile(
            rf"\b(?:{trie(data['not_counted_entities'])})", re.I)
        self.part_sentence_opener = re.compile(
            SENTENCE_OPENING + rf"(?:{trie(data['part_sentence_openers'])})\b", re.I)
        self.from_country = re.compile(  # a part's nationality: "29 from El Salvador"
            rf"\b(?:from|nationals[ \t]+of|citizens[ \t]+of)[ \t]+({names})(?![\w-]|\.[\w])")
        # "repatriated 19 children to Burkina Faso": where they were sent home to, in the
        # figure's own phrase
        self.to_country = re.compile(
            rf"[ \t]+(?:[A-Za-z-]+[ \t]+){{0,3}}?(?:back[ \t]+)?to[ \t]+(?:the[ \t]+)?({names})"
            rf"(?![\w-]|\.[\w])")
        # "from Guinea, Ivory Coast and Senegal": more countries follow the first one
        self.next_country = re.compile(
            rf"[ \t]*(?:,|,?[ \t]+(?:and|or))[ \t]+(?:and[ \t]+)?(?:the[ \t]+)?({names})"
            rf"(?![\w-]|\.[\w])")
        self.estimate_indicators = frozenset(data["estimate_indicators"])
        self.not_total_indicators = frozenset(data["not_total_indicators"])


class Rules:
    """The compiled form of rules/extraction.yaml."""

    def __init__(self, data: dict[str, Any]):
        self.person_nouns = frozenset(data["person_nouns"])
        self.person_event_nouns = frozenset(data["person_event_nouns"])
        self.told_participles = frozenset(data["told_participles"])
        self.keywords_only_before = frozenset(data["keywords_only_before"])
        self.trend_verbs = tuple(data["trend_verbs"])
        restated = "|".join((*self.trend_verbs, *data["restated_verbs"]))
        # "The number rose from 362 in 2017 to 468 in 2019": a count told again
        self.the_number_again = re.compile(
            r"(?:^|(?<=[.!?\]]\s))The[ \t]+(?:total[ \t]+)?number[ \t]+"
            rf"(?:{restated})\b[^.;]*$", re.M)
        # "The figure was up 18.7 percent from 347 in 2022": the count told before, told again
        self.the_figure_again = re.compile(
            r"[ \t]*(?:The|That|This)[ \t]+(?:figure|number|total|tally|count)"
            rf"[ \t]+(?:{restated})\b")
        # the subject of a trend, then its counts: "Investigations fell to four in 2019 and
        # three in"
        self.trend_subject = re.compile(
            r"(?:^|(?<=[.;:]\s)|(?<=\]\s)|(?<=\n))(?:[A-Z][a-z]+[ \t]+){0,2}?"
            r"(?P<noun>[A-Za-z][a-z]+)(?:[ \t]+[a-z]+ed)?[ \t]+(?:" + "|".join(self.trend_verbs) +
            r")[ \t]+(?:(?:to|at)[ \t]+)?"
            r"(?:(?:[0-9][0-9,]*|[a-z]+(?:-[a-z]+)?)[ \t]+in[ \t]+(?:19|20)[0-9]{2}"
            r"(?:,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+))*$", re.M)
        self.duration_units: dict[str, str] = data["duration_units"]
        self.currency_symbols: dict[str, Any] = data["currency_symbols"]
        self.currency_codes = frozenset(data["currency_codes"]) | _currency_codes()
        self.currency_names: dict[str, Any] = {**_currency_names(), **data["currency_names"]}
        phrases = data["reporting_period_phrases"]
        self.reporting_period = re.compile(starts(phrases) + rf"(?:{trie(sorted(phrases))})", re.I)
        self.estimate_words = tuple(word.lower() for word in data["estimate_words"])
        self.qualifier_last_words = frozenset(
            {phrase.split()[-1].lower() for words in data["qualifiers_before"].values()
             for phrase in words} | {"age", "ages", "of", "aged"})
        self.reference_words = frozenset(w.lower() for w in data["reference_words"])
        groups = "|".join(f"(?P<{name}>{alternation(words)})"
                          for name, words in data["qualifiers_before"].items())
        self.qualifier_before = re.compile(  # "over 18", "over age 18", "under the age of 18"
            rf"(?:^|(?<![\w$]))(?:{groups})(?:\s+(?:the\s+)?ages?(?:\s+of)?)?\s*$", re.I)
        groups_after = "|".join(f"(?P<{name}>{alternation(words)})"
                                for name, words in data["qualifiers_after"].items())
        self.qualifier_after = re.compile(rf"[^.;0-9]{{0,80}}?\b(?:{groups_after})\b", re.I)
        self.reference_before = re.compile(
            rf"\b(?:{alternation(data['reference_words'])})\s*"
            r"(?:[0-9]+(?:\.[0-9a-z]+)*\.?\s*(?:,|and|or|&|-)\s*)*\(?$", re.I)
        law_names = alternation([word.capitalize() for word in data["law_name_words"]])
        self.law_name_before = re.compile(  # "the ... Act, 2015", "the ... Act of 2013",
            # "Law 164 of 2011", "Decree No. 7 of 2019"
            rf"\b(?:{law_names})(?:[ \t]+(?:No\.?|Number)?[ \t]*[0-9][0-9/.-]*)?"
            rf"[ \t]*(?:,|of)?[ \t]*$")
        name_words = [word.capitalize() for word in data["name_words"]]
        self.name_after = re.compile(  # capitalised: "the 2009 TIP Report", not "a 2006 report"
            rf"(?:\s+[A-Z][\w.'-]*){{0,3}}?\s+(?:{alternation(name_words)})\b")
        names = sorted(self.currency_names, key=len, reverse=True)
        # local abbreviations written after a number, in capitals only: "120,000 KM"
        self.currency_abbreviations = dict(data["currency_abbreviations_after"])
        self.currency_after = re.compile(  # "50,000 naira", "200,000 Nepali rupees"
            rf"^[ \t]*(?:(?P<demonym>(?-i:[A-Z][a-z]+(?:an|i|ese|ish)))[ \t]+(?=[a-z]))?"
            rf"(?:(?P<name>{trie(names)})|(?P<code>{trie(sorted(self.currency_codes))})|"
            rf"(?P<abbreviation>(?-i:{trie(sorted(self.currency_abbreviations))})))\b",
            re.I)
        self.indicator_rules = [
            IndicatorRule(r["indicator"], frozenset(r["kinds"]), tuple(r["keywords"]),
                          frozenset(r["units"]) if "units" in r else None,
                          bool(r.get("fallback")), bool(r.get("last_resort")))
            for r in data["indicator_rules"]
        ]
        self.staff_nouns = frozenset(data["staff_nouns"])
        self.victim_nouns = frozenset(data["victim_nouns"])
        self.not_suspect_nouns = frozenset(data["not_suspect_nouns"])
        self.victim_object = re.compile(
            rf"\b(?:{trie(data['victim_object_verbs'])})(?:[ \t]+of)?(?:[ \t]+(?:the|at[ \t]+least|"
            rf"more[ \t]+than|about|some|approximately|nearly|up[ \t]+to|over))*[ \t]+$", re.I)
        self.law_cue = re.compile(rf"\b(?:{trie(data['law_cues'])})", re.I)
        self.imposed_cue = re.compile(rf"\b(?:{trie(data['imposed_cues'])})", re.I)
        self.estimate_victim_cue = re.compile(
            rf"(?:{trie(data['estimate_victim_cues'])})", re.I)
        self.offender_indicators = frozenset(data["offender_indicators"])
        self.offender_nouns = frozenset(data["offender_nouns"])
        self.civilian_trainees = cue_pattern(data["civilian_trainees"])
        self.structure = StructureRules(data)
        keywords = {k for rule in self.indicator_rules for k in rule.keywords}
        # a matched keyword ("sentenced") also counts for rules with a shorter one ("sentence")
        self.rules_by_keyword: dict[str, list[tuple[int, IndicatorRule]]] = {
            word.lower(): [(order, rule) for order, rule in enumerate(self.indicator_rules)
                           if any(word.lower().startswith(k.lower()) for k in rule.keywords)]
            for word in keywords}
        # not the agent noun: "prosecutors", "investigators" are staff, not prosecutions
        self.indicator_keywords = re.compile(rf"\b(?:{trie(sorted(keywords))})(?!ors?\b)", re.I)
        # the same, for text already in lower case (most texts: lower() keeps their length)
        self.indicator_keywords_lower = re.compile(
            starts(keywords) + rf"\b(?:{trie(sorted(keywords))})(?!ors?\b)")

    def currency_for_symbol(self, symbol: str, country_code: str | None) -> str:
        entry = self.currency_symbols.get(re.sub(r"\s+", " ", symbol))
        if entry is None:
            return symbol.upper()  # an ISO code: "CZK"
        if isinstance(entry, dict):
            return entry.get(country_code or "", entry.get("default"))
        return entry

    def currency_for_name(self, name: str, country_code: str | None,
                          demonym: str | None = None) -> str | None:
        """The ISO 4217 code of a currency's name. A name many countries use ("pesos",
        "rupees") is the currency of the country its adjective names ("Uruguayan pesos"),
        else of the source's country, else the name's most common one."""
        key = re.sub(r"\s+", " ", name.lower())
        entry = self.currency_names.get(key)
        if not isinstance(entry, dict):
            return entry
        for country in (self.structure.demonyms.get(demonym or ""), country_code):
            if country in entry:
                return entry[country]
            code = national_currency(country, key.split()[-1].removesuffix("s")) \
                if country else None
            if code:
                return code
        return entry.get("default")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A mapping that names a key twice is an error: YAML would keep the last one silently."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ValueError(f"{RULES_PATH}:{key_node.start_mark.line + 1}: "
                                 f"{key!r} is given twice in one mapping; keep one")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@cache
def rules() -> Rules:
    return Rules(yaml.load(RULES_PATH.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader))


@cache
def extractor_version() -> str:
    """The package version plus a digest of the extractor's code and rules: a cache key."""
    digest = hashlib.sha256()
    code = sorted(Path(__file__).parent.rglob("*.py")) + [
        RULES_PATH, Path(__file__).parent.parent / "text_structure.py"]
    for path in code:
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"
