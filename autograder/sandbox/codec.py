"""The plain-data format in which arguments and results cross the sandbox boundary.

This module runs on both sides: in the grader and inside the sandbox, where it is
loaded as a standalone file. It must import nothing but the standard library and
numpy.

Messages are frames of a 4-byte big-endian length and a UTF-8 JSON object. JSON
is parsed with ``json.loads`` only, so no message can build anything but dicts,
lists, strings, numbers, booleans and None (there is no pickle anywhere). Values
inside a message use this tagged form:

=====================  ===========================================================
Python value           JSON
=====================  ===========================================================
None, bool, int, str   the JSON value itself
finite float           a JSON number with a fraction or exponent
nan, inf, -inf         ``{"$float": "nan"}``, ``{"$float": "inf"}``, ``{"$float": "-inf"}``
list, tuple            ``{"$list": [...]}``, ``{"$tuple": [...]}``
numpy.ndarray          ``{"$array": {"dtype": "float64", "shape": [3, 1], "data": BASE64}}``
                       with the elements in C order, little-endian
=====================  ===========================================================

``encode`` accepts only values whose type is exactly one of these (or an exact
numpy scalar type), so it never calls a method that an arbitrary object could
override. ``decode`` checks the structure, dtype, shape, byte count and size of
everything it reads, and is what the grader uses on every message from the
worker.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import struct
from collections.abc import Iterator
from typing import Any

import numpy as np

HEADER = struct.Struct(">I")
MAX_DEPTH = 32
MAX_STRING_CHARS = 1_000_000
# Python refuses to convert integers of more than 4300 digits to text; a bound
# of 2**64 keeps every integer representable in numpy's int64 or uint64.
MAX_INT = 2**64

DTYPES: frozenset[str] = frozenset(
    {
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float16",
        "float32",
        "float64",
        "complex64",
        "complex128",
    }
)

_NUMPY_FLOATS = (np.float16, np.float32, np.float64)
_NUMPY_INTEGERS = (
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.uint8,
    np.uint16,
    np.uint32,
    np.uint64,
)


class CodecError(ValueError):
    """A value that cannot be encoded, or a message that is not valid plain data.

    The message is written for the student, and describes the value, as in
    "returned an object of type Foo".
    """


def type_name(value: object) -> str:
    """Return the real name of ``value``'s type without running code of that type.

    A metaclass can define ``__name__`` as a property, so the name is read
    through ``type``'s own descriptor.
    """
    try:
        name = type.__dict__["__name__"].__get__(type(value), type)
    except Exception:  # noqa: BLE001 - any failure just loses the name
        return "<unknown type>"
    return name if type(name) is str else "<unknown type>"


def encode(value: Any, *, max_elements: int = 10_000_000) -> Any:
    """Convert ``value`` to the tagged JSON form, by exact type checks only.

    Raises ``CodecError`` for any other type, for subclasses of the accepted
    types, for arrays of a non-numeric dtype and for values with more than
    ``max_elements`` numbers in all.
    """
    budget = [max_elements]
    return _encode(value, 0, budget)


def _encode(value: Any, depth: int, budget: list[int]) -> Any:
    if depth > MAX_DEPTH:
        raise CodecError(f"returned a value nested more than {MAX_DEPTH} levels deep")
    kind = type(value)

    if value is None or kind is bool or kind is str:
        if kind is str and len(value) > MAX_STRING_CHARS:
            raise CodecError(f"returned a string of {len(value)} characters; the limit is {MAX_STRING_CHARS}")
        return value
    if kind is int:
        if not -MAX_INT < value < MAX_INT:
            raise CodecError("returned an integer too large to compare (more than 64 bits)")
        return value
    if kind is float:
        return _encode_float(value)
    if kind in _NUMPY_FLOATS:
        return _encode_float(float(value))
    if kind in _NUMPY_INTEGERS:
        return int(value)
    if kind is np.bool_:
        return bool(value)
    if kind is list or kind is tuple:
        budget[0] -= len(value)
        if budget[0] < 0:
            raise CodecError("returned a list with too many elements")
        items = [_encode(item, depth + 1, budget) for item in value]
        return {"$list": items} if kind is list else {"$tuple": items}
    if kind is np.ndarray:
        return _encode_array(value, budget)
    raise CodecError(
        f"returned an object of type {type_name(value)}; return a numpy array, a number, "
        "or a list or tuple of numbers"
    )


def _encode_float(value: float) -> Any:
    if math.isnan(value):
        return {"$float": "nan"}
    if math.isinf(value):
        return {"$float": "inf" if value > 0 else "-inf"}
    return value


def _encode_array(array: np.ndarray, budget: list[int]) -> dict[str, Any]:
    dtype_name = array.dtype.name
    if dtype_name not in DTYPES:
        raise CodecError(
            f"returned a numpy array of dtype {dtype_name}; return an array of numbers "
            "(for example float64)"
        )
    budget[0] -= array.size
    if budget[0] < 0:
        raise CodecError(f"returned an array of {array.size} elements, more than the grader accepts")
    little_endian = array.astype(array.dtype.newbyteorder("<"), order="C", copy=False)
    data = base64.b64encode(little_endian.tobytes(order="C")).decode("ascii")
    return {"$array": {"dtype": dtype_name, "shape": list(array.shape), "data": data}}


def decode(data: Any, *, max_elements: int = 10_000_000) -> Any:
    """Rebuild a value from the tagged JSON form, checking everything.

    Raises ``CodecError`` for anything that ``encode`` would not have produced:
    unknown tags, dtypes outside ``DTYPES``, shapes that do not match the data,
    nesting deeper than ``MAX_DEPTH`` or more than ``max_elements`` numbers.
    Arrays come back as writable numpy arrays in native byte order.
    """
    budget = [max_elements]
    return _decode(data, 0, budget)


def _decode(data: Any, depth: int, budget: list[int]) -> Any:
    if depth > MAX_DEPTH:
        raise CodecError(f"value nested more than {MAX_DEPTH} levels deep")
    kind = type(data)
    if data is None or kind is bool or kind is str or kind is float:
        return data
    if kind is int:
        if not -MAX_INT < data < MAX_INT:
            raise CodecError("integer too large")
        return data
    if kind is not dict or len(data) != 1:
        raise CodecError(f"invalid value of JSON type {type_name(data)}")

    (tag, content), = data.items()
    if tag == "$float":
        if content not in ("nan", "inf", "-inf"):
            raise CodecError(f"invalid special float {content!r}")
        return float(content)
    if tag in ("$list", "$tuple"):
        if type(content) is not list:
            raise CodecError(f"{tag} must contain a JSON array")
        budget[0] -= len(content)
        if budget[0] < 0:
            raise CodecError("too many elements")
        items = [_decode(item, depth + 1, budget) for item in content]
        return items if tag == "$list" else tuple(items)
    if tag == "$array":
        return _decode_array(content, budget)
    raise CodecError(f"unknown tag {tag!r}")


def _decode_array(content: Any, budget: list[int]) -> np.ndarray:
    if type(content) is not dict or set(content) != {"dtype", "shape", "data"}:
        raise CodecError("$array must have exactly the keys dtype, shape and data")
    dtype_name, shape, data = content["dtype"], content["shape"], content["data"]
    if type(dtype_name) is not str or dtype_name not in DTYPES:
        raise CodecError(f"array dtype {dtype_name!r} is not allowed")
    if type(shape) is not list or len(shape) > MAX_DEPTH:
        raise CodecError("array shape must be a list of at most 32 sizes")
    if any(type(size) is not int or size < 0 for size in shape):
        raise CodecError(f"invalid array shape {shape!r}")
    if type(data) is not str:
        raise CodecError("array data must be a base64 string")

    size = math.prod(shape)
    budget[0] -= size
    if budget[0] < 0:
        raise CodecError(f"array of {size} elements is larger than allowed")
    dtype = np.dtype(dtype_name).newbyteorder("<")
    try:
        raw = base64.b64decode(data.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise CodecError("array data is not valid base64") from error
    if len(raw) != size * dtype.itemsize:
        raise CodecError(
            f"array data has {len(raw)} bytes, but shape {tuple(shape)} of {dtype_name} needs {size * dtype.itemsize}"
        )
    flat = np.frombuffer(raw, dtype=dtype)
    return flat.astype(dtype.newbyteorder("="), copy=True).reshape(shape)


def pack_frame(message: dict[str, Any]) -> bytes:
    """Serialize one message as a length-prefixed frame of strict JSON."""
    body = json.dumps(message, allow_nan=False, separators=(",", ":")).encode("utf-8")
    return HEADER.pack(len(body)) + body


def parse_frame_body(body: bytes) -> dict[str, Any]:
    """Parse the body of one frame, which must be a JSON object."""
    try:
        message = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise CodecError(f"message is not valid JSON: {error}") from error
    if type(message) is not dict:
        raise CodecError("message is not a JSON object")
    return message


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


class FrameBuffer:
    """Splits a byte stream into frames, for a reader that receives chunks."""

    def __init__(self, max_frame_bytes: int) -> None:
        self.max_frame_bytes = max_frame_bytes
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> Iterator[dict[str, Any]]:
        """Add ``chunk`` and yield every message that is now complete.

        Raises ``CodecError`` for a frame longer than ``max_frame_bytes`` or a
        body that is not a JSON object.
        """
        self._buffer += chunk
        while len(self._buffer) >= HEADER.size:
            (length,) = HEADER.unpack_from(self._buffer)
            if length > self.max_frame_bytes:
                raise CodecError(f"message of {length} bytes is larger than the limit of {self.max_frame_bytes}")
            end = HEADER.size + length
            if len(self._buffer) < end:
                return
            body = bytes(self._buffer[HEADER.size:end])
            del self._buffer[:end]
            yield parse_frame_body(body)

    @property
    def pending(self) -> int:
        """The number of bytes received that do not yet form a whole frame."""
        return len(self._buffer)
