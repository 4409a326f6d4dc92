"""Hand-built cases through the whole pipeline: NMEA file -> store -> report JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from nmea_builder import position
from scenario import CCG, CCG2, CN_FISHING, JP_FISHING, jst, point_at, statics, stay, write
from zonewatch.cli import main


def report(
    capsys: pytest.CaptureFixture[str], path: Path, start: str, end: str, *extra: str
) -> dict:
    code = main(["report", str(path), "--from", start, "--to", end, "--format", "json", *extra])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def test_contiguous_zone_from_2330_to_0030_jst_counts_two_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixes = stay(CCG, jst(2024, 3, 4, 23, 30), jst(2024, 3, 5, 0, 30), 18.0)
    data = report(
        capsys,
        write(tmp_path / "a.nmea", fixes, statics(jst(2024, 3, 4, 20))),
        "2024-03-01",
        "2024-03-31",
    )
    assert data["totals"]["contiguous_zone_days"] == 2
    assert data["totals"]["contiguous_zone_vessel_days"] == 2
    assert data["totals"]["territorial_sea_days"] == 0
    assert [d["date"] for d in data["days"]] == ["2024-03-04", "2024-03-05"]
    assert data["days"][0]["contiguous_zone_vessels"] == [CCG]
    assert data["vessels"][0]["mmsi"] == CCG
    assert "CHINACOASTGUARD" in data["vessels"][0]["matched_by"].replace(" ", "").upper()


def test_line_between_two_outside_fixes_crossing_the_territorial_sea_is_an_intrusion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t0 = jst(2024, 5, 14, 6, 0)
    a = point_at(14.0, 320.0)
    b = point_at(14.0, 220.0)
    fixes = [
        (t0, position(CCG, t0, *a)),
        (t0 + dt.timedelta(hours=2.5), position(CCG, t0 + dt.timedelta(hours=2.5), *b)),
    ]
    data = report(
        capsys,
        write(tmp_path / "b.nmea", fixes, statics(t0 - dt.timedelta(hours=1))),
        "2024-05-01",
        "2024-05-31",
    )
    assert data["totals"]["territorial_sea_intrusions"] == 1
    assert data["totals"]["territorial_sea_days"] == 1
    (incident,) = data["incidents"]
    assert incident["vessels"] == [CCG]
    assert 6.0 < incident["min_distance_nm"] < 12.0
    start = dt.datetime.fromisoformat(incident["start"])
    assert t0 < start < t0 + dt.timedelta(hours=1.25)
    assert start.utcoffset() == dt.timedelta(hours=9)


def test_one_spoofed_fix_far_from_its_neighbours_counts_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixes = stay(CCG, jst(2024, 6, 1, 8), jst(2024, 6, 1, 20), 30.0)
    spoof_t = jst(2024, 6, 1, 14, 5)
    fixes.append((spoof_t, position(CCG, spoof_t, *point_at(5.0, 270.0))))
    data = report(
        capsys,
        write(tmp_path / "c.nmea", fixes, statics(jst(2024, 6, 1, 7))),
        "2024-06-01",
        "2024-06-30",
    )
    assert data["totals"] == {
        "contiguous_zone_days": 0,
        "contiguous_zone_vessel_days": 0,
        "territorial_sea_days": 0,
        "territorial_sea_vessel_days": 0,
        "territorial_sea_intrusions": 0,
    }


def test_same_sentence_from_two_receivers_counts_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = stay(CCG, jst(2024, 7, 1, 10), jst(2024, 7, 1, 12), 8.0, station="rx1")
    second = stay(CCG, jst(2024, 7, 1, 10), jst(2024, 7, 1, 12), 8.0, station="rx2")
    data = report(
        capsys,
        write(tmp_path / "d.nmea", first + second, statics(jst(2024, 7, 1, 9))),
        "2024-07-01",
        "2024-07-31",
    )
    assert data["totals"]["territorial_sea_intrusions"] == 1
    assert data["totals"]["territorial_sea_vessel_days"] == 1
    assert data["totals"]["contiguous_zone_vessel_days"] == 1
    assert (
        data["input"]["lines"]
        == data["input"]["decoded"] + data["input"]["rejected"] + data["input"]["pending"]
    )


@pytest.mark.parametrize(
    ("second_ship", "gap_min", "expected"),
    [(True, -60, 1), (False, 20, 1), (False, 360, 2)],
    ids=["two-ships-overlapping", "leaves-for-20-min", "leaves-for-6-h"],
)
def test_incident_merging_end_to_end(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    second_ship: bool,
    gap_min: int,
    expected: int,
) -> None:
    t0 = jst(2024, 8, 10, 9)
    first_end = t0 + dt.timedelta(hours=3)
    fixes = stay(CCG, t0, first_end, 8.0)
    # leave the territorial sea for about gap_min: out to 16 nm and back (the legs cross 12 nm)
    mmsi = CCG2 if second_ship else CCG
    back = first_end + dt.timedelta(minutes=gap_min)
    if not second_ship:
        fixes += stay(
            CCG, first_end + dt.timedelta(minutes=10), back - dt.timedelta(minutes=10), 16.0
        )
    fixes += stay(mmsi, back, back + dt.timedelta(hours=3), 8.0)
    data = report(
        capsys,
        write(tmp_path / "e.nmea", fixes, statics(t0 - dt.timedelta(hours=1))),
        "2024-08-01",
        "2024-08-31",
    )
    assert data["totals"]["territorial_sea_intrusions"] == expected
    if second_ship:
        assert data["incidents"][0]["vessels"] == [CCG, CCG2]


def test_non_fleet_ships_inside_the_territorial_sea_count_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixes = stay(JP_FISHING, jst(2024, 9, 1, 6), jst(2024, 9, 1, 18), 6.0)
    fixes += stay(CN_FISHING, jst(2024, 9, 1, 6), jst(2024, 9, 1, 18), 7.0)
    data = report(
        capsys,
        write(tmp_path / "f.nmea", fixes, statics(jst(2024, 9, 1, 5))),
        "2024-09-01",
        "2024-09-30",
    )
    assert data["totals"]["contiguous_zone_days"] == 0
    assert data["totals"]["territorial_sea_intrusions"] == 0
    assert data["vessels"] == []


def test_fishing_boat_near_a_fleet_ship_during_an_incident_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixes = stay(CCG, jst(2024, 9, 2, 6), jst(2024, 9, 2, 9), 6.0)
    fixes += stay(
        JP_FISHING, jst(2024, 9, 2, 6), jst(2024, 9, 2, 9), 6.5
    )  # ~0.5 nm away on the same ray
    fixes += stay(CCG2, jst(2024, 9, 20, 6), jst(2024, 9, 20, 9), 6.0)
    data = report(
        capsys,
        write(tmp_path / "g.nmea", fixes, statics(jst(2024, 9, 2, 5))),
        "2024-09-01",
        "2024-09-30",
    )
    assert [i["fishing_vessel_nearby"] for i in data["incidents"]] == [True, False]


def test_ingesting_the_same_file_twice_gives_the_same_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixes = stay(CCG, jst(2024, 10, 1, 6), jst(2024, 10, 1, 9), 8.0)
    path = write(tmp_path / "h.nmea", fixes, statics(jst(2024, 10, 1, 5)))
    db = tmp_path / "store.duckdb"
    assert main(["ingest", str(path), "--db", str(db)]) == 0
    capsys.readouterr()
    once = report(capsys, path, "2024-10-01", "2024-10-31", "--db", str(db))
    assert main(["ingest", str(path), "--db", str(db)]) == 0
    capsys.readouterr()
    twice = report(capsys, path, "2024-10-01", "2024-10-31", "--db", str(db))
    # the same results; the run record says every tile came from the cache
    assert twice["run"]["tiles_reused"] == twice["run"]["tiles"]
    assert once.pop("run")["tiles_reused"] == 0
    twice.pop("run")
    assert once == twice
    assert once["input"]["files"] == 1
    assert once["totals"]["territorial_sea_intrusions"] == 1
