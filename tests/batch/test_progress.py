"""Progress reporting: plain lines for logs, nothing when quiet, a bar on a terminal."""

from __future__ import annotations

import io

from rich.console import Console

from autograder.batch.progress import BarProgress, PlainProgress, SilentProgress, progress_for


def test_plain_lines_per_tenth():
    stream = io.StringIO()
    progress = PlainProgress(stream, interval=3600)
    progress.start_phase("Grading", 100)
    for number in range(100):
        progress.advance(failed=number % 25 == 0)
    progress.finish_phase()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 10
    assert lines[0].startswith("autograder: Grading: 10/100 (10%), ")
    assert "1 failed" in lines[0]
    assert "left" in lines[0]
    assert lines[-1].startswith("autograder: Grading: 100 done in ")
    assert lines[-1].endswith(", 4 failed")


def test_plain_short_phase_gets_one_line():
    stream = io.StringIO()
    progress = PlainProgress(stream, interval=3600)
    progress.start_phase("Reading", 5)
    for _ in range(5):
        progress.advance()
    progress.finish_phase()
    assert stream.getvalue().count("\n") == 1


def test_plain_empty_phase_is_silent():
    stream = io.StringIO()
    progress = PlainProgress(stream)
    progress.start_phase("Judging answers", 0)
    progress.finish_phase()
    assert stream.getvalue() == ""


def test_plain_counts_batches_of_items():
    stream = io.StringIO()
    progress = PlainProgress(stream, interval=3600)
    progress.start_phase("Judging answers", 128)
    progress.advance(64)
    progress.advance(64, failed=True)
    progress.finish_phase()
    assert stream.getvalue().splitlines()[-1].startswith("autograder: Judging answers: 128 done in ")
    assert stream.getvalue().splitlines()[-1].endswith(", 64 failed")


def test_reporter_choice():
    plain = Console(file=io.StringIO(), force_terminal=False)
    terminal = Console(file=io.StringIO(), force_terminal=True)
    assert isinstance(progress_for(plain, quiet=True), SilentProgress)
    assert isinstance(progress_for(plain, quiet=False), PlainProgress)
    bar = progress_for(terminal, quiet=False)
    assert isinstance(bar, BarProgress)
    bar.close()


def test_bar_shows_count_and_failures():
    output = io.StringIO()
    console = Console(file=output, force_terminal=True, width=120)
    bar = BarProgress(console)
    bar.start_phase("Grading", 4)
    bar.advance()
    bar.advance(failed=True)
    bar.finish_phase()
    bar.close()
    text = output.getvalue()
    assert "Grading" in text
    assert "2/4" in text
    assert "1 failed" in text
