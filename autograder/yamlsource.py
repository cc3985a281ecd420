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


# A document may expand to at most this many values. Aliases (``*name``) can
# repeat a node many times, so a file of a few hundred bytes could otherwise
# expand to billions of values ("billion laughs").
DEFAULT_MAX_VALUES = 1_000_000
MAX_DEPTH = 100

# libyaml's parser, when PyYAML was built with it, reads answers files about
# seven times faster than the pure-Python one (0.6 ms against 4.2 ms for the
# full-marks sample). Both build the same nodes with the same positions.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The answer files of one class repeat the same keys and many of the same
# answers, and PyYAML resolves and constructs every plain scalar in Python.
# For the safe loader both steps depend only on the scalar's text, so their
# results are cached for texts up to this length, up to this many of each.
MAX_CACHED_SCALAR_CHARS = 200
MAX_CACHED_SCALARS = 50_000
# Tags whose constructed values are immutable, so one value may be shared.
_SHAREABLE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "str")
)
_tags: dict[tuple[str, tuple[bool, bool]], str] = {}
_scalars: dict[tuple[str, str], Any] = {}


class _Loader(_BaseLoader):  # type: ignore[valid-type, misc]
    """The safe loader, with the tags of plain scalars cached."""

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers or len(value) > MAX_CACHED_SCALAR_CHARS:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = _tags.get(key)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_tags) < MAX_CACHED_SCALARS:
                _tags[key] = tag
        return tag


class _LimitExceeded(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def load(text: str, *, max_values: int = DEFAULT_MAX_VALUES) -> Document | YAMLSyntaxError:
    """Parse one YAML document, or describe the first syntax error in it.

    A document that nests deeper than ``MAX_DEPTH``, refers to itself through
    an alias, or expands to more than ``max_values`` values is reported as a
    syntax error too, so that no input can exhaust memory or the stack.
    """
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            document = Document(data=None)
            if node is not None:
                converter = _Converter(document, loader, max_values)
                document.data = converter.convert(node, (), depth=0)
            return document
        finally:
            loader.dispose()
    except _LimitExceeded as error:
        return YAMLSyntaxError(message=error.message, line=error.line)
    except RecursionError:
        return YAMLSyntaxError(message=f"brackets or indentation nested too deeply (the limit is {MAX_DEPTH} levels)", line=None)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or error.context or "invalid YAML"
        return YAMLSyntaxError(message=_one_line(str(problem)), line=line)
    except yaml.YAMLError as error:
        return YAMLSyntaxError(message=_one_line(str(error)), line=None)


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Converter:
    """Turns a node graph into Python values, recording lines and source text."""

    def __init__(self, document: Document, loader: Any, max_values: int) -> None:
        self.document = document
        self.loader = loader
        self.remaining = max_values
        self.max_values = max_values
        self.active: set[int] = set()

    def convert(self, node: yaml.Node, path: Path_, *, depth: int) -> Any:
        line = node.start_mark.line + 1
        self.remaining -= 1
        if self.remaining < 0:
            raise _LimitExceeded(f"the document expands to more than {self.max_values} values", line)
        if depth > MAX_DEPTH:
            raise _LimitExceeded(f"lists or mappings nested more than {MAX_DEPTH} levels deep", line)
        if id(node) in self.active:
            raise _LimitExceeded("an alias refers to a value that contains it", line)
        self.document.lines[path] = line

        if isinstance(node, yaml.ScalarNode):
            self.document.texts[path] = node.value
            return self._construct_scalar(node)

        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._convert_mapping(node, path, depth)
            return [
                self.convert(item, path + (index,), depth=depth + 1)
                for index, item in enumerate(node.value)
            ]
        finally:
            self.active.discard(id(node))

    def _construct_scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SHAREABLE_TAGS or len(node.value) > MAX_CACHED_SCALAR_CHARS:
            return self.loader.construct_object(node, deep=True)
        key = (node.tag, node.value)
        try:
            return _scalars[key]
        except KeyError:
            value = self.loader.construct_object(node, deep=True)
            if len(_scalars) < MAX_CACHED_SCALARS:
                _scalars[key] = value
            return value

    def _convert_mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        self.loader.flatten_mapping(node)
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = _key_text(key_node)
            key_line = key_node.start_mark.line + 1
            if key in first_line:
                self.document.duplicates.append((path + (key,), first_line[key], key_line))
            first_line[key] = key_line
            result[key] = self.convert(value_node, path + (key,), depth=depth + 1)
            self.document.lines[path + (key,)] = key_line
        return result


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
