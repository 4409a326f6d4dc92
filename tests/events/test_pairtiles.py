"""Close pairs tile by tile equal close pairs at once; an encounter across a tile edge is found."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.events.event_builders import T0, frame, offset, run, stay, times

from zonewatch.events.detect import EventParams
from zonewatch.events.pairs import close_pairs
from zonewatch.events.pairtiles import PairTiles, tile_members, tiled_close_pairs


def _points(seed: int, n: int, centre: tuple[float, float], spread_deg: float) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    lon = centre[0] + rng.uniform(-spread_deg, spread_deg, n)
    lat = np.clip(centre[1] + rng.uniform(-spread_deg, spread_deg, n), -90.0, 90.0)
    return pl.DataFrame(
        {
            "step": rng.integers(0, 6, n),
            "vid": rng.permutation(n),
            "lon": ((lon + 180.0) % 360.0) - 180.0,
            "lat": lat,
        }
    )


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 10_000),
    st.sampled_from([(124.0, 26.0), (180.0, 10.0), (-179.99, -40.0), (0.0, 89.5), (10.0, -88.95)]),
    st.sampled_from([0.5, 1.0, 2.0]),
    st.sampled_from([0.27, 2.0, 15.0]),
    st.booleans(),
)
def test_tiled_pairs_equal_pairs_at_once(
    seed: int,
    centre: tuple[float, float],
    tile_deg: float,
    distance_nm: float,
    masked: bool,
) -> None:
    if distance_nm / 60 * 1.02 >= tile_deg:
        distance_nm = tile_deg * 30
    points = _points(seed, 300, centre, tile_deg * 1.5)
    left = right = None
    if masked:
        rng = np.random.default_rng(seed + 1)
        left = rng.random(points.height) < 0.3
        right = ~left
    tiles = PairTiles(tile_deg=tile_deg, tile_steps=2)
    want = close_pairs(points, distance_nm, left=left, right=right)
    got = tiled_close_pairs(points, distance_nm, tiles, left=left, right=right)
    assert got.to_dicts() == want.to_dicts()


def test_every_position_has_one_home_tile_and_halo_copies_near_edges() -> None:
    lon = np.array([124.5, 123.999, 124.001, 125.0])
    lat = np.array([26.5, 26.5, 26.999, 25.0])
    members = tile_members(lon, lat, np.zeros(4, dtype=np.int64), 1.0, PairTiles(1.0, 10))
    homes = members.filter(pl.col("home")).group_by("row").len().sort("row")
    assert homes["len"].to_list() == [1, 1, 1, 1]
    copies = members.group_by("row").len().sort("row")["len"].to_list()
    # mid-tile: alone; 0.001 deg west of an edge: two tiles; near a corner: four tiles
    assert copies[0] == 1
    assert copies[1] == 2
    assert copies[2] == 4


def test_bad_tiling_is_refused() -> None:
    with pytest.raises(ValueError, match="divide 360"):
        PairTiles(tile_deg=0.7)
    with pytest.raises(ValueError, match="larger than the pair distance"):
        tile_members(np.zeros(1), np.zeros(1), np.zeros(1, dtype=np.int64), 100.0, PairTiles(1.0))


@pytest.mark.parametrize("tile_steps", [1, 7, 2016])
def test_an_encounter_across_a_tile_edge_is_found(tile_steps: int) -> None:
    # two vessels stopped 200 m apart on either side of 128 E (an edge of 1- and 2-degree
    # tiles) for three hours, which also cross time-tile edges when tile_steps is small
    arrive = T0 + dt.timedelta(hours=10)
    leave = arrive + dt.timedelta(hours=3)
    west = offset(128.0, 24.5, -100.0, 0.0)
    east = offset(128.0, 24.5, 100.0, 0.0)
    at = times(arrive, leave, 60)
    positions = frame(stay(412000001, at, *west, 0.2) + stay(431000002, at, *east, 0.3))
    whole = run(positions, ["encounter"])
    tiled = run(
        positions,
        ["encounter"],
        params=EventParams(pair_tiles=PairTiles(tile_deg=2.0, tile_steps=tile_steps)),
    )
    assert whole.height == 1
    assert tiled.to_dicts() == whole.to_dicts()
    assert tiled["start"][0] == arrive
    assert tiled["end"][0] == leave
