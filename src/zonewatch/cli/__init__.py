"""The ``zonewatch`` command line.

Exit codes: 0 ok; 1 usage, input or I/O error (one line on stderr, never a
traceback); 2 finished, but input lines were rejected and ``--strict`` was given.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from zonewatch.cli import compare as compare_cli
from zonewatch.cli import decode as decode_cli
from zonewatch.cli import demo, events, ingest, report
from zonewatch.cli import evidence as evidence_cli
from zonewatch.cli import vessels as vessels_cli
from zonewatch.cli import zones as zones_cli
from zonewatch.cli.common import EXIT_ERROR, EXIT_OK
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
app.command("decode")(decode_cli.decode_command)
app.command("report")(report.report_command)
app.command("events")(events.events_command)
app.command("evidence")(evidence_cli.evidence_command)
app.command("compare")(compare_cli.compare_command)
app.command("demo")(demo.demo_command)
app.command("vessels")(vessels_cli.vessels_command)
app.add_typer(zones_cli.app, name="zones")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = app(args=args, prog_name="zonewatch", standalone_mode=False)
    except ZonewatchError as err:
        return _fail(str(err))
    except OSError as err:
        return _fail(str(err))
    except typer.Exit as err:
        return int(err.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        return _fail("interrupted")
    except Exception as err:  # the CLI top level: one line, never a traceback
        format_message = getattr(err, "format_message", None)
        if callable(format_message):  # usage errors of the argument parser
            return _fail(str(format_message()))
        return _fail(f"internal error: {type(err).__name__}: {err}")
    if isinstance(result, int):
        return result
    return EXIT_OK


def _fail(message: str) -> int:
    # plain write: one line, never wrapped to the terminal width
    sys.stderr.write(f"zonewatch: error: {message}\n")
    return EXIT_ERROR


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
