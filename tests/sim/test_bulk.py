"""Tests of the bulk simulator (zonewatch.sim.bulk)."""

from __future__ import annotations

import datetime as dt
import doctest
import types
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pytest

from zonewatch import schema
from zonewatch.errors import ParameterError
from zonewatch.geo import haversine_nm
from zonewatch.sim import bulk, bulk_tracks
from zonewatch.sim.bulk import (
    BulkConfig,
    bulk_file_id,
    bulk_positions,
    bulk_statics,
    expected_positions,
    fill_store,
)
from zonewatch.store import Store
from zonewatch.vessels.fleets import load_fleet
from zonewatch.vessels.identity import vessel_identities
from zonewatch.zones import load_zone_set

SMALL = BulkConfig(n_positions=240_000, start=dt.date(2024, 5, 1), days=4, seed=7)


@pytest.fixture(scope="module")
def positions() -> pl.DataFrame:
    frame = pl.from_arrow(pa.concat_tables(bulk_positions(SMALL)))
    assert isinstance(frame, pl.DataFrame)
    return frame


@pytest.fixture(scope="module")
def fleet_mmsis() -> set[int]:
    members = load_fleet("china-government").members(vessel_identities(bulk_statics(SMALL)))
    return set(members.get_column("mmsi").to_list())


def test_schemas_are_exact() -> None:
    assert bulk_statics(SMALL).schema == schema.STATICS
    tables = list(bulk_positions(BulkConfig(n_positions=60_000, days=2, chunk_rows=10_000)))
    assert len(tables) > 2  # days cut into several tables
    assert all(t.schema == schema.POSITIONS for t in tables)


def test_same_seed_same_tables_other_seed_other_tables() -> None:
    config = BulkConfig(n_positions=40_000, days=2, seed=3)
    first = pa.concat_tables(bulk_positions(config))
    statics = bulk_statics(config)
    bulk._plan.cache_clear()  # rebuild everything from the seed
    assert pa.concat_tables(bulk_positions(config)).equals(first)
    assert bulk_statics(config).equals(statics)
    other = pa.concat_tables(bulk_positions(BulkConfig(n_positions=40_000, days=2, seed=4)))
    assert not other.equals(first)
    assert bulk_file_id(config) != bulk_file_id(BulkConfig(n_positions=40_000, days=2, seed=4))


@pytest.mark.parametrize("n_positions", [100_000, 240_000, 1_000_000])
def test_count_is_exact_and_near_the_target(n_positions: int) -> None:
    config = BulkConfig(n_positions=n_positions, days=4, seed=1)
    expected = expected_positions(config)
    assert abs(expected / n_positions - 1) < 0.03
    if n_positions <= 240_000:
        assert sum(t.num_rows for t in bulk_positions(config)) == expected


def test_rows_lie_in_the_region_and_period(positions: pl.DataFrame) -> None:
    lon0, lat0, lon1, lat1 = SMALL.bbox
    assert positions["lon"].is_between(lon0, lon1).all()
    assert positions["lat"].is_between(lat0, lat1).all()
    start = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    assert positions["ts"].min() >= start  # type: ignore[operator]
    assert positions["ts"].max() < start + dt.timedelta(days=4)  # type: ignore[operator]
    assert positions["line_no"].to_list() == list(range(1, positions.height + 1))
    assert positions["file_id"].unique().to_list() == [bulk_file_id(SMALL)]


def test_tracks_are_plausible(positions: pl.DataFrame) -> None:
    ordered = positions.sort("mmsi", "ts")
    same = ordered["mmsi"].to_numpy()[1:] == ordered["mmsi"].to_numpy()[:-1]
    ts_ms = ordered["ts"].dt.epoch("ms").to_numpy()
    gap_h = np.diff(ts_ms)[same] / 3.6e6
    assert (gap_h > 0).all()  # strictly increasing times per vessel
    lon, lat = ordered["lon"].to_numpy(), ordered["lat"].to_numpy()
    step_nm = haversine_nm(lon[:-1], lat[:-1], lon[1:], lat[1:])[same]
    assert np.quantile(step_nm / gap_h, 0.999) < 25.0  # no jumps
    assert ordered["sog"].max() < 25.0  # type: ignore[operator]
    class_b = ordered.filter(pl.col("msg_type") == 18)
    assert class_b.height > 0
    assert class_b["heading"].null_count() == class_b.height
    assert class_b["sog"].max() < 6.0  # type: ignore[operator]  # fishing: 0-5 kn


def test_china_coast_guard_is_the_fleet(fleet_mmsis: set[int]) -> None:
    statics = pl.from_arrow(bulk_statics(SMALL))
    assert isinstance(statics, pl.DataFrame)
    ccg = statics.filter(pl.col("name").str.replace_all(" ", "").str.contains("COASTGUARD|HAIJING"))
    counts = SMALL.counts()
    assert ccg.height == counts["ccg_patrol"] + counts["ccg_roam"] >= 4
    assert fleet_mmsis == set(ccg["mmsi"].to_list())
    assert all(m // 1_000_000 in (412, 413) for m in fleet_mmsis)
    jcg = statics.filter(pl.col("name").str.starts_with("JCG"))
    assert jcg.height >= 2
    assert all(m // 1_000_000 == 431 for m in jcg["mmsi"].to_list())
    assert statics["mmsi"].n_unique() == statics.height


def test_fleet_patrols_the_contiguous_zone_most_traffic_is_far(
    positions: pl.DataFrame, fleet_mmsis: set[int]
) -> None:
    zones = load_zone_set("senkaku")
    d = zones.distance_within_nm(positions["lon"].to_numpy(), positions["lat"].to_numpy(), 40.0)
    fleet = positions["mmsi"].is_in(list(fleet_mmsis)).to_numpy()
    in_cz = fleet & (d <= 24.0)
    days = positions.filter(pl.Series(in_cz))["ts"].dt.date().n_unique()
    assert days >= 3  # of 4
    assert (d <= 30.0).mean() < 0.1
    jcg = positions["mmsi"].to_numpy() // 1_000_000 == 431
    assert (jcg & (d <= 24.0)).any()  # shadows


def test_fill_store_round_trip(tmp_path: Path) -> None:
    config = BulkConfig(n_positions=30_000, days=2, seed=2, chunk_rows=10_000)
    calls: list[tuple[int, int]] = []
    with Store(tmp_path / "zw.duckdb") as store:
        written = fill_store(
            store, config, progress=lambda done, total: calls.append((done, total))
        )
        assert written == expected_positions(config) == calls[-1][0] == calls[-1][1]
        assert fill_store(store, config) == 0  # the same data again: nothing
        stored = store.positions()
        summary = store.input_summary()
        assert store.statics().height == bulk_statics(config).num_rows
    assert stored.height == written == summary.positions
    expected = pl.from_arrow(pa.concat_tables(bulk_positions(config)))
    assert isinstance(expected, pl.DataFrame)
    assert stored.sort("line_no").equals(expected.sort("line_no"))


@pytest.mark.parametrize(
    ("field", "value"),
    [("days", 0), ("n_positions", 10), ("bbox", (130.0, 30.0, 131.0, 31.0)), ("ccg_share", 2.0)],
)
def test_bad_settings_are_refused(field: str, value: object) -> None:
    with pytest.raises(ParameterError, match=field):
        BulkConfig(**{field: value})  # type: ignore[arg-type]


@pytest.mark.parametrize("module", [bulk, bulk_tracks])
def test_docstring_examples_run(module: types.ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
