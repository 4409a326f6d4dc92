"""Other traffic: Japanese and Chinese fishing boats, merchant transits, a decoy research ship.

None of these vessels belongs to the fleet, but each tests something: the
Japanese boats fish inside the territorial sea (and are what "approached a
fishing boat" refers to), Chinese fishing boats carry China's MID, merchant
ships cross the zones on innocent passage (a few stop and drift for hours
on the way), and the research ship has a China MID, surveys inside the
zones and must not be counted.

The traffic keeps its distances so that every event rule calls it clearly:
Japanese boats fish within 9.5 nm of the baseline (more than 2 nm from any
patrolling fleet ship), Chinese boats 34.5-48 nm out (beyond the fleet's
waiting ships), survey lines end away from 12 nm, and vessels leave the
receivers' range away from the 50 nm-from-shore line (see
:func:`zonewatch.sim.land.leaves_clear_of`).
"""

from __future__ import annotations

import math

import numpy as np

from zonewatch.sim.config import SimConfig
from zonewatch.sim.fleet import FleetPlan
from zonewatch.sim.geometry import RingTable, grazes_zone_line, local_frame
from zonewatch.sim.identities import Roster
from zonewatch.sim.land import leaves_clear_of
from zonewatch.sim.moves import clip_sector, walk
from zonewatch.sim.paths import HOUR, PathBuilder, Period, Trip
from zonewatch.sim.planted import clear_of, count_for

__all__ = ["plan_traffic"]

_FAR_NM = 64.0
_DAY = 24 * HOUR


def _far(theta_deg: float) -> tuple[float, float]:
    return _FAR_NM * math.sin(math.radians(theta_deg)), _FAR_NM * math.cos(math.radians(theta_deg))


def _overlaps(a0: float, a1: float, windows: list[tuple[float, float]], margin: float) -> bool:
    return any(a0 < w1 + margin and a1 > w0 - margin for w0, w1 in windows)


def _jp_trip(rings: RingTable, t0: float, rng: np.random.Generator) -> PathBuilder:
    """A Japanese boat from the south-east to a spot 3-9.5 nm from the baseline, fishing 6-30 h."""
    th_home = float(rng.uniform(130, 175))
    th_spot = float(rng.uniform(160, 255))
    d_spot = float(rng.uniform(3.0, 9.5))
    d_route = max(8.0, d_spot)
    b = PathBuilder.at(t0, *_far(th_home))
    hx, hy = rings.xy(th_home, d_route)
    b.goto(float(hx[0]), float(hy[0]), 9.5)
    b.polar_to(rings, th_spot, d_route, 9.5)
    b.polar_to(rings, th_spot, d_spot, 8.0)
    until = b.now + rng.uniform(6.0, 30.0) * HOUR
    center = b.pos
    while b.now < until - 1.0:
        ang = rng.uniform(0, 2 * math.pi)
        rad = 1.5 * math.sqrt(rng.random())
        b.goto(
            center[0] + rad * math.sin(ang),
            center[1] + rad * math.cos(ang),
            rng.uniform(0.5, 3.0),
            until,
        )
    b.polar_to(rings, th_spot, d_route, 9.0)
    th_out = float(rng.uniform(130, 175))
    b.polar_to(rings, th_out, d_route, 9.5)
    for _ in range(20):
        if leaves_clear_of(*b.pos, th_out):
            break
        th_out = float(rng.uniform(130, 175))
    b.goto(*_far(th_out), 9.5)
    return b


def _cn_trip(rings: RingTable, t0: float, days: float, rng: np.random.Generator) -> PathBuilder:
    """A Chinese boat from the north-west fishing 34.5-48 nm from the baseline for ``days``."""
    th_home = float(rng.uniform(285, 335))
    b = PathBuilder.at(t0, *_far(th_home))
    d0 = float(rng.uniform(35.0, 47.0))
    hx, hy = rings.xy(th_home, d0)
    b.goto(float(hx[0]), float(hy[0]), rng.uniform(7.0, 9.0))
    until = b.now + days * _DAY
    walk(b, rings, until, rng, d_band=(34.5, 48.0), sector=(220.0, 350.0))
    if rng.random() < 0.3 and until - b.t[0] > 20 * HOUR:
        length = rng.uniform(6.6, 12.0) * HOUR
        s0 = rng.uniform(b.t[0] + 3 * HOUR, until - length - 3 * HOUR)
        b.silences.append((s0, s0 + length))
    th, _ = b.polar(rings)
    for step in (0.0, -4.0, 4.0, -8.0, 8.0, -12.0, 12.0, -16.0, 16.0, -20.0, 20.0):
        if leaves_clear_of(*b.pos, th + step):
            break
    b.goto(*_far(th + step), rng.uniform(7.0, 9.0))
    return b


def _survey_distance(rng: np.random.Generator) -> float:
    """A survey waypoint 6-22 nm from the baseline, but not within 1.5 nm of 12 nm."""
    d = float(rng.uniform(6.0, 19.0))
    return d if d < 10.5 else d + 3.0


def _decoy_trip(rings: RingTable, t0: float, hours: float, rng: np.random.Generator) -> PathBuilder:
    """Survey lines 6-22 nm from the baseline, then away to the north-west."""
    th_a = float(rng.uniform(285, 330))
    b = PathBuilder.at(t0, *_far(th_a))
    hx, hy = rings.xy(th_a, 20.0)
    b.goto(float(hx[0]), float(hy[0]), 11.0)
    until = b.now + hours * HOUR
    while b.now < until - 1.0:
        th, _ = b.polar(rings)
        b.polar_to(
            rings, clip_sector(th + rng.uniform(-25, 25), 5), _survey_distance(rng), 9.0, until
        )
    th, _ = b.polar(rings)
    b.polar_to(rings, th, 28.0, 11.0)
    b.polar_to(rings, 310.0, 28.0, 11.0)
    b.goto(*_far(310.0), 11.0)
    return b


def _merchant(
    t0: float, rng: np.random.Generator, avoid: list[tuple[float, float]]
) -> PathBuilder | None:
    """A straight transit across the 64 nm circle, at least 12 nm from the centre."""
    phi = float(rng.uniform(0, 360))
    heading = phi + 180.0 + float(rng.uniform(-45, 45))
    sx, sy = _far(phi)
    ux, uy = math.sin(math.radians(heading)), math.cos(math.radians(heading))
    if abs(sx * uy - sy * ux) < 12.0:
        return None
    length = -2.0 * (sx * ux + sy * uy)
    ex, ey = sx + length * ux, sy + length * uy
    for ax, ay in avoid:  # keep off Taisho-jima
        u = ((ax - sx) * ux + (ay - sy) * uy) / 1.0
        if 0 < u < length and math.hypot(sx + u * ux - ax, sy + u * uy - ay) < 3.0:
            return None
    if not leaves_clear_of(sx, sy, math.degrees(math.atan2(ex, ey))):
        return None
    if grazes_zone_line([sx, ex], [sy, ey]):
        return None
    b = PathBuilder.at(t0, sx, sy)
    b.goto(ex, ey, rng.uniform(11.0, 19.0))
    return b


def _stop_on_the_way(
    transit: PathBuilder, rings: RingTable, avoid: list[Trip], rng: np.random.Generator
) -> PathBuilder | None:
    """The transit with a 3-9 h drift at 0.2-0.8 kn, 30 nm or more from the baseline, or None."""
    (t0, t1), (sx, ex), (sy, ey) = transit.t, transit.x, transit.y
    s = np.linspace(0.05, 0.95, 37)
    px, py = sx + s * (ex - sx), sy + s * (ey - sy)
    _, d = rings.polar(px, py)
    ok = np.flatnonzero((d >= 30.0) & (np.hypot(px, py) <= 55.0))
    if ok.size == 0:
        return None
    k = int(rng.choice(ok))
    speed = math.hypot(ex - sx, ey - sy) / ((t1 - t0) / HOUR)
    hours = float(rng.uniform(3.0, 9.0))
    drift = float(rng.uniform(0.2, 0.8))
    ang = float(rng.uniform(0.0, 2 * math.pi))
    b = PathBuilder.at(t0, sx, sy)
    b.goto(float(px[k]), float(py[k]), speed)
    b.add(b.now + hours * HOUR, float(px[k]) + drift * hours * math.sin(ang),
          float(py[k]) + drift * hours * math.cos(ang))  # fmt: skip
    if not leaves_clear_of(*b.pos, math.degrees(math.atan2(ex, ey))):
        return None
    b.goto(ex, ey, speed)
    if grazes_zone_line(b.x, b.y) or not clear_of(
        avoid, np.array(b.t), np.array(b.x), np.array(b.y)
    ):
        return None
    return b


def plan_traffic(
    config: SimConfig,
    period: Period,
    roster: Roster,
    rings: RingTable,
    fleet: FleetPlan,
    rng: np.random.Generator,
) -> list[Trip]:
    """Plan the non-fleet traffic of the period.

    Japanese fishing trips keep clear of the fleet's intrusion holds (by 2 h),
    so that only planned approaches put a fishing boat near an intruding ship.
    """
    trips: list[Trip] = []
    start, end = float(period.start_s), float(period.end_s)
    busy = {j: list(w) for j, w in fleet.jp_busy.items()}
    n_jp = int(rng.poisson(config.jp_fishing_trips_per_week * period.days / 7.0))
    for _ in range(n_jp):
        for _attempt in range(20):
            t0 = float(rng.uniform(start - _DAY, end))
            path = _jp_trip(rings, t0, rng)
            if _overlaps(path.t[0], path.t[-1], fleet.hold_windows, 2 * HOUR):
                continue
            free = [
                j for j in range(config.n_fishing_jp)
                if not _overlaps(path.t[0], path.t[-1], busy.get(j, []), 6 * HOUR)
            ]  # fmt: skip
            if not free:
                continue
            j = int(rng.choice(free))
            busy.setdefault(j, []).append((path.t[0], path.t[-1]))
            trips.append(
                Trip.of(roster.fishing_jp[j].mmsi, path, config.fishing_report_interval_s, 7)
            )
            break
    for boat in roster.fishing_cn:
        t = start - float(rng.uniform(0.0, 5.0)) * _DAY
        while t < end:
            days = float(rng.uniform(2.0, 6.0))
            path = _cn_trip(rings, t, days, rng)
            trips.append(Trip.of(boat.mmsi, path, config.fishing_report_interval_s, 7))
            t = path.t[-1] + float(rng.uniform(1.0, 4.0)) * _DAY
    taisho = local_frame().to_xy(124.0 + 33 / 60, 25.0 + 55 / 60)
    avoid = [(float(taisho[0]), float(taisho[1]))]
    merchant_busy: dict[int, float] = {}
    n_transits = int(rng.poisson(config.merchant_transits_per_day * period.days))
    n_stops = count_for(config.loitering_merchants_per_month, period.days, rng)
    for _ in range(n_transits):
        t0 = float(rng.uniform(start - 10 * HOUR, end))
        transit = None
        while transit is None:
            transit = _merchant(t0, rng, avoid)
        if n_stops and start < t0 < end - 20 * HOUR:
            stopped = _stop_on_the_way(transit, rings, fleet.trips, rng)
            if stopped is not None:
                transit = stopped
                n_stops -= 1
        free = [
            m.mmsi for m in roster.merchant if merchant_busy.get(m.mmsi, -math.inf) < t0 - 6 * HOUR
        ]
        if not free:
            continue
        mmsi = int(rng.choice(free))
        merchant_busy[mmsi] = transit.t[-1]
        trips.append(Trip.of(mmsi, transit, config.merchant_report_interval_s))
    n_decoy = int(rng.poisson(config.decoy_trips_per_year * period.days / 365.25))
    absent = np.nonzero(~fleet.presence)[0]
    decoy_days = sorted(
        int(rng.choice(absent)) if k % 2 == 0 and absent.size else int(rng.integers(0, period.days))
        for k in range(n_decoy)
    )
    t_free = -math.inf
    for day in decoy_days:
        t0 = period.at(day, 0.0) - float(rng.uniform(1.0, 4.0)) * HOUR
        if t0 < t_free:
            continue
        path = _decoy_trip(rings, t0, float(rng.uniform(10.0, 40.0)), rng)
        t_free = path.t[-1] + 6 * HOUR
        trips.append(Trip.of(roster.decoy.mmsi, path, config.report_interval_s))
    return trips
