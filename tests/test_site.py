"""The landing page, output/<dataset>/index.html, read as HTML (the browser test renders it)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import defaultdict
from html import escape as escape_html
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.panel import PART_VALUE, panel_tables
from tests.test_download import DATASET, publish_patch
from tipfigures.package import read_tables
from tipfigures.site import highlight_offsets, write_landing_page
from tipfigures.site_series import CHART_INDICATORS
from tipfigures.tables import RESOURCES


class Page(HTMLParser):
    """The parts of the page the tests look at: links, external loads, figure items, charts."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.loads: list[str] = []
        self.figures: dict[str, list[str]] = {}  # figure_id -> [before, marked, after]
        self.charts: dict[tuple[str, str], list[tuple[str, int, float, str]]] = {}
        self.hidden_charts: set[tuple[str, str]] = set()
        self.ids: set[str] = set()
        self._point: tuple[str, str] | None = None  # (country, href) of the point being read
        self.text: list[str] = []
        self._figure: str | None = None
        self._quote = False
        self._mark = False
        self._chart: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in ("script", "img", "iframe", "audio", "video", "source") and a.get("src"):
            self.loads.append(a["src"])
        if tag == "link" and a.get("href"):
            self.loads.append(a["href"])
        if tag == "li" and a.get("data-figure"):
            self._figure = a["data-figure"]
            self.figures[self._figure] = ["", "", ""]
        if tag == "blockquote" and self._figure:
            self._quote = True
        if tag == "mark" and self._quote:
            self._mark = True
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "svg" and a.get("data-indicator"):
            self._chart = (a["data-indicator"], a["data-unit"])
            self.charts[self._chart] = []
            if "hidden" in a:
                self.hidden_charts.add(self._chart)
        if tag == "a" and self._chart and a.get("data-country"):
            self._point = (a["data-country"], a["href"])
        if tag == "circle" and self._chart and self._point:
            self.charts[self._chart].append((self._point[0], int(a["data-year"]),
                                             float(a["data-value"]), self._point[1]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._mark:
            self._mark = False
            self.figures[self._figure][2] = "\0"  # text after the mark starts here
        elif tag == "blockquote":
            self._quote = False
        elif tag == "li":
            self._figure = None
        elif tag == "svg":
            self._chart = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._quote and self._figure:
            parts = self.figures[self._figure]
            if self._mark:
                parts[1] += data
            elif parts[2]:
                parts[2] += data
            else:
                parts[0] += data


@pytest.fixture(scope="module")
def store(published_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dataset folder of a store with 1.0.0 and 1.0.1; index.html written by publish."""
    output = tmp_path_factory.mktemp("site") / "output"
    shutil.copytree(published_store, output)
    publish_patch(output)
    return output / DATASET


@pytest.fixture(scope="module")
def html(store: Path) -> str:
    return (store / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(html: str) -> Page:
    return Page(html)


def test_publishing_writes_the_page(published_store: Path) -> None:
    index = published_store / DATASET / "index.html"
    assert index.is_file()
    assert "Latest version\n<strong>1.0.0</strong>" in index.read_text(encoding="utf-8")


def test_it_shows_the_latest_version_and_every_version_with_date_and_changes(
        html: str, store: Path) -> None:
    catalog = json.loads((store / "catalog.json").read_text())
    assert catalog["latest"] == "1.0.1"
    assert "Latest version\n<strong>1.0.1</strong>" in html
    rows = re.findall(r'<tr class="version" data-version="([^"]+)">(.*?)</tr>', html, re.S)
    assert [version for version, _ in rows] == ["1.0.1", "1.0.0"]  # newest first
    for (version, row), entry in zip(rows, reversed(catalog["versions"]), strict=True):
        assert entry["version"] == version
        assert entry["created"][:10] in row
        assert unescape(entry["summary"]) in unescape(row)
    assert "latest</span>" in rows[0][1] and "latest</span>" not in rows[1][1]
    figure_id = read_tables(store / "1.0.1")["figures"][0]["figure_id"]
    assert f"({figure_id}): reason changed (checked against the source by hand)." in \
        unescape(rows[0][1])
    assert "First release: " in rows[1][1]


def test_download_links_point_at_the_latest_files(page: Page, store: Path) -> None:
    descriptor = json.loads((store / "1.0.1" / "datapackage.json").read_text())
    wanted = {f"1.0.1/{r['path']}" for r in descriptor["resources"]}
    assert len(wanted) == 2 * len(RESOURCES)
    assert wanted <= set(page.links)
    for link in page.links:
        if not re.match(r"^[a-z]+:|^#", link):
            assert (store / link).is_file(), link  # every relative link resolves


def test_where_the_numbers_come_from(html: str, store: Path) -> None:
    tables = read_tables(store / "1.0.1")
    assert "Where the numbers come from" in html
    for source in tables["sources"]:
        assert f'<a href="{source["url"]}">' in html
        count = sum(f["source_id"] == source["source_id"] for f in tables["figures"])
        assert re.search(re.escape(source["retrieved"]) + r"</time></td>\s*<td class=\"num\">"
                         + str(count) + "</td>", html), source["source_id"]


def test_each_resource_has_its_schema_and_a_preview(html: str, store: Path) -> None:
    descriptor = json.loads((store / "1.0.1" / "datapackage.json").read_text())
    tables = read_tables(store / "1.0.1")
    for resource in descriptor["resources"]:
        if resource["format"] != "csv":
            continue
        name = resource["name"]
        block = re.search(rf'<details class="resource" id="resource-{name}">(.*?)</details>',
                          html, re.S)
        assert block, name
        for field in resource["schema"]["fields"]:
            assert f"<td><code>{field['name']}</code></td><td>{field['type']}</td>" in \
                block.group(1)
        preview = block.group(1).split("<table class=\"data preview\">")[1]
        assert preview.count("<tr>") == 1 + min(5, len(tables[name]))  # header + rows
        first = tables[name][0]
        key = resource["schema"]["primaryKey"][0]
        assert f">{first[key]}</td>" in preview


@pytest.fixture(scope="module")
def panel(store: Path) -> dict:
    """The latest version's tables with a hand-made panel in the 2.0 shape (tests/panel.py)."""
    return panel_tables(read_tables(store / "1.0.1"))


@pytest.fixture(scope="module")
def panel_html(store: Path, panel: dict, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("panel-site") / DATASET
    shutil.copytree(store, folder)
    return write_landing_page(folder, panel).read_text(encoding="utf-8")


def test_a_version_without_a_panel_charts_nothing(store: Path,
                                                  tmp_path_factory: pytest.TempPathFactory
                                                  ) -> None:
    """A version of before the panel (1.x: observations were one row per figure, with no
    breakdown) is shown without charts rather than with figures that may be cases or parts."""
    tables = read_tables(store / "1.0.1")
    tables["observations"] = [{k: v for k, v in row.items() if k not in (
        "breakdown", "figure_ids", "source_ids", "source_count", "conflict")}
        for row in tables["observations"]]
    assert tables["observations"]  # rows there are, but not a panel
    folder = tmp_path_factory.mktemp("no-panel-site") / DATASET
    shutil.copytree(store, folder)
    html = write_landing_page(folder, tables).read_text(encoding="utf-8")
    assert Page(html).charts == {}
    assert "This version has no country-year panel yet" in html


def test_a_version_with_the_panel_charts_its_totals(page: Page) -> None:
    assert {indicator for indicator, _ in page.charts} >= {"investigations", "convictions"}


def test_charts_draw_the_panel_totals_and_nothing_else(panel: dict, panel_html: str) -> None:
    page = Page(panel_html)
    totals: dict[tuple[str, str], set] = defaultdict(set)
    for row in panel["observations"]:
        if row["breakdown"] == "total" and row["indicator"] in CHART_INDICATORS:
            totals[(row["indicator"], row["unit"])].add(
                (row["country_code"], row["year"], row["value"], f"#f-{row['figure_id']}"))
    assert {indicator for indicator, _ in page.charts} == set(CHART_INDICATORS)
    assert set(page.charts) == set(totals)
    for key, points in page.charts.items():
        assert len(points) == len(set(points))
        assert set(points) == totals[key], key
    assert any(r["breakdown"] != "total" for r in panel["observations"])  # parts exist ...
    assert all(v != PART_VALUE for ps in page.charts.values() for _, _, v, _ in ps)  # unseen
    targets = {h.removeprefix("#") for ps in page.charts.values() for *_, h in ps}
    assert targets <= page.ids  # every point links to its sentence on the page


def test_an_indicator_in_two_units_is_charted_one_unit_at_a_time(panel_html: str) -> None:
    page = Page(panel_html)
    units: dict[str, list[str]] = defaultdict(list)
    for indicator, unit in page.charts:
        units[indicator].append(unit)
    two = [indicator for indicator, found in units.items() if len(found) > 1]
    assert two, "the hand-made panel has an indicator in cases and in persons"
    for indicator in two:
        shown = [u for u in units[indicator] if (indicator, u) not in page.hidden_charts]
        assert len(shown) == 1
        block = re.search(rf'<figure class="panel" data-indicator="{indicator}">.*?</figcaption>',
                          panel_html, re.S).group(0)
        assert re.findall(r'data-unit="([^"]+)"', block) == units[indicator]


def test_the_country_view_lists_its_panel_by_year(panel: dict, panel_html: str) -> None:
    figures = {r["figure_id"]: r for r in panel["figures"]}
    totals = [r for r in panel["observations"] if r["breakdown"] == "total"]
    for code in {r["country_code"] for r in totals}:
        view = re.search(rf'<section class="country" id="country-{code}" data-country="{code}">'
                         r"(.*?)</section>", panel_html, re.S)
        assert view, code
        text = view.group(1)
        rows = [r for r in totals if r["country_code"] == code]
        years = sorted({r["year"] for r in rows})
        head = re.search(r"<thead>(.*?)</thead>", text, re.S).group(1)
        assert re.findall(r">(\d{4})</th>", head) == [str(y) for y in years]
        for row in rows:
            cell = re.search(rf'<a href="#f-{row["figure_id"]}"[^>]*>([^<]+)</a>', text)
            assert cell and float(cell.group(1).replace(",", "")) == row["value"]
            item = re.search(rf'<li id="f-{row["figure_id"]}">.*?<mark>(.*?)</mark>', text, re.S)
            assert item and unescape(item.group(1)) == figures[row["figure_id"]]["text"]
        for source in panel["sources"]:
            if source["country_code"] == code:
                assert f">{escape_html(source['title'])}</a>" in text


def test_quality_citation_and_zip_are_on_the_page(html: str, store: Path) -> None:
    descriptor = json.loads((store / "1.0.1" / "datapackage.json").read_text())
    for measure in descriptor["quality"]["measures"]:
        shown = re.search(rf'data-measure="{measure["name"]}">([0-9.]+)%', html)
        assert shown and float(shown.group(1)) == round(100 * measure["value"], 1)
    assert descriptor["quality"]["extractor_version"] in html
    assert escape_html(descriptor["citation"]["text"]) in html
    entry = json.loads((store / "catalog.json").read_text())["versions"][-1]
    assert f'href="{entry["zip"]["path"]}" download data-sha256="{entry["zip"]["sha256"]}"' in html
    sources = re.search(r'<details id="sources-table">', html)
    assert sources  # the sources table is collapsed (no "open")


def test_every_figure_is_shown_in_its_sentence_with_the_figure_highlighted(
        page: Page, store: Path) -> None:
    figures = read_tables(store / "1.0.1")["figures"]
    assert len(page.figures) == len(figures)
    for row in figures:
        before, marked, after = page.figures[row["figure_id"]]
        assert marked == row["text"], row["figure_id"]
        assert before + marked + after.removeprefix("\0") == row["sentence"], row["figure_id"]


def test_highlights_the_right_occurrence_of_a_repeated_figure() -> None:
    sentence = "Police arrested 3 men and 3 women."
    tables = {"figures": [
        {"figure_id": "a", "source_id": "s", "start": 126, "text": "3", "sentence": sentence},
        {"figure_id": "b", "source_id": "s", "start": 116, "text": "3", "sentence": sentence},
        {"figure_id": "c", "source_id": "t", "start": 50, "text": "3", "sentence": sentence},
    ]}
    assert highlight_offsets(tables) == {"a": 26, "b": 16, "c": None}  # c: cannot tell
    tables["events"] = [{"source_id": "t", "start": 60, "text": "women", "sentence": sentence}]
    tables["figures"][2]["start"] = 58  # the event puts the sentence at 60 - 28 = 32
    assert highlight_offsets(tables)["c"] == 26  # so c is the second "3", not the first


def test_it_is_self_contained(panel_html: str) -> None:
    html, page = panel_html, Page(panel_html)
    assert page.loads == ["data:,"]  # only the empty icon, which stops a /favicon.ico request
    assert "default-src 'none'" in html
    assert not re.search(r"url\(|@import|<link[^>]+stylesheet|https?://[^\"'<\s]*\.(js|css)\b",
                         html)
    assert "<svg" in html and "<style>" in html and "<script>" in html


def test_text_from_data_is_escaped(published_store: Path, tmp_path: Path) -> None:
    output = shutil.copytree(published_store, tmp_path / "output")
    sources = output / DATASET / "1.0.0" / "data" / "sources.csv"
    with sources.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["title"] = "<script>alert('title')</script>"
    rows[0]["url"] = "javascript:alert(1)"
    with sources.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    html = write_landing_page(output / DATASET).read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    assert "href=\"javascript:" not in html and "javascript:alert(1)" in html  # text only


def test_the_page_is_the_same_when_made_again(store: Path, html: str) -> None:
    assert write_landing_page(store).read_text(encoding="utf-8") == html


def test_a_store_with_no_version_yet(tmp_path: Path) -> None:
    (tmp_path / "catalog.json").write_text('{"name": "x", "latest": null, "versions": []}')
    assert "No version published yet." in write_landing_page(tmp_path).read_text()


@pytest.mark.parametrize("top", [0, 1, 3, 7, 10, 11, 99, 101, 2913, 30000, 987654])
def test_axis_ticks_are_round_linear_and_cover_the_data(top: float) -> None:
    from tipfigures.site_charts import nice_ticks

    ticks = nice_ticks(top)
    step = ticks[1] - ticks[0]
    assert ticks[0] == 0 and ticks[-1] >= top and ticks[-1] - step < max(top, 1)
    assert all(b - a == step for a, b in zip(ticks, ticks[1:], strict=False))  # linear
    assert 2 <= len(ticks) <= 7
    mantissa = step / 10 ** len(str(int(step))[1:])
    assert mantissa in (1, 2, 2.5, 5)
