"""``zonewatch report``: Coast-Guard-style counts for a zone set, a fleet and a period."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import polars as pl
import typer

from zonewatch.cli.common import Format, ingest_files, open_store, out_console, resolve_period
from zonewatch.engine.executors import DaskExecutor, Executor, LocalExecutor
from zonewatch.engine.report import ReportRun, run_report
from zonewatch.errors import ParameterError
from zonewatch.report.export import to_csv, to_json, write_days_csv, write_incidents_csv
from zonewatch.report.text import render_table
from zonewatch.store import Store
from zonewatch.vessels.fleets import load_fleet
from zonewatch.zones import ZoneSet, load_zone_set

__all__ = [
    "Engine",
    "emit",
    "local_span",
    "make_executor",
    "report_command",
    "write_frame",
    "write_outputs",
]


class Engine(StrEnum):
    """Where the report's tiles run."""

    local = "local"
    dask = "dask"


def report_command(
    inputs: Annotated[
        list[Path] | None, typer.Argument(help="NMEA files to ingest first (plain or .gz).")
    ] = None,
    zones: Annotated[
        str, typer.Option("--zones", help="Zone set name or GeoJSON file.")
    ] = "senkaku",
    fleet: Annotated[
        str, typer.Option("--fleet", help="Built-in fleet name or fleet CSV (mmsi,category,name).")
    ] = "china-government",
    year: Annotated[int | None, typer.Option("--year", help="Report one calendar year.")] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="First local date, YYYY-MM-DD.")
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last local date, inclusive.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output on stdout.")] = Format.table,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Also write JSON, CSV, PNG chart and HTML map here."),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", help="Store file (default ./zonewatch.duckdb, or temporary with INPUT)."
        ),
    ] = None,
    engine: Annotated[
        Engine, typer.Option("--engine", help="Run tiles here (local) or on Dask (dask).")
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (tcp://host:8786); default: a new LocalCluster.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            help="Worker processes (default: 1 for small data, else every core).",
            min=1,
        ),
    ] = None,
    buckets: Annotated[
        int | None,
        typer.Option("--buckets", help="MMSI buckets (default: from the data size).", min=1),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Recompute every tile; store nothing.")
    ] = False,
    zone_events_path: Annotated[
        Path | None,
        typer.Option(
            "--zone-events",
            help="Write every vessel's zone entries and exits (.csv, .parquet or .jsonl).",
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or messages on stderr.")
    ] = False,
) -> None:
    """Count days, vessel-days and intrusion incidents of a fleet in a zone set."""
    zone_set = load_zone_set(zones)
    fleet_def = load_fleet(fleet)
    inputs = list(inputs or [])
    with open_store(db, inputs) as store:
        if inputs:
            ingest_files(store, inputs)
        start, end = resolve_period(year, date_from, date_to, local_span(store, zone_set.timezone))
        with make_executor(engine, scheduler, workers) as executor:
            run = run_report(
                store,
                zone_set,
                fleet_def,
                start,
                end,
                fleet_label=fleet,
                executor=executor,
                buckets=buckets,
                cache=not no_cache,
                progress=not quiet and sys.stderr.isatty(),
            )
    if zone_events_path is not None:
        write_frame(run.zone_events, zone_events_path)
    emit(run, fmt)
    if out is not None:
        paths = write_outputs(run, zone_set, out)
        console = out_console() if fmt is Format.table else None
        if console is not None:
            console.print("\nWritten:")
            for path in paths:
                console.print(f"  {path}")


@contextmanager
def make_executor(
    engine: Engine, scheduler: str | None, workers: int | None
) -> Iterator[Executor | None]:
    """The executor for ``--engine`` (None: the report chooses a local one), closed afterwards."""
    if engine is Engine.local and scheduler is not None:
        raise ParameterError("--scheduler needs --engine dask")
    executor: Executor | None = None
    if engine is Engine.dask:
        executor = DaskExecutor(scheduler, workers)
    elif workers is not None:
        executor = LocalExecutor(workers)
    try:
        yield executor
    finally:
        if executor is not None:
            executor.close()


def write_frame(frame: pl.DataFrame, path: Path) -> None:
    """Write a table as CSV, Parquet or JSON lines, by the file's extension."""
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        frame.write_parquet(path)
    elif suffix in {".jsonl", ".ndjson"}:
        frame.write_ndjson(path)
    elif suffix == ".csv":
        frame.write_csv(path)
    else:
        raise ParameterError(f"{path}: use a .csv, .parquet or .jsonl file")


def emit(run: ReportRun, fmt: Format) -> None:
    """Print the report on stdout in ``fmt``."""
    if fmt is Format.json:
        sys.stdout.write(to_json(run.report))
    elif fmt is Format.csv:
        sys.stdout.write(to_csv(run.report))
    else:
        render_table(run.report, out_console())


def local_span(store: Store, timezone: str) -> tuple[dt.date, dt.date] | None:
    """First and last local date of the positions in the store, or None when it has none."""
    span = store.time_span()
    if span is None:
        return None
    tz = ZoneInfo(timezone)
    return span[0].astimezone(tz).date(), span[1].astimezone(tz).date()


def write_outputs(run: ReportRun, zone_set: ZoneSet, out: Path) -> list[Path]:
    """Write report.json, report.csv, incidents.csv, days.csv, monthly.png and map.html."""
    from zonewatch.report.chart import write_monthly_chart
    from zonewatch.report.html_map import write_map

    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out / "report.json",
        "csv": out / "report.csv",
        "incidents": out / "incidents.csv",
        "days": out / "days.csv",
        "chart": out / "monthly.png",
        "map": out / "map.html",
    }
    paths["json"].write_text(to_json(run.report), encoding="utf-8")
    paths["csv"].write_text(to_csv(run.report), encoding="utf-8")
    write_incidents_csv(run.report, paths["incidents"])
    write_days_csv(run.report, paths["days"])
    write_monthly_chart(run.report, paths["chart"])
    write_map(run.report, zone_set, run.fleet_fixes, paths["map"])
    return list(paths.values())
