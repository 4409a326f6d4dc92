"""The ``zonewatch`` command line.

Exit codes: 0 ok; 1 usage, input or I/O error (one line on stderr, never a
traceback); 2 finished, but input lines were rejected and ``--strict`` was given.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click
import typer

from zonewatch.cli import demo, events, ingest, report
from zonewatch.cli.common import EXIT_ERROR, EXIT_OK, err_console
from zonewatch.errors import ZonewatchError

__all__ = ["app", "main", "run"]

app = typer.Typer(
    name="zonewatch",
    help="Statistics and evidence of government vessel activity in disputed maritime zones.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("ingest")(ingest.ingest_command)
app.command("report")(report.report_command)
app.command("events")(events.events_command)
app.command("demo")(demo.demo_command)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = app(args=args, prog_name="zonewatch", standalone_mode=False)
    except ZonewatchError as err:
        err_console().print(f"zonewatch: error: {err}", markup=False, highlight=False)
        return EXIT_ERROR
    except click.exceptions.Abort:
        err_console().print("zonewatch: aborted", markup=False)
        return EXIT_ERROR
    except click.ClickException as err:
        err_console().print(f"zonewatch: error: {err.format_message()}", markup=False)
        return EXIT_ERROR
    except OSError as err:
        err_console().print(f"zonewatch: error: {err}", markup=False, highlight=False)
        return EXIT_ERROR
    except KeyboardInterrupt:
        err_console().print("zonewatch: interrupted", markup=False)
        return EXIT_ERROR
    if isinstance(result, int):
        return result
    return EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
