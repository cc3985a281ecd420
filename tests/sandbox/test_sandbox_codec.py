"""The plain-data codec: exact-type encoding and strict decoding."""

from __future__ import annotations

import base64
import json
import math

import numpy as np
import pytest

from autograder.sandbox import codec


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        0,
        -(2**63),
        1.5,
        "text",
        [1, 2.5, None],
        (1, [2, (3,)]),
        [],
    ],
)
def test_round_trip_plain_values(value: object) -> None:
    assert codec.decode(json.loads(json.dumps(codec.encode(value)))) == value


@pytest.mark.parametrize("dtype", sorted(codec.DTYPES))
def test_round_trip_arrays_of_every_dtype(dtype: str) -> None:
    array = np.arange(6).reshape(2, 3).astype(dtype)
    decoded = codec.decode(json.loads(json.dumps(codec.encode(array))))
    assert type(decoded) is np.ndarray
    assert decoded.dtype == array.dtype
    assert decoded.shape == (2, 3)
    assert np.array_equal(decoded, array)
    assert decoded.flags.writeable


def test_big_endian_and_strided_arrays_arrive_in_order() -> None:
    array = np.arange(12, dtype=">f8").reshape(3, 4)[:, ::2]
    decoded = codec.decode(codec.encode(array))
    assert np.array_equal(decoded, array)


@pytest.mark.parametrize("special", [math.nan, math.inf, -math.inf])
def test_special_floats_use_tags_and_strict_json(special: float) -> None:
    frame = codec.pack_frame({"value": codec.encode(special)})
    decoded = codec.decode(codec.parse_frame_body(frame[codec.HEADER.size:])["value"])
    assert decoded == special or (math.isnan(decoded) and math.isnan(special))


def test_numpy_scalars_become_python_numbers() -> None:
    assert codec.encode(np.float32(0.5)) == 0.5
    assert codec.encode(np.int64(7)) == 7
    assert codec.encode(np.bool_(True)) is True


def _nested(depth: int) -> list[object]:
    value: list[object] = [0]
    for _ in range(depth):
        value = [value]
    return value


class FloatSubclass(float):
    pass


class ArraySubclass(np.ndarray):
    pass


class Lying:
    def __eq__(self, other: object) -> bool:
        return True


@pytest.mark.parametrize(
    "value",
    [
        FloatSubclass(1.0),
        np.zeros(2).view(ArraySubclass),
        np.array(["a"]),
        np.array([object()], dtype=object),
        Lying(),
        {"a": 1},
        b"bytes",
        2**64,
        _nested(40),
    ],
    ids=["float-subclass", "ndarray-subclass", "string-array", "object-array", "lying-object", "dict", "bytes", "huge-int", "too-deep"],
)
def test_encode_rejects_anything_but_exact_types(value: object) -> None:
    with pytest.raises(codec.CodecError):
        codec.encode(value)


def test_encode_rejects_too_many_elements() -> None:
    with pytest.raises(codec.CodecError, match="more than the grader accepts"):
        codec.encode(np.zeros(11), max_elements=10)


def test_type_name_ignores_a_metaclass_name_property() -> None:
    class Meta(type):
        @property
        def __name__(cls) -> str:  # type: ignore[override]
            raise RuntimeError("student code ran")

    class Sneaky(metaclass=Meta):
        pass

    assert codec.type_name(Sneaky()) == "Sneaky"


def _array(dtype: str, shape: list[int], data: bytes) -> dict[str, object]:
    return {"$array": {"dtype": dtype, "shape": shape, "data": base64.b64encode(data).decode()}}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "invalid value"),
        ({"$list": [1], "$tuple": [2]}, "invalid value"),
        ({"$set": [1]}, "unknown tag"),
        ({"$float": "1e999"}, "invalid special float"),
        ({"$list": "abc"}, "must contain a JSON array"),
        (_array("object", [1], b"\0" * 8), "not allowed"),
        (_array("float64", [2], b"\0" * 8), "needs 16"),
        (_array("float64", [-1], b""), "invalid array shape"),
        ({"$array": {"dtype": "float64", "shape": [1], "data": "!!!"}}, "not valid base64"),
        ({"$array": {"dtype": "float64", "shape": [1]}}, "exactly the keys"),
        (2**70, "integer too large"),
    ],
)
def test_decode_rejects_invalid_data(data: object, message: str) -> None:
    with pytest.raises(codec.CodecError, match=message):
        codec.decode(data)


def test_decode_rejects_arrays_over_the_element_budget() -> None:
    with pytest.raises(codec.CodecError, match="larger than allowed"):
        codec.decode(codec.encode(np.zeros(100)), max_elements=99)


def test_frame_buffer_joins_chunks_and_splits_frames() -> None:
    stream = codec.pack_frame({"n": 1}) + codec.pack_frame({"n": 2})
    buffer = codec.FrameBuffer(max_frame_bytes=1000)
    received = []
    for index in range(len(stream)):
        received += list(buffer.feed(stream[index:index + 1]))
    assert received == [{"n": 1}, {"n": 2}]
    assert buffer.pending == 0


def test_frame_buffer_rejects_oversized_frames() -> None:
    buffer = codec.FrameBuffer(max_frame_bytes=10)
    with pytest.raises(codec.CodecError, match="larger than the limit"):
        list(buffer.feed(codec.HEADER.pack(11) + b"x"))


@pytest.mark.parametrize("body", [b"[1, 2]", b"{\"a\": NaN}", b"\xff", b"{"])
def test_frame_body_must_be_a_strict_json_object(body: bytes) -> None:
    with pytest.raises(codec.CodecError):
        codec.parse_frame_body(body)
