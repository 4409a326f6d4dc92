"""The simulator's event truth: its rules on hand-made fixes, and the activity planted for it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import Counter

import numpy as np
import pytest

from zonewatch.errors import ParameterError
from zonewatch.sim import SimConfig, TruthEvent
from zonewatch.sim.event_truth import scenario_events
from zonewatch.sim.geometry import baseline_distance_nm, local_frame, ring_table
from zonewatch.sim.land import land_grid, shore_distance_nm
from zonewatch.sim.planted import ANOMALY_CODES, COASTER_ROUTE, INLAND_SHIFT_DEG
from zonewatch.sim.run import Scenario, plan_scenario

T0 = int(dt.datetime(2024, 3, 1, tzinfo=dt.UTC).timestamp())
FLEET, SHADOW, DRIFT_A, DRIFT_B, PASS_A, PASS_B, LONER, TRANSIT = (
    413520230, 431000561, 412000101, 412000102, 412000103, 412000104, 412000105, 355000001,
)  # fmt: skip


def _at(theta_deg: float, d_nm: float) -> tuple[float, float]:
    """Plane point (nm) at a bearing and a distance to the baseline."""
    x, y = ring_table().xy(theta_deg, d_nm)
    return float(x[0]), float(y[0])


class _Fixes:
    """Hand-made fixes in plane coordinates, turned into the truth's inputs."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, int, float, float, float, int]] = []

    def line(
        self,
        mmsi: int,
        times: range,
        a: tuple[float, float],
        b: tuple[float, float],
        sog: float,
        code: int = 0,
    ) -> None:
        t0, t1 = times[0], times[-1]
        for t in times:
            w = (t - t0) / (t1 - t0) if t1 > t0 else 0.0
            self.rows.append(
                (mmsi, t, a[0] + w * (b[0] - a[0]), a[1] + w * (b[1] - a[1]), sog, code)
            )

    def events(self) -> tuple[list[TruthEvent], list[str]]:
        rows = sorted(self.rows, key=lambda r: (r[0], r[1]))
        mmsi = np.array([r[0] for r in rows], dtype=np.int64)
        t = np.array([r[1] for r in rows], dtype=np.int64)
        lon, lat = local_frame().to_lonlat([r[2] for r in rows], [r[3] for r in rows])
        code = np.array([r[5] for r in rows], dtype=np.int8)
        null = code == ANOMALY_CODES["null_island"]
        lon[null], lat[null] = 0.0, 0.0
        events, problems = scenario_events(
            mmsi,
            t,
            np.round(lon * 600_000).astype(np.int64),
            np.round(lat * 600_000).astype(np.int64),
            np.array([round(r[4] * 10) for r in rows], dtype=np.int64),
            code,
            frozenset({FLEET}),
            frozenset({DRIFT_A, DRIFT_B}),
        )
        return events, [p.what for p in problems]


def _when(t: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(t, dt.UTC)


def test_event_rules_on_hand_made_fixes() -> None:
    fx = _Fixes()
    far = _at(300.0, 40.0)
    # slow for exactly 2 h, silent exactly 6 h, then fast; later silent 6 h less one second
    fx.line(LONER, range(T0, T0 + 7201, 600), far, far, 0.5)
    fx.line(LONER, range(T0 + 28_800, T0 + 32_401, 600), far, (far[0] + 9, far[1]), 9.0)
    fx.line(LONER, range(T0 + 53_999, T0 + 57_600, 600), far, far, 9.0)
    # a transit across both zone lines and out again, radially, at 12 kn
    out, inner = _at(250.0, 30.0), _at(250.0, 8.0)
    fx.line(TRANSIT, range(T0, T0 + 6601, 300), out, inner, 12.0)
    fx.line(TRANSIT, range(T0 + 6900, T0 + 13_501, 300), inner, out, 12.0)
    # a JCG ship 1.5 nm from a CCG ship for 3 h, both at 5 kn
    a, b = _at(220.0, 18.0), _at(240.0, 18.0)
    fx.line(FLEET, range(T0 + 100, T0 + 10_901, 600), a, b, 5.0)
    fx.line(SHADOW, range(T0 + 130, T0 + 10_931, 600), (a[0] + 1.5, a[1]), (b[0] + 1.5, b[1]), 5.0)
    # two fishing boats drifting 200 m apart for 3 h; two more passing each other at 10 kn
    m = _at(320.0, 35.0)
    fx.line(DRIFT_A, range(T0, T0 + 10_801, 600), m, (m[0] + 1.5, m[1]), 0.5)
    beside = (m[0], m[1] + 0.108)  # 200 m north
    fx.line(DRIFT_B, range(T0 + 50, T0 + 10_851, 600), beside, (beside[0] + 1.5, beside[1]), 0.5)
    p = _at(340.0, 40.0)
    fx.line(PASS_A, range(T0, T0 + 3601, 300), (p[0] - 5, p[1]), (p[0] + 5, p[1]), 10.0)
    fx.line(PASS_B, range(T0, T0 + 3601, 300), (p[0] + 5, p[1] + 0.1), (p[0] - 5, p[1] + 0.1), 10.0)
    events, problems = fx.events()
    assert problems == []
    kinds = Counter(e.kind for e in events)
    assert kinds == {
        "loitering": 3,
        "ais_gap": 1,
        "zone_entry": 2,
        "zone_exit": 2,
        "shadowing": 1,
        "encounter": 1,
    }
    loiter = {e.mmsi: (e.start, e.end) for e in events if e.kind == "loitering"}
    assert loiter[LONER] == (_when(T0), _when(T0 + 7200))
    (gap,) = (e for e in events if e.kind == "ais_gap")
    assert (gap.mmsi, gap.start, gap.end, gap.likely_intentional) == (
        LONER, _when(T0 + 7200), _when(T0 + 28_800), False,
    )  # fmt: skip
    (shadow,) = (e for e in events if e.kind == "shadowing")
    assert (shadow.mmsi, shadow.other_mmsi) == (FLEET, SHADOW)
    assert (shadow.start, shadow.end) == (_when(T0 + 300), _when(T0 + 10_800))  # the 300 s grid
    (meet,) = (e for e in events if e.kind == "encounter")
    assert (meet.mmsi, meet.other_mmsi) == (DRIFT_A, DRIFT_B)
    assert (meet.start, meet.end) == (_when(T0 + 300), _when(T0 + 10_800))
    crossings = sorted((e.start, e.kind, e.zone) for e in events if e.mmsi == TRANSIT)
    assert [(k, z) for _, k, z in crossings] == [
        ("zone_entry", "contiguous_zone:senkaku"),
        ("zone_entry", "territorial_sea:senkaku"),
        ("zone_exit", "territorial_sea:senkaku"),
        ("zone_exit", "contiguous_zone:senkaku"),
    ]
    for when, _, zone in crossings:  # on the line: the crossing point is that far out
        limit = 12.0 if zone.startswith("territorial") else 24.0
        t = when.timestamp()
        leg = (range(T0, T0 + 6601), out, inner) if t < T0 + 6600 else (
            range(T0 + 6900, T0 + 13_501), inner, out,
        )  # fmt: skip
        w = (t - leg[0][0]) / (leg[0][-1] - leg[0][0])
        x, y = (leg[1][i] + w * (leg[2][i] - leg[1][i]) for i in (0, 1))
        lon, lat = local_frame().to_lonlat(x, y)
        assert float(baseline_distance_nm(lon, lat)[0]) == pytest.approx(limit, abs=2e-4)


def test_anomalies_on_hand_made_fixes() -> None:
    fx = _Fixes()
    home, away = _at(300.0, 40.0), _at(180.0, 40.0)
    fx.line(LONER, range(T0, T0 + 14_401, 600), home, (home[0] + 3, home[1]), 8.0)
    fx.line(TRANSIT, range(T0, T0 + 3601, 360), away, (away[0] + 8, away[1]), 8.0)
    twin = ANOMALY_CODES["twin"]
    for k in range(4):  # a second transmitter, every third interval of the boat's
        at = T0 + 1500 + 1800 * k
        fx.rows.append((LONER, at, away[0], away[1] + 0.1 * k, 0.4, twin))
    for at in (T0 + 1080, T0 + 1440):
        fx.rows[:] = [r for r in fx.rows if not (r[0] == TRANSIT and r[1] == at)]
        fx.rows.append((TRANSIT, at, 0.0, 0.0, 8.0, ANOMALY_CODES["null_island"]))
    events, problems = fx.events()
    assert problems == []
    by_kind: dict[str, list[TruthEvent]] = {}
    for e in events:
        by_kind.setdefault(e.kind, []).append(e)
    (conflict,) = by_kind["identity_conflict"]
    assert (conflict.mmsi, conflict.start, conflict.end) == (
        LONER, _when(T0 + 1500), _when(T0 + 1500 + 5400 + 300),
    )  # fmt: skip
    assert [e.start for e in by_kind["position_jump"]] == [
        _when(T0 + 1500 + 1800 * k) for k in range(4)
    ]
    (null,) = by_kind["null_island"]
    assert (null.mmsi, null.start, null.end) == (TRANSIT, _when(T0 + 1080), _when(T0 + 1440))


def test_land_grid_reads_the_globe_mask() -> None:
    grid = land_grid()
    (lon0, lat0), (lon1, lat1) = COASTER_ROUTE
    s = np.linspace(0.0, 1.0, 50)
    route_lon, route_lat = lon0 + s * (lon1 - lon0), lat0 + s * (lat1 - lat0)
    assert not grid.is_land(route_lon, route_lat).any()  # the coaster sails at sea ...
    assert grid.is_inland(route_lon - INLAND_SHIFT_DEG, route_lat).all()  # ... faults inland
    assert (shore_distance_nm(route_lon, route_lat) > 1.0).all()
    # Uotsuri-shima is land for the zone set, 10 nm north of it is 10 nm from shore
    assert shore_distance_nm([123.476], [25.744])[0] == 0.0
    assert 9.0 < shore_distance_nm([123.476], [25.95])[0] < 11.0
    assert np.isinf(shore_distance_nm([125.0], [28.0])[0])  # > 100 nm from any land


def test_shore_distance_agrees_with_zonewatch_land_mask() -> None:
    shore = pytest.importorskip("zonewatch.events.shore")
    from zonewatch.zones import load_zone_set

    rng = np.random.default_rng(4)
    lon, lat = rng.uniform(121.6, 125.0, 300), rng.uniform(24.3, 26.9, 300)
    theirs = shore.Shore(shore.default_land_mask(), load_zone_set("senkaku")).distance_nm(lon, lat)
    ours = shore_distance_nm(lon, lat)
    assert np.array_equal(np.isinf(ours), np.isinf(theirs))
    finite = np.isfinite(ours)
    assert np.allclose(ours[finite], theirs[finite], atol=1e-6)


@pytest.fixture(scope="module")
def month() -> Scenario:
    return plan_scenario(
        SimConfig(start=dt.date(2024, 6, 1), days=30, seed=6, encounters_per_month=4)
    )


def test_planted_activity_is_where_it_belongs(month: Scenario) -> None:
    roles = {m: i.role for m, i in month.identities.items()}
    kinds: dict[str, list[TruthEvent]] = {}
    for e in month.events:
        kinds.setdefault(e.kind, []).append(e)
    meetings = kinds["encounter"]
    assert len(meetings) == month.planted["planted_encounters"] == 4
    for e in meetings:
        assert {roles[e.mmsi], roles[e.other_mmsi or 0]} == {"meeting", "carrier"}
        assert dt.timedelta(hours=2.4) < e.end - e.start < dt.timedelta(hours=5.6)
    assert {roles[e.mmsi] for e in kinds["identity_conflict"]} == {"fishing_cn"}
    assert {roles[e.mmsi] for e in kinds["null_island"]} == {"merchant"}
    assert {roles[e.mmsi] for e in kinds["on_land"]} == {"coaster"}
    twins = month.code == ANOMALY_CODES["twin"]
    assert len(kinds["position_jump"]) == int(twins.sum()) > 0  # spoofs come with the noise
    real = month.code != ANOMALY_CODES["null_island"]
    inland = month.code[real] == ANOMALY_CODES["inland"]
    on = land_grid().is_inland(month.lon[real] / 600_000, month.lat[real] / 600_000)
    assert np.array_equal(on, inland)  # every fault is inland, nothing else is
    planted = {m for m, r in roles.items() if r in ("meeting", "carrier", "coaster")}
    fleet = {m for m, r in roles.items() if r == "ccg"}
    for e in month.events:
        assert not ({e.mmsi, e.other_mmsi} & planted and {e.mmsi, e.other_mmsi} & fleet)


def test_planted_activity_leaves_the_fleet_counts_alone(month: Scenario) -> None:
    quiet = dataclasses.replace(
        month.config,
        encounters_per_month=0.0,
        loitering_merchants_per_month=0.0,
        shared_mmsi_per_month=0.0,
        null_island_per_month=0.0,
        gps_faults_per_month=0.0,
    )
    bare = plan_scenario(quiet)
    assert bare.days == month.days
    assert bare.incidents == month.incidents
    kinds = Counter(e.kind for e in bare.events)
    assert not {"encounter", "identity_conflict", "null_island", "on_land", "position_jump"} & set(
        kinds
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("encounters_per_month", -1.0),
        ("null_island_per_month", 31.0),
        ("gps_faults_per_month", math.nan),
        ("n_carrier", 0),
    ],
)
def test_new_settings_are_validated(name: str, value: float) -> None:
    with pytest.raises(ParameterError, match=name):
        dataclasses.replace(SimConfig(), **{name: value})
