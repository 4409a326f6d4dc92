"""``zonewatch demo``: simulate a year around the Senkaku Islands, ingest it and report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from zonewatch.cli.common import err_console, ingest_files, out_console
from zonewatch.cli.report import write_outputs
from zonewatch.engine.local import run_report
from zonewatch.report.text import render_table
from zonewatch.sim import SimConfig, simulate
from zonewatch.store import Store
from zonewatch.vessels.fleets import load_fleet
from zonewatch.zones import load_zone_set

__all__ = ["demo_command"]


def demo_command(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the data, store and report.")
    ] = Path("demo-output"),
    year: Annotated[int, typer.Option("--year", help="Simulated calendar year.")] = 2024,
    days: Annotated[
        int | None, typer.Option("--days", help="Simulate only this many days from 1 January.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the simulation.")] = 0,
) -> None:
    """Simulate traffic, ingest it into a fresh store and write the yearly report."""
    start = dt.date(year, 1, 1)
    n_days = days if days is not None else (dt.date(year + 1, 1, 1) - start).days
    end = start + dt.timedelta(days=n_days - 1)
    out.mkdir(parents=True, exist_ok=True)
    console = err_console()
    console.print(f"simulating {n_days} days from {start} (seed {seed}) ...")
    sim = simulate(SimConfig(start=start, days=n_days, seed=seed), out / "sim")
    db = out / "zonewatch.duckdb"
    if db.exists():
        db.unlink()
    console.print(f"ingesting {sim.nmea_path} ({sim.n_lines:,} lines) into {db} ...")
    with Store(db) as store:
        ingest_files(store, [sim.nmea_path])
        zone_set = load_zone_set("senkaku")
        console.print("computing the report ...")
        run = run_report(store, zone_set, load_fleet("china-government"), start, end)
    stdout = out_console()
    render_table(run.report, stdout)
    truth = sim.truth
    planned_cz = sum(1 for cz, _ts in truth.days.values() if cz)
    stdout.print(
        f"\nSimulator ground truth: {planned_cz} contiguous-zone days, "
        f"{len(truth.incidents)} intrusion incidents planned."
    )
    paths = write_outputs(run, zone_set, out / "report")
    stdout.print("\nReport files:")
    for path in paths:
        stdout.print(f"  {path}")
    stdout.print(
        f"  store: {db}\n  simulated NMEA: {sim.nmea_path}\n  ground truth: {sim.truth_path}"
    )
