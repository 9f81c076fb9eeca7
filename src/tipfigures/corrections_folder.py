"""Which corrections folder a run applies, decided before any work (and before the up-to-date
check, so that it imports neither the extractor nor the publisher's writers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tipfigures.settings import corrections_dir
from tipfigures.sources import SourceError


def correction_files(folder: Path) -> list[Path]:
    return sorted(Path(folder).glob("*.yaml")) + sorted(Path(folder).glob("*.yml"))


class CorrectionsNotFound(SourceError):
    """The corrections of these sources are not where the run looks: running on would silently
    revert every curation."""


def locate_corrections(sources_dir: Path, given: Path | None = None,
                       output: Path | None = None) -> Path | None:
    """The corrections folder a run applies: `given` (--corrections), else corrections/ beside
    the sources; None when there is none.

    Refused: a `given` folder that does not exist; a `given` folder while the sources have
    correction files of their own beside them (which ones apply would be a guess); and no
    folder at all when the latest version in `output` was made with corrections (a run from
    sources copied elsewhere would publish every curated figure reverted).
    """
    default = corrections_dir(sources_dir)
    if given is not None:
        given = Path(given)
        if not given.is_dir():
            raise CorrectionsNotFound(f"--corrections {given}: no such folder")
        beside = correction_files(default) if default.is_dir() else []
        if beside and default.resolve() != given.resolve():
            raise CorrectionsNotFound(
                f"--corrections {given}, but the sources have {len(beside)} correction file(s) "
                f"of their own in {default}; apply one set: merge them into one folder, or "
                f"give --corrections {default}")
        return given
    if default.is_dir():
        return default
    recorded = _recorded_corrections(output) if output is not None else {}
    if recorded:
        latest, names = recorded["version"], recorded["names"]
        raise CorrectionsNotFound(
            f"no corrections folder at {default} (beside --sources {sources_dir}), but "
            f"version {latest} in {output} was made with {len(names)} correction file(s) "
            f"({', '.join(names)}); give their folder with --corrections DIR (running without "
            "them would revert every curated figure)")
    return None


def _recorded_corrections(output: Path) -> dict[str, Any]:
    """The correction files the latest published version in `output` was made from."""
    from tipfigures.package import read_descriptor
    from tipfigures.publish import PublishError, Store

    store = Store(Path(output))
    try:
        latest = store.latest()
        if latest is None:
            return {}
        names = sorted(read_descriptor(store.version_folder(latest)).get("tipfigures", {})
                       .get("corrections", {}))
    except (OSError, ValueError, PublishError):
        return {}  # an unreadable store is reported by publishing itself
    return {"version": latest, "names": names} if names else {}
