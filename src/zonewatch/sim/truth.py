"""Ground truth of a simulated scenario, computed exactly and independently of zonewatch.

The truth is derived from the fixes the simulator emits for fleet vessels
(before duplicates, spoofed fixes and corrupted lines are added), under the
counting rules of DOMAIN.md: straight lines in lon/lat and time between
consecutive fixes, no presence across gaps over 6 h, presence on a local day
when any part of the track that day is within the zone, and intrusion
incidents as maximal intervals with a fleet vessel within 12 nm, merged when
less than 1 h apart. Zone crossings are found on each straight leg by dense
sampling (every 0.05 nm) and bisection to well under a millisecond; the
scenario is also *checked* here for ambiguity (a leg grazing a zone line,
a crossing within 2 min of local midnight, a gap between intrusions within
10 min of the merge threshold, a gap within 30 min of 6 h), which the planner
is built to avoid.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from zonewatch.errors import ZonewatchError
from zonewatch.sim.geometry import baseline_distance_nm, leg_length_nm
from zonewatch.sim.paths import TIME_ZONE, Period

__all__ = [
    "MAX_GAP_S",
    "MERGE_GAP_S",
    "ScenarioError",
    "Track",
    "Truth",
    "TruthEvent",
    "TruthIncident",
    "evaluate",
    "zone_presence",
]

TS_NM = 12.0
CZ_NM = 24.0
MAX_GAP_S = 6 * 3600
"""Track segments split at gaps longer than this (no presence across them)."""
MERGE_GAP_S = 3600
"""Intrusion intervals less than this apart are one incident."""
FISHING_NEAR_NM = 1.0
"""A non-fleet fishing vessel this close to a fleet vessel during an incident."""

_GRAZE_NM = 0.25  # a leg may not come within this of a zone line without crossing it cleanly
_SAMPLE_NM = 0.05
_MIDNIGHT_MARGIN_S = 120.0
_MERGE_MARGIN_S = 600.0
_GAP_MARGIN_S = 1800.0
_BOUNDARY_EXEMPT_S = 2 * 3600.0
_NEAR_TRUE_NM = 0.8
_NEAR_FALSE_NM = 1.25


class ScenarioError(ZonewatchError):
    """The planned scenario has an ambiguous case the ground truth cannot call exactly."""


@dataclass(frozen=True)
class Track:
    """Emitted fixes of one vessel, in time order (unix seconds, degrees)."""

    t: NDArray[np.int64]
    lon: NDArray[np.float64]
    lat: NDArray[np.float64]


@dataclass(frozen=True)
class TruthIncident:
    """One planned intrusion incident.

    ``fishing_nearby`` is True when a non-fleet fishing vessel came within
    0.8 nm of a fleet vessel of the incident while it lasted, False when none
    came within 1.25 nm, and None when that depends on how "during the
    incident" is read (or the closest approach lies in between).
    """

    start: dt.datetime
    end: dt.datetime
    vessels: frozenset[int]
    fishing_nearby: bool | None


@dataclass(frozen=True)
class TruthEvent:
    """One event of the events contract, as the scenario planted it.

    ``kind`` is a kind of :data:`zonewatch.events.records.EVENT_KINDS`;
    ``mmsi`` and ``other_mmsi`` are oriented as in the contract (the fleet
    vessel first for shadowing and approaches, the lower MMSI first for
    encounters). ``zone`` is set for zone entries and exits
    (``"territorial_sea:senkaku"``), ``likely_intentional`` for AIS gaps.
    Times are exact for events at fixes and zone crossings; events of
    cross-vessel kinds start and end at steps of their rule's time grid.
    """

    kind: str
    mmsi: int
    start: dt.datetime
    end: dt.datetime
    other_mmsi: int | None = None
    zone: str | None = None
    likely_intentional: bool | None = None


@dataclass(frozen=True)
class Truth:
    """What the simulator planned: counted days, incidents, fleet, events and planted corruption.

    ``days`` maps every local date of the period to the fleet MMSIs present in
    the contiguous zone (territorial sea included) and in the territorial sea.
    ``corrupted_lines`` counts the corrupted lines by the reject reason a
    reader assigns (codes of :data:`zonewatch.schema.REJECT_REASONS`).
    ``noise`` counts other planted noise (duplicate lines, spoofed fixes, ...).
    ``events`` lists every event of the events contract, sorted by start,
    kind and MMSI.
    """

    days: dict[dt.date, tuple[frozenset[int], frozenset[int]]]
    incidents: tuple[TruthIncident, ...]
    fleet_mmsis: frozenset[int]
    corrupted_lines: Mapping[str, int]
    noise: Mapping[str, int] = field(default_factory=dict)
    time_zone: str = TIME_ZONE
    zone_set: str = "senkaku"
    events: tuple[TruthEvent, ...] = ()

    @property
    def contiguous_zone_days(self) -> int:
        """Days with at least one fleet vessel in the contiguous zone."""
        return sum(1 for cz, _ in self.days.values() if cz)

    @property
    def territorial_sea_days(self) -> int:
        """Days with at least one fleet vessel in the territorial sea."""
        return sum(1 for _, ts in self.days.values() if ts)

    def to_json(self) -> str:
        """Serialize to JSON (sorted keys, ISO dates, UTC times with milliseconds)."""

        def when(t: dt.datetime) -> str:
            return t.astimezone(dt.UTC).isoformat(timespec="milliseconds")

        doc = {
            "format": "zonewatch-sim-truth/1",
            "zone_set": self.zone_set,
            "time_zone": self.time_zone,
            "fleet_mmsis": sorted(self.fleet_mmsis),
            "days": {
                d.isoformat(): {"contiguous_zone": sorted(cz), "territorial_sea": sorted(ts)}
                for d, (cz, ts) in sorted(self.days.items())
            },
            "incidents": [
                {
                    "start": when(i.start),
                    "end": when(i.end),
                    "vessels": sorted(i.vessels),
                    "fishing_nearby": i.fishing_nearby,
                }
                for i in self.incidents
            ],
            "corrupted_lines": dict(sorted(self.corrupted_lines.items())),
            "noise": dict(sorted(self.noise.items())),
            "events": [
                {
                    "kind": e.kind,
                    "mmsi": e.mmsi,
                    "other_mmsi": e.other_mmsi,
                    "start": when(e.start),
                    "end": when(e.end),
                    "zone": e.zone,
                    "likely_intentional": e.likely_intentional,
                }
                for e in self.events
            ],
        }
        return json.dumps(doc, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Truth:
        """Read what :meth:`to_json` wrote."""
        doc = json.loads(text)
        return cls(
            days={
                dt.date.fromisoformat(k): (
                    frozenset(v["contiguous_zone"]),
                    frozenset(v["territorial_sea"]),
                )
                for k, v in doc["days"].items()
            },
            incidents=tuple(
                TruthIncident(
                    dt.datetime.fromisoformat(i["start"]),
                    dt.datetime.fromisoformat(i["end"]),
                    frozenset(i["vessels"]),
                    i["fishing_nearby"],
                )
                for i in doc["incidents"]
            ),
            fleet_mmsis=frozenset(doc["fleet_mmsis"]),
            corrupted_lines=dict(doc["corrupted_lines"]),
            noise=dict(doc["noise"]),
            time_zone=doc["time_zone"],
            zone_set=doc["zone_set"],
            events=tuple(
                TruthEvent(
                    e["kind"],
                    e["mmsi"],
                    dt.datetime.fromisoformat(e["start"]),
                    dt.datetime.fromisoformat(e["end"]),
                    e["other_mmsi"],
                    e["zone"],
                    e["likely_intentional"],
                )
                for e in doc.get("events", [])
            ),
        )


@dataclass(frozen=True)
class _Legs:
    vessel: NDArray[np.int64]
    t0: NDArray[np.float64]
    t1: NDArray[np.float64]
    lon0: NDArray[np.float64]
    lat0: NDArray[np.float64]
    lon1: NDArray[np.float64]
    lat1: NDArray[np.float64]
    d0: NDArray[np.float64]
    d1: NDArray[np.float64]


def _legs(
    tracks: list[Track], d_fix: list[NDArray[np.float64]], *, fleet_checks: bool = True
) -> tuple[_Legs, list[str]]:
    parts: list[list[NDArray[np.float64]]] = [[] for _ in range(9)]
    problems: list[str] = []
    for v, (tr, d) in enumerate(zip(tracks, d_fix, strict=True)):
        dt_s = np.diff(tr.t)
        if np.any(dt_s <= 0):
            problems.append(f"vessel #{v}: fix times not strictly increasing")
        near = np.abs(dt_s - MAX_GAP_S) < _GAP_MARGIN_S
        if not fleet_checks:
            near[:] = False
        if near.any():
            k = int(np.argmax(near))
            problems.append(f"vessel #{v}: gap of {dt_s[k]} s at t={tr.t[k]} is close to 6 h")
        long_in = (dt_s > MAX_GAP_S) & (
            (d[:-1] <= CZ_NM + _GRAZE_NM) | (d[1:] <= CZ_NM + _GRAZE_NM)
        )
        if long_in.any() and fleet_checks:
            k = int(np.argmax(long_in))
            problems.append(f"vessel #{v}: gap over 6 h at t={tr.t[k]} starts or ends in a zone")
        ok = np.nonzero(dt_s <= MAX_GAP_S)[0]
        cols = (
            np.full(len(ok), v, dtype=np.float64),
            tr.t[ok].astype(np.float64),
            tr.t[ok + 1].astype(np.float64),
            tr.lon[ok],
            tr.lat[ok],
            tr.lon[ok + 1],
            tr.lat[ok + 1],
            d[ok],
            d[ok + 1],
        )
        for p, c in zip(parts, cols, strict=True):
            p.append(c)
    arrays = [np.concatenate(p) if p else np.zeros(0) for p in parts]
    return _Legs(arrays[0].astype(np.int64), *arrays[1:]), problems


def _inside_intervals(
    legs: _Legs, tracks: list[Track], d_fix: list[NDArray[np.float64]], threshold: float
) -> tuple[list[list[tuple[float, float]]], list[tuple[int, float, str]]]:
    """Exact intervals within ``threshold`` nm per vessel, and ambiguity problems.

    Problems are ``(vessel index, time, message)``.
    """
    problems: list[tuple[int, float, str]] = []
    length = leg_length_nm(legs.lon0, legs.lat0, legs.lon1, legs.lat1) * 1.01 + 1e-9
    lower = 0.5 * (legs.d0 + legs.d1 - length)
    upper = 0.5 * (legs.d0 + legs.d1 + length)
    whole_in = upper < threshold - _GRAZE_NM
    check = np.nonzero(~whole_in & ~(lower > threshold + _GRAZE_NM))[0]
    starts: list[NDArray[np.float64]] = [legs.t0[whole_in]]
    ends: list[NDArray[np.float64]] = [legs.t1[whole_in]]
    owners: list[NDArray[np.int64]] = [legs.vessel[whole_in]]
    if check.size:
        n = np.maximum(2, np.ceil(length[check] / _SAMPLE_NM).astype(np.int64) + 1)
        leg = np.repeat(check, n)
        first = np.cumsum(n) - n
        local = np.arange(int(n.sum())) - np.repeat(first, n)
        s = local / np.repeat(n - 1, n)
        lon = legs.lon0[leg] + s * (legs.lon1[leg] - legs.lon0[leg])
        lat = legs.lat0[leg] + s * (legs.lat1[leg] - legs.lat0[leg])
        g = baseline_distance_nm(lon, lat) - threshold
        bounds = np.append(first, len(g))
        cross_leg: list[int] = []
        cross_lo: list[float] = []
        cross_hi: list[float] = []
        for j, k in enumerate(check):
            gs = g[bounds[j] : bounds[j + 1]]
            ss = s[bounds[j] : bounds[j + 1]]
            for arg in (int(np.argmin(gs)), int(np.argmax(gs))):
                if 0 < arg < len(gs) - 1 and abs(gs[arg]) < _GRAZE_NM:
                    problems.append(
                        (
                            int(legs.vessel[k]),
                            float(legs.t0[k]),
                            f"vessel #{legs.vessel[k]} leg at t={legs.t0[k]:.0f} grazes the "
                            f"{threshold:g} nm line ({gs[arg] + threshold:.3f} nm)",
                        )
                    )
            inside = gs <= 0
            for i in np.nonzero(inside[1:] != inside[:-1])[0]:
                cross_leg.append(int(k))
                cross_lo.append(float(ss[i]))
                cross_hi.append(float(ss[i + 1]))
        cl = np.array(cross_leg, dtype=np.int64)
        lo = np.array(cross_lo)
        hi = np.array(cross_hi)
        if cl.size:
            in_lo = (
                baseline_distance_nm(
                    legs.lon0[cl] + lo * (legs.lon1[cl] - legs.lon0[cl]),
                    legs.lat0[cl] + lo * (legs.lat1[cl] - legs.lat0[cl]),
                )
                <= threshold
            )
            for _ in range(40):
                mid = 0.5 * (lo + hi)
                in_mid = (
                    baseline_distance_nm(
                        legs.lon0[cl] + mid * (legs.lon1[cl] - legs.lon0[cl]),
                        legs.lat0[cl] + mid * (legs.lat1[cl] - legs.lat0[cl]),
                    )
                    <= threshold
                )
                same = in_mid == in_lo
                lo = np.where(same, mid, lo)
                hi = np.where(same, hi, mid)
        cross_s = 0.5 * (lo + hi)
        for k in check:
            sel = cl == k
            s_cross = np.sort(cross_s[sel])
            inside_now = bool(legs.d0[k] <= threshold)
            t0, t1 = legs.t0[k], legs.t1[k]
            edges = [0.0, *s_cross.tolist(), 1.0]
            for a, b in itertools.pairwise(edges):
                if inside_now:
                    starts.append(np.array([t0 + a * (t1 - t0)]))
                    ends.append(np.array([t0 + b * (t1 - t0)]))
                    owners.append(np.array([legs.vessel[k]]))
                inside_now = not inside_now
    # fixes with no leg (isolated by gaps) that are inside
    for v, (tr, d) in enumerate(zip(tracks, d_fix, strict=True)):
        dt_s = np.diff(tr.t)
        has_prev = np.concatenate([[False], dt_s <= MAX_GAP_S])
        has_next = np.concatenate([dt_s <= MAX_GAP_S, [False]])
        lone = ~has_prev & ~has_next & (d <= threshold)
        starts.append(tr.t[lone].astype(np.float64))
        ends.append(tr.t[lone].astype(np.float64))
        owners.append(np.full(int(lone.sum()), v, dtype=np.int64))
    st = np.concatenate(starts)
    en = np.concatenate(ends)
    ow = np.concatenate(owners)
    out: list[list[tuple[float, float]]] = [[] for _ in tracks]
    order = np.lexsort((st, ow))
    for v in range(len(tracks)):
        sel = order[ow[order] == v]
        out[v] = _union(st[sel], en[sel], 1e-6)
    return out, problems


def _union(
    st: NDArray[np.float64], en: NDArray[np.float64], gap: float
) -> list[tuple[float, float]]:
    """Merge intervals (sorted by start) closer than ``gap``."""
    merged: list[tuple[float, float]] = []
    for a, b in zip(st.tolist(), en.tolist(), strict=True):
        if merged and a <= merged[-1][1] + gap:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def _to_dt(t: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(round(t, 3), dt.UTC)


def _xy(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.stack([(lon - 123.5) * 60.0 * math.cos(math.radians(25.8)), (lat - 25.8) * 60.0], -1)


def _min_separation_nm(a: Track, b: Track, windows: list[tuple[float, float]]) -> float:
    """Closest approach (nm) of two tracks while both move on legs (<= 6 h) within ``windows``."""
    best = math.inf
    for w0, w1 in windows:
        if _box_gap_nm(a, b, w0, w1) > 3.0:  # farther than any threshold of interest
            continue
        times = np.concatenate([a.t, b.t, [w0, w1]]).astype(np.float64)
        times = np.unique(times[(times >= w0) & (times <= w1)])
        if times.size < 2:
            continue
        mids = 0.5 * (times[:-1] + times[1:])
        valid = _on_leg(a, mids) & _on_leg(b, mids)
        if not valid.any():
            continue
        p0, p1 = times[:-1][valid], times[1:][valid]
        ra0 = _xy(np.interp(p0, a.t, a.lon), np.interp(p0, a.t, a.lat))
        ra1 = _xy(np.interp(p1, a.t, a.lon), np.interp(p1, a.t, a.lat))
        rb0 = _xy(np.interp(p0, b.t, b.lon), np.interp(p0, b.t, b.lat))
        rb1 = _xy(np.interp(p1, b.t, b.lon), np.interp(p1, b.t, b.lat))
        r0 = rb0 - ra0
        dr = (rb1 - ra1) - r0
        denom = np.einsum("ij,ij->i", dr, dr)
        with np.errstate(divide="ignore", invalid="ignore"):
            u = np.where(denom > 0, -np.einsum("ij,ij->i", r0, dr) / denom, 0.0)
        u = np.clip(u, 0.0, 1.0)
        best = min(best, float(np.hypot(*(r0 + u[:, None] * dr).T).min()))
    return best


def _box_gap_nm(a: Track, b: Track, w0: float, w1: float) -> float:
    """Lower bound of the distance (nm) between two tracks within [w0, w1] (bounding boxes)."""
    boxes = []
    for tr in (a, b):
        i0 = max(int(np.searchsorted(tr.t, w0, side="right")) - 1, 0)
        i1 = min(int(np.searchsorted(tr.t, w1, side="left")) + 1, len(tr.t))
        if i1 <= i0:
            return math.inf
        xy = _xy(tr.lon[i0:i1], tr.lat[i0:i1])
        boxes.append((xy.min(axis=0), xy.max(axis=0)))
    (alo, ahi), (blo, bhi) = boxes
    gap = np.maximum(0.0, np.maximum(alo - bhi, blo - ahi))
    return float(np.hypot(*gap))


def _on_leg(tr: Track, t: NDArray[np.float64]) -> NDArray[np.bool_]:
    k = np.searchsorted(tr.t, t, side="right") - 1
    ok = (k >= 0) & (k < len(tr.t) - 1)
    kk = np.clip(k, 0, max(len(tr.t) - 2, 0))
    if len(tr.t) < 2:
        return np.zeros(len(t), dtype=bool)
    return np.asarray(ok & (tr.t[kk + 1] - tr.t[kk] <= MAX_GAP_S), dtype=bool)


def _fishing_nearby(
    start: float,
    end: float,
    members: list[int],
    fleet: list[Track],
    ts_iv: list[list[tuple[float, float]]],
    fishing: list[Track],
) -> bool | None:
    near = [
        f
        for f in fishing
        if f.t.size and f.t[0] <= end + MAX_GAP_S and f.t[-1] >= start - MAX_GAP_S
    ]
    everyone = list(range(len(fleet)))
    whole = [(start, end)]
    variants: list[list[tuple[int, list[tuple[float, float]]]]] = [
        [(v, whole) for v in members],  # incident vessels, whole incident
        [  # incident vessels, while each is in the territorial sea
            (v, [(max(a, start), min(b, end)) for a, b in ts_iv[v] if b >= start and a <= end])
            for v in members
        ],
        [(v, whole) for v in everyone],  # any fleet vessel, whole incident
    ]
    readings: list[bool | None] = []
    for variant in variants:
        sep = min(
            (_min_separation_nm(fleet[v], f, windows) for v, windows in variant for f in near),
            default=math.inf,
        )
        readings.append(True if sep < _NEAR_TRUE_NM else False if sep > _NEAR_FALSE_NM else None)
    return readings[0] if all(r == readings[0] for r in readings) else None


def evaluate(
    period: Period,
    fleet: Mapping[int, Track],
    fishing: Mapping[int, Track],
) -> tuple[
    dict[dt.date, tuple[frozenset[int], frozenset[int]]], tuple[TruthIncident, ...], list[str]
]:
    """Days, incidents and ambiguity problems of the emitted fleet tracks.

    Parameters
    ----------
    period
        The simulated local days.
    fleet
        Emitted fixes (before noise) of every fleet vessel, by MMSI.
    fishing
        Emitted fixes of the non-fleet fishing vessels, by MMSI.

    Returns
    -------
    tuple
        Per-date fleet MMSIs (contiguous zone, territorial sea), the incidents,
        and a list of ambiguity problems (empty for a well-planned scenario).
    """
    mmsis = sorted(fleet)
    tracks = [fleet[m] for m in mmsis]
    d_all = baseline_distance_nm(
        np.concatenate([t.lon for t in tracks]) if tracks else np.zeros(0),
        np.concatenate([t.lat for t in tracks]) if tracks else np.zeros(0),
    )
    d_fix = np.split(d_all, np.cumsum([len(t.t) for t in tracks])[:-1]) if tracks else []
    legs, problems = _legs(tracks, d_fix)
    cz_iv, p_cz = _inside_intervals(legs, tracks, d_fix, CZ_NM)
    ts_iv, p_ts = _inside_intervals(legs, tracks, d_fix, TS_NM)
    problems += [what for _, _, what in p_cz + p_ts]
    lo_ok, hi_ok = period.start_s + _BOUNDARY_EXEMPT_S, period.end_s - _BOUNDARY_EXEMPT_S
    for ivs in (cz_iv, ts_iv):
        for v, iv in enumerate(ivs):
            for a, b in iv:
                for t in (a, b):
                    if lo_ok < t < hi_ok and period.midnight_distance_s(t) < _MIDNIGHT_MARGIN_S:
                        problems.append(f"{mmsis[v]}: zone crossing at t={t:.0f} near midnight")
    cz_sets: list[set[int]] = [set() for _ in range(period.days)]
    ts_sets: list[set[int]] = [set() for _ in range(period.days)]
    for ivs, sets in ((cz_iv, cz_sets), (ts_iv, ts_sets)):
        for v, iv in enumerate(ivs):
            for a, b in iv:
                a, b = max(a, period.start_s), min(b, period.end_s - 1e-3)
                if b < a:
                    continue
                for day in range(int(period.day_of(a)), int(period.day_of(b)) + 1):
                    sets[day].add(mmsis[v])
    days = {
        period.date(i): (frozenset(cz_sets[i]), frozenset(ts_sets[i])) for i in range(period.days)
    }
    pieces = sorted(
        (max(a, period.start_s), min(b, period.end_s), v)
        for v, iv in enumerate(ts_iv)
        for a, b in iv
        if b >= period.start_s and a < period.end_s
    )
    groups: list[tuple[float, float, set[int]]] = []
    for a, b, v in pieces:
        if groups and a - groups[-1][1] < MERGE_GAP_S:
            gap = a - groups[-1][1]
            if gap > 0 and abs(gap - MERGE_GAP_S) < _MERGE_MARGIN_S:
                problems.append(f"gap of {gap:.0f} s between intrusions near the merge threshold")
            s0, e0, vs = groups[-1]
            groups[-1] = (s0, max(e0, b), vs | {v})
        else:
            if groups and abs(a - groups[-1][1] - MERGE_GAP_S) < _MERGE_MARGIN_S:
                problems.append(f"gap of {a - groups[-1][1]:.0f} s between intrusions near 1 h")
            groups.append((a, b, {v}))
    fishing_tracks = [fishing[m] for m in sorted(fishing)]
    incidents = tuple(
        TruthIncident(
            _to_dt(a),
            _to_dt(b),
            frozenset(mmsis[v] for v in vs),
            _fishing_nearby(a, b, sorted(vs), tracks, ts_iv, fishing_tracks),
        )
        for a, b, vs in groups
    )
    return days, incidents, problems


def zone_presence(
    tracks: list[Track], d_fix: list[NDArray[np.float64]], threshold_nm: float
) -> tuple[list[list[tuple[float, float]]], list[tuple[int, float, str]]]:
    """Exact intervals within ``threshold_nm`` of the baseline of any vessels' tracks.

    The same computation as the fleet's presence (straight lon/lat legs within
    segments, crossings to well under a millisecond), without the checks that
    only matter for counting days.

    Parameters
    ----------
    tracks
        Emitted fixes of each vessel (cleaned).
    d_fix
        Distance to the baseline of each track's fixes.
    threshold_nm
        The zone's distance.

    Returns
    -------
    tuple
        Per track, its inside intervals (unix seconds, floats), and the
        problems ``(track index, time, message)`` of legs grazing the line.
    """
    legs, _ = _legs(tracks, d_fix, fleet_checks=False)
    return _inside_intervals(legs, tracks, d_fix, threshold_nm)
