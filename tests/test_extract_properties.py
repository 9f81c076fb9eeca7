"""The extractor on any text: it never raises, its spans are true, and it stays linear.

Property tests (hypothesis) feed it arbitrary Unicode mixed with fragments of report prose, so
that its paths (numbers in digits and words, currencies, ranges, dates, tiers, articles,
fractions, phone numbers) run on inputs nobody wrote by hand. The robustness tests run it on
large degenerate texts in a child process, with a generous time limit and a memory limit: a hang
guard, not a performance measurement (throughput and linearity are measured by
benchmarks/extraction.py).
"""

from __future__ import annotations

import math
import re
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tipfigures.extract import Extraction, extract

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "sources"

NBSP, HYPHEN, NB_HYPHEN = "\u00a0", "\u2010", "\u2011"

# Pieces of report prose: each steers the extractor down one of its paths.
FRAGMENTS = [
    # numbers
    "1", "7", "12", "102", "2,500", "1,234,567", "3.5", "0.75", "8.2", "1,000,000,000,000",
    "one", "One", "two", "eleven", "twenty", "twenty-five", f"twenty{NB_HYPHEN}five",
    f"thirty{HYPHEN}one", "forty six", "a hundred", "one hundred and twenty", "dozen", "a dozen",
    " million", " billion", " thousand", " hundred", "1.5 million", "two-thirds", "a third",
    "half of", "nearly half", "one and a half", "three quarters", "a quarter of",
    # money and percent
    "$", "US$", "US $", "€", "£", "₦", "₽", "USD ", "EUR", "N", "CZK ", "%", " %", " percent",
    " per cent", " naira", " rubles", " CFA francs", " pesos", " dollars",
    # ranges, qualifiers, links
    " to ", " and ", " or ", "-", "–", "—", HYPHEN, NB_HYPHEN, " between ", "between ", "from ",
    "at least ", "approximately ", "an estimated ", "up to ", "more than ", "over ", "under ",
    "nearly ", "a maximum of ", " or more", " respectively", "increased from ", " out of ",
    "ranging from ", "ages ", "aged ", "under the age of ",
    # units and entities
    " victims", " persons", " women and girls", " children", " traffickers", " cases",
    " investigations", " prosecutions", " convictions", " years", " years'", " months'",
    " months", " days", "-year", "-bed shelter", " of whom", " of them", " of the",
    " were", " other", " more", " officials", " police officers", " Nigerians",
    # dates and periods
    "January", "May", "Sept.", "Dec", "December 20", "20 June", "March 2005", "in 2005",
    "In 2009, ", "since 2003", "2006", "1999", "2030", "FY2022", "2010s", "2006-2008",
    "between 1999 and 2007", " during the year", " at year's end", " the previous year",
    " during the past 10 years", " annually", " each year", " this year",
    # references, tiers, names, things that are not figures
    "Article 12", "Articles 3 and 4", "Art. 127.1", "Law 04/2004", "Decree No. 14-2003",
    "Act 7/2010", "Section 1.g.", "Tier 2", "Tier 3", "Tier Two Watch List", "Tier 2 Watch List",
    "was placed on Tier 2 in 2006", "moved to Tier 3 Watch List in the 2007 Report",
    "Tier 1 in 2005 and Tier Three in 2006",
    "the 2009 TIP Report", "Resolution 1325", "G8", "COVID-19", "+420 222 000 111",
    "0800 627 8478", "3 p.m.", "10am", "3rd", "21st", "twenty-first", "No. 5", "#4", "1/2",
    "12:30", "16.2.2", "the 1343 Actionline",
    # sentence and document structure
    ". ", "; ", ", ", ": ", "\n", "\n\n", "\t", NBSP, "(", ")", "'s", "’", "\"", "“", "”",
    "== Prosecution ==\n", "=== Protection ===\n", "## Heading\n", "= Title =\n",
    "Mr. ", "U.S. ", "e.g. ", "Police arrested ", "The court sentenced ", "The government ",
    "identified ", "rescued ", "convicted ", "the number of ",
    # other scripts and tricky characters
    "Россия", "жертв", "2006 года", "أشخاص", "١٢٣", "٣", "三十", "人", "2006年", "１２３",
    "İ", "ß", "ﬁ", "\u0130stanbul", "\u200b", "\ufeff", "\u2028", "\u0301", "😀",
]

fragment = st.sampled_from(FRAGMENTS)
numbers = st.one_of(
    st.integers(min_value=0, max_value=3000).map(str),
    st.integers(min_value=0, max_value=10**15).map(str),
    st.integers(min_value=0, max_value=10**13).map(lambda n: f"{n:,}"),
    st.floats(min_value=0, max_value=1e12, allow_nan=False).map(lambda x: f"{x:.3f}"),
)
separator = st.sampled_from([" "] * 8 + ["", NBSP, "\n", ". ", ", ", "-", NB_HYPHEN])
report_like = st.lists(
    st.tuples(st.one_of(fragment, fragment, fragment, numbers, st.text(max_size=6)), separator),
    max_size=40,
).map(lambda pairs: "".join(piece + sep for piece, sep in pairs))
options = st.fixed_dictionaries({
    "reporting_period": st.one_of(st.none(), st.integers(min_value=1990, max_value=2030)),
    "country_code": st.sampled_from([None, "NGA", "RUS", "THA", "CMR", "XXX"]),
})

PROPERTIES = settings(max_examples=200, deadline=None,
                      suppress_health_check=[HealthCheck.too_slow])
DATE = re.compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$")
QUALIFIERS = {"exact", "approximate", "at_least", "more_than", "at_most", "less_than", "up_to"}
TIERS = {"1", "2", "3", "1 Watch List", "2 Watch List", "3 Watch List"}


def check(text: str, result: Extraction) -> None:
    """Everything that must hold of an extraction, whatever the text."""
    previous_end = 0
    for figure in result.figures:
        assert 0 <= figure.start < figure.end <= len(text), figure
        assert text[figure.start:figure.end] == figure.text, figure
        assert figure.start >= previous_end, ("overlapping or unsorted figures", figure)
        previous_end = figure.end
        assert isinstance(figure.value, float) and math.isfinite(figure.value), figure
        if figure.value_max is not None:
            assert math.isfinite(figure.value_max), figure
            assert figure.value_max > figure.value, figure
        assert figure.qualifier in QUALIFIERS, figure
        assert figure.indicator, figure
        if len(figure.sentence) <= 5000:  # the stripped text of the figure's sentence
            around = text[max(0, figure.start - len(figure.sentence)):
                          figure.end + len(figure.sentence)]
            assert figure.sentence in around, figure
    previous_start = -1
    for event in result.events:
        assert 0 <= event.start < event.end <= len(text), event
        assert text[event.start:event.end] == event.text, event
        assert event.start > previous_start, ("unsorted events", event)
        previous_start = event.start
        assert DATE.match(event.date), event
        assert event.date_precision == {4: "year", 7: "month", 10: "day"}[len(event.date)], event
    for tier in result.tier_placements:
        assert 0 <= tier.start < tier.end <= len(text), tier
        assert text[tier.start:tier.end] == tier.text, tier
        assert tier.tier in TIERS, tier
        assert isinstance(tier.year, int), tier


@PROPERTIES
@given(st.text(), options)
@example("", {"reporting_period": None, "country_code": None})
@example("İİİ 12 victims", {"reporting_period": 2006, "country_code": None})
def test_arbitrary_unicode(text, kwargs):
    check(text, extract(text, **kwargs))


@PROPERTIES
@given(report_like, options)
@example(f"between twenty{NB_HYPHEN}five and 30 victims{NBSP}in 2005. Tier 2 Watch List in 2006",
         {"reporting_period": 2006, "country_code": "NGA"})
@example("six months' to 13 years' imprisonment; 20 and 25 thousand naira; $375 (50,000 naira)",
         {"reporting_period": 2007, "country_code": "NGA"})
def test_report_like_text(text, kwargs):
    result = extract(text, **kwargs)
    check(text, result)
    assert extract(text, **kwargs) == result  # a pure function of its input


@PROPERTIES
@given(st.lists(st.one_of(fragment, numbers), min_size=1, max_size=60), separator, options)
@example(["$", "two-thirds"], " ", {"reporting_period": None, "country_code": None})
def test_fragments_only(pieces, sep, kwargs):
    """Dense report fragments, no noise: many numbers next to each other."""
    text = sep.join(pieces)
    check(text, extract(text, **kwargs))


# ---------------------------------------------------------------------------------------------
# Large and degenerate texts, in a child process with a time and a memory limit

MEMORY_LIMIT = 4 * 1024**3  # bytes of address space for the child


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_guarded(build: str, seconds: float, **kwargs) -> str:
    """Run extract on the text that `build` (Python code setting `text`) makes, in a child
    process; fail if it takes longer than `seconds`, runs out of memory or breaks a property.
    """
    code = "\n".join([
        "import sys",
        "from pathlib import Path",
        f"sys.path.insert(0, {str(ROOT)!r})",
        "from tests.test_extract_properties import check",
        "from tipfigures.extract import extract",
        f"SOURCES = Path({str(SOURCES)!r})",
        textwrap.dedent(build).strip(),
        f"result = extract(text, **{kwargs!r})",
        "check(text, result)",
        "print(len(text), len(result.figures), len(result.events))",
    ])
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=seconds, preexec_fn=_limit_memory, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"extract did not finish in {seconds:g} s (a hang guard: it needs well under "
                    "a tenth of that when linear)")
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


CORPUS = """
texts = [p.read_text(encoding="utf-8") for p in sorted(SOURCES.glob("*/text.txt"))]
unit = " ".join(texts)
"""


def test_ten_megabytes_without_line_breaks():
    """The whole corpus on one line, repeated to 10 MB: one paragraph of 10 million
    characters."""
    out = run_guarded(CORPUS + """
text = unit.replace("\\n", " ")
text = (text + " ") * (10_000_000 // len(text) + 1)
""", seconds=60, reporting_period=2006, country_code="NGA")
    chars, figures, _ = map(int, out.split())
    assert chars >= 10_000_000 and figures > 10_000


def test_only_digits():
    """One run of a million digits is no figure (too long to be a number), and quick."""
    out = run_guarded('text = "0123456789" * 100_000', seconds=30, reporting_period=2006)
    assert out.split()[1] == "0"


def test_digits_separated_by_spaces():
    """Numbers and nothing else: 50,000 characters, one sentence, 25,000 figures."""
    out = run_guarded('text = " ".join(str(i % 10) for i in range(25_000))', seconds=20,
                      reporting_period=2006)
    assert int(out.split()[1]) == 25_000


def test_one_endless_sentence():
    """A sentence with no end, full of figures: 250,000 characters with no '.', no line break.
    Work per figure must not grow with the length of its sentence."""
    out = run_guarded('text = "police rescued 5 victims and " * 8_500', seconds=20,
                      reporting_period=2006)
    assert int(out.split()[1]) >= 8_000


def test_one_paragraph_without_reporting_period_phrases():
    """Short sentences in one long paragraph, none saying "during the year": 250,000
    characters. Work per figure must not grow with the length of its paragraph."""
    out = run_guarded('text = "Police rescued 5 victims. " * 10_000', seconds=20,
                      reporting_period=2006)
    assert int(out.split()[1]) >= 9_000


def test_mixed_scripts_with_non_breaking_hyphens():
    """Cyrillic, Arabic, CJK, Latin figures, non-breaking hyphens and spaces: 1 MB, no line
    breaks. (No sentence ends in it: text_structure ends a sentence only before a Latin
    capital or a digit, so this is also one sentence of a million characters.)"""
    out = run_guarded(f"""
piece = ("В 2006 году 25 жертв; twenty{NB_HYPHEN}five victims{NBSP}{NB_HYPHEN} 3{HYPHEN}4 "
         "years' imprisonment; ٣ أشخاص و 12 ضحية؛ 三十人 2006年 50名 women and 1,500 "
         "girls (İstanbul) — Tier 2 Watch List in 2007; US$1.5 million. ")
text = piece * (1_000_000 // len(piece) + 1)
""", seconds=30, reporting_period=2006, country_code="RUS")
    assert int(out.split()[1]) > 30_000
