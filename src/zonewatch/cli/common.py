"""Helpers shared by the subcommands: consoles, exit codes, input handling, periods."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from enum import StrEnum
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from zonewatch.errors import ParameterError
from zonewatch.sources.accounting import Accounting
from zonewatch.sources.detect import SourceFormat, detect_format, read_source
from zonewatch.sources.files import file_id
from zonewatch.sources.inputs import STDIN, STDIN_NAME, expand_inputs, stdin_copy, with_path
from zonewatch.sources.nmea_file import NMEABatch, NMEAStream, iter_nmea
from zonewatch.store import Store, temporary_store

__all__ = [
    "DEFAULT_DB",
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_REJECTED",
    "Format",
    "err_console",
    "ingest_files",
    "open_store",
    "out_console",
    "resolve_period",
]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_REJECTED = 2
DEFAULT_DB = Path("zonewatch.duckdb")


class Format(StrEnum):
    """Output formats of ``report``."""

    table = "table"
    json = "json"
    csv = "csv"


def err_console() -> Console:
    """Console for diagnostics (stderr)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def out_console() -> Console:
    """Console for data (stdout); wide enough for tables when not a terminal."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 110)


def ingest_files(
    store: Store,
    paths: Sequence[Path],
    *,
    columns: Mapping[str, str] | None = None,
    time_format: str | None = None,
) -> list[tuple[Path, Accounting, bool]]:
    """Detect, read and store each input; return ``(path, accounting, stored_now)`` per file.

    Directories are expanded to the files inside them (recursively, sorted,
    hidden files skipped) and ``-`` reads standard input. Every input's format
    is detected (NMEA, a CSV layout, Parquet, GeoPackage; plain or compressed)
    before any is read, so a missing, binary or unrecognised file fails the
    command before anything is written. ``columns`` and ``time_format`` map the
    columns of CSV files of other layouts (see
    :func:`zonewatch.sources.csv_file.read_csv`).
    """
    console = err_console()
    results = []
    with ExitStack() as stack:
        planned: list[tuple[Path, Path, SourceFormat]] = []
        for path in expand_inputs(paths):
            if str(path) == STDIN:
                actual, shown = stack.enter_context(stdin_copy()), Path(STDIN_NAME)
            else:
                actual, shown = path, path
            planned.append((shown, actual, detect_format(actual, columns=columns)))
        for shown, actual, source_format in planned:
            progress = _progress(console, shown, source_format)
            with progress or _null():
                results.append(
                    (
                        shown,
                        *_ingest_one(
                            store, actual, shown, source_format, columns, time_format, progress
                        ),
                    )
                )
    return results


def _progress(console: Console, shown: Path, source_format: SourceFormat) -> Progress | None:
    """A progress display for one input on a terminal (None when stderr is not a terminal).

    NMEA inputs are read in batches: a bar over the bytes read (over the
    file's size when it is not compressed). Other formats are read at once: a
    spinner.
    """
    if not console.is_terminal:
        return None
    columns: list[ProgressColumn] = [SpinnerColumn(), TextColumn("{task.description}")]
    if source_format == "nmea":
        columns += [BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn()]
    return Progress(*columns, console=console, transient=True)


def _with_progress(stream: NMEAStream, progress: Progress, shown: Path) -> Iterator[NMEABatch]:
    """The batches of ``stream``, advancing a bar over the bytes read."""
    task = progress.add_task(f"reading {shown} (nmea)", total=stream.size_bytes)
    for batch in stream:
        progress.update(task, completed=stream.bytes_read)
        yield batch
    progress.update(task, completed=stream.bytes_read)


def _ingest_one(
    store: Store,
    actual: Path,
    shown: Path,
    source_format: SourceFormat,
    columns: Mapping[str, str] | None,
    time_format: str | None,
    progress: Progress | None = None,
) -> tuple[Accounting, bool]:
    """Store one input unless its content is there already; NMEA is streamed in batches."""
    content_id = file_id(actual)
    known = store.file_accounting(content_id)
    if known is not None:
        return known, False
    if source_format == "nmea":
        stream = iter_nmea(actual, file_id=content_id)  # hashed once, above
        batches = stream if progress is None else _with_progress(stream, progress, shown)
        stored = store.add_batches(stream.file_id, str(shown), batches, lambda: stream.accounting)
        assert stream.accounting is not None
        return stream.accounting, stored
    if progress is not None:
        progress.add_task(f"reading {shown} ({source_format})", total=None)
    decoded = read_source(actual, source_format, columns=columns, time_format=time_format)
    if actual != shown:
        decoded = with_path(decoded, str(shown))
    return decoded.accounting, store.add(decoded)


@contextmanager
def _null() -> Iterator[None]:
    yield


@contextmanager
def open_store(db: Path | None, inputs: Sequence[Path]) -> Iterator[Store]:
    """The store to report from: ``db`` (default ./zonewatch.duckdb) or a temporary one.

    With inputs and no ``db``, the inputs are ingested into a temporary store;
    with neither, the default store must exist.
    """
    if db is None and inputs:
        with temporary_store() as store:
            yield store
        return
    path = db or DEFAULT_DB
    if not inputs and not path.exists():
        raise ParameterError(
            f"{path}: no such store; give input files or ingest first"
            f" (zonewatch ingest FILE --db {path})"
        )
    with Store(path) as store:
        yield store


def _parse_date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise ParameterError(f"{option} {text!r} is not a date (YYYY-MM-DD)") from err


def resolve_period(
    year: int | None,
    date_from: str | None,
    date_to: str | None,
    data_span: tuple[dt.date, dt.date] | None,
) -> tuple[dt.date, dt.date]:
    """The inclusive period of local dates from ``--year`` or ``--from``/``--to``.

    Without either, the span of the data; a missing end of ``--from``/``--to``
    is taken from the data too.
    """
    if year is not None and (date_from or date_to):
        raise ParameterError("give either --year or --from/--to, not both")
    if year is not None:
        if not 1980 <= year <= 2100:
            raise ParameterError(f"--year {year} is out of range")
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    start = _parse_date(date_from, "--from") if date_from else None
    end = _parse_date(date_to, "--to") if date_to else None
    if start is not None and end is not None and start > end:
        raise ParameterError(f"--from {start} is after --to {end}")
    if start is None or end is None:
        if data_span is None:
            raise ParameterError("the store holds no positions: nothing to report")
        start = start or data_span[0]
        end = end or data_span[1]
        if start > end:
            raise ParameterError(f"the period {start} .. {end} is empty")
    return start, end
