"""The ``autograder`` command line: grade, check, validate and template.

Each command is a thin wrapper over a library function. Errors that the user
can fix (a bad path, a broken spec, no sandbox) print one line and exit with
code 2; tracebacks appear only with ``--debug``.
"""

from __future__ import annotations

import enum
import logging
import os
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from autograder import __version__
from autograder.errors import AutograderError, SandboxUnavailable

logger = logging.getLogger("autograder")


class ExitCode(enum.IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    INTERNAL = 3


# The exit status of a command stopped with Ctrl-C, as shells report SIGINT (128 + 2).
INTERRUPTED = 130


def exit_code_for(error: BaseException) -> ExitCode:
    """Map an exception that reached the top to the process exit code."""
    if isinstance(error, (AutograderError, click.UsageError)):
        return ExitCode.USAGE
    return ExitCode.INTERNAL


class _Group(click.Group):
    """A click group that turns package errors into one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.UsageError):
            raise
        except KeyboardInterrupt:
            # grade reports what it kept itself. This handles an interrupt
            # anywhere else, such as while the spec loads.
            click.echo("autograder: interrupted", err=True)
            ctx.exit(INTERRUPTED)
        except AutograderError as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"autograder: error: {error}", err=True)
            ctx.exit(exit_code_for(error))
        except Exception as error:  # noqa: BLE001 - last resort at the top of the program
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                f"autograder: unexpected error: {type(error).__name__}: {error} (run with --debug for the traceback)",
                err=True,
            )
            ctx.exit(ExitCode.INTERNAL)


def _configure_logging(verbosity: int) -> None:
    level = logging.WARNING - 10 * min(verbosity, 2)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("autograder: %(levelname)s: %(message)s"))
    root = logging.getLogger("autograder")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="autograder")
@click.option("-v", "--verbose", count=True, help="Log more: -v for progress notes, -vv for debugging detail.")
@click.option("--debug", is_flag=True, help="Show full tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, debug: bool) -> None:
    """Grade homework against YAML problem specs."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["verbosity"] = verbose
    _configure_logging(verbose + (2 if debug else 0))


def _spec_argument() -> Any:
    return click.argument("spec", type=click.Path(path_type=Path, dir_okay=False))


def _raise_verbosity(ctx: click.Context, _param: click.Parameter, count: int) -> None:
    if count:
        ctx.ensure_object(dict)
        level = ctx.obj.get("verbosity", 0) + count
        ctx.obj["verbosity"] = level
        _configure_logging(level + (2 if ctx.obj.get("debug") else 0))


def _enable_debug(ctx: click.Context, _param: click.Parameter, debug: bool) -> None:
    if debug:
        ctx.ensure_object(dict)
        ctx.obj["debug"] = True
        _configure_logging(ctx.obj.get("verbosity", 0) + 2)


def _logging_options(command: Any) -> Any:
    """Accept -v and --debug after the command name too, as in ``autograder check -v``."""
    command = click.option(
        "--debug", is_flag=True, expose_value=False, is_eager=True, callback=_enable_debug, help="Show full tracebacks for errors."
    )(command)
    return click.option(
        "-v",
        "--verbose",
        count=True,
        expose_value=False,
        is_eager=True,
        callback=_raise_verbosity,
        help="Log more: -v for progress notes, -vv for debugging detail.",
    )(command)


def _open_runner(*, sandbox: bool, required: bool) -> Any:
    """Open the runner for student code.

    With ``required``, a missing sandbox is an error (grading others' code);
    otherwise the student's own code runs in a plain child process, with a note.
    """
    from autograder.sandbox import open_runner

    if not sandbox:
        logger.warning("running student code WITHOUT a sandbox (--no-sandbox): only do this for code you trust")
        return open_runner("process")
    try:
        return open_runner("sandbox")
    except SandboxUnavailable:
        if required:
            raise
        logger.info("no sandbox available; running your code in a plain child process with time limits")
        return open_runner("process")


GRADESCOPE_VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")


@cli.command()
@_spec_argument()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Output: a table of scores, a JSON array of results, or a CSV gradebook.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the output to this file instead of standard output.")
@click.option("--csv", "csv_file", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE", help="Also write the gradebook CSV (student, total, max_score, status, one column per part) to FILE.")
@click.option("--json", "json_file", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE", help="Also write the results as a JSON array to FILE.")
@click.option("--gradescope", "gradescope_file", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE", help="Write Gradescope's results.json for the one submission in PATHS to FILE.")
@click.option(
    "--gradescope-visibility",
    type=click.Choice(GRADESCOPE_VISIBILITIES),
    default="visible",
    show_default=True,
    help="When students may see the tests in the Gradescope results.",
)
@click.option("--feedback-dir", type=click.Path(path_type=Path, file_okay=False), metavar="DIR", help="Write one Markdown feedback file per submission into DIR.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N", help="Number of worker processes that grade in parallel.  [default: the number of CPUs]")
@click.option(
    "--gradebook",
    "gradebook_file",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="SQLite file that records every result, so that a rerun grades only what is new or changed.  [default: <spec name>.gradebook.sqlite3 beside SPEC]",
)
@click.option("--force", is_flag=True, help="Regrade every submission, even those recorded in the gradebook for the same spec and content.")
@click.option("-q", "--quiet", is_flag=True, help="Show no progress and no summary.")
@click.option("--no-sandbox", is_flag=True, help="Run student code without the bubblewrap sandbox. Only for code you trust.")
@_logging_options
def grade(
    spec: Path,
    paths: tuple[Path, ...],
    output_format: str,
    output: Path | None,
    csv_file: Path | None,
    json_file: Path | None,
    gradescope_file: Path | None,
    gradescope_visibility: str,
    feedback_dir: Path | None,
    jobs: int | None,
    gradebook_file: Path | None,
    force: bool,
    quiet: bool,
    no_sandbox: bool,
) -> None:
    """Grade every submission in PATHS against SPEC, in parallel.

    A PATH is a submission folder or .zip file, or a folder of them (such as
    an LMS or Gradescope export with one folder or archive per student).
    Results go to a gradebook file as they are graded: run the same command
    again after an interruption and it grades only what is missing, or what
    changed since (a submission's files, or parts of the spec).

    Exits with 1 when the grader or the sandbox failed on some submission,
    or a checker (a property check of the spec, say) failed on some answer.
    The outputs are written anyway, with the reason in the status column.
    """
    from autograder import batch
    from autograder.batch.progress import progress_for
    from autograder.errors import UsageError
    from autograder.loader import load_problem_set

    problem_set = load_problem_set(spec)
    markers = [problem_set.header.submission.answers]
    if problem_set.module_file:
        markers.append(problem_set.module_file)
    items = batch.find_batch_items(paths, markers)
    if gradescope_file is not None and len(items) != 1:
        raise UsageError(
            f"--gradescope writes the results of one submission, but PATHS hold {len(items)}; "
            "give the one submission folder (on Gradescope: /autograder/submission)"
        )

    if no_sandbox and problem_set.code_parts:
        logger.warning("running student code WITHOUT a sandbox (--no-sandbox): only do this for code you trust")
    options = batch.BatchOptions(
        gradebook=gradebook_file or _default_gradebook(spec),
        jobs=jobs or _cpu_count(),
        runner_kind="process" if no_sandbox else "sandbox",
        force=force,
    )
    console = Console(stderr=True)
    if not console.is_terminal:
        # Logs have no terminal width; 120 columns keep the summary's tables unwrapped.
        console = Console(stderr=True, width=120)
    progress = progress_for(console, quiet=quiet)
    with batch.Gradebook(options.gradebook) as gradebook:
        try:
            stats = batch.grade_batch(problem_set, items, gradebook, options, progress)
        except KeyboardInterrupt:
            progress.close()
            click.echo(
                f"autograder: interrupted; every result graded so far is saved in {options.gradebook}. "
                "Run the same command again to grade the rest.",
                err=True,
            )
            raise SystemExit(INTERRUPTED) from None
        progress.close()

        sinks = _batch_sinks(
            problem_set,
            items,
            output_format=output_format,
            output=output,
            csv_file=csv_file,
            json_file=json_file,
            gradescope_file=gradescope_file,
            gradescope_visibility=gradescope_visibility,
            feedback_dir=feedback_dir,
        )
        summary = batch.SummaryBuilder(problem_set)
        try:
            batch.write_outputs(problem_set, items, gradebook, sinks, summary)
        except KeyboardInterrupt:
            click.echo(
                f"autograder: interrupted while writing the outputs; every result is saved in {options.gradebook}. "
                "Run the same command again to write them.",
                err=True,
            )
            raise SystemExit(INTERRUPTED) from None

    built = summary.build(stats)
    if not quiet:
        console.print(batch.render_summary(built))
    if stats.failed or "grader error" in built.failures:
        raise SystemExit(ExitCode.FAILED)


def _default_gradebook(spec: Path) -> Path:
    """Return the default gradebook file: beside the spec, named after it."""
    return spec.with_name(f"{spec.stem}.gradebook.sqlite3")


def _cpu_count() -> int:
    """Return the number of CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _batch_sinks(
    problem_set: Any,
    items: Any,
    *,
    output_format: str,
    output: Path | None,
    csv_file: Path | None,
    json_file: Path | None,
    gradescope_file: Path | None,
    gradescope_visibility: str,
    feedback_dir: Path | None,
) -> list[Any]:
    """Build the outputs of ``grade``: the main one (by ``--format``) first, then the extra files."""
    from autograder.batch import outputs

    stdout = sys.stdout
    sinks: list[Any] = []
    if output_format == "json":
        sinks.append(outputs.JsonSink(output, stdout))
    elif output_format == "csv":
        sinks.append(outputs.CsvSink(problem_set, output, stdout))
    else:
        sinks.append(outputs.TableSink(problem_set, output, Console(soft_wrap=False, file=stdout)))
    if csv_file is not None:
        sinks.append(outputs.CsvSink(problem_set, csv_file))
    if json_file is not None:
        sinks.append(outputs.JsonSink(json_file))
    if gradescope_file is not None:
        sinks.append(outputs.GradescopeSink(problem_set, gradescope_file, gradescope_visibility))  # type: ignore[arg-type]
    if feedback_dir is not None:
        sinks.append(outputs.FeedbackSink(problem_set, feedback_dir, [item.name for item in items]))
    return sinks


@cli.command()
@_spec_argument()
@click.argument("submission", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output: a readable report or the JSON result.",
)
@click.option("--no-sandbox", is_flag=True, help="Run your code in a plain child process even if a sandbox is available.")
@_logging_options
def check(spec: Path, submission: Path, output_format: str, no_sandbox: bool) -> None:
    """Check one SUBMISSION (your own work) against SPEC, part by part.

    Hidden test cases are not run; they count only when the course grades.
    """
    from autograder import reports
    from autograder.errors import UsageError
    from autograder.grading import grade_path
    from autograder.loader import load_problem_set

    problem_set = load_problem_set(spec)
    if not submission.exists():
        raise UsageError(f"{submission}: no such file or folder")
    if not submission.is_dir() and submission.suffix.lower() != ".zip":
        raise UsageError(f"{submission}: not a submission folder or .zip file")
    runner = _open_runner(sandbox=not no_sandbox, required=False) if problem_set.code_parts else None
    try:
        result = grade_path(problem_set, submission, runner=runner, include_hidden=False)
    finally:
        if runner is not None:
            runner.close()
    if output_format == "json":
        _emit(reports.results_json([result]), None)
    else:
        _emit_rich(reports.check_view(result, problem_set), None)


@cli.command()
@_spec_argument()
@_logging_options
def validate(spec: Path) -> None:
    """Load SPEC and prove its reference answers earn full marks.

    Also grades an empty submission, which must earn nothing, and checks that
    no listed mistake is accepted. Exits 1 if any check fails.
    """
    from autograder.loader import load_problem_set
    from autograder.reports import format_score
    from autograder.validation import validate_problem_set

    problem_set = load_problem_set(spec)
    runner = _open_runner(sandbox=True, required=False) if problem_set.code_parts else None
    try:
        report = validate_problem_set(problem_set, runner=runner)
    finally:
        if runner is not None:
            runner.close()

    click.echo(f"{spec}: {len(problem_set.parts)} parts, {format_score(problem_set.max_score)} points")
    click.echo(f"reference answers: {format_score(report.reference.score)}/{format_score(report.reference.max_score)}")
    click.echo(f"empty submission: {format_score(report.empty.score)}/{format_score(report.empty.max_score)}")
    for problem in report.problems:
        click.echo(f"problem: {problem}")
    if not report.ok:
        click.echo(f"{spec}: {len(report.problems)} problem(s) found", err=True)
        raise SystemExit(ExitCode.FAILED)
    click.echo(f"{spec}: valid")


@cli.command()
@_spec_argument()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the template to this file instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@_logging_options
def template(spec: Path, output: Path | None, force: bool) -> None:
    """Write a blank answers file for SPEC, with each part's prompt and
    expected form as comments."""
    from autograder.errors import UsageError
    from autograder.loader import load_problem_set
    from autograder.template import answers_template

    problem_set = load_problem_set(spec)
    if output is not None and output.exists() and not force:
        raise UsageError(f"{output} exists; use --force to overwrite it")
    _emit(answers_template(problem_set), output)


def _emit(text: str, output: Path | None) -> None:
    from autograder.errors import UsageError

    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror or error}") from None
    logger.info("wrote %s", output)


def _emit_rich(renderable: Any, output: Path | None) -> None:
    if output is None:
        Console(soft_wrap=False).print(renderable)
        return
    console = Console(record=True, width=120)
    with console.capture() as captured:
        console.print(renderable)
    _emit(captured.get(), output)


def main() -> None:
    """Entry point of the ``autograder`` console script."""
    cli(prog_name="autograder")


if __name__ == "__main__":
    main()
