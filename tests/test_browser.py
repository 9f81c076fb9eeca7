"""The landing page in a real headless Chromium, served over HTTP from 127.0.0.1.

Uses Debian's chromium (/usr/bin/chromium, or TIPFIGURES_CHROMIUM) through Playwright's Python
package; no browser is downloaded. Without it the test skips and says how to run it.
TIPFIGURES_SCREENSHOT=/some/path.png saves a full-page screenshot of what the test saw.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.panel import panel_tables
from tests.test_download import DATASET, Server, publish_patch
from tipfigures.package import read_tables
from tipfigures.site import write_landing_page
from tipfigures.site_series import CHART_INDICATORS

CHROMIUM = Path(os.environ.get("TIPFIGURES_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=(
        f"no Chromium at {CHROMIUM}: install Debian's chromium (sudo apt-get install chromium) "
        "or point TIPFIGURES_CHROMIUM at a Chromium binary to run the browser test; "
        "CI installs it (.ci/run)")),
]


@pytest.fixture(scope="module")
def panel(published_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A store of 1.0.0 and 1.0.1 from all the repository's sources, its page made with a
    hand-made panel in the 2.0 shape (tests/panel.py)."""
    output = tmp_path_factory.mktemp("browser") / "output"
    shutil.copytree(published_store, output)
    publish_patch(output)  # two versions: the page must show 1.0.1, not 1.0.0
    tables = panel_tables(read_tables(output / DATASET / "1.0.1"))
    write_landing_page(output / DATASET, tables)
    return output, tables


@pytest.fixture(scope="module")
def site(panel: tuple[Path, dict]) -> Iterator[Server]:
    with Server(panel[0]) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package "
                                   "(pip install -e '.[test]')")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def visible_points(page) -> list[tuple[str, str, str, int, float]]:
    """(indicator, unit, country, year, value) of every point the browser shows."""
    return [tuple(p) for p in page.eval_on_selector_all("svg.chart", """charts => charts
        .filter(svg => svg.getBoundingClientRect().width > 0)
        .flatMap(svg => Array.from(svg.querySelectorAll('g.series')).filter(
            g => getComputedStyle(g).display !== 'none').flatMap(g => Array.from(
            g.querySelectorAll('circle')).map(c => [svg.dataset.indicator, svg.dataset.unit,
            g.dataset.country, +c.dataset.year, +c.dataset.value])))""")]


def top_tick(page, indicator: str) -> str:
    return page.eval_on_selector(
        f"figure[data-indicator={indicator}] svg.chart:not([hidden]) g.y-axis",
        "g => Array.from(g.querySelectorAll('text')).pop().textContent")


def test_the_landing_page_in_a_real_browser(site: Server, browser, panel) -> None:
    catalog = json.loads((site.root / DATASET / "catalog.json").read_text())
    tables = panel[1]
    url = f"{site.url}/{DATASET}/index.html"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(10_000)
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("request", lambda r: requests.append(r.url))

    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200
    try:
        # size and load time of the page with every source (85) and the panel: printed, as
        # measured here; the aim is below 1.5 MB and 1 s
        size = len(response.body())
        timing = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                               " return [n.domContentLoadedEventEnd, n.loadEventEnd]; }")
        print(f"landing page: {size / 1e6:.2f} MB, {len(tables['sources'])} sources, "
              f"DOMContentLoaded {timing[0]:.0f} ms, load {timing[1]:.0f} ms")
        assert size < 1_500_000
        assert len(tables["sources"]) >= 85

        # loads with no console errors, and nothing from anywhere but the page's server
        assert problems == []
        assert requests == [url]

        # shows the latest version
        assert catalog["latest"] == "1.0.1"
        assert page.locator("#latest-version").inner_text() == "Latest version 1.0.1"
        assert page.locator("#versions tr.version").count() == 2

        # one chart per indicator is shown (one unit at a time), drawn inside its box
        charts = page.locator("svg.chart:visible")
        assert charts.count() == len(CHART_INDICATORS)
        for index in range(charts.count()):
            chart = charts.nth(index)
            box = chart.bounding_box()
            assert box and box["width"] > 350 and box["height"] > 180
            dots = chart.locator("g.series:not(.off) circle")
            for p in range(dots.count()):
                dot = dots.nth(p).bounding_box()
                assert dot and dot["width"] > 5
                assert box["x"] <= dot["x"] and dot["x"] + dot["width"] <= box["x"] + box["width"]
                assert box["y"] <= dot["y"] and dot["y"] + dot["height"] <= box["y"] + box["height"]

        # the points are the panel's totals of the countries picked, in the unit shown
        picked = set(page.eval_on_selector_all("#picker input:checked", "i => i.map(x => x.value)"))
        shown_units = {(i, u) for i, u, *_ in visible_points(page)}
        expected = {(r["indicator"], r["unit"], r["country_code"], r["year"], r["value"])
                    for r in tables["observations"] if r["breakdown"] == "total"
                    and r["country_code"] in picked and (r["indicator"], r["unit"]) in shown_units}
        assert set(visible_points(page)) == expected and len(expected) > 5

        # the picker: all countries, then none, then one; the y axis follows what is shown
        page.click("#picker button[data-pick=all]")
        every = {(r["indicator"], r["unit"], r["country_code"], r["year"], r["value"])
                 for r in tables["observations"] if r["breakdown"] == "total"
                 and (r["indicator"], r["unit"]) in shown_units}
        assert set(visible_points(page)) == every
        assert page.locator("#picked-count").inner_text() == str(
            page.locator("#picker input").count())
        page.click("#picker button[data-pick=none]")
        assert visible_points(page) == []
        one = min((p for p in every if p[0] == "victims_identified"), key=lambda p: p[4])[2]
        page.check(f"#picker input[value={one}]")
        points = visible_points(page)
        assert points and {p[2] for p in points} == {one}
        smallest = max(p[4] for p in points if p[0] == "victims_identified")
        page.click("#picker button[data-pick=all]")
        largest = max(p[4] for p in every if p[0] == "victims_identified")
        assert largest > smallest  # so the axis must grow back
        page.click("#picker button[data-pick=none]")
        page.check(f"#picker input[value={one}]")
        low = float(top_tick(page, "victims_identified").replace(",", "").replace("k", "e3"))
        page.click("#picker button[data-pick=all]")
        high = float(top_tick(page, "victims_identified").replace(",", "").replace("k", "e3"))
        assert smallest <= low < largest <= high

        # the unit switch shows the other unit's chart
        switch = page.locator(".units button[aria-pressed=false]").first
        indicator = switch.locator("xpath=ancestor::figure").get_attribute("data-indicator")
        unit = switch.get_attribute("data-unit")
        figure = page.locator(f"figure[data-indicator={indicator}]")
        figure.locator(f".units button[data-unit={unit}]").click()
        assert figure.locator("svg.chart:visible").get_attribute("data-unit") == unit
        assert figure.locator("svg.chart:visible").count() == 1

        # a point opens its country's view at its sentence, the figure marked in it (the
        # point drawn last: one drawn earlier can lie under another country's at the same spot)
        point = page.locator("svg.chart:visible g.series:not(.off) a.point").last
        target = point.get_attribute("href").removeprefix("#")
        country = point.get_attribute("data-country")
        point.click()
        assert page.locator("#country-view").input_value() == country
        assert page.locator(f"#country-{country}").is_visible()
        assert page.locator("section.country:visible").count() == 1
        item = page.locator(f"[id='{target}']")
        assert item.is_visible()
        figure_row = next(r for r in tables["figures"] if f"f-{r['figure_id']}" == target)
        assert item.locator("mark").inner_text() == figure_row["text"]
        # and the picker of the country view switches countries
        other = next(c for c in page.eval_on_selector_all(
            "#country-view option", "o => o.map(x => x.value)") if c != country)
        page.select_option("#country-view", other)
        assert page.locator(f"#country-{other}").is_visible()
        assert not page.locator(f"#country-{country}").is_visible()

        # the sources table is collapsed until opened
        assert not page.locator("#sources-table table").is_visible()
        page.click("#sources-table summary")
        assert page.locator("#sources-table table").is_visible()

        # the figure filter (the page's script) works
        total = page.locator("#figure-list li").count()
        assert page.locator("#figure-count").inner_text() == str(total)
        page.fill("#figure-filter", "convictions")
        shown = int(page.locator("#figure-count").inner_text())
        assert 0 < shown < total
        visible = page.locator("#figure-list li:visible")
        assert visible.count() == shown
        assert all("convictions" in (visible.nth(i).get_attribute("data-search") + " "
                                     + visible.nth(i).text_content()).lower()
                   for i in range(shown))
        assert any("convictions" not in visible.nth(i).get_attribute("data-search")
                   for i in range(shown))  # found by its sentence alone
        page.fill("#figure-filter", "")
        assert page.locator("#figure-count").inner_text() == str(total)

        # the command examples name the page's own folder
        assert page.locator(".base-url").first.text_content() == f"{site.url}/{DATASET}"

        # every download link (each resource's files and the zip) resolves, with the sha256
        # the page states
        descriptor = json.loads((site.root / DATASET / "1.0.1" / "datapackage.json").read_text())
        files = page.locator("a.file")
        assert files.count() == len(descriptor["resources"]) + 1
        for index in range(files.count()):
            link = files.nth(index)
            got = page.request.get(urljoin(url, link.get_attribute("href")))
            assert got.status == 200, link.get_attribute("href")
            assert hashlib.sha256(got.body()).hexdigest() == link.get_attribute("data-sha256")
        entry = catalog["versions"][-1]
        assert page.locator("a.zip").get_attribute("data-sha256") == entry["zip"]["sha256"]
        hrefs = page.eval_on_selector_all(  # SVG links too, whose .href is not a string
            "a[href]", "els => els.map(e => new URL(e.getAttribute('href'), location.href).href)")
        local = {h.split("#")[0] for h in hrefs if h.startswith(site.url)}
        assert len(local) > 12
        for target in sorted(local):
            assert page.request.get(target).status == 200, target
        assert problems == []
    finally:
        screenshot = os.environ.get("TIPFIGURES_SCREENSHOT")
        if screenshot:
            page.fill("#figure-filter", "")
            page.goto(url, wait_until="load")
            page.screenshot(path=screenshot, full_page=True)
            print(f"screenshot of {url}: {screenshot}")
        page.close()
