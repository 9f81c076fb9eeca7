"""The licences a source may have: only those that allow redistribution enter a release.

Keys are SPDX identifiers (https://spdx.org/licenses/), plus `public-domain-us-gov` for works
of the U.S. Government (17 U.S.C. 105), which have no SPDX id. CONTRIBUTING.md lists them; to
add one, check that it allows copying and redistributing the text and derived data, and add
it here with its address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class License:
    name: str  # SPDX id
    title: str
    path: str
    share_alike: bool = False  # derived data must be shared under the same licence

    def descriptor(self) -> dict[str, Any]:
        """As a Data Package `licenses` entry."""
        return {"name": self.name, "path": self.path, "title": self.title}


ALLOWED = {license.name: license for license in (
    License("CC0-1.0", "Creative Commons Zero v1.0 Universal",
            "https://creativecommons.org/publicdomain/zero/1.0/"),
    License("PDDL-1.0", "Open Data Commons Public Domain Dedication and License v1.0",
            "https://opendatacommons.org/licenses/pddl/1-0/"),
    License("public-domain-us-gov", "Public domain (work of the U.S. Government)",
            "https://www.usa.gov/government-copyright"),
    License("CC-BY-4.0", "Creative Commons Attribution 4.0",
            "https://creativecommons.org/licenses/by/4.0/"),
    License("ODC-By-1.0", "Open Data Commons Attribution License v1.0",
            "https://opendatacommons.org/licenses/by/1-0/"),
    License("CC-BY-SA-4.0", "Creative Commons Attribution Share-Alike 4.0",
            "https://creativecommons.org/licenses/by-sa/4.0/", share_alike=True),
    License("ODbL-1.0", "Open Data Commons Open Database License v1.0",
            "https://opendatacommons.org/licenses/odbl/1-0/", share_alike=True),
)}


def license_problem(name: str) -> str | None:
    """Why a source's licence cannot enter a release, or None when it can."""
    if name in ALLOWED:
        return None
    near = next((known for known in ALLOWED if known.lower() == name.lower()), None)
    if near:
        return f"is {name!r}; write it as {near!r} (SPDX ids are case-sensitive)"
    return (f"is {name!r}, which is not on the list of licences that allow redistribution "
            f"({', '.join(ALLOWED)}); a source under another licence cannot be published "
            "(CONTRIBUTING.md, 'Licences')")


def package_licenses(names: list[str]) -> list[dict[str, Any]]:
    """The package's `licenses`: every distinct licence of the sources it includes, share-alike
    ones first (they bind the whole package), then by name."""
    chosen = sorted({ALLOWED[name] for name in names if name in ALLOWED},
                    key=lambda license: (not license.share_alike, license.name))
    return [license.descriptor() for license in chosen]
