"""YAML loading that remembers where each value came from.

Specs and answer files are loaded with PyYAML's safe constructors, but through
the node graph so that every value keeps its line number and every scalar its
source text. Mapping keys are always their source text: a student who writes
``1.1: ...`` means the part "1.1", not the float 1.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


@dataclass
class Document:
    """A loaded YAML document with the position and source text of each value.

    ``lines`` maps a path (a tuple of mapping keys and list indexes from the
    root) to the 1-based line where that value starts. ``texts`` maps the path of
    each scalar to its text as written, without quotes. ``duplicates`` lists the
    paths of mapping keys that appear more than once, with both lines.
    """

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    texts: dict[Path_, str] = field(default_factory=dict)
    duplicates: list[tuple[Path_, int, int]] = field(default_factory=list)

    def line(self, path: Path_) -> int | None:
        """Return the line of ``path`` or of its nearest ancestor that has one."""
        probe = tuple(path)
        while True:
            if probe in self.lines:
                return self.lines[probe]
            if not probe:
                return None
            probe = probe[:-1]


@dataclass(frozen=True)
class YAMLSyntaxError:
    """Why a YAML text could not be parsed, and where."""

    message: str
    line: int | None


def load(text: str) -> Document | YAMLSyntaxError:
    """Parse one YAML document, or describe the first syntax error in it."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            document = Document(data=None)
            if node is not None:
                document.data = _convert(node, (), document, loader)
            return document
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or error.context or "invalid YAML"
        return YAMLSyntaxError(message=str(problem), line=line)
    except yaml.YAMLError as error:
        return YAMLSyntaxError(message=str(error), line=None)


def _convert(node: yaml.Node, path: Path_, document: Document, loader: yaml.SafeLoader) -> Any:
    document.lines[path] = node.start_mark.line + 1

    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = _key_text(key_node)
            key_line = key_node.start_mark.line + 1
            if key in first_line:
                document.duplicates.append((path + (key,), first_line[key], key_line))
            first_line[key] = key_line
            result[key] = _convert(value_node, path + (key,), document, loader)
            document.lines[path + (key,)] = key_line
        return result

    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, path + (index,), document, loader)
            for index, item in enumerate(node.value)
        ]

    document.texts[path] = node.value
    return loader.construct_object(node, deep=True)


def _key_text(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    # A list or mapping used as a key cannot name a part or an option. It gets
    # a placeholder that validation then reports as an unknown key.
    return f"<{node.id} at line {node.start_mark.line + 1}>"


def split_top_level(text: str) -> Iterator[tuple[int, str]]:
    """Yield (first line, chunk) for each top-level mapping entry of ``text``.

    Used to salvage what it can from an answers file with a syntax error: each
    chunk starts at a line with no indentation that is not a comment, and runs
    to the next such line. Lines are 1-based.
    """
    chunk: list[str] = []
    start = 1
    for number, line in enumerate(text.splitlines(), start=1):
        starts_entry = line[:1] not in ("", " ", "\t", "#", "-") and not line.startswith("...")
        if starts_entry and chunk:
            yield start, "\n".join(chunk)
            chunk = []
        if starts_entry or chunk:
            if not chunk:
                start = number
            chunk.append(line)
    if chunk:
        yield start, "\n".join(chunk)
