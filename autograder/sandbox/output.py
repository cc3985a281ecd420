"""Capture of a run's stdout and stderr, kept up to a limit."""

from __future__ import annotations

import os


class OutputCapture:
    """Reads a non-blocking pipe and keeps the first ``limit_bytes`` bytes.

    Bytes past the limit are read and counted, so the writer never blocks on a
    full pipe, but they are not kept.
    """

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self._kept = bytearray()
        self.discarded = 0

    def read_available(self, fd: int) -> bool:
        """Read what the pipe holds now; return False once the pipe is closed."""
        while True:
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:
                return True
            except OSError:
                return False
            if not chunk:
                return False
            room = self.limit_bytes - len(self._kept)
            if room > 0:
                self._kept += chunk[:room]
            self.discarded += max(0, len(chunk) - max(room, 0))

    @property
    def truncated(self) -> bool:
        return self.discarded > 0

    def text(self) -> str:
        """Return the kept output as text, with a note when some was cut."""
        text = self._kept.decode("utf-8", errors="replace")
        if self.discarded:
            text += (
                f"\n[output cut: {self.discarded} more bytes were discarded, "
                f"because the limit is {self.limit_bytes // 1024} KB]"
            )
        return text
