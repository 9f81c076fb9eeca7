"""The landing page, output/<dataset>/index.html, read as HTML (the browser test renders it)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import defaultdict
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.test_download import DATASET, publish_patch
from tipfigures.package import read_tables
from tipfigures.site import highlight_offsets, write_landing_page


class Page(HTMLParser):
    """The parts of the page the tests look at: links, external loads, figure items, charts."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.loads: list[str] = []
        self.figures: dict[str, list[str]] = {}  # figure_id -> [before, marked, after]
        self.charts: dict[str, int] = {}  # indicator -> points
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
        if tag == "svg" and a.get("data-indicator"):
            self._chart = a["data-indicator"]
            self.charts[self._chart] = 0
        if tag == "circle" and self._chart:
            self.charts[self._chart] += 1

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
    assert len(wanted) == 12
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


def test_charts_show_every_country_year_of_the_main_series(page: Page, store: Path) -> None:
    points: dict[str, set] = defaultdict(set)
    for row in read_tables(store / "1.0.1")["observations"]:
        if row["indicator"] in ("investigations", "prosecutions", "convictions"):
            points[row["indicator"]].add((row["country_code"], row["year"]))
    assert set(page.charts) == {"investigations", "prosecutions", "convictions"}
    for indicator, count in page.charts.items():
        assert count == len(points[indicator]) > 0, indicator


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


def test_it_is_self_contained(html: str, page: Page) -> None:
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
