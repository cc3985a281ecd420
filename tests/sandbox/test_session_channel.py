"""What the grader makes of the bytes on one child's call socket."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest

from autograder.sandbox import codec
from autograder.sandbox.limits import SandboxLimits
from autograder.sandbox.output import OutputCapture
from autograder.sandbox.runner import CallFrames, _Session
from autograder.sandbox.template import ChildHandle, ExitStatus

LOAD = {"type": "load", "files": [], "module": "hw", "functions": ["f"]}
GARBAGE = b"\x00\x00\x00\x05hello"


class FakeTemplate:
    """Stands in for the template: the test plays the child on the other end of the socket."""

    def __init__(self) -> None:
        self.killed: list[int] = []

    def kill_child(self, child_id: int) -> None:
        self.killed.append(child_id)

    def wait_child(self, child_id: int, seconds: float) -> ExitStatus | None:
        return ExitStatus(exit_code=0, signal=None)


@pytest.fixture
def channel() -> Iterator[tuple[ChildHandle, socket.socket]]:
    grader_end, child_end = socket.socketpair()
    grader_end.setblocking(False)
    output_read, output_write = os.pipe()
    os.set_blocking(output_read, False)
    yield ChildHandle(1, grader_end, output_read), child_end
    child_end.close()
    os.close(output_write)


def open_session(handle: ChildHandle) -> _Session:
    return _Session(FakeTemplate(), handle, SandboxLimits(), OutputCapture(1024), LOAD, CallFrames())  # type: ignore[arg-type]


def test_garbage_after_ready_costs_the_import(channel: tuple[ChildHandle, socket.socket]) -> None:
    handle, child = channel
    # One read brings the ready record and what student code wrote at import.
    child.sendall(codec.pack_frame({"type": "ready"}) + GARBAGE)
    session = open_session(handle)
    outcome = session.load(1.0)
    session.close()
    assert outcome.status == "output_invalid"
    assert "not a valid result record" in outcome.message


def test_garbage_instead_of_ready_is_a_sandbox_failure(channel: tuple[ChildHandle, socket.socket]) -> None:
    from autograder.sandbox.template import TemplateBroken

    handle, child = channel
    child.sendall(GARBAGE)
    with pytest.raises(TemplateBroken, match="could not be set up"):
        open_session(handle)
