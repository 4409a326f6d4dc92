"""Resampling on the common grid and the spatial-hash pair search against brute force."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from event_builders import T0
from hypothesis import given, settings
from hypothesis import strategies as st

from zonewatch.events.pairs import close_pairs, pair_episodes
from zonewatch.events.resample import fix_speeds_kn, resample_tracks
from zonewatch.geo import haversine_nm
from zonewatch.tracks import clean_tracks


def fixes(
    rows: list[tuple[int, int, float, float]], sog: list[float | None] | None = None
) -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "mmsi": [r[0] for r in rows],
            "ts": [T0 + dt.timedelta(seconds=r[1]) for r in rows],
            "lon": [r[2] for r in rows],
            "lat": [r[3] for r in rows],
            "sog": sog if sog is not None else [None] * len(rows),
        },
        schema={
            "mmsi": pl.UInt32,
            "ts": pl.Datetime("ms", "UTC"),
            "lon": pl.Float64,
            "lat": pl.Float64,
            "sog": pl.Float32,
        },
    )
    return clean_tracks(frame).fixes


def test_resample_interpolates_within_segments_only() -> None:
    # vessel 1: 0 s and 600 s; then a 7 h gap (a new segment); vessel 2 alone
    f = fixes(
        [
            (1, 0, 123.0, 25.0),
            (1, 600, 123.1, 25.0),
            (1, 600 + 7 * 3600, 124.0, 25.0),
            (1, 900 + 7 * 3600, 124.0, 25.01),
            (2, 150, 120.0, 20.0),
        ]
    )
    out = resample_tracks(f, 300)
    step0 = int(T0.timestamp()) // 300
    assert out["step"].to_list() == [step0, step0 + 1, step0 + 2, step0 + 86, step0 + 87]
    assert out["lon"].round(6).to_list() == [123.0, 123.05, 123.1, 124.0, 124.0]
    assert out["lat"].round(6).to_list() == [25.0, 25.0, 25.0, 25.0, 25.01]
    assert out["vid"].to_list() == [0] * 5  # vessel 2's only fix is not on the grid


def test_resample_across_the_antimeridian() -> None:
    out = resample_tracks(fixes([(1, 0, 179.9, 0.0), (1, 600, -179.9, 0.0)]), 300)
    assert out["lon"].round(6).to_list() == [179.9, 180.0, -179.9] or out["lon"].round(
        6
    ).to_list() == [179.9, -180.0, -179.9]


def test_fix_speeds_prefer_sog_and_fall_back_to_the_leg() -> None:
    f = fixes(
        [(1, 0, 123.0, 25.0), (1, 3600, 123.0, 25.1), (1, 7200, 123.0, 25.2)], sog=[None, 4.0, None]
    )
    speeds = fix_speeds_kn(f)
    assert speeds[1] == 4.0
    assert speeds[0] == pytest.approx(6.0, abs=0.01)  # first fix: its outgoing leg
    assert speeds[2] == pytest.approx(6.0, abs=0.01)


def brute(
    points: pl.DataFrame, d: float, left: np.ndarray | None, right: np.ndarray | None
) -> set[tuple[int, int]]:
    lon, lat = points["lon"].to_numpy(), points["lat"].to_numpy()
    step, vid = points["step"].to_numpy(), points["vid"].to_numpy()
    dist = haversine_nm(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    n = points.height
    out = set()
    for i in range(n):
        for j in range(n):
            if step[i] != step[j] or vid[i] == vid[j] or dist[i, j] > d:
                continue
            if left is None and vid[i] < vid[j]:
                out.add((i, j))
            if left is not None and right is not None and left[i] and right[j]:
                out.add((i, j))
    return out


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(2, 120),
    d_nm=st.sampled_from([0.05, 0.27, 1.0, 2.0]),
    lat0=st.sampled_from([0.0, 25.0, 70.0, 89.9, -60.0]),
    lon0=st.sampled_from([0.0, 123.5, 179.99, -179.99]),
)
def test_close_pairs_equal_brute_force(
    seed: int, n: int, d_nm: float, lat0: float, lon0: float
) -> None:
    rng = np.random.default_rng(seed)
    spread = d_nm * 4 / 60
    lon = lon0 + rng.uniform(-spread, spread, n) / max(np.cos(np.radians(lat0)), 0.05)
    lon = (lon + 180) % 360 - 180
    lat = np.clip(lat0 + rng.uniform(-spread, spread, n), -90, 90)
    points = pl.DataFrame(
        {
            "step": rng.integers(0, 3, n),
            "vid": rng.integers(0, max(2, n // 2), n).astype(np.int32),
            "lon": lon,
            "lat": lat,
        }
    ).unique(["step", "vid"], keep="first")
    got = set(close_pairs(points, d_nm).select("ia", "ib").iter_rows())
    assert got == brute(points, d_nm, None, None)
    left = rng.random(points.height) < 0.4
    got2 = set(close_pairs(points, d_nm, left=left, right=~left).select("ia", "ib").iter_rows())
    assert got2 == brute(points, d_nm, left, ~left)


def test_episodes_merge_short_breaks() -> None:
    p = pl.DataFrame({"step": [1, 2, 4, 5, 9, 1], "a": [0, 0, 0, 0, 0, 1], "b": [1, 1, 1, 1, 1, 2]})
    assert pair_episodes(p, 2)["episode"].to_list() == [0, 0, 0, 0, 1, 2]
    assert pair_episodes(p, 1)["episode"].to_list() == [0, 0, 1, 1, 2, 3]
