"""Figure extraction: report text in, figures, dated events and tier placements out.

A pure function of the text (and of the source's reporting period and country). One pass of a
compiled regular expression finds number candidates; each is then classified (a figure, a date,
a tier, a reference such as "Article 127") and, when it is a figure, read for its value, unit,
entity, qualifier, period, indicator and legal reference. Vocabulary and indicator rules live in
rules/extraction.yaml.

The stages live in modules of their own: numbers (candidates, ranges, what is not a figure),
dates (events, tier placements), periods, reading (unit, entity, qualifier, indicator),
sentences (facts found once per sentence) and rules (the vocabulary, compiled).
"""

from __future__ import annotations

from bisect import bisect_left

from tipfigures.extract.dates import TIER, dated_events, find_dates, find_tier_placements
from tipfigures.extract.numbers import (
    LIST_LINK,
    PHONE,
    NumberCandidate,
    find_fractions,
    is_reference_or_ordinal,
    merge_ranges,
    parse_number,
    read_value,
)
from tipfigures.extract.periods import period_of, year_mentions
from tipfigures.extract.reading import (
    AGE_BEFORE,
    COPULA_AFTER,
    ONE_AS_PRONOUN,
    PARENTHETICAL,
    IndicatorKeywords,
    Reading,
    clause_before,
    indicator_of,
    mentions_estimate,
    qualifier_of,
    read_unit,
    unit_kind,
)
from tipfigures.extract.results import Event, Extraction, Figure, TierPlacement
from tipfigures.extract.rules import extractor_version, rules
from tipfigures.extract.sentences import SentenceFacts
from tipfigures.text_structure import analyse


def extract(text: str, *, reporting_period: int | None = None,
            country_code: str | None = None) -> Extraction:
    """All figures, dated events and tier placements in a text."""
    structure = analyse(text)
    dates = find_dates(text)
    date_spans = sorted((d.start, d.end) for d in dates)
    date_starts = [s for s, _ in date_spans]

    def inside_date(start: int, end: int) -> bool:
        index = bisect_left(date_starts, end) - 1
        return index >= 0 and date_spans[index][1] > start

    tier_starts = [m.start() for m in TIER.finditer(text)]
    phones = [(m.start(), m.end()) for m in PHONE.finditer(text)]
    phone_starts = [start for start, _ in phones]
    numbers: list[NumberCandidate] = []
    for match in rules().number.finditer(text):
        number = parse_number(match, country_code)
        if number is None:
            continue
        digits_start = match.start("digits") if match.group("digits") else match.start("words")
        if inside_date(digits_start, match.end("digits") if match.group("digits")
                       else match.end("words")):
            continue
        tier = bisect_left(tier_starts, number.start) - 1
        if tier >= 0 and number.start - tier_starts[tier] < 10:  # "Tier 2", "Tier Three"
            continue
        if is_reference_or_ordinal(text, number):
            continue
        phone = bisect_left(phone_starts, number.start + 1) - 1
        if phone >= 0 and phones[phone][1] >= number.end:
            continue  # a telephone number
        numbers.append(number)
    if "half" in text or "third" in text or "quarter" in text:
        starts, ends = [n.start for n in numbers], [n.end for n in numbers]

        # a fraction that overlaps no number: not "$ two" in "$ two-thirds"
        def free(fraction: NumberCandidate) -> bool:
            i = bisect_left(starts, fraction.end) - 1
            return i < 0 or ends[i] <= fraction.start

        numbers += [f for f in find_fractions(text) if free(f)]
        numbers.sort(key=lambda n: n.start)

    mentions = year_mentions(text, dates, reporting_period)
    mention_starts = [m.start for m in mentions]
    openers = [i for i, m in enumerate(mentions) if m.opens_sentence]
    sentences = SentenceFacts(text, structure)
    number_starts = [n.start for n in numbers]
    number_ends = [n.end for n in numbers]
    figures: list[Figure] = []
    previous: tuple[int, Reading] | None = None
    keywords = IndicatorKeywords.find(text)
    merged = merge_ranges(text, numbers)
    for index, (first, second, span_end) in enumerate(merged):
        sentence = structure.sentence_span(first.start)
        last = second or first
        limit = sentence[1]
        following = merged[index + 1][0] if index + 1 < len(merged) else None
        if second is None and following is not None and LIST_LINK.match(
                text[span_end:following.start]):
            last = following  # "eight and nine months", "four out of 10 cases": the next unit
        reading = read_unit(text, last, limit, country_code,
                             previous[1] if previous and previous[0] == sentence[0] else None)
        if first.currency and not last.currency:  # "€2.40–2.80"
            reading = Reading(unit=first.currency)
        if last is following and not reading.unit:
            reading = read_unit(text, first, limit, country_code,
                                 previous[1] if previous and previous[0] == sentence[0] else None)
        if first.is_words and first.value == 1 and second is None and (
                not reading.unit or ONE_AS_PRONOUN.match(text, first.end)):
            continue
        if not reading.unit and first.is_words and not reading.entity and \
                ONE_AS_PRONOUN.match(text, span_end) and first.value == 1:
            continue
        if reading.unit is None and "age" in text[max(0, first.start - 30):first.start] and \
                AGE_BEFORE.search(text, max(0, first.start - 30), first.start):
            reading = Reading(unit="years", entity="age")
        if reading.unit is None and previous and previous[0] == sentence[0] and \
                previous[1].unit in ("persons",) or reading.unit is None and previous and \
                previous[0] == sentence[0] and unit_kind(previous[1].unit) == "count":
            # "prosecuted 27 traffickers and convicted 11", "identified 253 victims (108 ...)"
            reading = Reading(unit=previous[1].unit)
        if reading.unit is None and COPULA_AFTER.match(text, span_end):
            reading = Reading(unit="persons")  # "The three were charged", "139 were missing"
        qualifier = "exact"
        if second is None:
            qualifier = qualifier_of(text, first.start, span_end, sentence[0], reading.unit)
        elif mentions_estimate(clause_before(text, first.start, sentence[0])) or \
                rules().qualifier_after.match(text, span_end, min(len(text), span_end + 100)):
            qualifier = "approximate"
        indicator = indicator_of(text, first.start, span_end, sentence, reading.unit,
                               reading.entity, keywords)
        period = None if indicator == "penalty" else period_of(
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
        events=dated_events(text, dates, structure, sentences),
        tier_placements=find_tier_placements(text, dates, structure, country_code, sentences),
    )


__all__ = ["Event", "Extraction", "Figure", "TierPlacement", "extract", "extractor_version",
           "read_value", "rules"]
