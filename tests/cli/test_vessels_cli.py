"""``zonewatch vessels`` and a renamed vessel through ``zonewatch report``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from zonewatch.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nmea_builder import position, static
from scenario import JST, point_at

RENAMED = 413777001
CCG = 413555001
JP = 431000123
BASE = 4310001  # base station 004310001


def jst(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JST).astimezone(dt.UTC)


@pytest.fixture(scope="module")
def capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three days around Uotsuri-shima: a fishing boat renamed into a CCG name on day 2."""
    inside = point_at(8.0, 270.0)  # in the territorial sea
    far = point_at(60.0, 270.0)  # outside every zone
    lines: list[tuple[dt.datetime, str]] = []
    for day in (1, 2, 3):
        for hour in range(10, 14):
            t = jst(2024, 5, day, hour)
            lines.append((t, position(RENAMED, t, *inside)))
            lines.append((t, position(CCG, t, *inside)))
            lines.append((t, position(JP, t, *far)))
    head = static(RENAMED, jst(2024, 5, 1, 9), "MIN SHI YU 88", "BZ88", 30, seq=1)
    head += static(CCG, jst(2024, 5, 1, 9), "CHINA COAST GUARD 2501", "BCG2501", 55, seq=2)
    head += static(JP, jst(2024, 5, 1, 9), "DAI ICHI MARU", "JA1234", 30, seq=3)
    renamed_at = jst(2024, 5, 2, 0)
    lines += [
        (renamed_at, s) for s in static(RENAMED, renamed_at, "HAI JING 2305", "BZ88", 30, seq=4)
    ]
    path = tmp_path_factory.mktemp("vessels") / "renamed.nmea"
    ordered = [line for _, line in sorted(lines, key=lambda item: item[0])]
    path.write_text("\n".join(head + ordered) + "\n", encoding="ascii")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def test_vessels_json_with_identity_and_membership(
    capture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "vessels", str(capture), "--fleet", "china-government", "--format", "json")
    records: dict[int, dict[str, Any]] = {r["mmsi"]: r for r in json.loads(out)}
    assert sorted(records) == [CCG, RENAMED, JP]
    ccg = records[CCG]
    assert (ccg["name"], ccg["callsign"], ccg["flag"], ccg["mmsi_kind"]) == (
        "CHINA COAST GUARD 25",  # AIS names hold 20 characters
        "BCG2501",
        "CN",
        "ship",
    )
    assert (ccg["ship_type"], ccg["ship_category"], ccg["positions"]) == (55, "law_enforcement", 12)
    assert ccg["fleet_member"] is True
    assert ccg["matched_by"].startswith("name pattern CHINACOASTGUARD")
    renamed = records[RENAMED]
    assert renamed["name"] == "HAI JING 2305"
    assert renamed["matched_by"] == (
        "name pattern HAIJING (name 'HAI JING 2305', flag CN), from 2024-05-01T15:00:00Z"
    )
    assert records[JP]["fleet_member"] is False
    assert records[JP]["matched_by"] is None
    assert records[JP]["ship_category"] == "fishing"
    assert records[JP]["first_seen"].startswith("2024-05-01T01:00:00")


def test_vessels_within_zones_csv_and_table(
    capture: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "v.duckdb"
    run(capsys, "ingest", str(capture), "--db", str(db))
    out = run(capsys, "vessels", "--db", str(db), "--zones", "senkaku", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [int(r["mmsi"]) for r in rows] == [CCG, RENAMED]  # the Japanese boat stays 60 nm off
    assert rows[0]["fleet_member"] == ""  # no fleet given
    table = run(capsys, "vessels", "--db", str(db), "--fleet", "china-government")
    assert "3 vessels" in table
    assert str(RENAMED) in table


def test_renamed_vessel_counts_only_from_its_new_name(
    capture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = json.loads(
        run(
            capsys,
            "report",
            str(capture),
            "--from",
            "2024-05-01",
            "--to",
            "2024-05-03",
            "--format",
            "json",
        )
    )
    days = {d["date"]: d["territorial_sea_vessels"] for d in out["days"]}
    assert days == {
        "2024-05-01": [CCG],
        "2024-05-02": [CCG, RENAMED],
        "2024-05-03": [CCG, RENAMED],
    }
    vessel = next(v for v in out["vessels"] if v["mmsi"] == RENAMED)
    assert vessel["matched_by"].endswith("from 2024-05-01T15:00:00Z")
