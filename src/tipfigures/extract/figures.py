"""Stage 2, reading: each candidate number read as a figure, from the words around it.

Value and range, unit and entity (what is counted), qualifier, a first indicator and period
from the words near the number, section and legal reference. The attachments stage then
revises indicator and period where the sentence's structure says more than the nearby words.
"""

from __future__ import annotations

import re

from tipfigures.extract.numbers import LIST_LINK, SMALL_NUMBER_WORD, NumberCandidate, merge_ranges
from tipfigures.extract.periods import YearMention, period_of
from tipfigures.extract.reading import (
    AGE_BEFORE,
    AGE_BOUND_BEFORE,
    COPULA_AFTER,
    ONE_AS_PRONOUN,
    PARENTHETICAL,
    IndicatorKeywords,
    Reading,
    a_place,
    clause_before,
    indicator_of,
    mentions_estimate,
    qualifier_of,
    read_unit,
    unit_kind,
)
from tipfigures.extract.results import Figure
from tipfigures.extract.rules import rules
from tipfigures.extract.sentences import SentenceFacts
from tipfigures.text_structure import TextStructure

SHARE_LINK = re.compile(r"[ \t]*,[ \t]*or[ \t]+")
PERCENT_AFTER = re.compile(r"[ \t]*(?:percent|per[ \t]cent)\b", re.I)


def _share_after(text: str, first: NumberCandidate, end: int, following: NumberCandidate) -> bool:
    """"1,689, or 73%": a count, then its share: no list of percentages."""
    return not first.percent and SHARE_LINK.fullmatch(text, end, following.start) is not None \
        and (following.percent or PERCENT_AFTER.match(text, following.end) is not None)


def read_figures(text: str, numbers: list[NumberCandidate], structure: TextStructure,
                 sentences: SentenceFacts, mentions: list[YearMention],
                 keywords: IndicatorKeywords, reporting_period: int | None,
                 country_code: str | None) -> list[Figure]:
    """The figures of a text, one per number or range, in text order."""
    mention_starts = [m.start for m in mentions]
    openers = [i for i, m in enumerate(mentions) if m.opens_sentence]
    number_starts = [n.start for n in numbers]
    number_ends = [n.end for n in numbers]
    figures: list[Figure] = []
    previous: tuple[int, Reading] | None = None
    merged = merge_ranges(text, numbers)
    for index, (first, second, span_end) in enumerate(merged):
        sentence = structure.sentence_span(first.start)
        last = second or first
        limit = sentence[1]
        following = merged[index + 1][0] if index + 1 < len(merged) else None
        if second is None and following is not None and LIST_LINK.match(
                text[span_end:following.start]) and not _share_after(text, first, span_end,
                                                                     following):
            # "eight and nine months", "four out of 10 cases", "five, six, and eight years":
            # the unit written after the list's last number
            last, ahead = following, index + 1
            while ahead + 1 < len(merged) and ahead - index < 6 and \
                    merged[ahead][1] is None and LIST_LINK.match(
                        text[merged[ahead][2]:merged[ahead + 1][0].start]):
                ahead += 1
                last = merged[ahead][0]
            following = last
        reading = read_unit(text, last, limit, country_code,
                             previous[1] if previous and previous[0] == sentence[0] else None)
        if first.currency and not last.currency:  # "€2.40–2.80"
            reading = Reading(unit=first.currency)
        if last is following and not reading.unit:
            reading = read_unit(text, first, limit, country_code,
                                 previous[1] if previous and previous[0] == sentence[0] else None)
        # "from Afghanistan (four) and Uzbekistan (one)": a "one" alone in brackets counts
        bracketed = text[first.start - 1:first.start] == "(" and \
            text[first.end:first.end + 1] == ")"
        if first.is_words and first.value == 1 and second is None and not bracketed and (
                not reading.unit or ONE_AS_PRONOUN.match(text, first.end)) and \
                not _one_in_a_list(text, first.end) and \
                not _one_counted_by_a_verb(text, first.start, first.end) and \
                not _one_of_a_year(text, first.start, first.end) and \
                not OF_THE_RESTATED_BEFORE.search(text, max(0, first.start - 40), first.start):
            continue
        if not reading.unit and first.is_words and not reading.entity and \
                ONE_AS_PRONOUN.match(text, span_end) and first.value == 1 and \
                not _one_in_a_list(text, first.end) and \
                not _one_counted_by_a_verb(text, first.start, first.end) and \
                not _one_of_a_year(text, first.start, first.end) and \
                not OF_THE_RESTATED_BEFORE.search(text, max(0, first.start - 40), first.start):
            continue
        if reading.unit in (None, "years") and "age" in text[max(0, first.start - 30):
                                                              first.start] and \
                AGE_BEFORE.search(text, max(0, first.start - 30), first.start) or \
                reading.unit is None and first.value < 100 and AGE_BOUND_BEFORE.search(
                    text, max(0, first.start - 40), first.start):
            reading = Reading(unit="years", entity="age")
        same_sentence = previous is not None and previous[0] == sentence[0]
        if reading.unit is None and same_sentence and (
                previous[1].unit == "persons" or unit_kind(previous[1].unit) == "count"):
            # "prosecuted 27 traffickers and convicted 11", "identified 253 victims (108 ...)"
            reading = Reading(unit=previous[1].unit)
        if reading.unit is None and COPULA_AFTER.match(text, span_end):
            reading = Reading(unit="persons")  # "The three were charged", "139 were missing"
        qualifier = "exact"
        if second is None:
            qualifier = qualifier_of(text, first.start, span_end, sentence[0], reading.unit)
        elif mentions_estimate(clause_before(text, first.start, sentence[0])) or \
                rules().qualifier_after.match(text, span_end, min(len(text), span_end + 100)) or \
                qualifier_of(text, first.start, first.end, sentence[0],
                             reading.unit) == "approximate":
            qualifier = "approximate"  # ("approximately 5,000 to 30,000 shillings")
        indicator = "other" if reading.entity == "age" else indicator_of(
            text, first.start, span_end, sentence, reading.unit, reading.entity, keywords)
        period = None if indicator == "penalty" else period_of(
            text, first.start, span_end, sentence, structure.paragraph_start(first.start),
            mentions, mention_starts, number_starts, reporting_period, indicator, number_ends,
            sentences, openers)
        restated = figures and PARENTHETICAL.search(text, figures[-1].end, first.start) and \
            unit_kind(reading.unit) == unit_kind(figures[-1].unit) == "money"
        if restated and text.count(")", figures[-1].end, first.start) == 0:
            # "$375 (50,000 naira)": the same amount again, with the same qualifier and period
            qualifier, period = figures[-1].qualifier, figures[-1].period
        if previous is None or previous[0] != sentence[0] or not a_place(text, first.start):
            previous = (sentence[0], reading)  # (the count, not the places it was in)
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
    return figures


ONE_OF_A_FORM = re.compile(r"[ \t]+(?:for|of|in)[ \t]+(?!the\b|them\b|these\b|those\b|its\b|"
                           r"their\b|his\b|her\b|our\b)")


VERB_BEFORE_ONE = re.compile(r"\b(?:acquitted|convicted|prosecuted|arrested|charged|indicted|"
                             r"identified|rescued|repatriated|referred)[ \t]+$")
END_AFTER_ONE = re.compile(r"[ \t]*(?:[.,;)]|(?:and|in|during|for)\b)")


def _one_counted_by_a_verb(text: str, start: int, end: int) -> bool:
    """"Courts convicted four traffickers and acquitted one.": a "one" a counting verb
    governs counts the noun the sentence left out."""
    return VERB_BEFORE_ONE.search(text, max(0, start - 20), start) is not None and \
        END_AFTER_ONE.match(text, end) is not None


# "compared with six in 2018 and one in 2017", "up from one in 2020", "convicted four
# traffickers (one in 2020)": a year's count
ONE_OF_A_YEAR = re.compile(r"[ \t]+in[ \t]+(?:19|20)[0-9]{2}\b")
YEAR_COUNT_BEFORE = re.compile(r"(?:\b(?:in|during)[ \t]+(?:19|20)[0-9]{2},?[ \t]+(?:and[ \t]+)?|"
                               r"\b(?:compared[ \t]+(?:with|to)|from|versus)[ \t]+|\([ \t]*)$")


def _one_of_a_year(text: str, start: int, end: int) -> bool:
    """"Courts convicted three traffickers, compared with six in 2018 and one in 2017": a
    "one" in a series of years' counts is the count of its year."""
    return ONE_OF_A_YEAR.match(text, end) is not None and \
        YEAR_COUNT_BEFORE.search(text, max(0, start - 30), start) is not None


# "Of the 67, one resulted in a conviction": a "one" after its restated whole counts
OF_THE_RESTATED_BEFORE = re.compile(r"\bOf[ \t]+the[ \t]+[0-9][0-9,]*(?:[ \t]+[a-z-]+){0,3},"
                                    r"[ \t]*$")
LIST_BEFORE_ONE = re.compile(r"(?:,|,?[ \t]+and)[ \t]+$")
COUNT_BEFORE_THE_LIST = re.compile(rf"\b(?:[0-9][0-9,]*|{SMALL_NUMBER_WORD})[ \t]+"
                                   r"[^.;0-9]{0,40},[^.;]*$")
ONE_WAS_A = re.compile(r"[ \t]+(?:was|is)[ \t]+(?:an?[ \t]+)?")


def _one_in_a_list(text: str, end: int) -> bool:
    """"two Guatemalans, one Nicaraguan", "two traffickers, one for child sex trafficking and
    one for labor trafficking": a "one" that counts a nationality or a form is a figure."""
    structure = rules().structure
    if text[end:end + 1] == " " and (structure.demonym.match(text, end + 1) or
                                     structure.from_country.match(text, end + 1)):
        return True  # "one Nicaraguan", "and one from China"
    was = ONE_WAS_A.match(text, end)
    if was and structure.demonym.match(text, was.end()):
        return True  # "seven were Costa Rican and one was a Nicaraguan national"
    linked = ONE_OF_A_FORM.match(text, end)
    if linked is None and LIST_BEFORE_ONE.search(text, max(0, end - 12), end - 3) and \
            COUNT_BEFORE_THE_LIST.search(text, max(0, end - 60), end - 3):
        # "nine involved sex trafficking, three forced labor, and one forced begging"
        phrase = text[end:end + 30]
        return any(code.startswith("form=") and pattern.match(phrase.lstrip())
                   for code, pattern in structure.breakdowns)
    if linked is None:
        return False
    phrase = text[linked.end():linked.end() + 30]  # "child sex trafficking", "labor ..."
    return any(code.startswith("form=") and pattern.search(phrase)
               for code, pattern in structure.breakdowns)
