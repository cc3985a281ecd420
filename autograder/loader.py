"""Loading a problem spec: YAML to validated parts, the reference module, and
one checker per part.

Everything an author can get wrong is found here, before any grading starts,
and reported as a ``SpecError`` that names the file, line and part.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import ValidationError

from autograder.checkers import build_checker
from autograder.checkers.base import Checker, PartContext
from autograder.errors import ReferenceError_, SpecError
from autograder.spec import PART_ADAPTER, PART_MODELS, PART_TYPES, CodePart, Part, SpecHeader
from autograder.yamlsource import Document, YAMLSyntaxError, load

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProblemSet:
    """A loaded spec: its parts in order, their checkers, and fingerprints.

    ``fingerprint`` changes whenever the spec file or the reference module
    changes. ``part_fingerprints`` change only when what decides that part's
    grade changes: its own entry in the spec (after defaults are applied) or
    the reference module.
    """

    path: Path
    header: SpecHeader
    parts: tuple[Part, ...]
    checkers: Mapping[str, Checker]
    reference_path: Path | None
    fingerprint: str
    part_fingerprints: Mapping[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.header.title

    @property
    def max_score(self) -> float:
        return sum(part.points for part in self.parts)

    @property
    def sections(self) -> list[str]:
        """Section names in the order their first part appears."""
        names: list[str] = []
        for part in self.parts:
            if part.section_name not in names:
                names.append(part.section_name)
        return names

    @property
    def code_parts(self) -> list[CodePart]:
        return [part for part in self.parts if isinstance(part, CodePart)]

    @property
    def module_file(self) -> str | None:
        """The student module a submission must contain, if any part runs code."""
        if self.header.submission.module is not None:
            return self.header.submission.module
        if self.reference_path is not None and self.code_parts:
            return self.reference_path.name
        return None


def load_problem_set(path: Path | str) -> ProblemSet:
    """Load and validate the spec at ``path``; raises ``SpecError``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError("spec file not found", path=path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"cannot read the spec: {error}", path=path) from None

    document = load(text)
    if isinstance(document, YAMLSyntaxError):
        raise SpecError(f"invalid YAML: {document.message}", path=path, line=document.line)
    for key_path, first, second in document.duplicates:
        raise SpecError(
            f"key {key_path[-1]!r} appears twice (lines {first} and {second})",
            path=path,
            line=second,
            part=_part_id_at(document, key_path),
        )
    if not isinstance(document.data, dict):
        raise SpecError("a spec must be a mapping with 'title', 'reference' and 'parts'", path=path, line=1)

    raw = dict(document.data)
    raw_parts = raw.pop("parts", None)
    header = _validate_header(raw, path, document)
    _check_defaults(header, path, document)
    if not isinstance(raw_parts, list) or not raw_parts:
        raise SpecError("'parts' must be a non-empty list of parts", path=path, line=document.line(("parts",)))

    reference_path, reference = _load_reference(header, path, document)
    parts = _validate_parts(raw_parts, header, path, document)
    checkers: dict[str, Checker] = {}
    for index, part in enumerate(parts):
        context = PartContext(spec_path=path, index=index, document=document, reference=reference)
        checkers[part.id] = build_checker(part, context)

    reference_source = reference_path.read_bytes() if reference_path is not None else b""
    return ProblemSet(
        path=path,
        header=header,
        parts=tuple(parts),
        checkers=checkers,
        reference_path=reference_path,
        fingerprint=_digest(text.encode("utf-8"), reference_source),
        part_fingerprints={
            part.id: _digest(
                json.dumps(part.model_dump(mode="json"), sort_keys=True).encode("utf-8"),
                reference_source,
            )
            for part in parts
        },
    )


def _digest(*chunks: bytes) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(len(chunk).to_bytes(8, "big"))
        digest.update(chunk)
    return digest.hexdigest()


def _part_id_at(document: Document, key_path: tuple[str | int, ...]) -> str | None:
    if len(key_path) >= 2 and key_path[0] == "parts" and isinstance(key_path[1], int):
        parts = document.data.get("parts") if isinstance(document.data, dict) else None
        if isinstance(parts, list) and key_path[1] < len(parts) and isinstance(parts[key_path[1]], dict):
            part_id = parts[key_path[1]].get("id")
            return str(part_id) if part_id is not None else None
    return None


def _describe_validation_error(error: ValidationError) -> tuple[str, tuple[str | int, ...]]:
    """Turn pydantic's first error into a sentence and the path of the bad key."""
    errors = error.errors()
    first = errors[0]
    location = tuple(first["loc"])
    kind = first["type"]
    if kind == "extra_forbidden":
        message = f"unknown key {location[-1]!r}"
    elif kind == "missing":
        message = f"missing required key {location[-1]!r}"
    elif kind == "union_tag_invalid":
        tag = first.get("ctx", {}).get("tag", first["input"])
        message = f"unknown part type {tag!r}; expected one of {', '.join(PART_TYPES)}"
        location = location + ("type",)
    elif kind == "union_tag_not_found":
        message = f"missing 'type'; expected one of {', '.join(PART_TYPES)}"
    else:
        where = ".".join(str(item) for item in location if item not in PART_TYPES)
        detail = first["msg"].removeprefix("Value error, ")
        message = f"{where}: {detail}" if where else detail
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})"
    return message, location


def _validate_header(raw: dict[str, Any], path: Path, document: Document) -> SpecHeader:
    try:
        return SpecHeader.model_validate(raw)
    except ValidationError as error:
        message, location = _describe_validation_error(error)
        raise SpecError(message, path=path, line=document.line(location)) from None


def _check_defaults(header: SpecHeader, path: Path, document: Document) -> None:
    """Reject options under ``defaults`` that the part type does not have."""
    for type_name, options in header.defaults.items():
        allowed = set(PART_MODELS[type_name].model_fields) - {"id", "type", "prompt"}
        for key in options:
            if key not in allowed:
                raise SpecError(
                    f"unknown option {key!r} for {type_name} parts under 'defaults'; expected one of {', '.join(sorted(allowed))}",
                    path=path,
                    line=document.line(("defaults", type_name, key)),
                )


def _validate_parts(
    raw_parts: list[Any], header: SpecHeader, path: Path, document: Document
) -> list[Part]:
    parts: list[Part] = []
    seen: dict[str, int] = {}
    for index, raw_part in enumerate(raw_parts):
        line = document.line(("parts", index))
        if not isinstance(raw_part, dict):
            raise SpecError("each part must be a mapping with 'id', 'prompt', 'type' and options", path=path, line=line)
        part_id = raw_part.get("id")
        label = str(part_id) if part_id is not None else None

        merged = dict(header.defaults.get(str(raw_part.get("type")), {}))
        merged.update(raw_part)
        if merged.get("type") == "code":
            limits = {key: value for key, value in header.limits.model_dump().items() if value is not None}
            limits.update(raw_part.get("limits") or {})
            merged["limits"] = limits

        try:
            part = PART_ADAPTER.validate_python(merged)
        except ValidationError as error:
            message, location = _describe_validation_error(error)
            relative = tuple(item for item in location if item not in PART_TYPES)
            raise SpecError(message, path=path, line=document.line(("parts", index, *relative)), part=label) from None

        if part.id in seen:
            raise SpecError(
                f"duplicate part id {part.id!r}: the part at line {document.line(('parts', seen[part.id]))} has it too",
                path=path,
                line=document.line(("parts", index, "id")),
                part=part.id,
            )
        seen[part.id] = index
        parts.append(part)
    return parts


def _load_reference(
    header: SpecHeader, spec_path: Path, document: Document
) -> tuple[Path | None, ModuleType | None]:
    """Import the reference module named by the spec, relative to the spec file."""
    if header.reference is None:
        return None, None
    line = document.line(("reference",))
    reference_path = (spec_path.parent / header.reference).resolve()
    if not reference_path.is_file():
        raise ReferenceError_(f"reference module {reference_path} not found", path=spec_path, line=line)

    module_name = f"_autograder_reference_{hashlib.sha1(str(reference_path).encode()).hexdigest()[:12]}"
    if module_name in sys.modules:
        cached = sys.modules[module_name]
        if getattr(cached, "__autograder_mtime__", None) == reference_path.stat().st_mtime_ns:
            return reference_path, cached

    import_spec = importlib.util.spec_from_file_location(module_name, reference_path)
    if import_spec is None or import_spec.loader is None:
        raise ReferenceError_(f"cannot import {reference_path} as a Python module", path=spec_path, line=line)
    module = importlib.util.module_from_spec(import_spec)
    try:
        import_spec.loader.exec_module(module)
    except (Exception, SystemExit) as error:  # noqa: BLE001 - any failure is reported to the author
        frames = traceback.extract_tb(error.__traceback__)
        where = next(
            (f" at line {frame.lineno}" for frame in reversed(frames) if Path(frame.filename) == reference_path),
            "",
        )
        raise ReferenceError_(
            f"importing the reference module {reference_path.name} failed{where}: {type(error).__name__}: {error}",
            path=spec_path,
            line=line,
        ) from None
    module.__autograder_mtime__ = reference_path.stat().st_mtime_ns  # type: ignore[attr-defined]
    sys.modules[module_name] = module
    logger.debug("loaded reference module %s", reference_path)
    return reference_path, module
