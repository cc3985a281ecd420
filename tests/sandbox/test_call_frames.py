"""Encoded call messages, kept per call by the runner."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.sandbox import codec
from autograder.sandbox.records import Call
from autograder.sandbox.runner import CallFrames


def parse(frame: bytes) -> dict[str, object]:
    (length,) = codec.HEADER.unpack(frame[: codec.HEADER.size])
    body = frame[codec.HEADER.size :]
    assert length == len(body)
    return codec.parse_frame_body(body)


def test_frame_is_a_call_message() -> None:
    call = Call("grad", (np.array([[1.0], [2.0]]), -1, 0.5))
    message = parse(CallFrames().frame(call, "ab12"))
    assert message["type"] == "call"
    assert message["function"] == "grad"
    assert message["nonce"] == "ab12"
    arguments = codec.decode(message["args"])
    assert np.array_equal(arguments[0], np.array([[1.0], [2.0]]))
    assert arguments[1:] == [-1, 0.5]


def test_arguments_are_encoded_once_per_call(monkeypatch: pytest.MonkeyPatch) -> None:
    encoded: list[object] = []
    original = codec.encode

    def counting_encode(value: object, **options: int) -> object:
        encoded.append(value)
        return original(value, **options)

    monkeypatch.setattr(codec, "encode", counting_encode)
    frames = CallFrames()
    call = Call("f", (1, "two"))
    first = parse(frames.frame(call, "n1"))
    second = parse(frames.frame(call, "n2"))
    assert len(encoded) == 1
    assert first["args"] == second["args"]
    assert (first["nonce"], second["nonce"]) == ("n1", "n2")
    parse(frames.frame(Call("f", (1, "two")), "n3"))
    assert len(encoded) == 2


def test_full_cache_starts_again() -> None:
    frames = CallFrames(max_calls=2)
    calls = [Call("f", (index,)) for index in range(5)]
    for index, call in enumerate(calls):
        assert codec.decode(parse(frames.frame(call, "n"))["args"]) == [index]
    assert codec.decode(parse(frames.frame(calls[0], "n"))["args"]) == [0]


def test_arguments_that_cannot_be_sent_raise() -> None:
    with pytest.raises(ValueError, match="arguments of f cannot be sent to the sandbox"):
        CallFrames().frame(Call("f", (object(),)), "n")
