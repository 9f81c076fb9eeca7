"""Stage 3, attachments: what a sentence's structure says about its figures.

The reading stage looks at the words near each number. Report sentences pack several figures
into one structure, and the structure decides what each one is:

- a parenthesis after a figure breaks it down ("58 cases (31 for sex trafficking, 18 for labor
  trafficking and nine for forced criminality) in 2022"): the numbers inside are parts of the
  58, and the year after the parenthesis dates the 58 and its parts;
- a parenthesis with years compares ("investigated 58 cases (61 in 2021)");
- "compared with", "a decrease from" open a compared part, whose coordinated phrases are each
  dated by the year that closes them ("compared with 11 traffickers prosecuted and eight
  convicted in 2021 and 14 cases prosecuted in 2020") and counted by their own participle, or
  by the phrase they stand for in the main clause ("and 47 in 2020");
- "involving" joins two counts of the same thing ("27 cases involving 44 suspects");
- a verb that governs the next number does not govern this one ("cases involving 44 suspects
  and convicted 15 traffickers": "convicted" is the 15's);
- "including", "of whom", "N of the M" make a part of the figure before (or of M);
- "in <country>" after a figure says which country it is about.

`attach` runs the steps in a fixed order, sentence by sentence; each step is in the module of
its concept: `years` (opening, closing and compared years), `brackets` (parentheses and
dashes), `links` (same-count links, governing verbs, shared nouns, a number's own participle or
noun, penalties that go on), `parts` (parts within a sentence), `part_lists` (parts a sentence
ranks or lists after a colon), `part_sentences` (parts across sentences), `restated` (counts
told again), `agencies` (counts by several agencies), `victim_stages` and `offender_stages`
(counts taken on to a later stage), `breakdowns` (a part's breakdown, a figure's country, what
a compared figure takes from its model); `item` holds `Attached`, what they share.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace

from tipfigures.extract.attachments.agencies import (
    agencies_in_their_own_clauses,
    agencies_side_by_side,
    providers_side_by_side,
)
from tipfigures.extract.attachments.brackets import parentheses, what_bracketed_parts_count
from tipfigures.extract.attachments.breakdowns import (
    adults_beside_minors,
    as_its_model,
    breakdown,
    country,
    nationals_counted_abroad,
    sent_home_to,
    shared_breakdowns,
    subjects_that_break_down,
)
from tipfigures.extract.attachments.item import CATEGORY_UNITS, OF_THE_NOUN_WERE, Attached, headline
from tipfigures.extract.attachments.links import (
    governing_verbs,
    nouns_at_a_lists_end,
    nouns_of_a_gapped_list,
    penalties_go_on,
    same_count_links,
    shared_nouns,
)
from tipfigures.extract.attachments.offender_stages import stages_of_the_accused
from tipfigures.extract.attachments.part_lists import (
    a_colon_list_after_a_comparison,
    forms_ranked,
    ranked_parts,
)
from tipfigures.extract.attachments.part_sentences import (
    BULLET,
    corresponding_figures,
    country_parts,
    part_sentence,
    parts_after_a_semicolon,
    parts_among_those_done,
    parts_of_the_counted,
    shares_in_brackets,
    the_figure_again,
)
from tipfigures.extract.attachments.parts import (
    additive_parts,
    coordinated_forms,
    part_cues,
    the_remaining,
    totals_after_their_parts,
)
from tipfigures.extract.attachments.restated import restated_counts
from tipfigures.extract.attachments.victim_stages import (
    identified_out_of_a_pool,
    stages_of_the_victims,
    victims_among_the_people,
)
from tipfigures.extract.attachments.years import (
    YEAR_KIND,
    YEAR_OPENERS,
    comparisons,
    coordinated_years,
    opening_years,
    respective_years,
    year_series,
    years_of_the_counts_pointed_at,
)
from tipfigures.extract.genre import Genre
from tipfigures.extract.periods import YearMention
from tipfigures.extract.reading import IndicatorKeywords, unit_kind
from tipfigures.extract.results import Figure
from tipfigures.text_structure import TextStructure

# the end of a sentence of prose, between a count and a bulleted list after it
SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s")
# a sentence that opens on its own year: "In 2019, ...", "During FY 2020, ..."
OPENING_YEAR = re.compile(rf"[ \t]*(?:{'|'.join(YEAR_OPENERS + ('For', 'By the end of'))})[ \t]+"
                          rf"{YEAR_KIND}(?P<year>(?:19|20)[0-9]{{2}})\b(?![ \t]*[-–/])")


def attach(text: str, figures: list[Figure], structure: TextStructure, genre: Genre,
           mentions: list[YearMention], keywords: IndicatorKeywords,
           source_country: str | None, reporting_period: int | None = None,
           table_cells: frozenset[int] = frozenset()) -> list[Figure]:
    """The figures, revised by the structure of the sentence each one is in. Figures in table
    cells (their starts: already read from their column and row) are kept as they are, as
    counts the sentences after them can break down."""
    mention_starts = [m.start for m in mentions]
    brackets_year = genre.brackets_year
    out: list[Figure] = []
    cells = [f for f in figures if f.start in table_cells]
    groups: list[tuple[tuple[int, int], list[Figure]]] = []
    for figure in figures:
        if figure.start in table_cells:
            continue
        span = structure.sentence_span(figure.start)
        if groups and groups[-1][0] == span:
            groups[-1][1].append(figure)
        else:
            groups.append((span, [figure]))
    previous: list[Figure] = []
    compared: set[int] = set()  # the starts of previous's figures in a compared part
    paragraph: list[Figure] = []  # the figures of the paragraph's sentences before this one
    earlier: Figure | None = None
    for sentence, group in groups:
        while cells and cells[0].start < sentence[0]:
            out.append(cells.pop(0))
        # the headline of the sentence before, in the same paragraph: its first whole figure,
        # or the headline before it when that sentence only told its parts
        # (a news story's paragraphs are its sentences: the story goes on across them)
        same_paragraph = previous and (genre.one_story or structure.paragraph_start(
            previous[0].start) == structure.paragraph_start(sentence[0]))
        if not same_paragraph:
            # ("We supported 73 survivors.\n\nWho we supported\n- 44 were female": a bulleted
            # list after the count goes on breaking it down)
            # (only headings between: "Who we supported", no sentence of prose)
            told_end = structure.sentence_span(previous[-1].start)[1] if previous else \
                sentence[0]
            bulleted = BULLET.match(text, sentence[0]) is not None and \
                SENTENCE_END.search(text, told_end, sentence[0]) is None
            earlier = next((f for f in previous if f.start not in compared and headline(f)),
                           earlier) if bulleted else None
            paragraph = []
        else:
            # (not an earlier year's count, unless it is all the sentence counted)
            main = [f for f in previous if f.start not in compared]
            earlier = next((f for f in main if headline(f)), None) or untold_sum(main) or next(
                (f for f in previous if headline(f) and not _told_again(f, earlier)), earlier)
            earlier = _broken_down_before(paragraph, earlier) or earlier
        # (a sentence of parts does not replace the paragraph's headline)
        previous, compared = _attach_sentence(
            text, sentence, group, mentions, mention_starts, keywords, source_country, earlier,
            reporting_period, previous if same_paragraph else [], paragraph, out, brackets_year)
        out += previous
        paragraph = paragraph + previous
    return sorted(out + cells, key=lambda f: f.start)


def _attach_sentence(text: str, sentence: tuple[int, int], figures: list[Figure],
                     mentions: list[YearMention], mention_starts: list[int],
                     keywords: IndicatorKeywords, source_country: str | None,
                     earlier: Figure | None, reporting_period: int | None,
                     previous: list[Figure], paragraph: list[Figure],
                     told: list[Figure], brackets_year: str | None
                     ) -> tuple[list[Figure], set[int]]:
    low = bisect_left(mention_starts, sentence[0])
    high = bisect_left(mention_starts, sentence[1])
    years = mentions[low:high]
    items = [Attached(f, f.indicator, f.period, f.unit) for f in figures]
    opening_years(text, sentence, items, years, reporting_period)
    coordinated_years(text, items, years)
    respective_years(text, items, years)
    years_of_the_counts_pointed_at(text, sentence, items, earlier)
    # the paragraph's years before this sentence: "(102 suspects in 90 cases in 2019). Courts
    # convicted 121 traffickers (86)": the bare 86 is of 2019 too
    told_from = paragraph[0].start if paragraph else sentence[0]
    told_years = mentions[bisect_left(mention_starts, told_from):low]
    parentheses(text, sentence, items, years, (told_from, told_years), source_country,
                brackets_year)
    totals_after_their_parts(text, items)
    shared_nouns(text, sentence, items, keywords)
    nouns_at_a_lists_end(text, items)
    nouns_of_a_gapped_list(text, items)
    restated_counts(text, sentence, items, told, earlier)
    identified_out_of_a_pool(text, items)
    part_cues(text, sentence, items)
    stages_of_the_victims(text, sentence, items, keywords)
    coordinated_forms(text, sentence, items)
    agencies_side_by_side(text, items)
    agencies_in_their_own_clauses(text, sentence, items)
    providers_side_by_side(text, items)
    additive_parts(text, sentence, items)
    same_count_links(text, items, years)  # (before the compared counts take their models)
    comparisons(text, sentence, items, years, keywords, reporting_period)
    a_colon_list_after_a_comparison(text, sentence, items)
    same_count_links(text, items, years)
    governing_verbs(text, sentence, items, keywords)
    year_series(text, sentence, items, keywords)
    opening = OPENING_YEAR.match(text, sentence[0])  # "In 2019, ...": the sentence's own year
    own_year = opening.group("year") if opening else None
    part_sentence(text, sentence, items, earlier, own_year, previous, paragraph, told,
                  years)
    corresponding_figures(text, sentence, items, earlier)
    parts_among_those_done(text, items, paragraph)
    parts_of_the_counted(text, items, previous, own_year, paragraph, told)
    parts_after_a_semicolon(text, items)
    the_remaining(text, items, previous, keywords, earlier)
    ranked_parts(text, items)
    forms_ranked(text, sentence, items, earlier)
    country_parts(text, items, earlier)
    shares_in_brackets(text, items, previous)
    the_figure_again(text, sentence, items, earlier)
    subjects_that_break_down(text, sentence, items, source_country, earlier)
    stages_of_the_accused(text, sentence, items, keywords)
    what_bracketed_parts_count(text, sentence, items, keywords, paragraph)
    victims_among_the_people(text, items)
    for index, item in enumerate(items):
        if item.side_by_side and item.whole is None and not item.role:
            item.role = "part"  # of a total the text does not give
        if item.indicator == "victims_repatriated" and not item.role and item.whole is None:
            sent_to = sent_home_to(text, item, source_country)
            if sent_to:  # "repatriated 19 children to Burkina Faso": the Burkinabe part
                item.role, item.breakdown = "part", sent_to
        if (own_year or OF_THE_NOUN_WERE.match(text, item.end)) and item.role == "part" and \
                item.whole is None and item.breakdown is None:
            # ("87 of the 2021 victims were foreign nationals": what the part was)
            item.breakdown = breakdown(text, index, items, sentence, source_country)
        if item.whole is not None:  # a part is of its whole's kind and time
            whole = item.whole
            item.indicator, item.period = whole.indicator, whole.period
            if item.unit is None or item.unit in CATEGORY_UNITS:
                item.unit = whole.unit  # (and "... and 52 other forms": 52 of the whole's cases)
            if item.breakdown is None:
                # "1,126 victims, including 87 women in sex trafficking": victims identified,
                # of the form sex trafficking
                item.breakdown = breakdown(text, index, items, sentence, source_country)
            if whole.role == "part" and _dimension(item.breakdown) != _dimension(
                    whole.breakdown):
                # "61 were foreign nationals, including 29 from El Salvador" refines the
                # foreign part of the total; "41 were Zambian, including 26 children" is not a
                # breakdown of the total by age
                item.breakdown = None

        if item.converts is not None:
            item.indicator, item.period = item.converts.indicator, item.converts.period
        item.country_code = country(text, index, items, sentence, source_country)
        nationals_counted_abroad(text, index, items, sentence)
        as_its_model(item)
    shared_breakdowns(items)
    adults_beside_minors(text, items)
    penalties_go_on(text, items)
    return [_revised(item) for item in items], {item.start for item in items if item.compared}


def _told_again(figure: Figure, earlier: Figure | None) -> bool:
    """"... indicted 412 people. The figure was up 18.7 percent from 347 in 2022": the 347
    compares the headline before, which stays the headline."""
    return earlier is not None and figure.compared_with == earlier.start


def _broken_down_before(told: list[Figure], headline_before: Figure | None) -> Figure | None:
    """"Of our 286 clients, 171 were women ... for 23 clients the form had not been
    established. Forty-four clients were Australian citizens": while a paragraph breaks a count
    down, a smaller count of the same noun that no rule linked (the 23, of no indicator) is
    not the next sentence's whole; the count broken down is."""
    if headline_before is None or headline_before.indicator != "other" or \
            headline_before.part_of is not None:
        return None
    wholes = {f.part_of for f in told if f.part_of is not None}
    whole = next((f for f in reversed(told) if f.start in wholes), None)
    if whole is not None and whole.unit == headline_before.unit and \
            whole.value > headline_before.value and whole.start < headline_before.start and \
            (headline_before.entity is None or  # ("at least 79 were children": no noun)
             (whole.entity or "").split()[-1:] == headline_before.entity.split()[-1:]):
        return whole
    return None


@dataclass(frozen=True)
class UntoldSum(Figure):
    """A whole the text does not state, only its parts: parts of it have no part_of."""


def untold_sum(figures: list[Figure]) -> Figure | None:
    """"Officials identified 1,148 victims of forced labor and 97 victims of sex trafficking.
    Of these, 1,006 were children": where a sentence gives only side-by-side parts of one
    count, the next sentence's parts are parts of their sum, which the text does not state."""
    parts = [f for f in figures if f.compared_with is None and f.role != "other"]
    if len(parts) < 2 or any(f.role != "part" or f.part_of is not None for f in parts):
        return None
    first = parts[0]
    if any(f.indicator != first.indicator or f.period != first.period or
           unit_kind(f.unit) != unit_kind(first.unit) for f in parts) or \
            unit_kind(first.unit) not in ("persons", "count"):
        return None
    return UntoldSum(**{**vars(first), "text": "", "value": sum(f.value for f in parts),
                        "role": "total", "breakdown": None, "entity": None})


def _dimension(breakdown: str | None) -> str | None:
    return breakdown.split("=")[0] if breakdown else None


def _revised(item: Attached) -> Figure:
    figure = item.figure
    stated = item.whole is not None and not isinstance(item.whole, UntoldSum)
    part_of = item.whole.start if stated else None
    model = item.stands_for or item.compares
    compared_with = model.start if model is not None else None
    if (figure.indicator, figure.period, figure.unit, figure.role, figure.part_of,
            figure.breakdown, figure.country_code, figure.compared_with) == (
            item.indicator, item.period, item.unit, item.role, part_of, item.breakdown,
            item.country_code, compared_with):
        return figure  # nothing the structure changed
    return replace(figure, indicator=item.indicator, period=item.period, unit=item.unit,
                   role=item.role, part_of=part_of, breakdown=item.breakdown,
                   country_code=item.country_code, compared_with=compared_with)
