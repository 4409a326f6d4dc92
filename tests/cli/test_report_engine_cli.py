"""``zonewatch report`` engine options: buckets, workers, cache, zone events, Dask errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from zonewatch.cli import main
from zonewatch.sim import SimConfig, simulate


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-engine")
    sim = simulate(SimConfig(days=15, seed=8), folder / "sim")
    path = folder / "zw.duckdb"
    assert main(["ingest", str(sim.nmea_path), "--db", str(path)]) == 0
    return path


def _report(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    capsys.readouterr()
    argv = ["report", "--db", str(db), "--from", "2024-01-01", "--to", "2024-01-15"]
    assert main([*argv, "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_buckets_workers_and_cache_change_nothing_but_the_run_record(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _report(db, capsys, "--quiet")
    again = _report(db, capsys, "--quiet")
    assert first["run"]["tiles_reused"] == 0
    assert again["run"]["tiles_reused"] == again["run"]["tiles"]
    other = _report(db, capsys, "--buckets", "8", "--workers", "2", "--no-cache", "--quiet")
    assert other["run"]["buckets"] == 8
    assert other["run"]["workers"] == 2
    assert other["run"]["tiles_reused"] == 0
    for data in (again, other):
        assert {k: v for k, v in data.items() if k != "run"} == {
            k: v for k, v in first.items() if k != "run"
        }
    assert not any(db.parent.glob("*.cache/tiles/*/.tmp-*"))  # no staging left behind


def test_zone_events_file(db: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "zone-events.parquet"
    data = _report(db, capsys, "--zone-events", str(path), "--no-cache")
    events = pl.read_parquet(path)
    assert set(events["kind"].unique()) <= {"zone_entry", "zone_exit"}
    for row in data["zone_events"]:
        mine = events.filter(pl.col("zone") == row["zone"])
        assert row["entries"] == mine.filter(pl.col("kind") == "zone_entry").height
        assert row["exits"] == mine.filter(pl.col("kind") == "zone_exit").height
        assert row["vessels"] == mine["mmsi"].n_unique()
    assert events.height == sum(r["entries"] + r["exits"] for r in data["zone_events"])


def test_engine_option_errors(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["report", "--db", str(db), "--from", "2024-01-01", "--to", "2024-01-15"]
    assert main([*argv, "--scheduler", "tcp://127.0.0.1:1"]) == 1
    assert "--scheduler needs --engine dask" in capsys.readouterr().err
    assert main([*argv, "--zone-events", "x.txt", "--no-cache", "--quiet"]) == 1
    assert ".csv, .parquet or .jsonl" in capsys.readouterr().err


def test_the_table_says_how_the_report_was_computed(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["report", "--db", str(db), "--from", "2024-01-01", "--to", "2024-01-15"]
    assert main([*argv, "--buckets", "2", "--quiet"]) == 0
    assert main([*argv, "--buckets", "2", "--quiet"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Computed by the local engine (" in out
    assert "2 MMSI buckets)" in out
    assert "0 of " in out
    assert "reused from the cache" in out
