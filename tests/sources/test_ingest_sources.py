"""`zonewatch ingest` and `report` on decoded sources, directories and standard input."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from zonewatch.cli import main
from zonewatch.store import Store

NMEA = (
    b"\\c:1709251200,s:rx1*0C\\!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30\n"
    b"!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*00\n"
)
MC = (
    b"MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,"
    b"Length,Width,Draft,Cargo,TransceiverClass\n"
    b"413555001,2024-03-01T00:00:00,25.90,123.60,10.0,90.0,90,HAI JING 2502,,BXYZ,55,0,,,,,A\n"
    b"413555001,2024-03-01T00:10:00,25.90,123.65,10.0,90.0,90,HAI JING 2502,,BXYZ,55,0,,,,,A\n"
    b"413555001,2024-03-01T00:20:00,91,181,10.0,90.0,90,HAI JING 2502,,BXYZ,55,0,,,,,A\n"
)


def ingest_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_ingest_directory_mixing_nmea_and_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "inputs"
    (folder / "csv").mkdir(parents=True)
    (folder / "capture.nmea").write_bytes(NMEA)
    (folder / "csv" / "day1.csv.gz").write_bytes(gzip.compress(MC))
    (folder / "csv" / "day2.csv.bz2").write_bytes(
        bz2.compress(MC.replace(b"2024-03-01", b"2024-03-02"))
    )
    (folder / ".DS_Store").write_bytes(b"\x00\x01binary")
    db = tmp_path / "zw.duckdb"

    data = ingest_json(capsys, ["ingest", str(folder), "--db", str(db)])
    files = data["files"]
    assert [Path(f["path"]).name for f in files] == ["capture.nmea", "day1.csv.gz", "day2.csv.bz2"]
    assert all(f["stored"] for f in files)
    nmea, day1, day2 = files
    assert (nmea["lines"], nmea["positions"], nmea["rejected"]) == (2, 1, 1)
    for day in (day1, day2):
        assert (day["lines"], day["decoded"], day["rejected"], day["pending"]) == (3, 2, 1, 0)
        assert (day["positions"], day["statics"]) == (2, 1)
        assert day["rejected_by_reason"] == {"bad_position": 1}

    again = ingest_json(capsys, ["ingest", str(folder), "--db", str(db)])
    assert not any(f["stored"] for f in again["files"])
    with Store(db) as store:
        summary = store.input_summary()
        assert (summary.files, summary.lines, summary.positions) == (3, 8, 5)
        assert summary.lines == summary.decoded + summary.rejected + summary.pending
        rejects = store.rejects()
        assert sorted(rejects["line_no"].to_list()) == [2, 4, 4]


def test_ingest_from_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "zw.duckdb"
    for _ in range(2):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(gzip.compress(MC, mtime=0))))
        data = ingest_json(capsys, ["ingest", "-", "--db", str(db)])
    (only,) = data["files"]
    assert only["path"] == "<stdin>"
    assert only["stored"] is False  # the same content twice: unchanged
    with Store(db) as store:
        assert store.input_summary().files == 1
        assert store.rejects()["path"].to_list() == ["<stdin>"]


def test_ingest_with_a_column_mapping_and_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ships.csv"
    path.write_text("ShipID,Time,X,Y\n413000001,01/03/2024 09:00,123.5,25.7\n413000001,x,1,2\n")
    db = tmp_path / "zw.duckdb"
    argv = ["ingest", str(path), "--db", str(db), "--columns", "mmsi=ShipID,ts=Time,lon=X,lat=Y"]
    assert main([*argv, "--time-format", "%d/%m/%Y %H:%M", "--strict"]) == 2
    out = capsys.readouterr().out
    assert "bad_time 1" in out
    with Store(db) as store:
        assert store.input_summary().positions == 1
    assert main(["ingest", str(path), "--db", str(tmp_path / "other.duckdb")]) == 1
    assert "column mapping" in capsys.readouterr().err


def test_report_on_a_marinecadastre_csv(
    shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = shared_data / "marinecadastre" / "boston_2014_marinecadastre.csv"
    capsys.readouterr()
    assert main(["report", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    acc = data["input"]
    assert (acc["lines"], acc["decoded"], acc["rejected"], acc["pending"]) == (972, 972, 0, 0)
    assert set(data["totals"].values()) == {0}  # Boston is far from the Senkaku Islands
    assert data["period"] == {"start": "2014-01-01", "end": "2014-01-08"}
