"""The subcommands on a short simulated period: outputs, formats and contracts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from zonewatch.cli import main
from zonewatch.sim import SimConfig, simulate

REPORT_KEYS = {"zone_set", "timezone", "fleet", "period", "parameters", "totals", "months"}
REPORT_KEYS |= {"days", "incidents", "vessels", "input"}
COUNT_KEYS = {
    "contiguous_zone_days",
    "contiguous_zone_vessel_days",
    "territorial_sea_days",
    "territorial_sea_vessel_days",
    "territorial_sea_intrusions",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("cli")
    sim = simulate(SimConfig(days=20, seed=5), folder / "sim")
    db = folder / "zw.duckdb"
    assert main(["ingest", str(sim.nmea_path), "--db", str(db)]) == 0
    return db, sim.nmea_path


def test_report_json_contract(store: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = store
    capsys.readouterr()
    assert (
        main(
            [
                "report",
                "--db",
                str(db),
                "--from",
                "2024-01-01",
                "--to",
                "2024-01-20",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert REPORT_KEYS <= data.keys()
    assert data["period"] == {"start": "2024-01-01", "end": "2024-01-20"}
    assert data["timezone"] == "Asia/Tokyo"
    assert set(data["totals"]) == COUNT_KEYS
    assert [m["month"] for m in data["months"]] == ["2024-01"]
    assert {k: data["months"][0][k] for k in COUNT_KEYS} == data["totals"]
    assert data["totals"]["contiguous_zone_days"] == len(
        [d for d in data["days"] if d["contiguous_zone_vessels"]]
    )
    for day in data["days"]:
        assert set(day["territorial_sea_vessels"]) <= set(day["contiguous_zone_vessels"])
    for incident in data["incidents"]:
        assert {
            "id",
            "start",
            "end",
            "vessels",
            "min_distance_nm",
            "fishing_vessel_nearby",
        } <= incident.keys()
        assert incident["start"].endswith("+09:00")
    acc = data["input"]
    assert acc["lines"] == acc["decoded"] + acc["rejected"] + acc["pending"]
    assert sum(acc["rejected_by_reason"].values()) == acc["rejected"]
    assert all({"mmsi", "name", "flag", "matched_by"} <= v.keys() for v in data["vessels"])


def test_report_csv_and_year(store: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, _ = store
    capsys.readouterr()
    assert main(["report", "--db", str(db), "--year", "2024", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["month"] for r in rows] == [f"2024-{m:02d}" for m in range(1, 13)] + ["total"]
    assert int(rows[-1]["contiguous_zone_days"]) == sum(
        int(r["contiguous_zone_days"]) for r in rows[:-1]
    )
    assert int(rows[0]["contiguous_zone_days"]) > 0


def test_report_out_writes_every_file(
    store: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = store
    out = tmp_path / "out"
    assert main(["report", "--db", str(db), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for name in (
        "report.json",
        "report.csv",
        "incidents.csv",
        "days.csv",
        "monthly.png",
        "map.html",
    ):
        assert (out / name).stat().st_size > 0
        assert name in printed
    assert (out / "monthly.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (out / "map.html").read_text()
    assert "https://" not in html
    assert "http://" not in html


def test_events_filters_and_formats(
    store: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = store
    capsys.readouterr()
    assert (
        main(
            [
                "events",
                "--db",
                str(db),
                "--kind",
                "zone_entry",
                "--kind",
                "zone_exit",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    events = data["events"]
    assert events
    assert {e["kind"] for e in events} <= {"zone_entry", "zone_exit"}
    assert {e["zone"] for e in events} <= {"territorial_sea:senkaku", "contiguous_zone:senkaku"}
    assert len({e["id"] for e in events}) == len(events)
    mmsi = events[0]["mmsi"]
    assert main(["events", "--db", str(db), "--mmsi", str(mmsi), "--format", "geojson"]) == 0
    geo = json.loads(capsys.readouterr().out)
    assert geo["type"] == "FeatureCollection"
    assert {f["properties"]["mmsi"] for f in geo["features"]} == {mmsi}
    assert main(["events", "--db", str(db), "--kind", "position_jump", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows  # the simulator plants spoofed fixes; each dropped one is an event
    assert {r["kind"] for r in rows} == {"position_jump"}


def test_ingest_reports_accounting_and_is_idempotent(
    store: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, nmea = store
    capsys.readouterr()
    assert main(["ingest", str(nmea), "--db", str(db), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["files"]
    assert row["stored"] is False
    assert row["lines"] == row["decoded"] + row["rejected"] + row["pending"]


def test_demo_writes_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path / "demo"), "--days", "10", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "Report files" in out
    assert (tmp_path / "demo" / "report" / "report.json").exists()
    assert "Simulator ground truth" in out
