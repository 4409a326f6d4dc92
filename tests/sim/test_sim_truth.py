"""The exact ground-truth evaluator on hand-made tracks."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from pyproj import Geod

from zonewatch.sim.paths import Period
from zonewatch.sim.truth import Track, Truth, TruthIncident, evaluate
from zonewatch.zones import load_zone_set

JST = ZoneInfo("Asia/Tokyo")
UOTSURI = (123.476, 25.744)
GEOD = Geod(ellps="WGS84")
ZS = load_zone_set("senkaku")
PERIOD = Period.of(dt.date(2024, 3, 1), 3)
D1 = dt.date(2024, 3, 1)


def jst(day: int, hour: int, minute: int = 0, second: int = 0) -> int:
    return int(dt.datetime(2024, 3, day, hour, minute, second, tzinfo=JST).timestamp())


def point_at(distance_nm: float, bearing: float) -> tuple[float, float]:
    """The point on a geodesic ray from Uotsuri-shima at ``distance_nm`` from the baseline."""
    lo, hi = 0.0, 150_000.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lon, lat, _ = GEOD.fwd(*UOTSURI, bearing, mid)
        if ZS.distance_nm(lon, lat) < distance_nm:
            lo = mid
        else:
            hi = mid
    lon, lat, _ = GEOD.fwd(*UOTSURI, bearing, lo)
    return float(lon), float(lat)


def track(*fixes: tuple[int, tuple[float, float]]) -> Track:
    return Track(
        np.array([f[0] for f in fixes], dtype=np.int64),
        np.array([f[1][0] for f in fixes]),
        np.array([f[1][1] for f in fixes]),
    )


def brute_ts_interval(tr: Track) -> tuple[float, float]:
    """First and last second within 12 nm, sampling every second along the lon/lat lines."""
    grid = np.arange(tr.t[0], tr.t[-1] + 1)
    d = ZS.distance_nm(np.interp(grid, tr.t, tr.lon), np.interp(grid, tr.t, tr.lat))
    inside = grid[d <= 12.0]
    return float(inside[0]), float(inside[-1])


def test_radial_visit_gives_exact_crossings_and_days() -> None:
    tr = track(
        (jst(1, 9), point_at(30.0, 270)),
        (jst(1, 12), point_at(6.0, 275)),
        (jst(1, 14, 30), point_at(30.0, 280)),
    )
    days, incidents, problems = evaluate(PERIOD, {413000001: tr}, {})
    assert problems == []
    (inc,) = incidents
    start, end = brute_ts_interval(tr)
    assert abs(inc.start.timestamp() - start) <= 1.0
    assert abs(inc.end.timestamp() - end) <= 1.0
    assert inc.vessels == frozenset({413000001})
    assert inc.fishing_nearby is False
    assert days[D1] == (frozenset({413000001}), frozenset({413000001}))
    assert days[D1 + dt.timedelta(days=1)] == (frozenset(), frozenset())


@pytest.mark.parametrize(("gap_h", "expected"), [(5.0, 1), (7.0, 0)])
def test_no_presence_across_a_gap_over_six_hours(gap_h: float, expected: int) -> None:
    a = (jst(2, 6), point_at(26.0, 330))
    b = (jst(2, 6) + int(gap_h * 3600), point_at(26.0, 190))  # the line crosses the TS
    days, incidents, problems = evaluate(PERIOD, {413000001: track(a, b)}, {})
    assert problems == []
    assert len(incidents) == expected
    present = frozenset({413000001}) if expected else frozenset()
    assert days[D1 + dt.timedelta(days=1)] == (present, present)


@pytest.mark.parametrize(("gap_min", "expected"), [(30, 1), (90, 2)])
def test_intrusions_less_than_an_hour_apart_merge(gap_min: int, expected: int) -> None:
    first = track(
        (jst(1, 8), point_at(20.0, 260)),
        (jst(1, 9), point_at(8.0, 260)),
        (jst(1, 10), point_at(20.0, 260)),
    )
    _, (only,), _ = evaluate(PERIOD, {1: first}, {})
    shift = int(only.end.timestamp() - jst(1, 8)) + gap_min * 60
    # the second ship enters `gap_min` after the first leaves
    enter_offset = int(only.start.timestamp()) - jst(1, 8)
    second = Track(first.t + shift - enter_offset, first.lon, first.lat)
    _, incidents, problems = evaluate(PERIOD, {1: first, 2: second}, {})
    assert problems == []
    assert len(incidents) == expected
    assert frozenset().union(*(i.vessels for i in incidents)) == frozenset({1, 2})


def test_merge_gap_near_one_hour_is_reported_as_ambiguous() -> None:
    first = track(
        (jst(1, 8), point_at(20.0, 260)),
        (jst(1, 9), point_at(8.0, 260)),
        (jst(1, 10), point_at(20.0, 260)),
    )
    _, (only,), _ = evaluate(PERIOD, {1: first}, {})
    enter_offset = int(only.start.timestamp()) - jst(1, 8)
    second = Track(first.t + int(only.end.timestamp()) - jst(1, 8) + 3600 - enter_offset + 120,
                   first.lon, first.lat)  # fmt: skip
    _, _, problems = evaluate(PERIOD, {1: first, 2: second}, {})
    assert any("merge threshold" in p or "near 1 h" in p for p in problems)


def test_crossing_near_local_midnight_is_reported() -> None:
    tr = track(
        (jst(1, 23, 30), point_at(30.0, 270)),
        (jst(2, 0, 30), point_at(18.0, 270)),
    )
    _, _, problems = evaluate(PERIOD, {1: tr}, {})
    # the 24 nm line is crossed half-way, at midnight
    assert any("near midnight" in p for p in problems)


def test_leg_grazing_the_territorial_sea_line_is_reported() -> None:
    a, b = point_at(13.5, 240), point_at(13.5, 300)
    lo, hi = 0.0, 1.0  # move both ends outwards until the chord's closest point is 12.1 nm
    for _ in range(40):
        mid = (lo + hi) / 2
        pa = (
            UOTSURI[0] + (a[0] - UOTSURI[0]) * (1 + mid),
            UOTSURI[1] + (a[1] - UOTSURI[1]) * (1 + mid),
        )
        pb = (
            UOTSURI[0] + (b[0] - UOTSURI[0]) * (1 + mid),
            UOTSURI[1] + (b[1] - UOTSURI[1]) * (1 + mid),
        )
        s = np.linspace(0, 1, 400)
        dmin = ZS.distance_nm(pa[0] + s * (pb[0] - pa[0]), pa[1] + s * (pb[1] - pa[1])).min()
        lo, hi = (mid, hi) if dmin < 12.1 else (lo, mid)
    _, incidents, problems = evaluate(PERIOD, {1: track((jst(1, 9), pa), (jst(1, 12), pb))}, {})
    assert incidents == ()
    assert any("grazes the 12 nm line" in p for p in problems)


def test_isolated_fix_inside_counts_at_its_instant() -> None:
    tr = track(
        (jst(1, 2), point_at(30.0, 270)),
        (jst(2, 10), point_at(8.0, 270)),
        (jst(3, 18), point_at(30.0, 270)),
    )
    days, (inc,), problems = evaluate(PERIOD, {7: tr}, {})
    assert inc.start == inc.end == dt.datetime.fromtimestamp(jst(2, 10), dt.UTC)
    assert days[D1 + dt.timedelta(days=1)] == (frozenset({7}), frozenset({7}))
    assert days[D1] == (frozenset(), frozenset())
    assert any("gap over 6 h" in p for p in problems)  # such gaps inside zones are flagged


@pytest.mark.parametrize(("offset_nm", "expected"), [(0.5, True), (1.0, None), (3.0, False)])
def test_fishing_nearby_reads_the_closest_approach(offset_nm: float, expected: bool | None) -> None:
    fixes = [(jst(1, 8), point_at(20.0, 250)), (jst(1, 10), point_at(7.0, 250)),
             (jst(1, 12), point_at(7.0, 262)), (jst(1, 14), point_at(20.0, 262))]  # fmt: skip
    ccg = track(*fixes)
    boat = []
    for t, (lon, lat) in fixes:
        blon, blat, _ = GEOD.fwd(lon, lat, 160.0, offset_nm * 1852)
        boat.append((t, (float(blon), float(blat))))
    _, (inc,), problems = evaluate(PERIOD, {1: ccg}, {431000001: track(*boat)})
    assert problems == []
    assert inc.fishing_nearby is expected


def test_truth_json_round_trip() -> None:
    t0 = dt.datetime(2024, 3, 1, 3, 4, 5, 678000, tzinfo=dt.UTC)
    truth = Truth(
        days={
            D1: (frozenset({1, 2}), frozenset({2})),
            D1 + dt.timedelta(days=1): (frozenset(), frozenset()),
        },
        incidents=(TruthIncident(t0, t0 + dt.timedelta(hours=2), frozenset({2}), None),),
        fleet_mmsis=frozenset({1, 2, 3}),
        corrupted_lines={"bad_checksum": 2, "not_ais": 0},
        noise={"spoofed_fixes": 4},
    )  # fmt: skip
    text = truth.to_json()
    again = Truth.from_json(text)
    assert again == truth
    assert again.to_json() == text
    assert again.contiguous_zone_days == 1
    assert again.territorial_sea_days == 1
