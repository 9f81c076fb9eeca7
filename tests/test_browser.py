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

from tests.test_download import DATASET, Server, publish_patch

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
def site(published_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    output = tmp_path_factory.mktemp("browser") / "output"
    shutil.copytree(published_store, output)
    publish_patch(output)  # two versions: the page must show 1.0.1, not 1.0.0
    with Server(output) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package "
                                   "(pip install -e '.[test]')")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def test_the_landing_page_in_a_real_browser(site: Server, browser) -> None:
    catalog = json.loads((site.root / DATASET / "catalog.json").read_text())
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
        # loads with no console errors, and nothing from anywhere but the page's server
        assert problems == []
        assert requests == [url]

        # shows the latest version
        assert catalog["latest"] == "1.0.1"
        assert page.locator("#latest-version").inner_text() == "Latest version 1.0.1"
        assert page.locator("#versions tr.version").count() == 2

        # the charts render: three SVG panels with points, drawn inside them, with a size
        charts = page.locator("svg.chart")
        assert charts.count() == 3
        for index in range(3):
            chart = charts.nth(index)
            box = chart.bounding_box()
            assert box and box["width"] > 250 and box["height"] > 150
            points = chart.locator("circle")
            assert points.count() > 0
            for p in range(points.count()):
                dot = points.nth(p).bounding_box()
                assert dot and dot["width"] > 5
                assert box["x"] <= dot["x"] and dot["x"] + dot["width"] <= box["x"] + box["width"]
                assert box["y"] <= dot["y"] and dot["y"] + dot["height"] <= box["y"] + box["height"]

        # the figure filter (the page's script) works
        total = page.locator("#figure-list li").count()
        assert page.locator("#figure-count").inner_text() == str(total)
        page.fill("#figure-filter", "convictions")
        shown = int(page.locator("#figure-count").inner_text())
        assert 0 < shown < total
        visible = page.locator("#figure-list li:visible")
        assert visible.count() == shown
        assert all("convictions" in visible.nth(i).get_attribute("data-search")
                   for i in range(shown))
        page.fill("#figure-filter", "")
        assert page.locator("#figure-count").inner_text() == str(total)

        # the command examples name the page's own folder
        assert page.locator(".base-url").first.text_content() == f"{site.url}/{DATASET}"

        # every download link resolves on the local server, with the sha256 the page states
        files = page.locator("a.file")
        assert files.count() == 12
        for index in range(files.count()):
            link = files.nth(index)
            got = page.request.get(urljoin(url, link.get_attribute("href")))
            assert got.status == 200, link.get_attribute("href")
            assert hashlib.sha256(got.body()).hexdigest() == link.get_attribute("data-sha256")
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        local = {h.split("#")[0] for h in hrefs if h.startswith(site.url)}
        assert len(local) > 12
        for target in sorted(local):
            assert page.request.get(target).status == 200, target
        assert problems == []
    finally:
        screenshot = os.environ.get("TIPFIGURES_SCREENSHOT")
        if screenshot:
            page.fill("#figure-filter", "")
            page.screenshot(path=screenshot, full_page=True)
            print(f"screenshot of {url}: {screenshot}")
        page.close()
