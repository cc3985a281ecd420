"""The grader's handle on the warm template process that forks one child per run."""

from __future__ import annotations

import array
import json
import logging
import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from autograder.errors import SandboxError

logger = logging.getLogger(__name__)

READY_SECONDS = 60.0
REPLY_SECONDS = 30.0
MAX_REPLY_BYTES = 65536


class TemplateBroken(SandboxError):
    """The template process died or sent a reply that makes no sense."""


@dataclass(frozen=True)
class ExitStatus:
    """The end of a child process: its exit code or the signal that killed it."""

    exit_code: int | None
    signal: int | None


@dataclass(frozen=True)
class ChildHandle:
    """The grader's ends of one child's call socket and output pipe."""

    id: int
    channel: socket.socket
    output_fd: int


class Template:
    """A running template process and the control socket to it.

    ``command_for`` builds the command line from the number of the template's
    end of the control socket, which the process inherits.
    """

    def __init__(self, command_for: Callable[[int], list[str]], environment: dict[str, str]) -> None:
        self._next_id = 0
        grader_end, template_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._stderr = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(
                command_for(template_end.fileno()),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._stderr,
                pass_fds=(template_end.fileno(),),
                env=environment,
                close_fds=True,
            )
        except OSError:
            grader_end.close()
            self._stderr.close()
            raise
        finally:
            template_end.close()
        self.control = grader_end
        self.info: dict[str, Any] = {}
        try:
            self.info = self._receive(READY_SECONDS)
        except TemplateBroken:
            self.close()
            raise
        if self.info.get("op") != "ready":
            self.close()
            raise TemplateBroken(f"the sandbox template sent {self.info!r} instead of 'ready'")
        logger.debug("template %d ready: %s", self.process.pid, self.info)

    def stderr_text(self) -> str:
        """Return what the template and bubblewrap wrote to stderr so far."""
        try:
            self._stderr.seek(0)
            return self._stderr.read(65536).decode("utf-8", errors="replace").strip()
        except (OSError, ValueError):
            return ""

    def start_child(self, limits: dict[str, Any]) -> ChildHandle:
        """Fork a child and return the grader's ends of its channel and output pipe."""
        self._next_id += 1
        child_id = self._next_id
        grader_channel, child_channel = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        output_read, output_write = os.pipe()
        try:
            message = json.dumps({"op": "start", "id": child_id, "limits": limits}).encode()
            fds = array.array("i", [child_channel.fileno(), output_write])
            try:
                self.control.sendmsg([message], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)])
            except OSError as error:
                raise self._gone(error) from error
        finally:
            child_channel.close()
            os.close(output_write)
        try:
            reply = self._receive(REPLY_SECONDS)
        except TemplateBroken:
            grader_channel.close()
            os.close(output_read)
            raise
        if reply.get("op") != "started" or reply.get("id") != child_id:
            grader_channel.close()
            os.close(output_read)
            raise TemplateBroken(f"the sandbox template could not start a child: {reply!r}")
        os.set_blocking(output_read, False)
        grader_channel.setblocking(False)
        return ChildHandle(child_id, grader_channel, output_read)

    def kill_child(self, child_id: int) -> None:
        """Kill a child and everything it started, without waiting until they are gone."""
        self._request({"op": "kill", "id": child_id}, child_id)

    def wait_child(self, child_id: int, seconds: float) -> ExitStatus | None:
        """Wait up to ``seconds`` for a child to exit; return None if it still runs."""
        reply = self._request({"op": "wait", "id": child_id, "seconds": seconds}, child_id)
        if reply.get("op") == "running":
            return None
        return self._exit_status(reply)

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """Stop the template; bubblewrap then ends every process inside it."""
        try:
            self.control.close()
        except OSError:
            pass
        if self.process.poll() is None:
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stderr.close()

    def _request(self, message: dict[str, Any], child_id: int) -> dict[str, Any]:
        try:
            self.control.sendall(json.dumps(message).encode())
        except OSError as error:
            raise self._gone(error) from error
        reply = self._receive(REPLY_SECONDS + float(message.get("seconds", 0.0)))
        if reply.get("id") != child_id or reply.get("op") not in ("exited", "running", "killed"):
            raise TemplateBroken(f"unexpected reply from the sandbox template: {reply!r}")
        return reply

    def _receive(self, seconds: float) -> dict[str, Any]:
        self.control.settimeout(seconds)
        started = time.monotonic()
        try:
            data = self.control.recv(MAX_REPLY_BYTES)
        except TimeoutError as error:
            raise TemplateBroken(f"the sandbox template did not reply within {seconds:.0f} s") from error
        except OSError as error:
            raise self._gone(error) from error
        if not data:
            raise self._gone(None)
        logger.debug("template reply after %.1f ms: %s", (time.monotonic() - started) * 1000, data[:200])
        try:
            reply = json.loads(data.decode("utf-8"))
        except ValueError as error:
            raise TemplateBroken(f"the sandbox template sent invalid JSON: {data[:200]!r}") from error
        if type(reply) is not dict:
            raise TemplateBroken(f"the sandbox template sent {reply!r}")
        return reply

    def _gone(self, error: OSError | None) -> TemplateBroken:
        """Describe a template that closed its control socket, with its stderr."""
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        detail = self.stderr_text()
        reason = f" ({error})" if error is not None else ""
        return TemplateBroken(
            f"the sandbox template exited with status {self.process.returncode}{reason}"
            + (f": {detail[-2000:]}" if detail else "")
        )

    @staticmethod
    def _exit_status(reply: dict[str, Any]) -> ExitStatus:
        return ExitStatus(exit_code=reply.get("exit_code"), signal=reply.get("signal"))
