"""run_events on a store: period edges, local midnight, long episodes, vessel filters."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from event_builders import OPEN_SEA, offset, times

from nmea_builder import position
from scenario import write
from zonewatch.engine.local import run_events
from zonewatch.events.shore import Shore
from zonewatch.sources.nmea_file import read_nmea
from zonewatch.store import Store
from zonewatch.zones import load_zone_set

SENKAKU = load_zone_set("senkaku")
A, B, L = 412000001, 412000002, 412000003
DAY1 = dt.date(2024, 3, 1)
DAY2 = dt.date(2024, 3, 2)
# 22:30 to 01:30 in Tokyo: across the local day boundary
ARRIVE = dt.datetime(2024, 3, 1, 13, 30, tzinfo=dt.UTC)
LEAVE = dt.datetime(2024, 3, 1, 16, 30, tzinfo=dt.UTC)
LOITER_START = dt.datetime(2024, 3, 1, 6, 0, tzinfo=dt.UTC)
LOITER_END = dt.datetime(2024, 3, 5, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("run_events")
    timed: list[tuple[dt.datetime, str]] = []
    for t in times(ARRIVE - dt.timedelta(hours=3), LEAVE + dt.timedelta(hours=3), 180):
        timed.append((t, position(A, t, *OPEN_SEA, speed=0.2)))
    b_at = offset(*OPEN_SEA, 150, 0)
    for t in times(ARRIVE, LEAVE, 150):
        timed.append((t, position(B, t, *b_at, speed=0.3, station="rx2")))
    far = offset(*OPEN_SEA, 5000, 0)
    for t in times(ARRIVE - dt.timedelta(hours=2), ARRIVE - dt.timedelta(minutes=15), 300):
        timed.append((t, position(B, t, *far, speed=0.3, station="rx2")))
    # L drifts very slowly for four days, 40 nm west of the islands
    spot = offset(123.476, 25.744, -40 * 1852.0, 0)
    for t in times(LOITER_START, LOITER_END, 600):
        timed.append((t, position(L, t, *spot, speed=0.5)))
    path = write(folder / "cases.nmea", timed)
    db = folder / "zw.duckdb"
    with Store(db) as store:
        store.add(read_nmea(path))
    return db


def events(db: Path, start: dt.date, end: dt.date, **kwargs: Any) -> pl.DataFrame:
    with Store(db) as store:
        return run_events(store, SENKAKU, start, end, shore=Shore(zone_set=SENKAKU), **kwargs)


def test_an_encounter_across_local_midnight_belongs_whole_to_the_day_it_starts(
    store_path: Path,
) -> None:
    first = events(store_path, DAY1, DAY1, kinds=["encounter"])
    assert first.select("mmsi", "other_mmsi", "start", "end").rows() == [(A, B, ARRIVE, LEAVE)]
    assert events(store_path, DAY2, DAY2, kinds=["encounter"]).height == 0
    both = events(store_path, DAY1, DAY2, kinds=["encounter"])
    assert both["event_id"].to_list() == first["event_id"].to_list()


def test_vessel_filter_matches_either_side_of_a_pair(store_path: Path) -> None:
    by_b = events(store_path, DAY1, DAY1, kinds=["encounter"], mmsis=[B])
    assert by_b.select("mmsi", "other_mmsi").rows() == [(A, B)]
    assert events(store_path, DAY1, DAY1, kinds=["encounter"], mmsis=[L]).height == 0


def test_a_long_episode_is_followed_past_the_data_margin(store_path: Path) -> None:
    loiter = events(store_path, DAY1, DAY1, kinds=["loitering"], mmsis=[L])
    assert loiter.select("start", "end").rows() == [(LOITER_START, LOITER_END)]
    assert json.loads(loiter["detail"][0])["duration_h"] == 96.0
    assert events(store_path, DAY2, DAY2, kinds=["loitering"], mmsis=[L]).height == 0
