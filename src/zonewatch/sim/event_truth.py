"""The events of a simulated scenario, computed from the emitted fixes independently of zonewatch.

Every rule of the events contract (``zonewatch.events``) is applied here
again, with the simulator's own code and geometry, to the fixes a vessel
really reported (spoofed fixes, the second transmitter's fixes and fixes at
(0, 0) taken out, as the contract says a cleaned track is):

``ais_gap``
    consecutive fixes at least 6 h apart; likely intentional when at least
    12 h and starting at least 50 nm from shore (:mod:`zonewatch.sim.land`).
``loitering``
    runs of consecutive fixes with reported speed under 2 kn within a track
    segment (split at gaps over 6 h), lasting at least 2 h, whose mean
    position is at least 1 nm from shore.
``zone_entry`` / ``zone_exit``
    crossings of 12 and 24 nm on the straight legs of each segment
    (:func:`zonewatch.sim.truth.zone_presence`), not at a segment's ends.
``encounter``, ``shadowing``, ``fishing_approach``
    on the contract's epoch-aligned time grids (300 s, 300 s, 60 s), each
    vessel moving in a straight line between fixes: close steps of a pair
    (great-circle distance on the mean sphere), merged when at most 600 s
    apart; encounters last at least 2 h with both median speeds under 2 kn
    and the closest approach at least 10 km from shore; shadowing is a
    non-fleet vessel within 2 nm of a fleet vessel for at least 1 h; an
    approach is a fleet vessel inside 12 nm within 1 nm of a fishing vessel.
``identity_conflict``, ``position_jump``, ``null_island``, ``on_land``
    from the planted anomalies: the span of a second transmitter's fixes
    (from its first fix to the host's first fix after its last), each of its
    fixes (dropped as impossible), runs of fixes at (0, 0), and runs of kept
    fixes at least one land-mask cell inland.

Where a rule's outcome hangs on a hair (a distance within 0.5 % of a
threshold changing an episode by more than one grid step, a median speed
within 0.05 kn of 2 kn, a distance from shore within 1 nm of 50 nm, ...) a
:class:`Problem` names the vessel and the time, so that the scenario can be
repaired or refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from zonewatch.sim.geometry import baseline_distance_nm
from zonewatch.sim.land import land_grid, shore_distance_nm
from zonewatch.sim.planted import ANOMALY_CODES
from zonewatch.sim.truth import CZ_NM, MAX_GAP_S, TS_NM, Track, TruthEvent, zone_presence

__all__ = ["RULES", "CleanFixes", "Problem", "scenario_events"]

_UNITS = 600_000
_EARTH_RADIUS_NM = 6_371_008.8 / 1852.0
_M_PER_NM = 1852.0

RULES: dict[str, float] = {
    "min_gap_s": 6 * 3600,
    "intentional_min_s": 12 * 3600,
    "intentional_min_shore_nm": 50.0,
    "loiter_max_speed_kn": 2.0,
    "loiter_min_s": 2 * 3600,
    "loiter_min_shore_nm": 1.0,
    "encounter_m": 500.0,
    "encounter_min_s": 2 * 3600,
    "encounter_max_median_kn": 2.0,
    "encounter_min_shore_km": 10.0,
    "shadow_nm": 2.0,
    "shadow_min_s": 3600,
    "approach_nm": 1.0,
    "pair_step_s": 300,
    "approach_step_s": 60,
    "merge_gap_s": 600,
}
"""The contract's default parameters the truth applies."""

_REL = 0.005  # distances within 0.5 % of a threshold are checked both ways
_ZONE_REL_NM = 0.02


@dataclass(frozen=True)
class Problem:
    """A case the truth cannot call clearly: which vessel (and which other one), when, and why."""

    mmsi: int
    t: float
    what: str
    other: int | None = None


def _when(t: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(round(float(t), 3), dt.UTC)


@dataclass(frozen=True)
class CleanFixes:
    """Cleaned fixes of every vessel, sorted by MMSI and time, with their track segments."""

    mmsi: NDArray[np.int64]
    t: NDArray[np.int64]
    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    sog_kn: NDArray[np.float64]
    segment: NDArray[np.int64]

    @classmethod
    def of(
        cls,
        mmsi: NDArray[np.int64],
        t: NDArray[np.int64],
        lon_u: NDArray[np.int64],
        lat_u: NDArray[np.int64],
        sog_u: NDArray[np.int64],
        code: NDArray[np.int8],
    ) -> CleanFixes:
        """The fixes a cleaned track keeps (normal fixes and fixes inland), in degrees and knots."""
        keep = (code == ANOMALY_CODES["normal"]) | (code == ANOMALY_CODES["inland"])
        m, tt = mmsi[keep], t[keep]
        new = np.ones(len(tt), dtype=bool)
        new[1:] = (m[1:] != m[:-1]) | (np.diff(tt) > MAX_GAP_S)
        return cls(
            m,
            tt,
            lon_u[keep] / _UNITS,
            lat_u[keep] / _UNITS,
            sog_u[keep] / 10.0,
            np.cumsum(new) - 1,
        )

    def vessels(self) -> list[tuple[int, int, int]]:
        """``(mmsi, first index, end index)`` of each vessel."""
        bounds = np.flatnonzero(np.diff(self.mmsi)) + 1
        starts = np.r_[0, bounds]
        ends = np.r_[bounds, len(self.mmsi)]
        return [(int(self.mmsi[a]), int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


def _haversine_nm(
    lon0: NDArray[np.float64],
    lat0: NDArray[np.float64],
    lon1: NDArray[np.float64],
    lat1: NDArray[np.float64],
) -> NDArray[np.float64]:
    p0, p1 = np.radians(lat0), np.radians(lat1)
    h = (
        np.sin((p1 - p0) / 2) ** 2
        + np.cos(p0) * np.cos(p1) * np.sin(np.radians(lon1 - lon0) / 2) ** 2
    )
    return np.asarray(2 * _EARTH_RADIUS_NM * np.arcsin(np.sqrt(np.minimum(h, 1.0))))


def _runs(flag: NDArray[np.bool_], owner: NDArray[np.int64]) -> list[tuple[int, int]]:
    """Inclusive index runs of consecutive flagged rows of one owner."""
    if flag.size == 0:
        return []
    change = np.r_[True, owner[1:] != owner[:-1]]
    first = flag & (change | ~np.r_[False, flag[:-1]])
    last = flag & (np.r_[change[1:], True] | ~np.r_[flag[1:], False])
    return list(zip(np.flatnonzero(first).tolist(), np.flatnonzero(last).tolist(), strict=True))


# -- per-vessel kinds ------------------------------------------------------------------------------


def _gaps(c: CleanFixes) -> tuple[list[TruthEvent], list[Problem]]:
    same = c.mmsi[1:] == c.mmsi[:-1]
    dt_s = np.diff(c.t)
    k = np.flatnonzero(same & (dt_s >= RULES["min_gap_s"]))
    long = dt_s[k] >= RULES["intentional_min_s"]
    shore = np.full(k.size, np.nan)
    if long.any():
        shore[long] = shore_distance_nm(c.lon[k[long]], c.lat[k[long]])
    events, problems = [], []
    limit = RULES["intentional_min_shore_nm"]
    for j, i in enumerate(k):
        intentional = bool(long[j] and shore[j] >= limit)
        if long[j] and abs(shore[j] - limit) < 1.0:
            problems.append(Problem(int(c.mmsi[i]), float(c.t[i]), "gap starts near 50 nm"))
        events.append(
            TruthEvent(
                "ais_gap",
                int(c.mmsi[i]),
                _when(c.t[i]),
                _when(c.t[i + 1]),
                likely_intentional=intentional,
            )
        )
    return events, problems


def _loitering(c: CleanFixes) -> tuple[list[TruthEvent], list[Problem]]:
    slow = c.sog_kn < RULES["loiter_max_speed_kn"]
    runs = _runs(slow, c.segment)
    keep = [(a, b) for a, b in runs if c.t[b] - c.t[a] >= RULES["loiter_min_s"]]
    if not keep:
        return [], []
    lon = np.array([c.lon[a : b + 1].mean() for a, b in keep])
    lat = np.array([c.lat[a : b + 1].mean() for a, b in keep])
    shore = shore_distance_nm(lon, lat)
    limit = RULES["loiter_min_shore_nm"]
    events, problems = [], []
    for (a, b), d in zip(keep, shore, strict=True):
        if abs(d - limit) < 0.3:
            problems.append(Problem(int(c.mmsi[a]), float(c.t[a]), "loitering near the shore"))
        if d >= limit:
            events.append(TruthEvent("loitering", int(c.mmsi[a]), _when(c.t[a]), _when(c.t[b])))
    return events, problems


def _zones(
    c: CleanFixes, zone_set: str, fleet: frozenset[int]
) -> tuple[list[TruthEvent], list[Problem], list[Track]]:
    vessels = c.vessels()
    tracks = [Track(c.t[a:b], c.lon[a:b], c.lat[a:b]) for _, a, b in vessels]
    d_all = baseline_distance_nm(c.lon, c.lat)
    d_fix = [d_all[a:b] for _, a, b in vessels]
    seg_first = np.ones(len(c.t), dtype=bool)
    seg_first[1:] = c.segment[1:] != c.segment[:-1]
    seg_last = np.ones(len(c.t), dtype=bool)
    seg_last[:-1] = c.segment[1:] != c.segment[:-1]
    events: list[TruthEvent] = []
    problems: list[Problem] = []
    crossing_at: list[tuple[int, float]] = []  # (first fix of the leg, time)
    for kind, limit in (("territorial_sea", TS_NM), ("contiguous_zone", CZ_NM)):
        intervals, grazes = zone_presence(tracks, d_fix, limit)
        problems += [Problem(vessels[v][0], t, what) for v, t, what in grazes]
        label = f"{kind}:{zone_set}"
        for (m, a, b), ivs in zip(vessels, intervals, strict=True):
            starts = set(c.t[a:b][seg_first[a:b]].astype(float).tolist())
            ends = set(c.t[a:b][seg_last[a:b]].astype(float).tolist())
            for s, e in ivs:
                for at, kind_, edge in ((s, "zone_entry", starts), (e, "zone_exit", ends)):
                    if at not in edge:
                        events.append(TruthEvent(kind_, m, _when(at), _when(at), zone=label))
                        leg = a + int(np.searchsorted(c.t[a:b], at, side="right")) - 1
                        crossing_at.append((leg, at))
    problems += [p for p in _shallow(c, crossing_at) if p.mmsi not in fleet]
    return events, problems, tracks


def _shallow(c: CleanFixes, crossings: list[tuple[int, float]]) -> list[Problem]:
    """Crossings of a zone line whose time hangs on the last metres of distance.

    Within 0.05 nm (the contract's crossing step) either side of the
    crossing, the distance to the baseline must change by at least 0.2 nm
    per nm sailed, and its slope may change (where the nearest island
    changes) only so much that interpolating between samples 0.05 nm apart
    would move the crossing by less than a second. Fleet ships are planned by
    the fleet's own rules and are not asked this (their crossings are exact
    all the same).
    """
    if not crossings:
        return []
    k = np.array([leg for leg, _ in crossings])
    at = np.array([t for _, t in crossings])
    w = (at - c.t[k]) / (c.t[k + 1] - c.t[k])
    length = np.maximum(_haversine_nm(c.lon[k], c.lat[k], c.lon[k + 1], c.lat[k + 1]), 1e-6)
    step = 0.05
    d = [
        baseline_distance_nm(
            c.lon[k] + (w + sign * step / length) * (c.lon[k + 1] - c.lon[k]),
            c.lat[k] + (w + sign * step / length) * (c.lat[k + 1] - c.lat[k]),
        )
        for sign in (-1.0, 0.0, 1.0)
    ]
    left, right = (d[1] - d[0]) / step, (d[2] - d[1]) / step
    slope = np.minimum(np.abs(left), np.abs(right))
    speed_kn = length / ((c.t[k + 1] - c.t[k]) / 3600.0)
    shift_s = step * np.abs(left - right) / 4 / np.maximum(slope, 1e-9) / speed_kn * 3600
    return [
        Problem(
            int(c.mmsi[k[j]]),
            float(at[j]),
            f"zone line crossed obliquely ({g:.2f} nm per nm) or at a corner",
        )
        for j, g in enumerate(slope)
        if g < 0.2 or shift_s[j] > 1.0
    ]


def _anomalies(
    mmsi: NDArray[np.int64],
    t: NDArray[np.int64],
    code: NDArray[np.int8],
    c: CleanFixes,
) -> tuple[list[TruthEvent], list[Problem]]:
    events: list[TruthEvent] = []
    problems: list[Problem] = []
    null = code == ANOMALY_CODES["null_island"]
    for a, b in _runs(null, mmsi):
        events.append(TruthEvent("null_island", int(mmsi[a]), _when(t[a]), _when(t[b])))
    twin = np.flatnonzero(code == ANOMALY_CODES["twin"])
    for k in twin:
        events.append(TruthEvent("position_jump", int(mmsi[k]), _when(t[k]), _when(t[k])))
    # one identity conflict per burst of a second transmitter (its fixes under 2 h apart)
    if twin.size:
        burst = np.ones(twin.size, dtype=bool)
        burst[1:] = (mmsi[twin[1:]] != mmsi[twin[:-1]]) | (np.diff(t[twin]) > 7200)
        firsts = np.flatnonzero(burst)
        lasts = np.r_[firsts[1:] - 1, twin.size - 1]
        for f, last in zip(firsts, lasts, strict=True):
            m, t0, t1 = int(mmsi[twin[f]]), int(t[twin[f]]), int(t[twin[last]])
            own = c.t[(c.mmsi == m) & (c.t > t1)]
            between = np.diff(np.searchsorted(c.t[c.mmsi == m], t[twin[f : last + 1]]))
            if last - f < 1 or own.size == 0 or np.any((between < 2) | (between > 3)):
                problems.append(Problem(m, float(t0), "second transmitter's fixes irregular"))
                continue
            events.append(TruthEvent("identity_conflict", m, _when(t0), _when(own[0])))
    inland = land_grid().is_inland(c.lon, c.lat)
    for a, b in _runs(inland, c.mmsi):
        events.append(TruthEvent("on_land", int(c.mmsi[a]), _when(c.t[a]), _when(c.t[b])))
    return events, problems


# -- cross-vessel kinds ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Points:
    """Positions of vessels at grid steps (one row per vessel and step)."""

    vessel: NDArray[np.int64]  # MMSI
    step: NDArray[np.int64]
    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    sog: NDArray[np.float64]

    def take(self, rows: NDArray[np.intp]) -> _Points:
        return _Points(
            self.vessel[rows], self.step[rows], self.lon[rows], self.lat[rows], self.sog[rows]
        )


def _grid(c: CleanFixes, step_s: int, keep: NDArray[np.bool_] | None = None) -> _Points:
    """Positions on the epoch grid within each segment (of the vessels ``keep`` selects)."""
    first = np.flatnonzero(np.r_[True, c.segment[1:] != c.segment[:-1]])
    last = np.r_[first[1:] - 1, len(c.t) - 1]
    if keep is not None:
        sel = keep[first]
        first, last = first[sel], last[sel]
    k0 = -(-c.t[first] // step_s)
    k1 = c.t[last] // step_s
    n = np.maximum(k1 - k0 + 1, 0)
    owner = np.repeat(np.arange(first.size), n)
    offset = np.r_[0, np.cumsum(n)[:-1]]
    k = k0[owner] + np.arange(int(n.sum())) - offset[owner]
    return _at(c, first[owner], last[owner], k, step_s)


def _at(
    c: CleanFixes,
    seg_first: NDArray[np.int64],
    seg_last: NDArray[np.int64],
    k: NDArray[np.int64],
    step_s: int,
) -> _Points:
    """Positions at grid steps ``k`` within the segments from ``seg_first`` to ``seg_last``."""
    g = k * step_s
    lo, hi = seg_first.copy(), seg_last.copy()
    # binary search of the last fix at or before g within each segment
    while np.any(hi > lo):
        mid = (lo + hi + 1) // 2
        go = c.t[mid] <= g
        lo = np.where(go, mid, lo)
        hi = np.where(go, hi, mid - 1)
    i = lo
    j = np.minimum(i + 1, seg_last)
    span = (c.t[j] - c.t[i]).astype(np.float64)
    w = np.where(span > 0, (g - c.t[i]) / np.where(span > 0, span, 1.0), 0.0)
    return _Points(
        c.mmsi[i],
        k,
        c.lon[i] + w * (c.lon[j] - c.lon[i]),
        c.lat[i] + w * (c.lat[j] - c.lat[i]),
        c.sog_kn[i] + w * (c.sog_kn[j] - c.sog_kn[i]),
    )


def _close(
    p: _Points, radius_nm: float, left: NDArray[np.bool_] | None = None
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Rows of pairs of different vessels at one step within ``radius_nm``, with the distance.

    Without ``left`` each unordered pair comes once; with it, ``a`` is a row
    ``left`` selects and ``b`` one it does not.
    """
    if p.step.size == 0:
        e = np.zeros(0, dtype=np.intp)
        return e, e, np.zeros(0)
    cell = radius_nm * 1.05
    x = np.floor((p.lon - 123.56) * 60.0 * np.cos(np.radians(25.8)) / cell).astype(np.int64)
    y = np.floor((p.lat - 25.8) * 60.0 / cell).astype(np.int64)
    base = (p.step - p.step.min()) << 26
    key = base | ((x + (1 << 12)) << 13) | (y + (1 << 12))
    rows = np.arange(p.step.size)
    right = pl.DataFrame({"key": key, "b": rows})
    found = []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            probe = pl.DataFrame({"key": key + (dx << 13) + dy, "a": rows})
            found.append(probe.join(right, on="key", how="inner").select("a", "b"))
    pairs = pl.concat(found)
    a = pairs["a"].to_numpy()
    b = pairs["b"].to_numpy()
    ok = p.vessel[a] != p.vessel[b]
    ok &= (a < b) if left is None else (left[a] & ~left[b])
    a, b = a[ok], b[ok]
    d = _haversine_nm(p.lon[a], p.lat[a], p.lon[b], p.lat[b])
    near = d <= radius_nm
    return a[near], b[near], d[near]


@dataclass(frozen=True)
class _Episode:
    a: int
    b: int
    k0: int
    k1: int
    rows: NDArray[np.intp]  # indices into the pair arrays


def _episodes(
    va: NDArray[np.int64], vb: NDArray[np.int64], k: NDArray[np.int64], merge_steps: int
) -> list[_Episode]:
    if k.size == 0:
        return []
    order = np.lexsort((k, vb, va))
    va, vb, k = va[order], vb[order], k[order]
    new = np.ones(len(k), dtype=bool)
    new[1:] = (va[1:] != va[:-1]) | (vb[1:] != vb[:-1]) | (np.diff(k) > merge_steps)
    starts = np.flatnonzero(new)
    ends = np.r_[starts[1:], len(k)]
    return [
        _Episode(int(va[s]), int(vb[s]), int(k[s]), int(k[e - 1]), order[s:e])
        for s, e in zip(starts, ends, strict=True)
    ]


def _agree(
    central: list[_Episode], other: list[_Episode], step_s: int
) -> list[tuple[int, int, float]]:
    """Pairs (and times) where two readings do not give the same episodes within one step."""
    by_pair: dict[tuple[int, int], tuple[list[_Episode], list[_Episode]]] = {}
    for e in central:
        by_pair.setdefault((e.a, e.b), ([], []))[0].append(e)
    for e in other:
        by_pair.setdefault((e.a, e.b), ([], []))[1].append(e)
    out = []
    for (a, b), (c, o) in by_pair.items():
        same = len(c) == len(o) and all(
            abs(x.k0 - y.k0) <= 1 and abs(x.k1 - y.k1) <= 1 for x, y in zip(c, o, strict=True)
        )
        if not same:
            first = min(e.k0 for e in c + o)
            out.append((a, b, float(first * step_s)))
    return out


def _pair_kinds(c: CleanFixes, fleet: frozenset[int]) -> tuple[list[TruthEvent], list[Problem]]:
    """Encounters and shadowing on the 300 s grid."""
    step = int(RULES["pair_step_s"])
    merge = int(RULES["merge_gap_s"]) // step
    p = _grid(c, step)
    is_fleet = np.isin(p.vessel, np.array(sorted(fleet), dtype=np.int64))
    events: list[TruthEvent] = []
    problems: list[Problem] = []

    # shadowing: a non-fleet vessel within 2 nm of a fleet vessel for 1 h
    limit = RULES["shadow_nm"]
    a, b, d = _close(p, limit * (1 + _REL), left=is_fleet)
    readings = []
    for scale in (1.0, 1 - _REL, 1 + _REL):
        sel = d <= limit * scale
        eps = _episodes(p.vessel[a[sel]], p.vessel[b[sel]], p.step[a[sel]], merge)
        readings.append([e for e in eps if (e.k1 - e.k0) * step >= RULES["shadow_min_s"]])
    for other in readings[1:]:
        for m, o, t in _agree(readings[0], other, step):
            problems.append(Problem(o, t, "shadowing near 2 nm or 1 h", m))
    for e in readings[0]:
        events.append(
            TruthEvent("shadowing", e.a, _when(e.k0 * step), _when(e.k1 * step), other_mmsi=e.b)
        )

    # encounters: two vessels within 500 m for 2 h, slow, away from shore
    limit = RULES["encounter_m"] / _M_PER_NM
    a, b, d = _close(p, limit * (1 + _REL))
    lo_first = p.vessel[a] > p.vessel[b]
    a, b = np.where(lo_first, b, a), np.where(lo_first, a, b)
    readings = []
    for scale in (1.0, 1 - _REL, 1 + _REL):
        near = np.flatnonzero(d <= limit * scale)
        eps = _episodes(p.vessel[a[near]], p.vessel[b[near]], p.step[a[near]], merge)
        kept = []
        for e in eps:
            if (e.k1 - e.k0) * step < RULES["encounter_min_s"]:
                continue
            rows = near[e.rows]
            speeds = (float(np.median(p.sog[a[rows]])), float(np.median(p.sog[b[rows]])))
            cap = RULES["encounter_max_median_kn"]
            if any(abs(s - cap) < 0.05 for s in speeds):
                problems.append(Problem(e.b, e.k0 * step, "encounter speed near 2 kn", e.a))
            if max(speeds) >= cap:
                continue
            best = rows[int(np.argmin(d[rows]))]
            mid_lon = (p.lon[a[best]] + p.lon[b[best]]) / 2
            mid_lat = (p.lat[a[best]] + p.lat[b[best]]) / 2
            km = float(shore_distance_nm(mid_lon, mid_lat)[0]) * _M_PER_NM / 1000
            if abs(km - RULES["encounter_min_shore_km"]) < 0.5:
                problems.append(Problem(e.b, e.k0 * step, "encounter near 10 km from shore", e.a))
            if km >= RULES["encounter_min_shore_km"]:
                kept.append(e)
        readings.append(kept)
    for other in readings[1:]:
        for m, o, t in _agree(readings[0], other, step):
            problems.append(Problem(o, t, "encounter near 500 m or 2 h", m))
    for e in readings[0]:
        events.append(
            TruthEvent("encounter", e.a, _when(e.k0 * step), _when(e.k1 * step), other_mmsi=e.b)
        )
    return events, problems


def _approaches(
    c: CleanFixes,
    fleet: frozenset[int],
    fishing: frozenset[int],
    ts_intervals: Iterable[tuple[int, float, float]],
) -> tuple[list[TruthEvent], list[Problem]]:
    """Approaches to fishing vessels on the 60 s grid, while fleet vessels are near the TS."""
    step = int(RULES["approach_step_s"])
    merge = int(RULES["merge_gap_s"]) // step
    windows = sorted((int(a // step) - 3, int(b // step) + 3) for _, a, b in ts_intervals)
    if not windows:
        return [], []
    first = np.flatnonzero(np.r_[True, c.segment[1:] != c.segment[:-1]])
    last = np.r_[first[1:] - 1, len(c.t) - 1]
    wanted = np.isin(c.mmsi[first], np.array(sorted(fleet | fishing), dtype=np.int64))
    first, last = first[wanted], last[wanted]
    kf = -(-c.t[first] // step)
    kl = c.t[last] // step
    seg_of: list[NDArray[np.int64]] = []
    ks: list[NDArray[np.int64]] = []
    for w0, w1 in windows:
        for s in np.flatnonzero((kf <= w1) & (kl >= w0)):
            k = np.arange(max(w0, int(kf[s])), min(w1, int(kl[s])) + 1)
            seg_of.append(np.full(k.size, s))
            ks.append(k)
    if not ks:
        return [], []
    seg_k = np.unique(np.stack([np.concatenate(seg_of), np.concatenate(ks)]), axis=1)
    p = _at(c, first[seg_k[0]], last[seg_k[0]], seg_k[1], step)
    in_fleet = np.isin(p.vessel, np.array(sorted(fleet), dtype=np.int64))
    d_base = np.full(p.step.size, np.inf)
    d_base[in_fleet] = baseline_distance_nm(p.lon[in_fleet], p.lat[in_fleet])
    limit = RULES["approach_nm"]
    a, b, d = _close(p, limit * (1 + _REL), left=in_fleet)
    is_fishing = np.isin(p.vessel[b], np.array(sorted(fishing - fleet), dtype=np.int64))
    a, b, d = a[is_fishing], b[is_fishing], d[is_fishing]
    readings = []
    for scale, zone in ((1.0, 0.0), (1 - _REL, -_ZONE_REL_NM), (1 + _REL, _ZONE_REL_NM)):
        sel = (d <= limit * scale) & (d_base[a] <= TS_NM + zone)
        readings.append(_episodes(p.vessel[a[sel]], p.vessel[b[sel]], p.step[a[sel]], merge))
    problems = [
        Problem(o, t, "approach near 1 nm or 12 nm", m)
        for other in readings[1:]
        for m, o, t in _agree(readings[0], other, step)
    ]
    events = [
        TruthEvent("fishing_approach", e.a, _when(e.k0 * step), _when(e.k1 * step), other_mmsi=e.b)
        for e in readings[0]
    ]
    return events, problems


def scenario_events(
    mmsi: NDArray[np.int64],
    t: NDArray[np.int64],
    lon_u: NDArray[np.int64],
    lat_u: NDArray[np.int64],
    sog_u: NDArray[np.int64],
    code: NDArray[np.int8],
    fleet: frozenset[int],
    fishing: frozenset[int],
    zone_set: str = "senkaku",
) -> tuple[list[TruthEvent], list[Problem]]:
    """Every event of the emitted fixes (before noise) and the cases too close to call.

    Parameters
    ----------
    mmsi, t, lon_u, lat_u, sog_u
        Emitted fixes sorted by MMSI and time, in AIS units (1/600000 degree,
        0.1 kn), including the planted anomalies.
    code
        Anomaly code of each fix (:data:`zonewatch.sim.planted.ANOMALY_CODES`).
    fleet, fishing
        MMSIs of the fleet and of the fishing vessels (ship type 30).
    zone_set
        Name used in zone events.

    Returns
    -------
    tuple
        The events (spoofed fixes are not included: they are added when the
        noise is) sorted by start, kind and MMSI, and the problems.
    """
    c = CleanFixes.of(mmsi, t, lon_u, lat_u, sog_u, code)
    events: list[TruthEvent] = []
    problems: list[Problem] = []
    for found, trouble in (_gaps(c), _loitering(c), _anomalies(mmsi, t, code, c)):
        events += found
        problems += trouble
    zone_found, zone_trouble, tracks = _zones(c, zone_set, fleet)
    events += zone_found
    problems += zone_trouble
    pair_found, pair_trouble = _pair_kinds(c, fleet)
    events += pair_found
    problems += pair_trouble
    ts = _fleet_ts_intervals(c, tracks, fleet)
    found, trouble = _approaches(c, fleet, fishing, ts)
    events += found
    problems += trouble
    events.sort(key=lambda e: (e.start, e.kind, e.mmsi, e.other_mmsi or 0, e.zone or ""))
    return events, problems


def _fleet_ts_intervals(
    c: CleanFixes, tracks: list[Track], fleet: frozenset[int]
) -> list[tuple[int, float, float]]:
    vessels = c.vessels()
    chosen = [(m, tr) for (m, _, _), tr in zip(vessels, tracks, strict=True) if m in fleet]
    if not chosen:
        return []
    subset = [tr for _, tr in chosen]
    d_fix = [baseline_distance_nm(tr.lon, tr.lat) for tr in subset]
    intervals, _ = zone_presence(subset, d_fix, TS_NM + 0.5)
    return [(m, a, b) for (m, _), ivs in zip(chosen, intervals, strict=True) for a, b in ivs]
