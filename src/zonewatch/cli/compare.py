"""``zonewatch compare --official FILE.csv``: AIS vessel counts against official ones, by day."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.table import Table

from zonewatch.cli.common import Format, ingest_files, open_store, out_console, resolve_period
from zonewatch.engine.local import run_report
from zonewatch.events.official import (
    DayComparison,
    compare_days,
    comparison_summary,
    read_official_counts,
)
from zonewatch.vessels.fleets import load_fleet
from zonewatch.zones import load_zone_set

__all__ = ["compare_command", "write_comparison_chart"]

_CSV_COLUMNS = (
    "date",
    "official_contiguous_zone_vessels",
    "ais_contiguous_zone_vessels",
    "contiguous_zone_difference",
    "official_territorial_sea_vessels",
    "ais_territorial_sea_vessels",
    "territorial_sea_difference",
    "verdict",
)


def _csv_text(rows: Sequence[DayComparison]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for row in rows:
        d = row.to_dict()
        writer.writerow([d[c] for c in _CSV_COLUMNS])
    return buffer.getvalue()


def write_comparison_chart(rows: Sequence[DayComparison], title: str, path: Path) -> None:
    """A PNG: official and AIS contiguous-zone and territorial-sea vessels per day."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    dates = [r.date for r in rows]
    legend = [
        Patch(color="#9aa5b1", label="official"),
        Patch(color="#1f77b4", label="AIS, same"),
        Patch(color="#d64545", label="AIS saw fewer"),
        Patch(color="#2ca02c", label="AIS saw more"),
    ]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6.5), dpi=110, sharex=True)
    try:
        for ax, zone, off, ais in (
            (
                top,
                "contiguous zone",
                [r.official_contiguous_zone for r in rows],
                [r.ais_contiguous_zone for r in rows],
            ),
            (
                bottom,
                "territorial sea",
                [r.official_territorial_sea for r in rows],
                [r.ais_territorial_sea for r in rows],
            ),
        ):
            x = np.arange(len(dates))
            colors = [
                "#d64545" if a < o else "#2ca02c" if a > o else "#1f77b4"
                for a, o in zip(ais, off, strict=True)
            ]
            ax.bar(x - 0.2, off, width=0.4, color="#9aa5b1")
            ax.bar(x + 0.2, ais, width=0.4, color=colors)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            step = max(1, len(dates) // 15)
            ax.set_xticks(x[::step], [d.isoformat() for d in dates[::step]])
            ax.set_ylabel(f"vessels in the {zone}")
            ax.grid(True, lw=0.3, alpha=0.5)
            ax.legend(handles=legend, loc="upper left", fontsize=8)
        top.set_title(title, fontsize=10)
        fig.autofmt_xdate()
        fig.tight_layout()
        fig.savefig(path)
    finally:
        plt.close(fig)


def _table(rows: Sequence[DayComparison], summary: dict[str, Any], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for header in ("date", "CZ official", "CZ AIS", "Δ", "TS official", "TS AIS", "Δ", "verdict"):
        table.add_column(header, justify="right" if header != "verdict" else "left")
    for r in rows:
        table.add_row(
            r.date.isoformat(),
            str(r.official_contiguous_zone),
            str(r.ais_contiguous_zone),
            f"{r.contiguous_zone_difference:+d}",
            str(r.official_territorial_sea),
            str(r.ais_territorial_sea),
            f"{r.territorial_sea_difference:+d}",
            r.verdict.replace("_", " "),
        )
    cz, ts = summary["contiguous_zone_vessel_days"], summary["territorial_sea_vessel_days"]
    table.add_section()
    table.add_row(
        "vessel-days",
        str(cz["official"]),
        str(cz["ais"]),
        f"{cz['ais'] - cz['official']:+d}",
        str(ts["official"]),
        str(ts["ais"]),
        f"{ts['ais'] - ts['official']:+d}",
        f"{summary['days_ais_fewer']} fewer, {summary['days_ais_more']} more, "
        f"{summary['days_agree']} agree",
    )
    return table


def compare_command(
    official: Annotated[
        Path,
        typer.Option(
            "--official", help="CSV: date,contiguous_zone_vessels,territorial_sea_vessels."
        ),
    ],
    inputs: Annotated[
        list[Path] | None, typer.Argument(help="NMEA files to ingest first (plain or .gz).")
    ] = None,
    zones: Annotated[
        str, typer.Option("--zones", help="Zone set name or GeoJSON file.")
    ] = "senkaku",
    fleet: Annotated[
        str, typer.Option("--fleet", help="Built-in fleet name or fleet CSV.")
    ] = "china-government",
    date_from: Annotated[
        str | None, typer.Option("--from", help="First local date (default: the table's).")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Last local date (default: the table's).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output on stdout.")] = Format.table,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write comparison CSV, JSON and PNG here.")
    ] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Store file.")] = None,
) -> None:
    """Compare AIS fleet vessel counts with an official daily table, day by day."""
    days = read_official_counts(official)
    zone_set = load_zone_set(zones)
    fleet_def = load_fleet(fleet)
    inputs = list(inputs or [])
    span = (days[0].date, days[-1].date)
    start, end = resolve_period(None, date_from, date_to, span)
    with open_store(db, inputs) as store:
        if inputs:
            ingest_files(store, inputs)
        run = run_report(store, zone_set, fleet_def, start, end, fleet_label=fleet)
    rows = compare_days(days, run.report.days, start, end)
    summary = comparison_summary(rows)
    doc = {
        "official": str(official),
        "zone_set": zone_set.name,
        "timezone": zone_set.timezone,
        "fleet": fleet,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "parameters": run.report.parameters,
        "summary": summary,
        "days": [r.to_dict() for r in rows],
        "notes": [
            "Negative differences: AIS saw fewer fleet vessels than the official count "
            "(ships not transmitting or out of receiver range).",
            f"Days are calendar days in {zone_set.timezone}.",
        ],
    }
    title = f"{fleet} in {zone_set.name}: AIS against {official.name}, {start} to {end}"
    if fmt is Format.json:
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    elif fmt is Format.csv:
        sys.stdout.write(_csv_text(rows))
    else:
        out_console().print(_table(rows, summary, title))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / "comparison.csv", out / "comparison.json", out / "comparison.png"]
        paths[0].write_text(_csv_text(rows), encoding="utf-8")
        paths[1].write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", "utf-8")
        write_comparison_chart(rows, title, paths[2])
        if fmt is Format.table:
            console = out_console()
            console.print("\nWritten:")
            for path in paths:
                console.print(f"  {path}")
