"""Reading YAML that contributors send (source.yaml, corrections/*.yaml): bounded and typed.

Contributor files are untrusted. Before anything is built from them they are refused when they
are larger than MAX_YAML_BYTES, use anchors or aliases (a "billion laughs" of a few hundred
bytes expands to gigabytes), explicit tags, several documents, duplicate keys, or nest deeper
than MAX_DEPTH. What is left is plain mappings, lists and scalars, each with the line it is on,
so that every later check can name file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tipfigures.bounded_text import NotUtf8, TooLarge, read_utf8

# libyaml's parser when PyYAML has it: ~9x faster on 10,000 source.yaml files, same values
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_YAML_BYTES = 256 * 1024  # a source.yaml is ~1 KB; a corrections file of 500 entries ~150 KB
MAX_DEPTH = 6  # corrections: mapping > list > mapping > value; source.yaml: origin is a mapping


class ContributorYamlError(ValueError):
    """A contributor file that is not read at all; `line` is 1-based when known."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        super().__init__(f"{path}{f':{line}' if line else ''}: {message}")
        self.path, self.message, self.line = path, message, line


@dataclass(frozen=True)
class FieldProblem:
    """One mistake in a contributor file: where (file, line, field) and what."""

    file: Path
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}{f':{self.line}' if self.line else ''}: {self.message}"


@dataclass
class Located:
    """A parsed mapping with the line of each of its keys (1-based)."""

    data: dict[str, Any]
    line: int
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    root: yaml.Node | None

    def located(self) -> Located | None:
        """The top-level mapping with its key lines (None when the document is not a mapping)."""
        if not isinstance(self.root, yaml.MappingNode) or not isinstance(self.data, dict):
            return None
        return locate(self.root, self.data)


def locate(node: yaml.Node, data: dict[str, Any]) -> Located:
    lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}
    return Located(data, node.start_mark.line + 1, lines)


def item_nodes(node: yaml.Node | None, key: str) -> list[yaml.Node]:
    """The nodes of the list under `key` of a mapping node (for the lines of its items)."""
    if not isinstance(node, yaml.MappingNode):
        return []
    for key_node, value in node.value:
        if key_node.value == key and isinstance(value, yaml.SequenceNode):
            return list(value.value)
    return []


def read_contributor_yaml(path: Path, *, max_bytes: int = MAX_YAML_BYTES,
                          max_depth: int = MAX_DEPTH) -> YamlDocument:
    """Parse a contributor's YAML file within bounds; ContributorYamlError says what is wrong."""
    path = Path(path)
    try:
        text, _ = read_utf8(path, max_bytes)
    except TooLarge as error:
        raise ContributorYamlError(path, f"{error.size:,} bytes; a contributor YAML file may "
                                   f"have at most {max_bytes:,} (split it, or shorten it)"
                                   ) from error
    except NotUtf8 as error:
        raise ContributorYamlError(path, f"not UTF-8 (byte 0x{error.byte:02x} at offset "
                                   f"{error.offset}); save it as UTF-8", error.line) from error
    check_events(path, text, max_depth)
    loader = YAML_LOADER(text)
    try:
        root = loader.get_single_node()
        value = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        raise _yaml_error(path, error) from error
    finally:
        loader.dispose()
    return YamlDocument(value, root)


def check_events(path: Path, text: str, max_depth: int) -> None:
    """Refuse anchors, aliases, explicit tags, several documents and deep nesting, from the
    parser's events: nothing is expanded or built before the file is known to be plain."""
    depth = documents = 0
    keys: list[set[str] | None] = []  # per open collection: the keys seen (mappings only)
    expecting_key: list[bool] = []
    try:
        for event in yaml.parse(text, Loader=YAML_LOADER):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.AliasEvent):
                raise ContributorYamlError(path, f"YAML alias *{event.anchor} is not allowed in "
                                           "contributor files; write the value out", line)
            if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                raise ContributorYamlError(path, f"YAML anchor &{event.anchor} is not allowed in "
                                           "contributor files; write the value out", line)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise ContributorYamlError(path, "holds more than one YAML document (a "
                                               "second '---'); keep one", line)
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                tag = event.tag
                implicit = event.implicit[0] if isinstance(event, yaml.ScalarEvent) \
                    else event.implicit
                if tag is not None and not implicit and tag != "!":
                    raise ContributorYamlError(path, f"YAML tag {tag} is not allowed in "
                                               "contributor files; write a plain value", line)
                if keys and keys[-1] is not None:  # inside a mapping: a key or a value
                    if expecting_key[-1]:
                        name = str(event.value) if isinstance(event, yaml.ScalarEvent) else "?"
                        if name in keys[-1]:
                            raise ContributorYamlError(path, f"key '{name}' appears twice in "
                                                       "the same mapping; keep one", line)
                        keys[-1].add(name)
                    expecting_key[-1] = not expecting_key[-1]
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    raise ContributorYamlError(path, f"nested more than {max_depth} levels "
                                               "deep; contributor files are flat", line)
                keys.append(set() if isinstance(event, yaml.MappingStartEvent) else None)
                expecting_key.append(True)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                keys.pop()
                expecting_key.pop()
    except yaml.YAMLError as error:
        raise _yaml_error(path, error) from error


def _yaml_error(path: Path, error: yaml.YAMLError) -> ContributorYamlError:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    message = f"not valid YAML: {problem}" + (f" ({context})" if context else "")
    return ContributorYamlError(path, message, mark.line + 1 if mark else None)


# ---------------------------------------------------------------------------------------------
# Typed fields


def type_name(value: Any) -> str:
    """How YAML read a value, for messages ('the number 0', 'a list')."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value[:60]!r}"
    return f"{type(value).__name__} {value!r}"[:80]


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
