"""Event ids, the land mask and distance from shore, and official tables."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from zonewatch.errors import InputFileError
from zonewatch.events.official import (
    OfficialDay,
    compare_days,
    comparison_summary,
    read_official_counts,
)
from zonewatch.events.records import event_frame, parse_event_id
from zonewatch.events.shore import LandMask, Shore, default_land_mask
from zonewatch.report.model import DayPresence
from zonewatch.zones import load_zone_set

T = dt.datetime(2024, 1, 5, 23, 0, 1, 250000, tzinfo=dt.UTC)


def test_ids_are_readable_stable_and_parse_back() -> None:
    frame = event_frame(
        "encounter",
        mmsi=[412000001],
        other_mmsi=[412000002],
        start=[T],
        end=[T],
        lon=[123.0],
        lat=[25.0],
        detail=[{"x": 1}],
        zone=["contiguous_zone:senkaku"],
    )
    (event_id,) = frame["event_id"].to_list()
    assert event_id == "encounter-412000001-412000002-20240105T230001250Z"
    again = event_frame(
        "encounter",
        mmsi=[412000001],
        other_mmsi=[412000002],
        start=[T],
        end=[T],
        lon=[123.0],
        lat=[25.0],
        detail=[{"x": 2}],
    )
    assert again["event_id"].to_list() == [event_id]
    parts = parse_event_id(event_id)
    assert parts is not None
    assert (parts.kind, parts.mmsi, parts.other_mmsi, parts.start, parts.zone_kind) == (
        "encounter",
        412000001,
        412000002,
        T,
        None,
    )
    zone = parse_event_id("zone_exit-413555001-20240105T230001250Z-territorial_sea")
    assert zone is not None
    assert (zone.other_mmsi, zone.zone_kind) == (None, "territorial_sea")
    assert parse_event_id("warp-1-20240105T230001250Z") is None
    assert parse_event_id("TS-20240104T0603Z-2573a0") is None


def test_mask_from_array_distance_and_inland() -> None:
    land = np.zeros((40, 40), dtype=bool)
    land[10:20, 10:20] = True
    mask = LandMask.from_array(land, 26.0, 123.0, 60)  # one-minute cells
    inside = (123.0 + 15 / 60, 26.0 - 15 / 60)
    east = (123.0 + 25.5 / 60, 26.0 - 15.5 / 60)  # the centre of the cell 6 cells east of the block
    d = mask.distance_nm(np.array([inside[0], east[0]]), np.array([inside[1], east[1]]), 100.0)
    assert d[0] == 0.0
    # to the centre of the last land column (19): 6 cells of one arc-minute of longitude
    assert d[1] == pytest.approx(6 * np.cos(np.radians(east[1])), rel=0.01)
    assert mask.is_inland(
        np.array([inside[0], 123.0 + 10.5 / 60]), np.array([inside[1], inside[1]])
    ).tolist() == [True, False]
    far = mask.distance_nm(np.array([123.0 + 39.5 / 60]), np.array([26.0 - 39.5 / 60]), 5.0)
    assert far[0] == np.inf


def test_shore_adds_the_zone_set_features() -> None:
    senkaku = load_zone_set("senkaku")
    shore = Shore(zone_set=senkaku)
    lon, lat = np.array([123.476, 123.476]), np.array([25.744, 25.95])
    assert shore.on_land(lon, lat).tolist() == [True, False]
    assert shore.distance_nm(lon, lat)[1] == pytest.approx(
        float(senkaku.distance_nm(123.476, 25.95))
    )


@pytest.mark.skipif(
    importlib.util.find_spec("global_land_mask") is None, reason="global-land-mask not installed"
)
def test_globe_mask_knows_the_coasts() -> None:
    shore = Shore(default_land_mask(), load_zone_set("senkaku"))
    lon = np.array([123.476, 121.0, 139.7, 127.5, 125.5])
    lat = np.array([25.744, 23.5, 35.6, 24.0, 25.8])
    assert shore.on_land(lon, lat).tolist() == [True, True, True, False, False]
    d = shore.distance_nm(lon, lat)
    assert d[:3].tolist() == [0.0, 0.0, 0.0]
    assert d[3] == np.inf  # more than 100 nm from Okinawa and the Sakishima islands
    assert 45 < d[4] < 56  # east of Taisho-jima


def test_official_table_errors_name_file_and_line(tmp_path: Path) -> None:
    good = tmp_path / "jcg.csv"
    good.write_text(
        "# JCG daily\ndate,contiguous_zone_vessels,territorial_sea_vessels,note\n"
        "2024-01-02,4,0,\n2024-01-01,3,2,x\n\n",
        encoding="utf-8",
    )
    days = read_official_counts(good)
    assert days == (OfficialDay(dt.date(2024, 1, 1), 3, 2), OfficialDay(dt.date(2024, 1, 2), 4, 0))
    head = "date,contiguous_zone_vessels,territorial_sea_vessels\n"
    cases = {
        "date,contiguous_zone_vessels\n2024-01-01,3\n": ":1: header lacks territorial_sea_vessels",
        head + "2024-13-01,3,0\n": ":2: date '2024-13-01'",
        head + "2024-01-01,three,0\n": ":2: contiguous_zone_vessels 'three'",
        head + "2024-01-01,3,-1\n": ":2: territorial_sea_vessels -1 is negative",
        head + "2024-01-01,3,0\n2024-01-01,3,0\n": ":3: date 2024-01-01 is given twice",
        head + "2024-01-01,3\n": ":2: 2 fields, expected 3",
        head: "no data rows",
        "": "empty",
    }
    for text, message in cases.items():
        bad = tmp_path / "bad.csv"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(InputFileError) as info:
            read_official_counts(bad)
        assert str(bad) in str(info.value)
        assert message in str(info.value)


def test_compare_days_counts_fewer_and_more() -> None:
    d1, d2, d3 = dt.date(2024, 1, 1), dt.date(2024, 1, 2), dt.date(2024, 1, 3)
    official = [OfficialDay(d1, 4, 0), OfficialDay(d2, 2, 1), OfficialDay(d3, 0, 0)]
    ais = [DayPresence(d1, (1, 2, 3), ()), DayPresence(d2, (1, 2, 3), (1, 2))]
    rows = compare_days(official, ais)
    assert [
        (r.contiguous_zone_difference, r.territorial_sea_difference, r.verdict) for r in rows
    ] == [(-1, 0, "ais_fewer"), (1, 1, "ais_more"), (0, 0, "agree")]
    summary = comparison_summary(rows)
    assert summary["contiguous_zone_vessel_days"] == {"official": 6, "ais": 6}
    assert summary["contiguous_zone_days"] == {"official": 2, "ais": 2}
    assert (summary["days_ais_fewer"], summary["days_ais_more"], summary["days_agree"]) == (1, 1, 1)
    assert [r.date for r in compare_days(official, ais, d2, d2)] == [d2]
