"""The provenance check that gates publishing: a figure's text is at its offsets and its value
reads from that text, fractions included; a failure names the source, figure and sentence."""

from __future__ import annotations

from pathlib import Path

from tipfigures.extract import extract
from tipfigures.sources import Source
from tipfigures.tables import build_tables
from tipfigures.validate import check_provenance

TEXT = ("During the year police opened 12 investigations. Nearly half of the victims were "
        "children, and one-third of them were girls from Niger.")


def tables_of(text: str) -> dict:
    source = Source(id="fractions", folder=Path("fractions"), text=text, sha256="0" * 64, metadata={
        "id": "fractions", "title": "t", "publisher": "p", "url": "https://example.org/",
        "license": "public-domain-us-gov", "language": "en", "country_code": "NER",
        "retrieved": "2026-12-01", "reporting_period": 2007})
    return build_tables([(source, extract(text, reporting_period=2007, country_code="NER"))])


def test_fractions_read_back_from_their_text() -> None:
    tables = tables_of(TEXT)
    fractions = {row["text"]: row["value"] for row in tables["figures"]
                 if row["unit"] == "percent"}
    assert fractions == {"half": 50.0, "one-third": 33.33}
    assert check_provenance(tables, {"fractions": TEXT}) == []


def test_a_value_that_does_not_read_names_source_figure_and_sentence() -> None:
    tables = tables_of(TEXT)
    row = next(r for r in tables["figures"] if r["text"] == "one-third")
    row["value"] = 30.0
    problems = check_provenance(tables, {"fractions": TEXT})
    assert len(problems) == 1
    message = str(problems[0])
    assert "source fractions" in message
    assert f"figure {row['figure_id']}" in message
    assert row["sentence"] in message
    assert "value 30 cannot be read from 'one-third'" in message


def test_a_text_that_is_not_at_its_offsets_names_the_figure() -> None:
    tables = tables_of(TEXT)
    row = next(r for r in tables["figures"] if r["text"] == "12")
    row["start"] += 1
    problems = check_provenance(tables, {"fractions": TEXT})
    assert [p.field for p in problems] == ["text"]
    message = str(problems[0])
    assert f"figure {row['figure_id']}" in message and "source fractions" in message
