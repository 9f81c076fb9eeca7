"""The landing page of a published dataset: output/<dataset>/index.html.

One self-contained HTML file (inline CSS, a few lines of inline JS, charts as inline SVG drawn
here): nothing loads from the internet, and a Content-Security-Policy says so to the browser.
It is derived from catalog.json and the latest version, like CHANGELOG.md, and remade after
each publish. Links are relative, so the page works from any host and from a file:// URL.
Every text that comes from data is escaped.
"""

from __future__ import annotations

import json
import math
import os
from collections import defaultdict
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from tipfigures import DATASET_NAME, __version__
from tipfigures.package import format_cell, read_descriptor, read_tables

INDEX = "index.html"
CHART_INDICATORS = ("investigations", "prosecutions", "convictions")
PREVIEW_ROWS = 5
FIGURE_LIMIT = 1000  # beyond this the page points to the data instead of listing every figure
CHANGE_LINES = 12
# Okabe-Ito and Tableau colours: distinguishable, also for colour-blind readers
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#8C564B",
           "#7F7F7F", "#BCBD22", "#17BECF", "#393B79", "#AD494A")
RESOURCE_NOTES = {
    "figures": "one row per number found in a text, with its sentence and offsets",
    "observations": "tidy: one row per country, year, indicator and figure",
    "sources": "one row per source text, with its SHA-256",
    "events": "one row per dated statement",
    "tier_placements": "one row per country, year and TIP tier",
    "indicators": "the code list of indicators, with UNODC and SDG labels",
}
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:; base-uri 'none'; form-action 'none'")


def write_landing_page(dataset_folder: Path, latest_tables: dict[str, list] | None = None
                       ) -> Path:
    """Write index.html for the dataset in `dataset_folder` (holding catalog.json); return it.

    `latest_tables`: the latest version's tables when the caller has them (publishing just
    wrote them), instead of reading them back."""
    folder = Path(dataset_folder)
    catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
    page = render_page(folder, catalog, latest_tables)
    target = folder / INDEX
    temporary = folder / f".tmp-{INDEX}"  # a name publishing's leftover cleaning knows
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(page)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temporary, 0o644)  # a web server must be able to read it
    os.replace(temporary, target)
    return target


# ---------------------------------------------------------------------------------------------
# Small helpers


def e(value: Any) -> str:
    """Escaped text of a value ('' for None)."""
    return escape(format_cell(value) if not isinstance(value, str) else value, quote=True)


def href(path: str) -> str:
    """A relative link to a file of the store, each part percent-encoded."""
    return escape("/".join(quote(part, safe="") for part in path.split("/")), quote=True)


def external(url: Any) -> str | None:
    """An http(s) URL safe to link to, else None (no javascript: or data: links from data)."""
    if isinstance(url, str) and urlsplit(url).scheme in ("http", "https"):
        return escape(url, quote=True)
    return None


def number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else format_cell(value)


def _compact(value: int) -> str:
    for power, suffix in ((9, "G"), (6, "M"), (3, "k")):
        if value >= 10 ** power:
            return f"{value // 10 ** power}{suffix}"
    return str(value)


def size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / 1024 / 1024:.1f} MB"


def plural(count: int, word: str) -> str:
    if count == 1:
        return f"{count:,} {word}"
    return f"{count:,} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


# ---------------------------------------------------------------------------------------------
# The page


def render_page(folder: Path, catalog: dict[str, Any],
                latest_tables: dict[str, list] | None = None) -> str:
    latest = catalog.get("latest")
    entries = catalog.get("versions", [])
    if not latest:
        return _document(catalog.get("name", DATASET_NAME), "<p>No version published yet.</p>")
    version_folder = folder / latest
    descriptor = read_descriptor(version_folder)
    tables = latest_tables if latest_tables is not None else read_tables(version_folder)
    entry = next((x for x in entries if x.get("version") == latest), {})
    name = descriptor.get("name", DATASET_NAME)
    sections = [
        _header(descriptor, entry, tables),
        _nav(),
        "<main>",
        _about(descriptor, tables),
        _downloads(descriptor, latest, tables),
        _charts(tables),
        _figures(tables),
        _resources(descriptor, tables),
        _versions(folder, entries, latest),
        "</main>",
        _footer(descriptor),
    ]
    title = f"{descriptor.get('title', name)} · {name} {latest}"
    return _document(title, "\n".join(sections))


def _document(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="generator" content="tipfigures {escape(__version__)}">
<title>{escape(title)}</title>
<link rel="icon" href="data:,">
<style>{STYLE}</style>
</head>
<body>
{body}
<script>{SCRIPT}</script>
</body>
</html>
"""


def _header(descriptor: dict[str, Any], entry: dict[str, Any], tables: dict[str, list]) -> str:
    version = descriptor.get("version", "")
    created = str(descriptor.get("created", ""))[:10]
    licenses = ", ".join(e(lic.get("title") or lic.get("name")) for lic in
                         descriptor.get("licenses", []))
    figures, sources = len(tables.get("figures", [])), len(tables.get("sources", []))
    countries = len({r.get("country_code") for r in tables.get("sources", [])})
    return f"""<header class="top">
<div class="wrap">
<p class="eyebrow">{e(descriptor.get("name", DATASET_NAME))} · open data</p>
<h1>{e(descriptor.get("title", ""))}</h1>
<p class="lede">{e(descriptor.get("description", ""))}</p>
<p class="facts"><span class="badge" id="latest-version">Latest version
<strong>{e(version)}</strong></span> <span>published <time datetime="{e(created)}">{e(created)}
</time></span> <span>{plural(figures, "figure")} from {plural(sources, "source")} about
{plural(countries, "country")}</span> <span>{licenses}</span></p>
<p><a class="button" href="#download">Download CSV or Parquet</a>
<a class="button ghost" href="{href(f"{version}/datapackage.json")}">datapackage.json</a></p>
</div>
</header>"""


def _nav() -> str:
    items = [("about", "About"), ("download", "Download"), ("charts", "Charts"),
             ("figures", "Figures"), ("resources", "Resources"), ("versions", "Versions")]
    links = "".join(f'<a href="#{key}">{label}</a>' for key, label in items)
    return f'<nav class="wrap">{links}</nav>'


def _about(descriptor: dict[str, Any], tables: dict[str, list]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for row in tables.get("figures", []):
        counts[row.get("source_id")] += 1
    rows = []
    for row in tables.get("sources", []):
        url = external(row.get("url"))
        title = (f'<a href="{url}">{e(row.get("title"))}</a>' if url else e(row.get("title")))
        rows.append(f"<tr><td>{title}<div class=\"sub\">{e(row.get('publisher'))}</div></td>"
                    f"<td>{e(row.get('country_code'))}</td>"
                    f"<td>{e(row.get('reporting_period'))}</td>"
                    f"<td>{e(row.get('license'))}</td><td><time>{e(row.get('retrieved'))}</time></td>"
                    f"<td class=\"num\">{counts.get(row.get('source_id'), 0)}</td></tr>")
    extractor = (descriptor.get("tipfigures") or {}).get("extractor_version")
    corrections = len((descriptor.get("tipfigures") or {}).get("corrections") or {})
    made = (f"Figures were found by the rule-based extractor (version {e(extractor)})"
            if extractor else "Figures were found by the rule-based extractor")
    return f"""<section id="about" class="wrap">
<h2>What this is</h2>
<p>Narrative reports on human trafficking — U.S. State Department human-rights and Trafficking
in Persons report narratives, Wikipedia country articles — give their numbers in prose:
investigations, prosecutions, convictions, sentences, victims identified and assisted, money.
This dataset lifts those numbers out of the text into tables, and keeps each one tied to the
words it came from.</p>
<h3>Where the numbers come from</h3>
<p>{made}, with {plural(corrections, "correction file")} applied on top. Every figure
records its source, the character offsets <code>start</code> and <code>end</code> of its text
in that source's snapshot (<code>figures.text == text[start:end]</code>, checked before
every publish), and the sentence around it. Each source snapshot is identified by its
SHA-256, so anyone can check a number against the exact text it was read from.</p>
<div class="scroll"><table class="data">
<thead><tr><th>Source</th><th>Country</th><th>Reporting year</th><th>License</th>
<th>Retrieved</th><th class="num">Figures</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>
</section>"""


def _downloads(descriptor: dict[str, Any], version: str, tables: dict[str, list]) -> str:
    by_name = {r["name"]: r for r in descriptor.get("resources", [])}
    rows = []
    for name, resource in by_name.items():
        if resource.get("format") != "csv":
            continue
        cells = []
        for item in (resource, by_name.get(f"{name}-parquet")):
            if item is None:
                cells.append("<td>—</td>")
                continue
            path = f"{version}/{item['path']}"
            digest = str(item.get("hash", "")).removeprefix("sha256:")
            cells.append(f'<td><a class="file" href="{href(path)}" download '
                         f'data-sha256="{e(digest)}">{e(path.rsplit("/", 1)[-1])}</a> '
                         f'<span class="sub" title="sha256 {e(digest)}">'
                         f'{size(int(item.get("bytes", 0)))}</span></td>')
        note = RESOURCE_NOTES.get(name, "")
        rows.append(f"<tr><th scope=\"row\">{e(name)}<div class=\"sub\">{e(note)}</div></th>"
                    f"<td class=\"num\">{len(tables.get(name, [])):,}</td>{''.join(cells)}</tr>")
    here = '<span class="base-url">BASE_URL</span>'  # the script puts the page's folder here
    meta = " · ".join(f'<a href="{href(path)}">{e(label)}</a>' for path, label in (
        (f"{version}/datapackage.json", "datapackage.json"),
        (f"{version}/changes.json", "changes.json"),
        ("catalog.json", "catalog.json"), ("CHANGELOG.md", "CHANGELOG.md")))
    return f"""<section id="download" class="wrap">
<h2>Download version {e(version)}</h2>
<p>Each resource as CSV (UTF-8, a header row) and as Parquet (typed columns). The sizes and
SHA-256 hashes are in <code>datapackage.json</code>, a
<a href="https://datapackage.org/">Frictionless Data Package</a> that also holds each table's
schema.</p>
<div class="scroll"><table class="data downloads">
<thead><tr><th>Resource</th><th class="num">Rows</th><th>CSV</th><th>Parquet</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></div>
<p class="meta">{meta}</p>
<details><summary>Download and verify from the command line, or read it in Python</summary>
<p class="sub base-url-note">BASE_URL is the folder of this page.</p>
<pre><code>tipfigures download --from {here} --version {e(version)}
frictionless validate trafficking-figures/{e(version)}/datapackage.json</code></pre>
<pre><code>import pandas as pd
figures = pd.read_parquet("{here}/{e(version)}/data/figures.parquet")</code></pre>
</details>
</section>"""


# ---------------------------------------------------------------------------------------------
# Charts: inline SVG drawn here


def _charts(tables: dict[str, list]) -> str:
    labels = {r["indicator"]: r.get("label") or r["indicator"]
              for r in tables.get("indicators", [])}
    titles = {r["source_id"]: r.get("title") for r in tables.get("sources", [])}
    series: dict[str, dict[tuple[str, int], list[dict[str, Any]]]] = {
        name: defaultdict(list) for name in CHART_INDICATORS}
    for row in tables.get("observations", []):
        if (row.get("indicator") in series and row.get("year") is not None
                and row.get("value") is not None and row.get("country_code")):
            series[row["indicator"]][(row["country_code"], int(row["year"]))].append(row)
    points = [key for data in series.values() for key in data]
    if not points:
        return ('<section id="charts" class="wrap"><h2>Main series</h2>'
                '<p>No investigations, prosecutions or convictions with a year yet.</p></section>')
    countries = sorted({country for country, _ in points})
    colours = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(countries)}
    years = range(min(y for _, y in points), max(y for _, y in points) + 1)
    top = max(max(r["value"] for r in rows) for data in series.values() for rows in data.values())
    decades = max(1, math.ceil(math.log10(max(top, 1))))
    legend = "".join(f'<span class="key"><i style="background:{colours[c]}"></i>{e(c)}</span>'
                     for c in countries)
    panels = "".join(_panel(name, labels.get(name, name), series[name], years, decades,
                            countries, colours, titles) for name in CHART_INDICATORS)
    data_rows = "".join(
        f"<tr><td>{e(labels.get(name, name))}</td><td>{e(c)}</td><td>{y}</td>"
        f"<td class=\"num\">{e(', '.join(_value_text(r) for r in rows))}</td></tr>"
        for name in CHART_INDICATORS for (c, y), rows in sorted(series[name].items()))
    return f"""<section id="charts" class="wrap">
<h2>Main series: investigations, prosecutions, convictions</h2>
<p>By year and country, as the texts report them. Where a text gives several figures for one
country, year and indicator (say, cases and persons), the chart shows the largest and its
tooltip lists them all. The scale is logarithmic, so that 2 and 30,000 fit on one chart.</p>
<p class="legend">{legend}</p>
<div class="panels">{panels}</div>
<details><summary>The numbers behind the charts</summary>
<div class="scroll"><table class="data"><thead><tr><th>Indicator</th><th>Country</th>
<th>Year</th><th class="num">Figures</th></tr></thead><tbody>{data_rows}</tbody></table></div>
</details>
</section>"""


def _value_text(row: dict[str, Any]) -> str:
    qualifier = "" if row.get("qualifier") in (None, "exact") else f" ({row['qualifier']})"
    return f"{number(row['value'])} {row.get('unit') or ''}{qualifier}".strip()


def _panel(indicator: str, label: str, data: dict[tuple[str, int], list[dict[str, Any]]],
           years: range, decades: int, countries: list[str], colours: dict[str, str],
           titles: dict[str, Any]) -> str:
    width, height = 360, 250
    left, right, top, bottom = 46, 14, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    band = plot_w / len(years)

    scale = math.log10(1 + 10 ** decades)  # the top of the chart is 10 ** decades

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * math.log10(1 + max(value, 0)) / scale

    parts = [f'<svg class="chart" data-indicator="{e(indicator)}" viewBox="0 0 {width} {height}" '
             f'role="img" aria-labelledby="chart-{e(indicator)}-title">'
             f'<title id="chart-{e(indicator)}-title">{e(label)} by year and country</title>']
    for tick in (0, *(10 ** power for power in range(decades + 1))):
        y = y_of(tick)
        crowded = tick == 1 and y_of(0) - y < 14
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" '
                     f'y2="{y:.1f}"/>' + ("" if crowded else
                     f'<text class="tick" x="{left - 6}" y="{y + 3.5:.1f}" '
                     f'text-anchor="end">{_compact(tick)}</text>'))
    step = max(1, math.ceil(len(years) / 8))
    for index, year in enumerate(years):
        x = left + band * (index + 0.5)
        if index % step == 0:
            parts.append(f'<text class="tick" x="{x:.1f}" y="{height - 10}" '
                         f'text-anchor="middle">{year}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" '
                 f'y2="{top + plot_h}"/>')
    spread = min(band * 0.7 / max(1, len(countries)), 12)
    if not data:
        parts.append(f'<text class="empty" x="{left + plot_w / 2}" y="{top + plot_h / 2}" '
                     'text-anchor="middle">no figures yet</text>')
    for (country, year), rows in sorted(data.items(), key=lambda item: item[0][1]):
        best = max(rows, key=lambda r: r["value"])
        offset = (countries.index(country) - (len(countries) - 1) / 2) * spread
        x = left + band * (years.index(year) + 0.5) + offset
        y = y_of(best["value"])
        listed = "; ".join(f"{_value_text(r)} — {titles.get(r.get('source_id')) or ''}"
                           for r in sorted(rows, key=lambda r: -r["value"]))
        parts.append(f'<g class="point"><title>{e(country)} {year}: {e(listed)}</title>'
                     f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5.5" fill="{colours[country]}"/>'
                     f'<text class="label" x="{x + 8:.1f}" y="{y + 3.5:.1f}">'
                     f'{e(number(best["value"]))}</text></g>')
    parts.append("</svg>")
    return (f'<figure class="panel"><figcaption>{e(label)}</figcaption>{"".join(parts)}'
            f"</figure>")


# ---------------------------------------------------------------------------------------------
# Figures in their sentences


def highlight_offsets(tables: dict[str, list]) -> dict[str, int | None]:
    """Where each figure's text starts in its sentence (None when it cannot be told).

    Offsets are into the source text, sentences are stripped slices of it: every row with the
    same sentence (figures, events, tier placements) must agree on where the sentence starts.
    """
    anchors: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for name in ("figures", "events", "tier_placements"):
        for row in tables.get(name, []):
            if row.get("sentence") and row.get("text") and row.get("start") is not None:
                anchors[(row["source_id"], row["sentence"])].append((row["start"], row["text"]))
    starts: dict[tuple[str, str], int | None] = {}
    for key, items in anchors.items():
        sentence = key[1]
        common: set[int] | None = None
        for start, text in items:
            found = {start - i for i in _find_all(sentence, text)}
            common = found if common is None else common & found
        starts[key] = next(iter(common)) if common and len(common) == 1 else None
    offsets: dict[str, int | None] = {}
    for row in tables.get("figures", []):
        sentence, text = row.get("sentence") or "", row.get("text") or ""
        start = starts.get((row["source_id"], sentence))
        at = row["start"] - start if start is not None else None
        if at is None or sentence[at:at + len(text)] != text:
            found = _find_all(sentence, text)
            at = found[0] if len(found) == 1 else None
        offsets[row["figure_id"]] = at
    return offsets


def _find_all(haystack: str, needle: str) -> list[int]:
    """Where `needle` occurs in `haystack` as a whole token ("5" is not in "152"), else at all."""
    found, at = [], haystack.find(needle)
    while needle and at >= 0:
        found.append(at)
        at = haystack.find(needle, at + 1)

    def whole(i: int) -> bool:
        before = haystack[i - 1] if i > 0 else " "
        after = haystack[i + len(needle)] if i + len(needle) < len(haystack) else " "
        return not (needle[0].isalnum() and before.isalnum()) and \
            not (needle[-1].isalnum() and after.isalnum())

    return [i for i in found if whole(i)] or found


def _figures(tables: dict[str, list]) -> str:
    figures = tables.get("figures", [])
    offsets = highlight_offsets(tables)
    sources = {r["source_id"]: r for r in tables.get("sources", [])}
    groups: dict[str, list[str]] = defaultdict(list)
    for row in figures[:FIGURE_LIMIT]:
        sentence, text = row.get("sentence") or "", row.get("text") or ""
        at = offsets.get(row["figure_id"])
        if at is None:
            quoted = f"{e(sentence)} <mark>{e(text)}</mark>"
        else:
            quoted = (f"{e(sentence[:at])}<mark>{e(text)}</mark>"
                      f"{e(sentence[at + len(text):])}")
        value = number(row.get("value"))
        if row.get("value_max") is not None:
            value += f"–{number(row['value_max'])}"
        meta = " · ".join(e(x) for x in (row.get("country_code"), row.get("period"),
                                         row.get("qualifier")) if x)
        search = " ".join(format_cell(row.get(k)) for k in (
            "text", "sentence", "indicator", "unit", "country_code", "period", "source_id"))
        groups[row["source_id"]].append(
            f'<li data-search="{e(search.lower())}" data-figure="{e(row["figure_id"])}">'
            f'<div class="what"><span class="value">{e(value)}</span> '
            f'<span class="unit">{e(row.get("unit") or "")}</span> '
            f'<span class="chip">{e(row.get("indicator") or "")}</span> '
            f'<span class="sub">{meta}</span></div>'
            f'<blockquote>{quoted}</blockquote></li>')
    blocks = []
    for index, (source_id, items) in enumerate(groups.items()):
        title = (sources.get(source_id) or {}).get("title") or source_id
        blocks.append(f'<details class="group"{" open" if index == 0 else ""}><summary>'
                      f'<strong>{e(title)}</strong> <span class="sub">'
                      f'{plural(len(items), "figure")}</span></summary>'
                      f'<ol class="figures">{"".join(items)}</ol></details>')
    more = ""
    if len(figures) > FIGURE_LIMIT:
        more = (f"<p class=\"sub\">The first {FIGURE_LIMIT:,} of {len(figures):,} figures are "
                "listed; download the figures resource for all of them.</p>")
    shown = min(len(figures), FIGURE_LIMIT)
    return f"""<section id="figures" class="wrap">
<h2>Every figure, in its sentence</h2>
<p>Each figure as the source wrote it, highlighted in its sentence, with the value, unit and
indicator read from it; grouped by source (open a source to see its figures, or filter).</p>
<p><label>Filter <input id="figure-filter" type="search" placeholder="convictions, RUS, 2009…"
autocomplete="off"></label> <span class="sub"><span id="figure-count">{shown}</span> shown</span>
</p>
<div id="figure-list">{"".join(blocks)}</div>{more}
</section>"""


# ---------------------------------------------------------------------------------------------
# Resources: schema and preview


def _resources(descriptor: dict[str, Any], tables: dict[str, list]) -> str:
    blocks = []
    for resource in descriptor.get("resources", []):
        if resource.get("format") != "csv":
            continue
        name, schema = resource["name"], resource.get("schema", {})
        fields = schema.get("fields", [])
        key = schema.get("primaryKey") or []
        key_text = ", ".join(key) if isinstance(key, list) else str(key)
        schema_rows = "".join(
            f"<tr><td><code>{e(f['name'])}</code></td><td>{e(f.get('type'))}</td>"
            f"<td>{'yes' if (f.get('constraints') or {}).get('required') else ''}</td>"
            f"<td>{e(f.get('description') or '')}</td></tr>" for f in fields)
        rows = tables.get(name, [])
        head = "".join(f"<th>{e(f['name'])}</th>" for f in fields)
        body = "".join("<tr>" + "".join(
            f'<td title="{e(row.get(f["name"]))}">{e(row.get(f["name"]))}</td>' for f in fields)
            + "</tr>" for row in rows[:PREVIEW_ROWS])
        blocks.append(f"""<details class="resource" id="resource-{e(name)}">
<summary><strong>{e(name)}</strong> <span class="sub">{plural(len(rows), "row")},
{plural(len(fields), "field")}; primary key {e(key_text)}</span></summary>
<h4>Schema</h4>
<div class="scroll"><table class="data schema"><thead><tr><th>Field</th><th>Type</th>
<th>Required</th><th>Description</th></tr></thead><tbody>{schema_rows}</tbody></table></div>
<h4>First {min(PREVIEW_ROWS, len(rows))} rows</h4>
<div class="scroll"><table class="data preview"><thead><tr>{head}</tr></thead>
<tbody>{body}</tbody></table></div>
</details>""")
    return f"""<section id="resources" class="wrap">
<h2>Resources</h2>
<p>The tables of the package, each with its Table Schema and a preview.</p>
{"".join(blocks)}
</section>"""


# ---------------------------------------------------------------------------------------------
# Versions


def _versions(folder: Path, entries: list[dict[str, Any]], latest: str) -> str:
    from tipfigures.publish import changelog_entry

    rows = []
    for entry in reversed(entries):
        version = str(entry.get("version", ""))
        changes_path = folder / version / "changes.json"
        try:
            changes = json.loads(changes_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            changes = {}
        lines = [line.removeprefix("- ") for line in changelog_entry(changes, entry)]
        listed = "".join(f"<li>{e(line)}</li>" for line in lines[:CHANGE_LINES])
        if len(lines) > CHANGE_LINES:
            listed += (f'<li>… and {len(lines) - CHANGE_LINES} more in '
                       f'<a href="CHANGELOG.md">CHANGELOG.md</a></li>')
        mark = ' <span class="badge small">latest</span>' if version == latest else ""
        rows.append(
            f'<tr class="version" data-version="{e(version)}"><th scope="row">{e(version)}{mark}'
            f'</th><td><time>{e(str(entry.get("created", ""))[:10])}</time></td>'
            f'<td>{e(entry.get("bump") or "")}</td>'
            f'<td><strong>{e(entry.get("summary", ""))}</strong><ul>{listed}</ul></td>'
            f'<td><a href="{href(f"{version}/datapackage.json")}">datapackage.json</a><br>'
            f'<a href="{href(f"{version}/changes.json")}">changes.json</a></td></tr>')
    return f"""<section id="versions" class="wrap">
<h2>Versions</h2>
<p>Versions follow the Data Package Version recipe: MAJOR when fields are removed, renamed or
retyped; MINOR when rows or fields are added or removed; PATCH when only values are corrected.
A published version never changes.</p>
<div class="scroll"><table class="data versions"><thead><tr><th>Version</th><th>Date</th>
<th>Change</th><th>Summary</th><th>Files</th></tr></thead><tbody>{"".join(rows)}</tbody>
</table></div>
</section>"""


def _footer(descriptor: dict[str, Any]) -> str:
    return f"""<footer class="wrap">
<p>Made with tipfigures {e(__version__)} from
<code>{e(descriptor.get("name", DATASET_NAME))} {e(descriptor.get("version", ""))}</code>. This
page is self-contained: it loads nothing from the internet.</p>
</footer>"""


STYLE = """
:root{--ink:#1d2430;--muted:#5b6575;--line:#dde2ea;--soft:#f5f7fa;--accent:#0b6e69;
--accent-ink:#fff;--mark:#ffe28a;--card:#fff;--page:#fbfcfd;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--ink:#e6e9ef;--muted:#9aa4b2;--line:#2f3744;
--soft:#1b212b;--accent:#43b3a8;--accent-ink:#0d1117;--mark:#7a6200;--card:#131820;
--page:#0f141b}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif;
color:var(--ink);background:var(--page)}
.wrap{max-width:1120px;margin:0 auto;padding:0 24px}
a{color:var(--accent)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
pre{background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:12px 14px;
overflow:auto}
header.top{background:linear-gradient(135deg,#0b6e69,#13406b);color:#fff;padding:40px 0 28px}
header.top a.button{color:#0b3f4a}
.eyebrow{text-transform:uppercase;letter-spacing:.08em;font-size:.8em;opacity:.85;margin:0}
h1{font-size:2.1em;line-height:1.2;margin:.2em 0 .4em}
.lede{max-width:52em;font-size:1.08em;opacity:.95}
.facts{display:flex;flex-wrap:wrap;gap:8px 20px;align-items:center;font-size:.95em}
.badge{background:#fff;color:#0b3f4a;border-radius:999px;padding:3px 12px}
.badge.small{font-size:.75em;padding:1px 8px;background:var(--accent);color:var(--accent-ink);
vertical-align:middle}
.button{display:inline-block;background:#fff;border-radius:8px;padding:8px 16px;
text-decoration:none;font-weight:600;margin-right:8px}
.button.ghost{background:transparent;color:#fff!important;border:1px solid #ffffff99}
nav{display:flex;flex-wrap:wrap;gap:4px 18px;padding-top:14px;padding-bottom:14px;
border-bottom:1px solid var(--line);position:sticky;top:0;background:var(--page);z-index:2}
nav a{text-decoration:none;font-weight:600}
section{padding:8px 0 20px;scroll-margin-top:56px}
h2{font-size:1.5em;margin:1.4em 0 .4em}
h3{font-size:1.1em;margin:1.2em 0 .4em}
h4{margin:1em 0 .3em;font-size:.95em;color:var(--muted)}
.sub{color:var(--muted);font-size:.88em;font-weight:normal}
.scroll{overflow-x:auto;border:1px solid var(--line);border-radius:8px;background:var(--card)}
table.data{border-collapse:collapse;width:100%;font-size:.9em}
table.data th,table.data td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);
vertical-align:top}
table.data thead th{background:var(--soft);font-weight:600;white-space:nowrap}
table.data tbody tr:last-child>*{border-bottom:0}
table.data .num{text-align:right;font-variant-numeric:tabular-nums}
table.preview td{max-width:22em;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
table.versions ul{margin:.3em 0 0;padding-left:1.2em;color:var(--muted)}
a.file{font-weight:600}
time{white-space:nowrap}
.meta{font-size:.92em}
details{margin:.8em 0}
details>summary{cursor:pointer}
details.resource,details.group{border:1px solid var(--line);border-radius:8px;
padding:10px 14px;background:var(--card)}
details.group[open]>summary{margin-bottom:10px}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:.9em}
.key i{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:6px;
vertical-align:-1px}
.panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:16px}
figure.panel{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;
padding:10px 10px 4px}
figure.panel figcaption{font-weight:600;padding:0 4px}
svg.chart{width:100%;height:auto;display:block}
svg .grid{stroke:var(--line);stroke-width:1}
svg .axis{stroke:var(--muted);stroke-width:1}
svg .tick{fill:var(--muted);font-size:10.5px}
svg .label{fill:var(--ink);font-size:10.5px;font-weight:600}
svg .empty{fill:var(--muted);font-size:12px}
svg circle{stroke:var(--card);stroke-width:1.5}
svg .point:hover circle{stroke:var(--ink)}
ol.figures{list-style:none;margin:0;padding:0;display:grid;gap:10px}
ol.figures li{border-top:1px solid var(--line);padding:10px 2px 4px}
.what{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline}
.value{font-size:1.2em;font-weight:700;font-variant-numeric:tabular-nums}
.chip{background:var(--soft);border:1px solid var(--line);border-radius:999px;padding:0 9px;
font-size:.82em}
blockquote{margin:.4em 0 0;color:var(--ink);opacity:.92}
mark{background:var(--mark);color:inherit;border-radius:3px;padding:0 2px;font-weight:600}
input[type=search]{font:inherit;padding:6px 10px;border:1px solid var(--line);border-radius:8px;
min-width:18em;background:var(--card);color:var(--ink)}
footer{color:var(--muted);font-size:.9em;padding:24px;border-top:1px solid var(--line);
margin-top:24px}
"""

SCRIPT = """
(function () {
  if (/^https?:$/.test(location.protocol)) {
    var here = location.href.replace(/[?#].*$/, '').replace(/\\/[^\\/]*$/, '');
    document.querySelectorAll('.base-url').forEach(function (el) { el.textContent = here; });
    document.querySelectorAll('.base-url-note').forEach(function (el) { el.hidden = true; });
  }
})();
(function () {
  var box = document.getElementById('figure-filter');
  if (!box) return;
  var items = Array.prototype.slice.call(document.querySelectorAll('#figure-list li'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('#figure-list .group'));
  var count = document.getElementById('figure-count');
  box.addEventListener('input', function () {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li) {
      var text = li.getAttribute('data-search');
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      li.hidden = !hit;
      if (hit) shown += 1;
    });
    groups.forEach(function (g) {
      var any = !!g.querySelector('li:not([hidden])');
      g.hidden = !any;
      if (words.length) g.open = any;
    });
    count.textContent = String(shown);
  });
})();
"""
