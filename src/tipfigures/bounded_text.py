"""Reading a contributor's text file within a size bound, as UTF-8.

Sources and contributor YAML files are untrusted input: both are refused when too large or not
UTF-8, each with its own message (sources.py, contributor_yaml.py); this module finds the fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class TooLarge(Exception):
    size: int  # bytes on disk


@dataclass
class NotUtf8(Exception):
    line: int  # 1-based line of the first bad byte
    byte: int  # its value
    offset: int  # its offset in the file


def read_utf8(path: Path, max_bytes: int) -> tuple[str, bytes]:
    """The file's text and bytes; TooLarge before reading it, NotUtf8 after."""
    size = path.stat().st_size
    if size > max_bytes:
        raise TooLarge(size)
    data = path.read_bytes()
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError as error:
        raise NotUtf8(data[:error.start].count(b"\n") + 1, data[error.start],
                      error.start) from error
