"""Fixtures that open runners; sandbox tests skip only when allowed to."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from autograder.errors import SandboxUnavailable
from autograder.sandbox import Runner, open_runner

REQUIRE_SANDBOX_VARIABLE = "AUTOGRADER_REQUIRE_SANDBOX"


def open_sandbox_or_skip() -> Runner:
    """Open the bubblewrap runner; skip if it is unavailable, unless CI requires it."""
    try:
        return open_runner("sandbox")
    except SandboxUnavailable as error:
        if os.environ.get(REQUIRE_SANDBOX_VARIABLE):
            pytest.fail(f"{REQUIRE_SANDBOX_VARIABLE} is set, but the sandbox is unavailable: {error}")
        pytest.skip(f"bubblewrap sandbox unavailable and {REQUIRE_SANDBOX_VARIABLE} is unset: {error}")


@pytest.fixture(scope="session")
def open_sandbox() -> Callable[[], Runner]:
    """The function that opens a sandbox runner or skips, for fixtures that need a fresh one."""
    return open_sandbox_or_skip


@pytest.fixture(scope="module")
def sandbox_runner() -> Iterator[Runner]:
    runner = open_sandbox_or_skip()
    yield runner
    runner.close()


@pytest.fixture(scope="module")
def process_runner() -> Iterator[Runner]:
    runner = open_runner("process")
    yield runner
    runner.close()


@pytest.fixture(scope="module", params=["process", "sandbox"])
def any_runner(request: pytest.FixtureRequest) -> Iterator[Runner]:
    """Each runner kind in turn, for behaviour that both must share."""
    runner = open_runner("process") if request.param == "process" else open_sandbox_or_skip()
    yield runner
    runner.close()
