"""Source snapshots: sources/<source-id>/text.txt plus its source.yaml, loaded and verified."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tipfigures.bounded_text import NotUtf8, TooLarge, read_utf8
from tipfigures.contributor_yaml import (
    ContributorYamlError,
    FieldProblem,
    Located,
    is_int,
    read_contributor_yaml,
    type_name,
)
from tipfigures.licenses import license_problem

TEXT_FILE = "text.txt"
METADATA_FILE = "source.yaml"
REQUIRED_FIELDS = ("id", "title", "publisher", "url", "license", "language", "country_code",
                   "retrieved", "sha256", "chars")
MAX_FIELD_CHARS = 2000  # a title or a note; longer is a paste gone wrong
MAX_TEXT_BYTES = 20 * 1024 * 1024  # the longest report in the corpus is ~200 KB


class SourceError(ValueError):
    """A source folder that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Source:
    """One immutable snapshot of a report text and what is known about it."""

    id: str
    folder: Path
    text: str
    sha256: str
    metadata: dict[str, Any] = field(repr=False)

    @property
    def title(self) -> str:
        return self.metadata["title"]

    @property
    def country_code(self) -> str:
        return self.metadata["country_code"]

    @property
    def reporting_period(self) -> int | None:
        value = self.metadata.get("reporting_period")
        return int(value) if value not in (None, "") else None

    @property
    def text_path(self) -> Path:
        return self.folder / TEXT_FILE

    @property
    def metadata_path(self) -> Path:
        return self.folder / METADATA_FILE


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_located_metadata(folder: Path) -> Located:
    """source.yaml's fields and the line of each, read within bounds (contributor_yaml)."""
    path = folder / METADATA_FILE
    if not path.is_file():
        raise SourceError(f"{path}: missing; every source folder needs a {METADATA_FILE}")
    try:
        document = read_contributor_yaml(path)
    except ContributorYamlError as error:
        raise SourceError(str(error)) from error
    located = document.located()
    if located is None:
        raise SourceError(f"{path}: expected a mapping of fields (name: value), got "
                          f"{type_name(document.data)}")
    return located


def read_metadata(folder: Path) -> dict[str, Any]:
    return read_located_metadata(folder).data


def read_text(path: Path) -> tuple[str, bytes]:
    """A source's text, refused unless it is UTF-8 with LF line endings and no invisible
    controls (docs/data.md, "Texts"): offsets point into exactly what open().read() returns."""
    if not path.is_file():
        raise SourceError(f"{path}: missing; a source folder holds its text as {TEXT_FILE}")
    try:
        text, data = read_utf8(path, MAX_TEXT_BYTES)
    except TooLarge as error:
        raise SourceError(f"{path}: {error.size:,} bytes; a source text may have at most "
                          f"{MAX_TEXT_BYTES:,} (split the report into several sources)") from error
    except NotUtf8 as error:
        raise SourceError(f"{path}:{error.line}: not UTF-8 (byte 0x{error.byte:02x} at offset "
                          f"{error.offset}); save the text as UTF-8") from error
    if not text.strip():
        raise SourceError(f"{path}: empty; a source needs its text")
    problem = text_problem(text)
    if problem:
        raise SourceError(f"{path}:{problem}")
    return text, data


# Characters a text.txt may not hold, and why (CONTRIBUTING.md, docs/data.md "Texts").
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
REFUSED_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f"
                                "\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")


def describe_character(char: str) -> str:
    import unicodedata

    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    if char == "\r":
        return f"{code} CARRIAGE RETURN (CR or CRLF line endings)"
    if char == "\ufeff":
        return f"{code} BYTE ORDER MARK"
    if char in BIDI_CONTROLS:
        return f"{code} {name} (a bidirectional control: it can show '73' as '37')"
    return f"{code} {name or 'control character'}"


def text_problem(text: str) -> str | None:
    """'<line>: <what>' for the first character a source text may not hold, else None."""
    match = REFUSED_CHARACTERS.search(text)
    if match is None:
        return None
    char = match.group()
    crlf = char == "\r" and text[match.end():match.end() + 1] == "\n"
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    if char == "\ufeff" and match.start() == 0:
        fix = "save the file as UTF-8 without a BOM"
    elif char == "\r":
        fix = "save it with LF (Unix) line endings, e.g. `sed -i 's/\\r$//' text.txt` for CRLF"
    else:
        fix = "remove it; offsets and readers must see the same characters"
    count = len(REFUSED_CHARACTERS.findall(text))
    more = f" ({count} such characters in the text)" if count > 1 else ""
    what = describe_character(char)
    if char == "\r":
        what = ("U+000D CARRIAGE RETURN before a line feed (CRLF, Windows line endings)" if crlf
                else "U+000D CARRIAGE RETURN without a line feed (CR-only, old Mac line endings)")
    return f"{line}: column {column}: {what} is not allowed in a source text{more}; {fix}"


def check_metadata(metadata: dict[str, Any], path: Path,
                   lines: dict[str, int] | None = None) -> list[FieldProblem]:
    """Every problem with the fields of a source.yaml: each field's type and form."""
    lines = lines or {}
    problems: list[FieldProblem] = []

    def problem(name: str, message: str) -> None:
        problems.append(FieldProblem(path, lines.get(name), name, message))

    for name in REQUIRED_FIELDS:
        if metadata.get(name) in (None, ""):
            problem(name, f"field '{name}' is missing")
    for name, value in metadata.items():
        if value in (None, "") and name in REQUIRED_FIELDS:
            continue
        spec = FIELD_SPECS.get(str(name))
        if spec is None:
            continue
        message = spec(value)
        if message:
            problem(str(name), f"field '{name}' {message}")
    return problems


def unknown_fields(metadata: dict[str, Any]) -> list[str]:
    """Fields of a source.yaml that tipfigures does not know (a typo, e.g. 'licence')."""
    return [str(name) for name in metadata if str(name) not in FIELD_SPECS]


def _text(pattern: str | None = None, example: str | None = None, limit: int = MAX_FIELD_CHARS):
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return f"must be text, got {type_name(value)}" + (
                f" (quote it: \"{value}\")" if is_int(value) else "")
        if len(value) > limit:
            return f"has {len(value):,} characters; at most {limit:,}"
        refused = REFUSED_CHARACTERS.search(value.rstrip("\n"))
        if refused:
            return f"holds {describe_character(refused.group())}; remove it"
        if pattern and not re.fullmatch(pattern, value):
            return f"must look like {example}, got {value!r}"
        return None
    return check


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text()(value)


def _date(value: Any) -> str | None:
    if isinstance(value, dt.date):
        return None
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value[:10])
            return None
        except ValueError:
            pass
    return f"must be a date (YYYY-MM-DD), got {type_name(value)}"


def _optional_date(value: Any) -> str | None:
    return None if value in (None, "") else _date(value)


def _chars(value: Any) -> str | None:
    if not is_int(value) or value < 1:
        return f"must be a whole number of characters >= 1, got {type_name(value)}"
    return None


def _year(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not (is_int(value) and 1900 <= value <= 2100):
        return f"must be a year (1900..2100), got {type_name(value)}"
    return None


def _revision(value: Any) -> str | None:
    if value is None or is_int(value) or (isinstance(value, str) and len(value) <= 200):
        return None
    return f"must be a revision id (a number or a short text), got {type_name(value)}"


ORIGIN_KINDS = ("mediawiki", "url")


def _origin(value: Any) -> str | None:
    """The form of `origin` (tipfigures.refresh.parse_origin checks its addresses too)."""
    if value in (None, ""):
        return None
    if not isinstance(value, dict):
        return f"must be a mapping with a 'kind' (mediawiki or url), got {type_name(value)}"
    if value.get("kind") not in ORIGIN_KINDS:
        return (f"kind must be one of {', '.join(ORIGIN_KINDS)}, got "
                f"{type_name(value.get('kind'))}")
    return None


def _url(value: Any) -> str | None:
    message = _text()(value)
    if message is None and not value.startswith(("http://", "https://")):
        return f"must be an http(s) address, got {value!r}"
    return message


def _license(value: Any) -> str | None:
    return _text()(value) or license_problem(value)


FIELD_SPECS = {
    "id": _text(r"[a-z0-9][a-z0-9-]*", "kenya-tip-2023 (lower case, digits and -)", 200),
    "title": _text(),
    "publisher": _text(),
    "url": _url,
    "license": _license,
    "language": _text(r"[a-z]{2}", "en (ISO 639-1, two lower-case letters)"),
    "country_code": _text(r"[A-Z]{3}", "RUS (ISO 3166-1 alpha-3)"),
    "retrieved": _date,
    "sha256": _text(r"[0-9a-f]{64}", "64 lower-case hex digits"),
    "chars": _chars,
    "reporting_period": _year,
    "revision": _revision,
    "origin": _origin,
    "published": _optional_date,
    **{name: _optional_text for name in ("country", "report", "section", "notes", "format",
                                         "etag", "last_modified")},
}


def load_source(folder: Path | str) -> Source:
    """Load one source folder and verify its text against the recorded sha256 and length."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceError(f"{folder}: not a source folder")
    finish_interrupted_snapshot(folder)  # a snapshot cut short by a crash: complete it
    located = read_located_metadata(folder)
    metadata = located.data
    text, data = read_text(folder / TEXT_FILE)
    problems = check_metadata(metadata, folder / METADATA_FILE, located.lines)
    if problems:
        raise SourceError(str(problems[0]))
    if metadata["id"] != folder.name:
        raise SourceError(f"{folder / METADATA_FILE}:{located.line_of('id')}: field 'id' is "
                          f"{metadata['id']!r} but the "
                          f"folder is named {folder.name!r}; they must agree")
    digest = sha256_of(data)
    if digest != metadata["sha256"]:
        raise SourceError(
            f"{folder / TEXT_FILE}: sha256 is {digest}, but source.yaml records "
            f"{metadata['sha256']}; if the text changed on purpose, record the new sha256 and chars"
        )
    if len(text) != int(metadata["chars"]):
        raise SourceError(f"{folder / TEXT_FILE}: {len(text)} characters, but source.yaml "
                          f"records chars: {metadata['chars']}")
    return Source(id=folder.name, folder=folder, text=text, sha256=digest, metadata=metadata)


def source_folders(sources_dir: Path | str) -> list[Path]:
    """The source folders, sorted by name (os.scandir: no stat() per entry, for 10,000s)."""
    import os

    sources_dir = Path(sources_dir)
    if not sources_dir.is_dir():
        raise SourceError(f"{sources_dir}: no such sources folder")
    with os.scandir(sources_dir) as entries:
        names = sorted(entry.name for entry in entries
                       if entry.is_dir() and not entry.name.startswith("."))
    return [sources_dir / name for name in names]


PARALLEL_MIN_FOLDERS = 2_000  # below it, loading takes under a second on one core
LOAD_CHUNK = 250  # folders a worker loads at a time


def load_sources(sources_dir: Path | str, processes: int | None = None) -> list[Source]:
    """Every source folder, loaded and verified, in folder order; the first bad one raises.

    Reading and checking source.yaml is pure Python (~0.5 ms a folder): with many folders
    they are loaded in `processes` worker processes (default: one per core from
    PARALLEL_MIN_FOLDERS folders on, in the run's pool when one is open; 0 or 1: in this
    process)."""
    from contextlib import nullcontext

    from tipfigures.processes import cores, open_pool, spawn_pool

    folders = source_folders(sources_dir)
    if not folders:
        raise SourceError(f"{sources_dir}: holds no source folders")
    if processes is None:
        processes = cores() if len(folders) >= PARALLEL_MIN_FOLDERS else 0
    if processes <= 1:
        return [load_source(folder) for folder in folders]
    chunks = [folders[i:i + LOAD_CHUNK] for i in range(0, len(folders), LOAD_CHUNK)]
    run_pool = open_pool()
    with nullcontext(run_pool) if run_pool is not None else spawn_pool(processes) as pool:
        # results in order: the first error raised is the first bad folder's
        return [source for chunk in pool.map(_load_folders, chunks) for source in chunk]


def _load_folders(folders: list[Path]) -> list[Source]:
    """What a worker of load_sources() runs."""
    return [load_source(folder) for folder in folders]


def source_from_text_file(path: Path | str) -> Source:
    """A bare text file as a source, for `tipfigures extract some.txt`.

    A <name>.yaml beside <name>.txt, if there is one, gives its metadata (reporting_period,
    country_code...), as source.yaml does in a source folder.
    """
    path = Path(path)
    text, data = read_text(path)
    metadata = {"id": path.stem, "title": path.name, "country_code": None}
    beside = path.with_suffix(".yaml")
    if beside.is_file():
        try:
            document = read_contributor_yaml(beside)
        except ContributorYamlError as error:
            raise SourceError(str(error)) from error
        if not isinstance(document.data, dict | None):
            raise SourceError(f"{beside}: expected a mapping of fields, got "
                              f"{type_name(document.data)}")
        metadata.update(document.data or {})
    return Source(id=path.stem, folder=path.parent, text=text, sha256=sha256_of(data),
                  metadata=metadata)


PENDING_SNAPSHOT = ".pending-snapshot"


def record_snapshot(folder: Path, text: str, **fields: Any) -> dict[str, Any]:
    """Replace a source's text.txt and source.yaml (sha256, chars and `fields`) together.

    Loss-free: both files are first written and flushed to folder/.pending-snapshot/, then
    renamed into place, the text first and source.yaml last. Interrupted before the first
    rename, the old pair is intact (the pending folder is discarded); between the two renames,
    the pending source.yaml records the new text's sha256 and the pair is completed. Either way
    finish_interrupted_snapshot() (run here and by `tipfigures refresh`) tidies up.
    """
    import os

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    finish_interrupted_snapshot(folder)
    metadata = read_metadata(folder) if (folder / METADATA_FILE).exists() else {}
    data = text.encode("utf-8")
    metadata.update(fields)
    metadata["sha256"] = sha256_of(data)
    metadata["chars"] = len(text)
    pending = folder / PENDING_SNAPSHOT
    pending.mkdir()
    _write_durably(pending / TEXT_FILE, data)
    _write_durably(pending / METADATA_FILE,
                   yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True).encode())
    _fsync_folder(pending)
    os.replace(pending / TEXT_FILE, folder / TEXT_FILE)
    _fsync_folder(folder)
    os.replace(pending / METADATA_FILE, folder / METADATA_FILE)  # the snapshot is committed
    _fsync_folder(folder)
    pending.rmdir()
    return metadata


def finish_interrupted_snapshot(folder: Path) -> str | None:
    """Complete or discard a snapshot that record_snapshot() did not finish.

    Returns "completed" (the new text was in place: its source.yaml is moved beside it),
    "discarded" (the old pair was still whole) or None (nothing was pending).
    """
    import os
    import shutil

    pending = Path(folder) / PENDING_SNAPSHOT
    if not pending.is_dir():
        return None
    pending_metadata = pending / METADATA_FILE
    text_path = Path(folder) / TEXT_FILE
    if not (pending / TEXT_FILE).exists() and pending_metadata.is_file() and text_path.is_file():
        try:
            recorded = read_contributor_yaml(pending_metadata).data
        except (ContributorYamlError, OSError):
            recorded = None
        if isinstance(recorded, dict) and recorded.get("sha256") == sha256_of(
                text_path.read_bytes()):
            os.replace(pending_metadata, Path(folder) / METADATA_FILE)
            _fsync_folder(Path(folder))
            shutil.rmtree(pending)
            return "completed"
    shutil.rmtree(pending)
    return "discarded"


def _write_durably(path: Path, data: bytes) -> None:
    import os

    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(path: Path) -> None:
    import os

    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
