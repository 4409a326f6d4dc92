"""``zonewatch report``: Coast-Guard-style counts for a zone set, a fleet and a period."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from zonewatch.cli.common import Format, ingest_files, open_store, out_console, resolve_period
from zonewatch.engine.local import ReportRun, run_report
from zonewatch.report.export import to_csv, to_json, write_days_csv, write_incidents_csv
from zonewatch.report.text import render_table
from zonewatch.store import Store
from zonewatch.vessels.fleets import load_fleet
from zonewatch.zones import ZoneSet, load_zone_set

__all__ = ["emit", "local_span", "report_command", "write_outputs"]


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
) -> None:
    """Count days, vessel-days and intrusion incidents of a fleet in a zone set."""
    zone_set = load_zone_set(zones)
    fleet_def = load_fleet(fleet)
    inputs = list(inputs or [])
    with open_store(db, inputs) as store:
        if inputs:
            ingest_files(store, inputs)
        start, end = resolve_period(year, date_from, date_to, local_span(store, zone_set.timezone))
        run = run_report(store, zone_set, fleet_def, start, end, fleet_label=fleet)
    emit(run, fmt)
    if out is not None:
        paths = write_outputs(run, zone_set, out)
        console = out_console() if fmt is Format.table else None
        if console is not None:
            console.print("\nWritten:")
            for path in paths:
                console.print(f"  {path}")


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
