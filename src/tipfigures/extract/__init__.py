"""Figure extraction: report text in, figures, dated events and tier placements out.

A pure function of the text (and of the source's reporting period and country), run as a
pipeline of named stages, each a module with one input and one output:

1. candidates   text -> the numbers that may be figures (not dates, tiers, references,
                phone numbers or citation markers)
2. figures      numbers -> figures read from the words around them: value, unit, entity,
                qualifier, a first indicator and period
3. label_lists  a figures page's "label: number" lines, read as the years or the parts of
                the count they follow (their labels read by headers.py); and
   text_tables  figures in a table flattened into lines of cells ("a | b | c", split by
                tabs or single spaces), read from their column's header and their row's year;
   labelled_counts  a figures page's bulleted "label: count (last year's)" lines, read
                from their labels
   attachments  figures -> figures revised by their sentence's structure (table cells kept
                as they are, as wholes the prose after them breaks down): the phrase that
                governs each number, which year dates which coordinated phrase, wholes and
                their parts, the country a figure is about
4. roles        figures -> each figure's role: total, part, case, estimate or other; an
                undated count of an annual report is of its reporting period

Vocabulary and rules are data, in rules/extraction.yaml.
"""

from __future__ import annotations

from tipfigures.extract.attachments import attach
from tipfigures.extract.candidates import find_candidates
from tipfigures.extract.dates import dated_events, find_dates, find_tier_placements
from tipfigures.extract.figures import read_figures
from tipfigures.extract.genre import read_genre
from tipfigures.extract.label_lists import read_label_lists
from tipfigures.extract.labelled_counts import read_labelled_counts
from tipfigures.extract.numbers import read_value
from tipfigures.extract.periods import year_mentions
from tipfigures.extract.reading import IndicatorKeywords
from tipfigures.extract.results import Event, Extraction, Figure, TierPlacement
from tipfigures.extract.roles import assign_roles, date_counts
from tipfigures.extract.rules import extractor_version, rules
from tipfigures.extract.sentences import SentenceFacts
from tipfigures.extract.text_tables import read_tables
from tipfigures.text_structure import analyse


def extract(text: str, *, reporting_period: int | None = None,
            country_code: str | None = None) -> Extraction:
    """All figures, dated events and tier placements in a text."""
    structure = analyse(text)
    sentences = SentenceFacts(text, structure)
    dates = find_dates(text)
    genre = read_genre(text)
    mentions = year_mentions(text, dates, genre, reporting_period)
    numbers = find_candidates(text, dates, country_code)
    keywords = IndicatorKeywords.find(text, [(n.start, n.end) for n in numbers])
    figures = read_figures(text, numbers, structure, sentences, mentions, keywords,
                           reporting_period, country_code)
    in_lists = read_label_lists(text, figures)
    in_tables = read_labelled_counts(text, read_tables(text, in_lists, country_code), genre,
                                     reporting_period, country_code)
    cells = frozenset(new.start for old, new in zip(figures, in_tables, strict=True)
                      if new is not old)
    figures = attach(text, in_tables, structure, genre, mentions, keywords, country_code,
                     reporting_period, cells)
    figures = assign_roles(text, figures, structure, genre, country_code)
    figures = date_counts(figures, reporting_period)
    return Extraction(
        figures=figures,
        events=dated_events(text, dates, structure, sentences),
        tier_placements=find_tier_placements(text, dates, structure, country_code, sentences),
    )


__all__ = ["Event", "Extraction", "Figure", "TierPlacement", "extract", "extractor_version",
           "read_value", "rules"]
