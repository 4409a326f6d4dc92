"""Planned vessel paths (timed waypoints in the local plane) and their sampling into fixes.

A :class:`PathBuilder` records one trip as piecewise-linear waypoints
``(t, x, y)`` (unix seconds, nautical miles east/north of the centre), plus
radio silences and fixes that must be emitted (the edges of a planned silent
leg). :func:`sample_trip` turns a finished :class:`Trip` into the fixes the
vessel reports: one every report interval (with a few seconds of jitter), none
inside silences or outside the emission radius or the simulated period.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from zonewatch.sim.geometry import RingTable

__all__ = [
    "EMIT_RADIUS_NM",
    "TIME_ZONE",
    "Fixes",
    "PathBuilder",
    "Period",
    "Trip",
    "sample_trip",
    "unwrap_bearing",
]

TIME_ZONE = "Asia/Tokyo"
"""Local time of the Senkaku zone set: days are counted in it."""

EMIT_RADIUS_NM = 62.0
"""Vessels report only within this radius of the centre (the receivers' range)."""

HOUR = 3600.0


@dataclass(frozen=True)
class Period:
    """The simulated local days and their UTC bounds (unix seconds)."""

    start: dt.date
    days: int
    midnights: NDArray[np.int64]  # days + 1 local midnights, unix seconds
    time_zone: str = TIME_ZONE

    @classmethod
    def of(cls, start: dt.date, days: int, time_zone: str = TIME_ZONE) -> Period:
        """The period of ``days`` local days from ``start`` in ``time_zone``."""
        tz = ZoneInfo(time_zone)
        mids = [
            int(dt.datetime.combine(start + dt.timedelta(days=i), dt.time(), tz).timestamp())
            for i in range(days + 1)
        ]
        return cls(start, days, np.array(mids, dtype=np.int64), time_zone)

    @property
    def start_s(self) -> int:
        """First second of the period (local midnight, unix seconds)."""
        return int(self.midnights[0])

    @property
    def end_s(self) -> int:
        """End of the period (exclusive), unix seconds."""
        return int(self.midnights[-1])

    def date(self, day: int) -> dt.date:
        """Local date of day index ``day``."""
        return self.start + dt.timedelta(days=day)

    def day_of(self, t_s: NDArray[np.float64] | float) -> NDArray[np.int64]:
        """Local day index of unix times (may be -1 or ``days`` outside the period)."""
        return np.asarray(
            np.searchsorted(self.midnights, np.asarray(t_s, dtype=np.float64), side="right") - 1,
            dtype=np.int64,
        )

    def at(self, day: int, hours: float) -> float:
        """Unix time of local day ``day`` at ``hours`` after its midnight."""
        return float(self.midnights[day]) + hours * HOUR

    def midnight_distance_s(self, t_s: NDArray[np.float64] | float) -> NDArray[np.float64]:
        """Seconds from each time to the nearest local midnight (within or at the period's ends)."""
        t = np.asarray(t_s, dtype=np.float64)
        i = np.clip(np.searchsorted(self.midnights, t), 1, len(self.midnights) - 1)
        before = np.abs(t - self.midnights[i - 1])
        after = np.abs(self.midnights[i] - t)
        return np.asarray(np.minimum(before, after), dtype=np.float64)


def unwrap_bearing(theta_deg: float) -> float:
    """Bearing in the planner's sector domain [100, 460): 0-100 degrees map to 360-460."""
    th = theta_deg % 360.0
    return th + 360.0 if th < 100.0 else th


@dataclass
class PathBuilder:
    """Timed waypoints of one trip, built move by move."""

    t: list[float]
    x: list[float]
    y: list[float]
    silences: list[tuple[float, float]] = field(default_factory=list)
    forced: list[float] = field(default_factory=list)
    drifts: list[tuple[float, float]] = field(default_factory=list)

    @classmethod
    def at(cls, t: float, x: float, y: float) -> PathBuilder:
        """A path starting at ``(x, y)`` at time ``t``."""
        return cls([t], [x], [y])

    @property
    def now(self) -> float:
        """Time of the last waypoint."""
        return self.t[-1]

    @property
    def pos(self) -> tuple[float, float]:
        """Position of the last waypoint."""
        return self.x[-1], self.y[-1]

    def polar(self, rings: RingTable) -> tuple[float, float]:
        """Bearing (sector domain) and distance to the baseline of the last waypoint."""
        th, d = rings.polar(self.x[-1], self.y[-1])
        return unwrap_bearing(float(th[0])), float(d[0])

    def add(self, t: float, x: float, y: float) -> None:
        """Append a waypoint (times must increase)."""
        if t <= self.t[-1] + 1e-6:
            raise ValueError(f"waypoint time {t} not after {self.t[-1]}")
        self.t.append(t)
        self.x.append(x)
        self.y.append(y)

    def wait(self, duration_s: float) -> None:
        """Stay in place for ``duration_s``."""
        if duration_s > 1e-3:
            self.add(self.t[-1] + duration_s, self.x[-1], self.y[-1])

    def goto(self, x: float, y: float, speed_kn: float, until: float | None = None) -> bool:
        """Move straight to ``(x, y)``; stop early at ``until``. Returns True when stopped early."""
        return self.polyline(np.array([x]), np.array([y]), speed_kn, until)

    def polyline(
        self, xs: NDArray[np.float64], ys: NDArray[np.float64], speed_kn: float, until: float | None
    ) -> bool:
        """Follow points ``(xs, ys)`` at ``speed_kn``; True when stopped early at ``until``."""
        px = np.concatenate([[self.x[-1]], xs])
        py = np.concatenate([[self.y[-1]], ys])
        seg = np.hypot(np.diff(px), np.diff(py))
        keep = seg >= 1e-9
        if not keep.any():
            return False
        times = self.t[-1] + np.cumsum(seg) / speed_kn * HOUR
        xs, ys, times = np.asarray(xs)[keep], np.asarray(ys)[keep], times[keep]
        if until is None or times[-1] < until:
            self.t += times.tolist()
            self.x += xs.tolist()
            self.y += ys.tolist()
            return False
        k = int(np.searchsorted(times, until, side="left"))  # first point at/after until
        self.t += times[:k].tolist()
        self.x += xs[:k].tolist()
        self.y += ys[:k].tolist()
        t_prev, x_prev, y_prev = self.t[-1], self.x[-1], self.y[-1]
        if until > t_prev + 1e-3:
            frac = (until - t_prev) / (times[k] - t_prev)
            self.add(until, x_prev + frac * (xs[k] - x_prev), y_prev + frac * (ys[k] - y_prev))
        return True

    def polar_points(
        self, rings: RingTable, theta_deg: float, d_nm: float, step_deg: float = 2.0
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Points from here to bearing ``theta_deg`` / baseline distance ``d_nm``.

        Bearing and distance are interpolated together, so the points follow the
        rings of constant distance to the baseline. Bearings are in the sector
        domain (see :func:`unwrap_bearing`).
        """
        th0, d0 = self.polar(rings)
        n = max(1, math.ceil(abs(theta_deg - th0) / step_deg), math.ceil(abs(d_nm - d0) / 0.5))
        frac = np.arange(1, n + 1) / n
        return rings.xy(th0 + frac * (theta_deg - th0), d0 + frac * (d_nm - d0))

    def polar_to(
        self,
        rings: RingTable,
        theta_deg: float,
        d_nm: float,
        speed_kn: float,
        until: float | None = None,
    ) -> bool:
        """Move along the rings to ``(theta_deg, d_nm)``; True when stopped early at ``until``."""
        xs, ys = self.polar_points(rings, theta_deg, d_nm)
        return self.polyline(xs, ys, speed_kn, until)

    def position_at(self, t: float) -> tuple[float, float]:
        """Interpolated position at time ``t`` (clamped to the path's ends)."""
        return float(np.interp(t, self.t, self.x)), float(np.interp(t, self.t, self.y))

    def truncate(self, t: float) -> None:
        """Cut the path at time ``t`` (keeping an interpolated end point)."""
        if t >= self.t[-1]:
            return
        x, y = self.position_at(t)
        k = int(np.searchsorted(self.t, t, side="left"))
        del self.t[k:], self.x[k:], self.y[k:]
        if t > self.t[-1] + 1e-3:
            self.add(t, x, y)

    def extend(self, other: PathBuilder) -> None:
        """Append another path that starts where and when this one ends."""
        for t, x, y in zip(other.t[1:], other.x[1:], other.y[1:], strict=True):
            self.add(t, x, y)
        self.silences += other.silences
        self.forced += other.forced
        self.drifts += other.drifts


@dataclass(frozen=True)
class Trip:
    """One finished trip of one vessel, ready to be sampled."""

    mmsi: int
    t: NDArray[np.float64]
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    interval_s: int
    silences: tuple[tuple[float, float], ...] = ()
    forced: tuple[float, ...] = ()
    nav_status: int = 0
    anywhere: bool = False
    """Reports are heard beyond :data:`EMIT_RADIUS_NM` (a trip along another coast)."""

    @classmethod
    def of(
        cls,
        mmsi: int,
        path: PathBuilder,
        interval_s: int,
        nav_status: int = 0,
        *,
        anywhere: bool = False,
    ) -> Trip:
        """Freeze a path into a trip."""
        return cls(
            mmsi,
            np.array(path.t),
            np.array(path.x),
            np.array(path.y),
            interval_s,
            tuple(path.silences),
            tuple(path.forced),
            nav_status,
            anywhere,
        )

    def shifted(self, dx: NDArray[np.float64] | float, dy: NDArray[np.float64] | float) -> Trip:
        """The same trip displaced by ``(dx, dy)`` nm."""
        return Trip(
            self.mmsi,
            self.t,
            self.x + dx,
            self.y + dy,
            self.interval_s,
            self.silences,
            self.forced,
            self.nav_status,
            self.anywhere,
        )


@dataclass(frozen=True)
class Fixes:
    """Sampled fixes of one or more trips (plane coordinates, float speeds)."""

    mmsi: NDArray[np.int64]
    t: NDArray[np.int64]
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    sog_kn: NDArray[np.float64]
    cog_deg: NDArray[np.float64]
    nav_status: NDArray[np.int64]

    @classmethod
    def concat(cls, parts: list[Fixes]) -> Fixes:
        """Concatenate fix sets."""
        if not parts:
            e = np.zeros(0)
            ei = np.zeros(0, dtype=np.int64)
            return cls(ei, ei, e, e, e, e, ei)
        return cls(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in cls.__dataclass_fields__)
        )

    def __len__(self) -> int:
        return len(self.t)


def sample_trip(trip: Trip, period: Period, rng: np.random.Generator) -> Fixes:
    """Sample a trip's reported fixes.

    Fixes come every ``interval_s`` (jitter up to a tenth of the interval, at
    most 20 s) from a random phase, plus the forced fixes; none inside
    silences (open intervals), outside the path's time span, outside the
    period or beyond :data:`EMIT_RADIUS_NM` from the centre (unless the trip
    is heard ``anywhere``).
    """
    t0, t1 = float(trip.t[0]), float(trip.t[-1])
    lo = max(t0, float(period.start_s))
    hi = min(t1, float(period.end_s) - 1.0)
    interval = trip.interval_s
    jitter = min(20, interval // 10)
    first = math.ceil(lo) + int(rng.integers(0, interval))
    n = max(0, int((hi - first) // interval) + 2)
    grid = first + interval * np.arange(n, dtype=np.int64) + rng.integers(-jitter, jitter + 1, n)
    forced = np.array(sorted({round(f) for f in trip.forced}), dtype=np.int64)
    times = grid
    if forced.size:
        near = np.abs(grid[:, None] - forced[None, :]).min(axis=1) <= 45
        times = np.concatenate([grid[~near], forced])
    keep = (times >= lo) & (times <= hi)
    for s0, s1 in trip.silences:
        keep &= ~((times > s0) & (times < s1))
    times = np.unique(times[keep])
    x = np.interp(times, trip.t, trip.x)
    y = np.interp(times, trip.t, trip.y)
    if not trip.anywhere:
        inside = np.hypot(x, y) <= EMIT_RADIUS_NM
        times, x, y = times[inside], x[inside], y[inside]
    leg = np.clip(np.searchsorted(trip.t, times, side="right") - 1, 0, len(trip.t) - 2)
    dx = trip.x[leg + 1] - trip.x[leg]
    dy = trip.y[leg + 1] - trip.y[leg]
    dt_h = (trip.t[leg + 1] - trip.t[leg]) / HOUR
    sog = np.hypot(dx, dy) / dt_h
    cog = np.mod(np.degrees(np.arctan2(dx, dy)), 360.0)
    return Fixes(
        np.full(len(times), trip.mmsi, dtype=np.int64),
        times.astype(np.int64),
        x,
        y,
        sog,
        cog,
        np.full(len(times), trip.nav_status, dtype=np.int64),
    )
