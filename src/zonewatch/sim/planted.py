"""Activity planted for the event catalogue: meetings, shared MMSIs, null island, fixes inland.

Everything here happens away from the fleet (at least :data:`CLEAR_NM` from
every planned China Coast Guard and Japan Coast Guard path), outside the
contiguous zone, so it never changes what the fleet counts are about.

- **Encounters**: a Chinese fishing boat waits for a fish carrier 26-32 nm
  from the baseline, north-west of the islands; the carrier comes alongside
  (100-280 m) and both drift together at 0.2-0.6 kn for 2.5-5.5 h. The first
  meeting of a period spans midnight UTC, the second midnight in Tokyo.
- **Shared MMSI**: for 2-5 h a second transmitter, 40 nm or more away, uses
  the MMSI of a Chinese fishing boat that is reporting normally; it reports
  every third interval of the boat's, half-way between two of its fixes.
- **Null island**: a merchant ship reports one to three consecutive fixes at (0, 0).
- **Fixes inland**: a coaster sails 1-4 nm off north-east Taiwan; its receiver
  puts two or three consecutive fixes 0.11 degrees west, about 3 nm inland.

Trips of the planted vessels are returned to be sampled like any other; the
second transmitter's fixes and the faulty positions are applied to the
sampled fixes by :func:`apply_anomalies`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from zonewatch.sim.config import SimConfig
from zonewatch.sim.geometry import RingTable, approx_baseline_distance_nm, local_frame
from zonewatch.sim.identities import Roster
from zonewatch.sim.land import leaves_clear_of
from zonewatch.sim.moves import planned_intervals
from zonewatch.sim.paths import HOUR, PathBuilder, Period, Trip

__all__ = [
    "ANOMALY_CODES",
    "CLEAR_NM",
    "Anomalies",
    "FaultPlan",
    "PlantedPlan",
    "TwinPlan",
    "apply_anomalies",
    "clear_of",
    "count_for",
    "plan_planted",
]

CLEAR_NM = 3.0
"""Planted vessels keep at least this far from every planned fleet and JCG path."""

ANOMALY_CODES = {"normal": 0, "null_island": 1, "twin": 2, "inland": 3}
"""Per-fix codes: a normal fix, a fix at (0, 0), a second transmitter's fix, a fix put inland."""

COASTER_ROUTE = ((121.905, 24.50), (121.895, 24.78))
"""Ends (lon, lat) of the coaster's route off north-east Taiwan, 1-4 nm offshore."""

INLAND_SHIFT_DEG = 0.11
"""A faulty coaster fix lies this far west of the true position (about 3 nm inland)."""

COASTER_INTERVAL_S = 600
TWIN_EVERY = 3

_FAR_NM = 64.0
_DAY = 24 * HOUR
_MONTH_DAYS = 30.0


def count_for(rate_per_month: float, days: int, rng: np.random.Generator) -> int:
    """How many things happen in ``days`` at ``rate_per_month`` (the fraction rounded by chance).

    Examples
    --------
    >>> count_for(3.0, 20, np.random.default_rng(0))
    2
    """
    expected = rate_per_month * days / _MONTH_DAYS
    return int(expected) + int(rng.random() < expected - int(expected))


def _far(theta_deg: float) -> tuple[float, float]:
    th = math.radians(theta_deg)
    return _FAR_NM * math.sin(th), _FAR_NM * math.cos(th)


def clear_of(
    trips: list[Trip], t: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.float64]
) -> bool:
    """Whether a planned path stays :data:`CLEAR_NM` or more from every trip (every 2 min)."""
    t0, t1 = float(t[0]), float(t[-1])
    for trip in trips:
        a, b = max(t0, float(trip.t[0])), min(t1, float(trip.t[-1]))
        if a > b:
            continue
        grid = np.arange(a, b + 120.0, 120.0)
        grid = np.minimum(grid, b)
        dx = np.interp(grid, t, x) - np.interp(grid, trip.t, trip.x)
        dy = np.interp(grid, t, y) - np.interp(grid, trip.t, trip.y)
        if float(np.hypot(dx, dy).min()) < CLEAR_NM:
            return False
    return True


def _free(busy: list[tuple[float, float]], a: float, b: float, margin: float) -> bool:
    return all(b + margin < s or a - margin > e for s, e in busy)


@dataclass(frozen=True)
class TwinPlan:
    """A second transmitter using ``mmsi`` between ``start_s`` and ``end_s``.

    It starts at ``anchor`` (plane nm) and drifts at ``drift_kn`` (east, north).
    """

    mmsi: int
    start_s: float
    end_s: float
    anchor: tuple[float, float]
    drift_kn: tuple[float, float]


@dataclass(frozen=True)
class FaultPlan:
    """A coaster trip (``start_s``-``end_s``) during which two or three fixes are put inland."""

    mmsi: int
    start_s: float
    end_s: float
    n_fixes: int


@dataclass
class PlantedPlan:
    """Trips of the planted vessels and the anomalies to apply after sampling."""

    trips: list[Trip] = field(default_factory=list)
    twins: list[TwinPlan] = field(default_factory=list)
    null_runs: list[tuple[int, float, float, int]] = field(default_factory=list)
    faults: list[FaultPlan] = field(default_factory=list)
    encounters: int = 0


def _meeting(
    rings: RingTable,
    t_meet: float,
    hours: float,
    rng: np.random.Generator,
) -> tuple[PathBuilder, PathBuilder]:
    """A fishing boat's and a carrier's paths meeting at ``t_meet`` for ``hours``."""
    theta = float(rng.uniform(255.0, 335.0))
    d = float(rng.uniform(26.5, 32.0))
    mx, my = (float(v[0]) for v in rings.xy(theta, d))
    speed = float(rng.uniform(0.2, 0.6))
    heading = math.radians(float(rng.uniform(0.0, 360.0)))
    vx, vy = speed * math.sin(heading), speed * math.cos(heading)
    wait = float(rng.uniform(0.8, 1.5))
    after = float(rng.uniform(0.5, 1.2))
    boat = PathBuilder.at(0.0, *_far(float(rng.uniform(305.0, 345.0))))
    boat.goto(mx - vx * wait, my - vy * wait, 8.0)
    boat.t = [t + (t_meet - wait * HOUR - boat.now) for t in boat.t]
    boat.add(t_meet + (hours + after) * HOUR, mx + vx * (hours + after), my + vy * (hours + after))
    boat.goto(*_far(float(rng.uniform(315.0, 355.0))), 8.0)
    ang = float(rng.uniform(0.0, 2 * math.pi))
    off = float(rng.uniform(0.055, 0.15))
    cx, cy = mx + off * math.sin(ang), my + off * math.cos(ang)
    carrier = PathBuilder.at(0.0, *_far(float(rng.uniform(330.0, 380.0))))
    carrier.goto(cx, cy, float(rng.uniform(11.0, 13.0)))
    carrier.t = [t + (t_meet - carrier.now) for t in carrier.t]
    carrier.add(t_meet + hours * HOUR, cx + vx * hours, cy + vy * hours)
    carrier.goto(*_far(float(rng.uniform(330.0, 380.0))), float(rng.uniform(11.0, 13.0)))
    return boat, carrier


def _path_ok(path: PathBuilder, avoid: list[Trip]) -> bool:
    """Outside the contiguous zone, clear of ``avoid``, leaving range off the 50 nm shore line."""
    t, x, y = np.array(path.t), np.array(path.x), np.array(path.y)
    leaving = math.degrees(math.atan2(path.x[-1], path.y[-1]))
    return (
        not planned_intervals(t, x, y, 25.0)
        and clear_of(avoid, t, x, y)
        and leaves_clear_of(path.x[-2], path.y[-2], leaving)
    )


def _plan_encounters(
    config: SimConfig,
    period: Period,
    roster: Roster,
    rings: RingTable,
    avoid: list[Trip],
    rng: np.random.Generator,
    plan: PlantedPlan,
) -> None:
    start, end = float(period.start_s), float(period.end_s)
    n = count_for(config.encounters_per_month, period.days, rng)
    utc = [float(m) for m in range(math.ceil(start / _DAY) * 86400, int(end), 86400)]
    local = [float(m) for m in period.midnights[1:-1]]
    busy: dict[int, list[tuple[float, float]]] = {}
    planted: list[Trip] = []
    for i in range(n):
        for _attempt in range(40):
            hours = float(rng.uniform(2.5, 5.5))
            around = utc if i == 0 else local if i == 1 else []
            around = [m for m in around if start + 6 * HOUR < m < end - 8 * HOUR]
            if around:
                t_meet = float(rng.choice(around)) - float(rng.uniform(0.5, hours - 0.5)) * HOUR
            else:
                t_meet = float(rng.uniform(start + 3 * HOUR, max(start + 3 * HOUR, end - 9 * HOUR)))
            boat, carrier = _meeting(rings, t_meet, hours, rng)
            boats = [
                b.mmsi
                for b in roster.meeting
                if _free(busy.get(b.mmsi, []), boat.t[0], boat.t[-1], 6 * HOUR)
            ]
            carriers = [
                c.mmsi
                for c in roster.carrier
                if _free(busy.get(c.mmsi, []), carrier.t[0], carrier.t[-1], 6 * HOUR)
            ]
            if not boats or not carriers:
                continue
            if not (_path_ok(boat, avoid + planted) and _path_ok(carrier, avoid + planted)):
                continue
            b_mmsi, c_mmsi = int(rng.choice(boats)), int(rng.choice(carriers))
            busy.setdefault(b_mmsi, []).append((boat.t[0], boat.t[-1]))
            busy.setdefault(c_mmsi, []).append((carrier.t[0], carrier.t[-1]))
            trips = [
                Trip.of(b_mmsi, boat, config.fishing_report_interval_s, 7),
                Trip.of(c_mmsi, carrier, config.merchant_report_interval_s),
            ]
            planted += trips
            plan.trips += trips
            plan.encounters += 1
            break


def _plan_twins(
    config: SimConfig,
    period: Period,
    roster: Roster,
    traffic: list[Trip],
    rng: np.random.Generator,
    plan: PlantedPlan,
) -> None:
    cn = {b.mmsi for b in roster.fishing_cn}
    hosts = [tr for tr in traffic if tr.mmsi in cn]
    n = count_for(config.shared_mmsi_per_month, period.days, rng)
    start, end = float(period.start_s), float(period.end_s)
    used: list[tuple[int, float, float]] = []
    for _ in range(n):
        for _attempt in range(40):
            if not hosts:
                return
            trip = hosts[int(rng.integers(len(hosts)))]
            hours = float(rng.uniform(2.0, 5.0))
            lo = max(float(trip.t[0]), start) + 4 * HOUR
            hi = min(float(trip.t[-1]), end) - 4 * HOUR - hours * HOUR
            if hi <= lo:
                continue
            a = float(rng.uniform(lo, hi))
            b = a + hours * HOUR
            if any(s0 - 4 * HOUR < b and s1 + 4 * HOUR > a for s0, s1 in trip.silences):
                continue
            if any(m == trip.mmsi and a - 6 * HOUR < e and b + 6 * HOUR > s for m, s, e in used):
                continue
            grid = np.linspace(a, b, 20)
            hx, hy = np.interp(grid, trip.t, trip.x), np.interp(grid, trip.t, trip.y)
            if float(np.hypot(hx, hy).max()) > 58.0:
                continue
            th = math.degrees(math.atan2(float(hx.mean()), float(hy.mean())))
            th_twin = math.radians(th + 180.0 + float(rng.uniform(-40.0, 40.0)))
            r = float(rng.uniform(34.0, 52.0))
            qx, qy = r * math.sin(th_twin), r * math.cos(th_twin)
            if float(np.hypot(hx - qx, hy - qy).min()) < 40.0:
                continue
            speed = float(rng.uniform(0.3, 0.9))
            heading = math.radians(float(rng.uniform(0.0, 360.0)))
            ex, ey = qx + speed * hours * math.sin(heading), qy + speed * hours * math.cos(heading)
            if float(approx_baseline_distance_nm([qx, ex], [qy, ey]).min()) < 3.0:
                continue  # off every island: a fix on one would be dropped as on land
            plan.twins.append(
                TwinPlan(
                    trip.mmsi,
                    a,
                    b,
                    (qx, qy),
                    (speed * math.sin(heading), speed * math.cos(heading)),
                )
            )
            used.append((trip.mmsi, a, b))
            break


def _plan_null_runs(
    config: SimConfig,
    period: Period,
    roster: Roster,
    traffic: list[Trip],
    rng: np.random.Generator,
    plan: PlantedPlan,
) -> None:
    merchants = {m.mmsi for m in roster.merchant}
    start, end = float(period.start_s), float(period.end_s)
    candidates = [
        tr for tr in traffic if tr.mmsi in merchants and tr.t[0] > start and tr.t[-1] < end
    ]
    n = min(count_for(config.null_island_per_month, period.days, rng), len(candidates))
    for k in rng.choice(len(candidates), size=n, replace=False) if n else []:
        tr = candidates[int(k)]
        plan.null_runs.append((tr.mmsi, float(tr.t[0]), float(tr.t[-1]), int(rng.integers(1, 4))))


def _plan_faults(
    config: SimConfig, period: Period, roster: Roster, rng: np.random.Generator, plan: PlantedPlan
) -> None:
    n = count_for(config.gps_faults_per_month, period.days, rng)
    frame = local_frame()
    (lon0, lat0), (lon1, lat1) = COASTER_ROUTE
    ex, ey = frame.to_xy([lon0, lon1], [lat0, lat1])
    start, end = float(period.start_s), float(period.end_s)
    busy: list[tuple[float, float]] = []
    for _ in range(n):
        for _attempt in range(40):
            t0 = float(rng.uniform(start + HOUR, max(start + HOUR, end - 6 * HOUR)))
            south_first = bool(rng.random() < 0.5)
            a, b = (0, 1) if south_first else (1, 0)
            path = PathBuilder.at(t0, float(ex[a]), float(ey[a]))
            path.goto(float(ex[b]), float(ey[b]), float(rng.uniform(7.0, 9.0)))
            if not _free(busy, path.t[0], path.t[-1], 12 * HOUR) or path.t[-1] > end - HOUR:
                continue
            busy.append((path.t[0], path.t[-1]))
            plan.trips.append(Trip.of(roster.coaster.mmsi, path, COASTER_INTERVAL_S, anywhere=True))
            plan.faults.append(
                FaultPlan(roster.coaster.mmsi, path.t[0], path.t[-1], int(rng.integers(2, 4)))
            )
            break


def plan_planted(
    config: SimConfig,
    period: Period,
    roster: Roster,
    rings: RingTable,
    fleet: list[Trip],
    traffic: list[Trip],
    rng: np.random.Generator,
) -> PlantedPlan:
    """Plan the planted activity of a period.

    Parameters
    ----------
    config, period, roster, rings
        Scenario settings, days, identities and ring geometry.
    fleet
        Every planned CCG and JCG trip (planted vessels keep clear of them).
    traffic
        The other planned trips (shared MMSIs and null-island fixes are taken from them).
    rng
        The planted activity's own random stream.
    """
    plan = PlantedPlan()
    _plan_encounters(config, period, roster, rings, fleet, rng, plan)
    _plan_twins(config, period, roster, traffic, rng, plan)
    _plan_null_runs(config, period, roster, traffic, rng, plan)
    _plan_faults(config, period, roster, rng, plan)
    return plan


@dataclass(frozen=True)
class Anomalies:
    """Sampled fixes (sorted by MMSI, time) with the planted anomalies applied, and their codes."""

    mmsi: NDArray[np.int64]
    t: NDArray[np.int64]
    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    sog_kn: NDArray[np.float64]
    cog_deg: NDArray[np.float64]
    nav_status: NDArray[np.int64]
    code: NDArray[np.int8]


def _window(
    mmsi: NDArray[np.int64], t: NDArray[np.int64], m: int, a: float, b: float
) -> NDArray[np.intp]:
    lo = int(np.searchsorted(mmsi, m, side="left"))
    hi = int(np.searchsorted(mmsi, m, side="right"))
    k0 = lo + int(np.searchsorted(t[lo:hi], a, side="left"))
    k1 = lo + int(np.searchsorted(t[lo:hi], b, side="right"))
    return np.arange(k0, k1)


def apply_anomalies(
    mmsi: NDArray[np.int64],
    t: NDArray[np.int64],
    lon: NDArray[np.float64],
    lat: NDArray[np.float64],
    sog_kn: NDArray[np.float64],
    cog_deg: NDArray[np.float64],
    nav_status: NDArray[np.int64],
    plan: PlantedPlan,
    rng: np.random.Generator,
) -> Anomalies:
    """Apply the planted anomalies to sampled fixes (sorted by MMSI, time; lon/lat degrees).

    Fixes at (0, 0) and inland replace the positions of real fixes; the second
    transmitter's fixes are added, each half-way between two of the host's
    fixes at most 640 s apart, every :data:`TWIN_EVERY` intervals.
    """
    lon, lat = lon.copy(), lat.copy()
    code = np.zeros(len(t), dtype=np.int8)
    for m, a, b, n in plan.null_runs:
        idx = _window(mmsi, t, m, a, b)
        if idx.size < 12:
            continue
        k = int(rng.integers(4, idx.size - 4 - n))
        run = idx[k : k + n]
        lon[run] = 0.0
        lat[run] = 0.0
        code[run] = ANOMALY_CODES["null_island"]
    for f in plan.faults:
        idx = _window(mmsi, t, f.mmsi, f.start_s, f.end_s)
        if idx.size < f.n_fixes + 6:
            continue
        k = int(rng.integers(3, idx.size - 3 - f.n_fixes))
        run = idx[k : k + f.n_fixes]
        lon[run] -= INLAND_SHIFT_DEG
        code[run] = ANOMALY_CODES["inland"]
    add_t: list[int] = []
    add_m: list[int] = []
    add_xy: list[tuple[float, float]] = []
    add_v: list[tuple[float, float]] = []
    for tw in plan.twins:
        idx = _window(mmsi, t, tw.mmsi, tw.start_s, tw.end_s)
        for j in range(1, idx.size - 1, TWIN_EVERY):
            k = idx[j]
            gap = int(t[k + 1] - t[k])
            if mmsi[k + 1] != tw.mmsi or not 240 <= gap <= 640 or code[k] or code[k + 1]:
                continue
            at = int(t[k]) + gap // 2
            hours = (at - tw.start_s) / HOUR
            add_t.append(at)
            add_m.append(tw.mmsi)
            add_xy.append(
                (tw.anchor[0] + tw.drift_kn[0] * hours, tw.anchor[1] + tw.drift_kn[1] * hours)
            )
            add_v.append(tw.drift_kn)
    if add_t:
        xy = np.array(add_xy)
        t_lon, t_lat = local_frame().to_lonlat(xy[:, 0], xy[:, 1])
        v = np.array(add_v)
        mmsi = np.concatenate([mmsi, np.array(add_m, dtype=np.int64)])
        t = np.concatenate([t, np.array(add_t, dtype=np.int64)])
        lon = np.concatenate([lon, t_lon])
        lat = np.concatenate([lat, t_lat])
        sog_kn = np.concatenate([sog_kn, np.hypot(v[:, 0], v[:, 1])])
        cog_deg = np.concatenate([cog_deg, np.mod(np.degrees(np.arctan2(v[:, 0], v[:, 1])), 360)])
        nav_status = np.concatenate([nav_status, np.full(len(add_t), 7, dtype=np.int64)])
        code = np.concatenate([code, np.full(len(add_t), ANOMALY_CODES["twin"], dtype=np.int8)])
        order = np.lexsort((t, mmsi))
        mmsi, t, lon, lat = mmsi[order], t[order], lon[order], lat[order]
        sog_kn, cog_deg, nav_status, code = (
            sog_kn[order], cog_deg[order], nav_status[order], code[order]
        )  # fmt: skip
    return Anomalies(mmsi, t, lon, lat, sog_kn, cog_deg, nav_status, code)
