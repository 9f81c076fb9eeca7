"""How to cite a version: made from its datapackage.json, never typed by hand.

The same citation goes into datapackage.json (`citation`), the landing page and the README's
marked block (`<!-- citation -->` ... `<!-- /citation -->`), which publishing into the
checkout's output/ rewrites and `tipfigures validate` checks.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

AUTHORS = "tipfigures contributors"
README_START = "<!-- citation: generated from the latest release; do not edit -->"
README_END = "<!-- /citation -->"


@dataclass(frozen=True)
class Citation:
    authors: str
    title: str
    name: str
    version: str
    date: str  # YYYY-MM-DD, the version's creation date
    url: str | None  # where the data is published; None while it has no public host
    license: str
    publishers: list[str]  # of the source texts, most sources first

    @property
    def year(self) -> str:
        return self.date[:4]

    def text(self) -> str:
        where = f" {self.url}" if self.url else ""
        return (f"{self.authors} ({self.year}). {self.name}: {self.title}, version "
                f"{self.version} [data set], {self.date}.{where} Licence: {self.license}. "
                f"Figures from texts published by {'; '.join(self.publishers)}.")

    def bibtex(self) -> str:
        key = re.sub(r"[^a-z0-9]+", "_", f"{self.name}_{self.version}".lower())
        lines = [f"@misc{{{key},", f"  author = {{{{{self.authors}}}}},",
                 f"  title = {{{{{self.name}: {self.title}}}}},",
                 f"  version = {{{self.version}}},", f"  year = {{{self.year}}},",
                 f"  date = {{{self.date}}},"]
        if self.url:
            lines.append(f"  url = {{{self.url}}},")
        lines += [f"  note = {{Licence {self.license}. Figures from texts published by "
                  f"{'; '.join(self.publishers)}}}", "}"]
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "text": self.text(), "bibtex": self.bibtex()}


def dataset_url() -> str | None:
    """The data's public home: download.DEFAULT_BASE, the one place that says it."""
    from tipfigures.download import DEFAULT_BASE

    return DEFAULT_BASE


def citation_of(descriptor: dict[str, Any], publishers: list[str]) -> Citation:
    licenses = descriptor.get("licenses") or [{}]
    return Citation(
        authors=AUTHORS, title=str(descriptor.get("title", "")),
        name=str(descriptor.get("name", "")), version=str(descriptor.get("version", "")),
        date=str(descriptor.get("created", ""))[:10], url=dataset_url(),
        license=str(licenses[0].get("name") or licenses[0].get("title") or ""),
        publishers=publishers)


def publishers_of(sources: list[dict[str, Any]]) -> list[str]:
    """The sources' publishers, those of most sources first, then by name."""
    counts: dict[str, int] = {}
    for row in sources:
        name = str(row.get("publisher") or "").strip()
        if name:
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name))


def citation_markdown(citation: dict[str, Any]) -> str:
    """The README's block, from datapackage.json's `citation`."""
    lines = [README_START, "", f"> {citation['text']}", "", "```bibtex", citation["bibtex"],
             "```", "", README_END]
    return "\n".join(lines)


def readme_with_citation(readme: str, citation: dict[str, Any]) -> str:
    """The README with its citation block replaced (it must have the two markers)."""
    pattern = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.S)
    if not pattern.search(readme):
        raise ValueError(f"README has no citation block (a line {README_START!r} ... "
                         f"{README_END!r})")
    return pattern.sub(lambda _: citation_markdown(citation), readme, count=1)


def update_readme(readme: Path, citation: dict[str, Any]) -> bool:
    """Rewrite the README's citation block; True when it changed."""
    text = readme.read_text(encoding="utf-8")
    new = readme_with_citation(text, citation)
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text
