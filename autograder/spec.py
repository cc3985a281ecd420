"""The problem spec model: typed, validated parts built from a YAML file.

A spec names a reference module and lists parts. Each part has an ``id``, a
``prompt``, ``points``, a ``type`` and the options of that type. Field defaults
here are the defaults of the spec format; ``docs/spec-format.md`` documents
them for problem authors and must be kept in step with this module.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    field_validator,
    model_validator,
)

PART_TYPES = ("expression", "number", "matrix", "choice", "set", "list", "polygon", "code")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class VariableSpec(_Model):
    """A variable of an expression part and the domain it is sampled from.

    Written in YAML as ``[low, high]`` for an interval, or as a mapping with
    ``interval`` or ``values``, and optionally ``shape`` (``[3, 1]`` for a column
    vector) and ``integer``.
    """

    interval: tuple[float, float] | None = None
    values: tuple[float, ...] | None = None
    shape: tuple[int, ...] = ()
    integer: bool = False

    @model_validator(mode="before")
    @classmethod
    def _accept_short_form(cls, data: Any) -> Any:
        if isinstance(data, (list, tuple)):
            return {"interval": data}
        return data

    @model_validator(mode="after")
    def _check_domain(self) -> VariableSpec:
        if (self.interval is None) == (self.values is None):
            raise ValueError("give exactly one of 'interval' ([low, high]) or 'values' (a list)")
        if self.interval is not None:
            low, high = self.interval
            if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
                raise ValueError(f"interval must be [low, high] with finite low < high, got {list(self.interval)}")
        if self.values is not None and not self.values:
            raise ValueError("'values' must list at least one value")
        if any(size < 1 for size in self.shape):
            raise ValueError(f"every dimension of 'shape' must be at least 1, got {list(self.shape)}")
        return self


class Mistake(_Model):
    """A common wrong answer and the feedback that an equivalent answer gets."""

    answer: Any
    feedback: str


class Option(_Model):
    """A choice option: the label shown to students and other accepted spellings."""

    label: str
    aliases: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _accept_plain_label(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise ValueError("write each option in quotes: YAML reads unquoted yes, no, on and off as true or false")
        if isinstance(data, (int, float)):
            return {"label": str(data)}
        if isinstance(data, str):
            return {"label": data}
        return data


class Limits(_Model):
    """Resource limits for running student code. ``None`` keeps the sandbox default.

    The upper bounds keep every limit within what the operating system and
    the grader's timers accept: a day of time, a terabyte of memory or file
    size, the usual cap of 65,536 open files.
    """

    call_seconds: float | None = Field(default=None, gt=0, le=86_400, allow_inf_nan=False)
    submission_seconds: float | None = Field(default=None, gt=0, le=86_400, allow_inf_nan=False)
    cpu_seconds: float | None = Field(default=None, gt=0, le=86_400, allow_inf_nan=False)
    memory_mb: int | None = Field(default=None, gt=0, le=1_048_576)
    processes: int | None = Field(default=None, ge=1, le=4096)
    file_size_mb: int | None = Field(default=None, ge=0, le=1_048_576)
    open_files: int | None = Field(default=None, ge=8, le=65_536)
    output_kb: int | None = Field(default=None, ge=1, le=1_048_576)


class Case(_Model):
    """One listed test case of a code part: positional arguments and visibility."""

    args: tuple[Any, ...]
    hidden: bool = False

    @model_validator(mode="before")
    @classmethod
    def _accept_bare_list(cls, data: Any) -> Any:
        if isinstance(data, (list, tuple)):
            return {"args": data}
        return data


class RandomCases(_Model):
    """Seeded random test cases drawn by a generator in the reference module.

    The generator is called as ``generator(rng)`` with a
    ``numpy.random.Generator`` and returns the positional arguments as a list or
    tuple. Case ``i`` uses the seed ``[seed, i]``, so adding cases never changes
    the earlier ones.
    """

    generator: str
    count: int = Field(default=10, ge=1, le=10_000)
    seed: int = 0
    hidden: bool = True


class PartBase(_Model):
    id: str
    prompt: str
    points: float = Field(default=1.0, gt=0)
    section: str | None = None
    format: str | None = None
    answer: Any = None
    answer_from: str | None = None
    check: str | None = None
    mistakes: tuple[Mistake, ...] = ()

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, value: Any) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise ValueError(f"write the part id in quotes (\"{value}\"), because YAML reads an unquoted {value} as a number")
        return value

    @field_validator("id")
    @classmethod
    def _id_not_blank(cls, value: str) -> str:
        if not value.strip() or value != value.strip():
            raise ValueError("a part id must be non-empty and have no leading or trailing spaces")
        return value

    @property
    def section_name(self) -> str:
        return self.section if self.section is not None else self.id.split(".")[0]


class _NeedsAnswer(PartBase):
    @model_validator(mode="after")
    def _one_answer_source(self) -> _NeedsAnswer:
        if self.answer is not None and self.answer_from is not None:
            raise ValueError("give either 'answer' or 'answer_from', not both")
        if self.answer is None and self.answer_from is None:
            raise ValueError("missing 'answer' (or 'answer_from', a function of the reference module that returns it)")
        return self


class ExpressionPart(_NeedsAnswer):
    type: Literal["expression"]
    variables: dict[str, VariableSpec] = {}
    rtol: float = Field(default=1e-6, ge=0)
    atol: float = Field(default=1e-9, ge=0)
    samples: int = Field(default=24, ge=1, le=1000)
    seed: int = 0
    form: Literal["any", "exact"] = "any"


class NumberPart(_NeedsAnswer):
    type: Literal["number"]
    rtol: float = Field(default=1e-4, ge=0)
    atol: float = Field(default=1e-9, ge=0)
    decimals: int | None = Field(default=None, ge=0, le=15)
    allow_expressions: bool = True


class MatrixPart(_NeedsAnswer):
    type: Literal["matrix"]
    shape: tuple[int, ...] | None = None
    rtol: float = Field(default=1e-4, ge=0)
    atol: float = Field(default=1e-9, ge=0)
    decimals: int | None = Field(default=None, ge=0, le=15)
    allow_expressions: bool = True


class ChoicePart(_NeedsAnswer):
    type: Literal["choice"]
    options: tuple[Option, ...] = Field(min_length=2)


class SetPart(_NeedsAnswer):
    type: Literal["set"]
    partial_credit: bool = False


class ListPart(_NeedsAnswer):
    type: Literal["list"]
    partial_credit: bool = False


class PolygonPart(_NeedsAnswer):
    type: Literal["polygon"]
    closed: bool = True
    atol: float = Field(default=1e-6, ge=0)


class CodePart(PartBase):
    type: Literal["code"]
    function: str
    reference_function: str | None = None
    cases: tuple[Case, ...] = ()
    random: RandomCases | None = None
    rtol: float = Field(default=1e-6, ge=0)
    atol: float = Field(default=1e-9, ge=0)
    shape: tuple[int | None, ...] | None = None
    limits: Limits = Limits()

    @model_validator(mode="after")
    def _has_cases(self) -> CodePart:
        if not self.cases and self.random is None:
            raise ValueError("a code part needs 'cases', 'random' or both")
        if self.answer is not None or self.answer_from is not None:
            raise ValueError("a code part is compared with 'reference_function'; remove 'answer' and 'answer_from'")
        return self

    @property
    def reference_name(self) -> str:
        return self.reference_function or self.function


PART_MODELS: dict[str, type[PartBase]] = {
    "expression": ExpressionPart,
    "number": NumberPart,
    "matrix": MatrixPart,
    "choice": ChoicePart,
    "set": SetPart,
    "list": ListPart,
    "polygon": PolygonPart,
    "code": CodePart,
}

Part = Annotated[
    ExpressionPart | NumberPart | MatrixPart | ChoicePart | SetPart | ListPart | PolygonPart | CodePart,
    Field(discriminator="type"),
]
PART_ADAPTER: TypeAdapter[Part] = TypeAdapter(Part)


class SubmissionLayout(_Model):
    """The file names that a submission folder is expected to contain."""

    answers: str = "answers.yaml"
    module: str | None = None

    @field_validator("answers")
    @classmethod
    def _plain_file_name(cls, value: str) -> str:
        if not re.fullmatch(r"[\w][\w.-]*", value):
            raise ValueError(f"{value!r} must be a plain file name such as answers.yaml, with no folder")
        return value

    @field_validator("module")
    @classmethod
    def _python_module_name(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*\.py", value):
            raise ValueError(f"{value!r} must be the file name of a Python module, such as hw07.py, with no folder")
        return value


class SpecHeader(_Model):
    """The keys of a spec file other than ``parts``."""

    title: str
    reference: str | None = None
    submission: SubmissionLayout = SubmissionLayout()
    defaults: dict[str, dict[str, Any]] = {}
    limits: Limits = Limits()

    @field_validator("defaults")
    @classmethod
    def _defaults_by_type(cls, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for type_name in value:
            if type_name not in PART_TYPES:
                raise ValueError(f"unknown part type {type_name!r} in defaults; expected one of {', '.join(PART_TYPES)}")
        return value
