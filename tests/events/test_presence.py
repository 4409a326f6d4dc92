import datetime as dt

import numpy as np
import numpy.typing as npt
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from zonewatch.events.presence import _whole_runs, zone_intervals
from zonewatch.geo import haversine_nm
from zonewatch.tracks import clean_tracks

T0 = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
ISLANDS = [(123.5, 25.75), (124.55, 25.92)]  # two features ~57 nm apart


def distance(lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.minimum.reduce([haversine_nm(lon, lat, x, y) for x, y in ISLANDS])


def fixes(rows: list[tuple[int, float, float, float]]) -> pl.DataFrame:
    df = pl.DataFrame(
        {
            "mmsi": [r[0] for r in rows],
            "ts": [T0 + dt.timedelta(minutes=r[1]) for r in rows],
            "lon": [r[2] for r in rows],
            "lat": [r[3] for r in rows],
        },
        schema={
            "mmsi": pl.UInt32,
            "ts": pl.Datetime("ms", "UTC"),
            "lon": pl.Float64,
            "lat": pl.Float64,
        },
    )
    return clean_tracks(df).fixes


def east(nm: float) -> float:
    return nm / 60 / np.cos(np.radians(25.75))


def test_line_between_two_outside_fixes_crossing_the_zone_is_presence() -> None:
    # 2.5 h apart, both 20 nm from the island, the straight line passes 5 nm north of it
    rows = [(1, 0, 123.5 - east(20), 25.75 + 5 / 60), (1, 150, 123.5 + east(20), 25.75 + 5 / 60)]
    iv = zone_intervals(fixes(rows), distance, {"territorial_sea": 12.0})
    assert iv.height == 1
    row = iv.row(0, named=True)
    assert row["entered"]
    assert row["exited"]
    half_chord = np.sqrt(12**2 - 5**2) / 40 * 150  # minutes from the middle
    expected_start = T0 + dt.timedelta(minutes=75 - half_chord)
    assert abs((row["start"] - expected_start).total_seconds()) < 30
    assert abs(row["min_distance_nm"] - 5.0) < 0.05


def test_line_passing_outside_is_no_presence() -> None:
    rows = [(1, 0, 123.5 - east(20), 25.75 + 13 / 60), (1, 150, 123.5 + east(20), 25.75 + 13 / 60)]
    assert zone_intervals(fixes(rows), distance, {"territorial_sea": 12.0}).height == 0


def test_leg_between_two_zones_leaves_and_reenters() -> None:
    # from 5 nm east of one island to 5 nm west of the other, 57 nm apart: out in the middle
    a = ISLANDS[0]
    b = ISLANDS[1]
    rows = [(1, 0, a[0] + east(5), a[1]), (1, 300, b[0] - east(5), b[1])]
    iv = zone_intervals(fixes(rows), distance, {"territorial_sea": 12.0})
    assert iv.height == 2
    assert iv["exited"].to_list() == [True, False]
    assert iv["entered"].to_list() == [False, True]


def test_lone_fix_inside_is_an_instant_and_gap_splits_intervals() -> None:
    rows = [(1, 0, 123.5, 25.8), (1, 10, 123.5, 25.81), (1, 10 + 7 * 60, 123.5, 25.82)]
    iv = zone_intervals(fixes(rows), distance, {"territorial_sea": 12.0})
    assert iv.height == 2
    second = iv.row(1, named=True)
    assert second["start"] == second["end"] == T0 + dt.timedelta(minutes=430)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 600), st.floats(-30, 30), st.floats(-30, 30)),
        min_size=2,
        max_size=12,
        unique_by=lambda r: round(r[0], 3),
    ),
    st.sampled_from([12.0, 24.0]),
)
def test_inside_time_matches_brute_force(
    rows: list[tuple[float, float, float]], limit: float
) -> None:
    track = fixes([(7, m, 123.5 + east(dx), 25.75 + dy / 60) for m, dx, dy in rows])
    iv = zone_intervals(track, distance, {"zone": limit})
    got_s = (
        float((iv["end"] - iv["start"]).dt.total_milliseconds().sum() / 1000) if iv.height else 0.0
    )
    # brute force: sample every 5 s on the straight legs within segments
    t = track["ts"].dt.epoch("ms").to_numpy() / 1000.0
    lon, lat, seg = track["lon"].to_numpy(), track["lat"].to_numpy(), track["segment"].to_numpy()
    inside_s = 0.0
    for i in range(len(t) - 1):
        if seg[i] != seg[i + 1] or t[i + 1] == t[i]:
            continue
        n = max(2, int((t[i + 1] - t[i]) / 5))
        f = (np.arange(n) + 0.5) / n
        d = distance(lon[i] + f * (lon[i + 1] - lon[i]), lat[i] + f * (lat[i + 1] - lat[i]))
        inside_s += float(np.mean(d <= limit) * (t[i + 1] - t[i]))
    total = t[-1] - t[0]
    assert abs(got_s - inside_s) <= 0.01 * max(total, 1.0) + 30


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=2, max_size=40),
    st.lists(st.booleans(), min_size=40, max_size=40),
)
def test_runs_of_whole_legs_are_one_piece_each(dist_steps: list[int], keep: list[bool]) -> None:
    n = len(dist_steps)
    dist = np.array(dist_steps, dtype=np.float64)  # small integers: ties are common
    lon, lat = np.arange(n) + 100.0, np.arange(n) + 20.0
    ts = np.arange(n, dtype=np.int64) * 60_000
    mmsi = np.full(n, 7, dtype=np.uint32)
    a = np.array([k for k in range(n - 1) if keep[k]], dtype=np.intp)
    if a.size == 0:
        return
    got = _whole_runs(a, mmsi, ts, lon, lat, dist)
    # reference: walk the legs, a run goes on while the next leg starts where this one ends
    runs: list[list[int]] = []
    for k in a.tolist():
        if runs and runs[-1][-1] == k:
            runs[-1].append(k + 1)
        else:
            runs.append([k, k + 1])
    assert got.start_ms.tolist() == [ts[r[0]] for r in runs]
    assert got.end_ms.tolist() == [ts[r[-1]] for r in runs]
    closest = [min(r, key=lambda i: (dist[i], i)) for r in runs]  # the first of the closest
    assert got.min_d.tolist() == [dist[i] for i in closest]
    assert got.min_lon.tolist() == [lon[i] for i in closest]
    assert got.start_lon.tolist() == [lon[r[0]] for r in runs]
    assert got.end_lat.tolist() == [lat[r[-1]] for r in runs]
    assert not got.entered.any()
    assert not got.exited.any()


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 100_000), st.integers(1, 6), st.sampled_from([0.01, 0.05, 0.3]))
def test_measuring_only_where_needed_gives_the_same_intervals(
    seed: int, vessels: int, step_deg: float
) -> None:
    from functools import partial

    from zonewatch.zones import load_zone_set

    zs = load_zone_set("senkaku")
    rng = np.random.default_rng(seed)
    n = 400
    mmsi = np.sort(rng.integers(1, vessels + 1, n)).astype(np.uint32)
    minutes = np.zeros(n)
    lon = np.zeros(n)
    lat = np.zeros(n)
    for v in np.unique(mmsi):
        sel = np.flatnonzero(mmsi == v)
        minutes[sel] = np.cumsum(
            rng.choice([2.0, 10.0, 60.0, 500.0], sel.size, p=[0.5, 0.3, 0.15, 0.05])
        )
        # random walks starting 0-30 nm from the islands, some running along a limit
        lon[sel] = 123.5 + rng.uniform(-0.5, 0.5) + np.cumsum(rng.normal(0, step_deg, sel.size))
        lat[sel] = 25.75 + rng.uniform(-0.5, 0.5) + np.cumsum(rng.normal(0, step_deg, sel.size))
    track = fixes(
        [
            (int(m), float(t), float(x), float(y))
            for m, t, x, y in zip(mmsi, minutes, lon, lat, strict=True)
        ]
    )
    thresholds = {z.kind: z.distance_nm for z in zs.zones}
    exact = partial(zs.distance_within_nm, beyond_nm=25.0)
    kinds = frozenset({"territorial_sea"})
    everywhere = zone_intervals(track, exact, thresholds, exact_min_for=kinds)
    where_needed = zone_intervals(
        track,
        exact,
        thresholds,
        exact_min_for=kinds,
        bounds_fn=partial(zs.distance_bounds_nm, beyond_nm=25.0),
    )
    assert where_needed.equals(everywhere)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 100_000), st.sampled_from([0.05, 0.5, 3.0]))
def test_any_valid_bounds_give_the_same_intervals(seed: int, width: float) -> None:
    """Wide bounds leave many decisions open: each must then be measured."""
    rng = np.random.default_rng(seed)
    n = 300
    mmsi = np.sort(rng.integers(1, 4, n))
    rows = []
    for v in np.unique(mmsi):
        k = int((mmsi == v).sum())
        t = np.cumsum(rng.choice([3.0, 20.0, 90.0, 480.0], k, p=[0.5, 0.3, 0.15, 0.05]))
        x = 123.5 + rng.uniform(-0.4, 0.4) + np.cumsum(rng.normal(0, 0.03, k))
        y = 25.75 + rng.uniform(-0.4, 0.4) + np.cumsum(rng.normal(0, 0.03, k))
        rows += [(int(v), float(a), float(b), float(c)) for a, b, c in zip(t, x, y, strict=True)]
    track = fixes(rows)
    slack = rng.uniform(0.0, width, (2, track.height))

    def bounds(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d = distance(lon, lat)
        return np.maximum(d - slack[0], 0.0), d + slack[1]

    thresholds = {"territorial_sea": 12.0, "contiguous_zone": 24.0}
    kinds = frozenset({"territorial_sea"})
    everywhere = zone_intervals(track, distance, thresholds, exact_min_for=kinds)
    bounded = zone_intervals(track, distance, thresholds, exact_min_for=kinds, bounds_fn=bounds)
    assert bounded.equals(everywhere)
