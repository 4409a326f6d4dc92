"""Building blocks of planned paths: patrol walks, territorial-sea visits, rejoining a group.

All bearings are in the planner's sector domain (see
:func:`zonewatch.sim.paths.unwrap_bearing`): the patrol sector runs from 185
(south) through 270 (west) and 360 (north) to 395 degrees (north-north-east),
away from Taisho-jima in the east.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from zonewatch.sim.geometry import RingTable, baseline_distance_nm, local_frame
from zonewatch.sim.paths import HOUR, PathBuilder

__all__ = [
    "SECTOR",
    "LeadFn",
    "clip_sector",
    "planned_intervals",
    "rejoin",
    "shift_time",
    "ts_visit",
    "walk",
    "wander",
]

SECTOR = (185.0, 395.0)
"""Bearings (sector domain) where patrols, visits and rings are used."""

LeadFn = Callable[[float], tuple[float, float]]
"""Position (plane nm) a ship should be at when it rejoins its group, by time."""


def clip_sector(theta: float, margin: float = 0.0) -> float:
    """Clamp a bearing into the patrol sector (with ``margin`` degrees inside)."""
    return min(max(theta, SECTOR[0] + margin), SECTOR[1] - margin)


def walk(
    b: PathBuilder,
    rings: RingTable,
    until: float,
    rng: np.random.Generator,
    d_band: tuple[float, float] = (15.0, 21.0),
    sector: tuple[float, float] = SECTOR,
) -> None:
    """Patrol in the contiguous zone until ``until``: cruises along the rings and slow drifts.

    Drift phases (0.3-1.2 kn for 2-7 h) are recorded in ``b.drifts``; they are
    where radio silences may go, since the straight line across a silent drift
    stays close to the planned path.
    """
    lo, hi = d_band
    while b.now < until - 1.0:
        th, d = b.polar(rings)
        if rng.random() < 0.3:
            duration = rng.uniform(2.0, 7.0) * HOUR
            length = rng.uniform(0.3, 1.2) * duration / HOUR
            dd = float(
                np.clip(rng.uniform(-1.0, 1.0) * min(length, 1.5), lo + 0.5 - d, hi - 0.5 - d)
            )
            r = float(rings.radius(th, d))
            across = math.sqrt(max(length**2 - dd**2, 0.01))
            dth = math.degrees(across / r) * (1 if rng.random() < 0.5 else -1)
            th1 = th + dth if sector[0] + 2 < th + dth < sector[1] - 2 else th - dth
            xs, ys = b.polar_points(rings, th1, d + dd, step_deg=1.0)
            path_nm = float(
                np.hypot(np.diff(np.r_[b.x[-1], xs]), np.diff(np.r_[b.y[-1], ys])).sum()
            )
            start = b.now
            b.polyline(xs, ys, max(path_nm / (duration / HOUR), 0.05), until)
            if b.now - start >= 1.5 * HOUR:
                b.drifts.append((start, b.now))
        else:
            dth = rng.uniform(10.0, 50.0) * (1 if rng.random() < 0.5 else -1)
            th1 = th + dth
            if not sector[0] + 2 <= th1 <= sector[1] - 2:
                th1 = th - dth
            th1 = min(max(th1, sector[0] + 2), sector[1] - 2)
            b.polar_to(rings, th1, rng.uniform(lo, hi), rng.uniform(5.0, 12.0), until)


def wander(
    b: PathBuilder,
    center: tuple[float, float],
    until: float,
    rng: np.random.Generator,
    radius_nm: float = 1.2,
    speed_kn: tuple[float, float] = (1.0, 3.0),
) -> None:
    """Loiter near ``center`` (moves to random points within ``radius_nm``) until ``until``."""
    while b.now < until - 1.0:
        ang = rng.uniform(0.0, 2 * math.pi)
        rad = radius_nm * math.sqrt(rng.random())
        b.goto(
            center[0] + rad * math.sin(ang),
            center[1] + rad * math.cos(ang),
            rng.uniform(*speed_kn),
            until,
        )
        if rng.random() < 0.3 and b.now < until - 1.0:
            b.wait(min(rng.uniform(0.3, 1.5) * HOUR, until - b.now))


def ts_visit(
    b: PathBuilder,
    rings: RingTable,
    theta_center: float,
    stay_s: float,
    rng: np.random.Generator,
    d_band: tuple[float, float] = (5.8, 9.2),
) -> None:
    """Enter the territorial sea near ``theta_center``, loiter ``stay_s`` there, leave to 16 nm."""
    th, _ = b.polar(rings)
    b.polar_to(
        rings, clip_sector(th + rng.uniform(-5, 5), 3), rng.uniform(6.5, 8.5), rng.uniform(10, 14)
    )
    until = b.now + stay_s
    while b.now < until - 1.0:
        th, _ = b.polar(rings)
        th1 = min(max(th + rng.uniform(-10, 10), theta_center - 20), theta_center + 20)
        b.polar_to(rings, clip_sector(th1, 3), rng.uniform(*d_band), rng.uniform(2, 8), until)
    th, _ = b.polar(rings)
    b.polar_to(rings, th, 16.0, rng.uniform(10, 14))


def rejoin(b: PathBuilder, lead: LeadFn, speed_kn: float) -> None:
    """Sail straight to where ``lead`` says the ship belongs, arriving in step with it."""
    x0, y0 = b.pos
    t_x = b.now
    t = t_x
    for _ in range(6):
        tx, ty = lead(t)
        t = t_x + max(math.hypot(tx - x0, ty - y0) / speed_kn * HOUR, 300.0)
    tx, ty = lead(t)
    b.add(t, tx, ty)


def shift_time(b: PathBuilder, dt_s: float) -> PathBuilder:
    """A copy of ``b`` with all times shifted by ``dt_s``."""
    return PathBuilder(
        [t + dt_s for t in b.t],
        list(b.x),
        list(b.y),
        [(s0 + dt_s, s1 + dt_s) for s0, s1 in b.silences],
        [f + dt_s for f in b.forced],
        [(d0 + dt_s, d1 + dt_s) for d0, d1 in b.drifts],
    )


def planned_intervals(
    t: NDArray[np.float64],
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    threshold_nm: float,
    step_nm: float = 0.25,
) -> list[tuple[float, float]]:
    """Approximate intervals within ``threshold_nm`` of the baseline along a planned path.

    A planning estimate (legs sampled every ``step_nm``, crossings linearly
    interpolated), used to keep planned crossings away from midnight and merge
    gaps away from the merge threshold; the ground truth is computed exactly,
    elsewhere, from the emitted fixes.
    """
    if len(t) < 2:
        return []
    seg = np.hypot(np.diff(x), np.diff(y))
    n = np.maximum(1, np.ceil(seg / step_nm).astype(np.int64))
    leg = np.repeat(np.arange(len(seg)), n)
    starts = np.cumsum(n) - n
    frac = (np.arange(int(n.sum())) - starts[leg]) / n[leg]
    ts = np.concatenate([t[leg] + frac * (t[leg + 1] - t[leg]), t[-1:]])
    xs = np.concatenate([x[leg] + frac * (x[leg + 1] - x[leg]), x[-1:]])
    ys = np.concatenate([y[leg] + frac * (y[leg + 1] - y[leg]), y[-1:]])
    lon, lat = local_frame().to_lonlat(xs, ys)
    g = baseline_distance_nm(lon, lat) - threshold_nm
    inside = g <= 0
    out: list[tuple[float, float]] = []
    start: float | None = float(ts[0]) if inside[0] else None
    for k in np.nonzero(inside[1:] != inside[:-1])[0]:
        tc = float(ts[k] + (ts[k + 1] - ts[k]) * g[k] / (g[k] - g[k + 1]))
        if inside[k + 1]:
            start = tc
        elif start is not None:
            out.append((start, tc))
            start = None
    if start is not None:
        out.append((start, float(ts[-1])))
    return out
