"""The impossible-speed check of track cleaning, compiled: one pass per vessel and round.

A fix is dropped when the speed implied from *both* its neighbours exceeds the
limit (a spoofed or wildly wrong fix). Each vessel is judged on its own, in
rounds: in a round, interior fixes (with two neighbours) are judged first;
only when none of the vessel's interior fixes is flagged are its track ends
judged, and an end only when its neighbour has a neighbour of its own (with
two fixes alone there is no telling which one is wrong). Flagged fixes are
dropped and the vessel's next round sees the new neighbours, up to ``rounds``
rounds, so a short burst of spoofed fixes goes too.

Judging each vessel on its own makes the result of a vessel independent of
which other vessels are processed with it (the engine's buckets rely on it).
The loops are compiled with numba (cached on disk); without numba they run
as Python with the same results.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from zonewatch.geo import EARTH_RADIUS_M, METERS_PER_NM
from zonewatch.nmea.jit import njit

__all__ = ["impossible_fixes"]

_DEG = math.pi / 180.0
_SCALE = 2.0 * EARTH_RADIUS_M / METERS_PER_NM


_NM_PER_DEG = EARTH_RADIUS_M / METERS_PER_NM * _DEG * (1.0 + 1e-9)  # padded for rounding


@njit
def _leg_kn(t_a: Any, x_a: Any, y_a: Any, t_b: Any, x_b: Any, y_b: Any, limit: float) -> float:
    """Speed over one leg (kn), or a bound on it not above ``limit`` when that decides.

    The haversine distance over time (inf for a jump in no time); but where the
    length of the path along the meridian, then the parallel (never shorter
    than the great circle) already gives a speed within the limit, that bound
    is returned instead: the check only compares speeds within the limit with
    it, and it costs no trigonometry.
    """
    dt_h = (t_b - t_a) / 3_600_000.0
    if dt_h > 0:
        bound = (abs(y_b - y_a) + abs(x_b - x_a)) * _NM_PER_DEG / dt_h
        if bound <= limit:
            return float(bound)
    p1 = y_a * _DEG
    p2 = y_b * _DEG
    s_lat = math.sin((p2 - p1) / 2.0)
    s_lon = math.sin((x_b * _DEG - x_a * _DEG) / 2.0)
    a = s_lat * s_lat + math.cos(p1) * math.cos(p2) * s_lon * s_lon
    a = min(max(a, 0.0), 1.0)
    dist = _SCALE * math.asin(math.sqrt(a))
    if dt_h > 0:
        return float(dist / dt_h)
    return math.inf if dist > 0 else 0.0


@njit
def _check(
    starts: Any,
    ts: Any,
    lon: Any,
    lat: Any,
    limit: float,
    rounds: int,
    dropped: Any,
    implied: Any,
    prev: Any,
    nxt: Any,
    flag: Any,
    speed: Any,
) -> None:
    for v in range(starts.size - 1):
        s = starts[v]
        e = starts[v + 1]
        for i in range(s, e):
            prev[i] = i - 1 if i > s else -1
            nxt[i] = i + 1 if i < e - 1 else -1
        head = s
        for _ in range(rounds):
            if head < 0:
                break
            # the speed of every living fix's leg to its next fix, once per round
            i = head
            while i >= 0:
                q = nxt[i]
                if q >= 0:
                    speed[i] = _leg_kn(ts[i], lon[i], lat[i], ts[q], lon[q], lat[q], limit)
                i = q
            # interior fixes are judged first
            n_flag = 0
            i = head
            while i >= 0:
                p = prev[i]
                q = nxt[i]
                if p >= 0 and q >= 0 and speed[p] > limit and speed[i] > limit:
                    flag[n_flag] = i
                    implied[i] = min(speed[p], speed[i])
                    n_flag += 1
                i = q
            if n_flag == 0:
                # track ends, when their neighbour has a neighbour of its own
                i = head
                while i >= 0:
                    p = prev[i]
                    q = nxt[i]
                    if p < 0 and q >= 0 and nxt[q] >= 0 and speed[i] > limit:
                        flag[n_flag] = i
                        implied[i] = speed[i]
                        n_flag += 1
                    elif q < 0 and p >= 0 and prev[p] >= 0 and speed[p] > limit:
                        flag[n_flag] = i
                        implied[i] = speed[p]
                        n_flag += 1
                    i = q
            if n_flag == 0:
                break
            for j in range(n_flag):
                i = flag[j]
                dropped[i] = True
                p = prev[i]
                q = nxt[i]
                if p >= 0:
                    nxt[p] = q
                else:
                    head = q
                if q >= 0:
                    prev[q] = p


def impossible_fixes(
    mmsi: npt.NDArray[np.uint32],
    ts_ms: npt.NDArray[np.int64],
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    limit_kn: float,
    rounds: int,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
    """Fixes to drop for an impossible speed, and the speed each implied.

    Parameters
    ----------
    mmsi, ts_ms, lon, lat
        Fixes sorted by ``mmsi, ts``.
    limit_kn
        Speed limit (kn).
    rounds
        Rounds of the check per vessel (at least 1).

    Returns
    -------
    tuple of numpy.ndarray
        ``dropped`` (bool per fix) and ``implied_kn`` (the smaller of the two
        implied speeds for a dropped interior fix, the one speed for a dropped
        end; NaN for kept fixes).

    Examples
    --------
    >>> t = np.arange(4, dtype=np.int64) * 600_000
    >>> drop, kn = impossible_fixes(np.ones(4, np.uint32), t,
    ...                             np.array([123.0, 123.01, 140.0, 123.03]), np.full(4, 25.0),
    ...                             50.0, 5)
    >>> drop.tolist(), bool(kn[2] > 50)
    ([False, False, True, False], True)
    """
    n = mmsi.size
    dropped = np.zeros(n, dtype=np.bool_)
    implied = np.full(n, np.nan)
    if n == 0:
        return dropped, implied
    change = np.flatnonzero(mmsi[1:] != mmsi[:-1]) + 1
    starts = np.concatenate(([0], change, [n])).astype(np.int64)
    scratch = np.empty(n, dtype=np.int64)
    _check(
        starts,
        np.ascontiguousarray(ts_ms, dtype=np.int64),
        np.ascontiguousarray(lon, dtype=np.float64),
        np.ascontiguousarray(lat, dtype=np.float64),
        float(limit_kn),
        max(1, int(rounds)),
        dropped,
        implied,
        np.empty(n, dtype=np.int64),
        np.empty(n, dtype=np.int64),
        scratch,
        np.empty(n, dtype=np.float64),
    )
    return dropped, implied
