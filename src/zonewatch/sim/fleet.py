"""The China Coast Guard patrol plan: presence runs, group stints, intrusions, shadows.

Days are planned first (a two-state chain: present runs of weeks, absences of
one or two days), then split into stints of one group of 2-4 ships. A group
arrives from the north-west, patrols 15-21 nm from the baseline (cruising along
the rings and drifting), and leaves to the north-west; on handover days the
next group arrives before the last one leaves. Intrusions are "holds": the
group lingers while one or more ships visit the territorial sea (alone, all
together, two overlapping, two in a row less or more than an hour apart,
shadowing a Japanese fishing boat, for days, or crossing it during a radio
silence). A Japan Coast Guard ship shadows each group about 1-2 nm from its
lead, at a place clearly within or clearly beyond 2 nm of each member's slot
(see :func:`escort_offset_ok`), and never within 0.6 nm of one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from zonewatch.sim.config import SimConfig
from zonewatch.sim.geometry import RingTable, baseline_distance_nm, local_frame
from zonewatch.sim.identities import Roster
from zonewatch.sim.moves import (
    clip_sector,
    planned_intervals,
    rejoin,
    shift_time,
    ts_visit,
    walk,
    wander,
)
from zonewatch.sim.paths import HOUR, PathBuilder, Period, Trip

__all__ = [
    "Escort",
    "FleetPlan",
    "Stint",
    "escort_offset_ok",
    "new_escort_offset",
    "plan_fleet",
    "presence_days",
]

MINUTE = 60.0
_FAR_NM = 64.0  # where trips begin and end (beyond the emission radius)
_MEAN_ABSENCE_DAYS = 1.6


def presence_days(n_days: int, rate: float, rng: np.random.Generator) -> NDArray[np.bool_]:
    """Days with a CCG group in the contiguous zone: a two-state chain with long-run share ``rate``.

    Absences last 1.6 days on average, so present runs last weeks.
    """
    out = np.zeros(n_days, dtype=bool)
    if rate >= 1.0:
        out[:] = True
        return out
    if rate <= 0.0:
        return out
    back = 1.0 / _MEAN_ABSENCE_DAYS
    leave = min(1.0, (1.0 - rate) / rate * back)
    state = bool(rng.random() < rate)
    draws = rng.random(n_days)
    for i in range(n_days):
        out[i] = state
        state = (draws[i] >= leave) if state else (draws[i] < back)
    return out


@dataclass(frozen=True)
class Stint:
    """One group's stay: days (inclusive), whether it arrives/departs inside the period, ships."""

    first_day: int
    last_day: int
    arrive: bool
    depart: bool
    members: tuple[int, ...]
    jcg: int


@dataclass(frozen=True)
class _Hold:
    kind: str
    start_s: float
    limit_s: float


def escort_offset_ok(offset: tuple[float, float], slots: NDArray[np.float64]) -> bool:
    """Whether an escort at ``offset`` (nm from the lead) is clear of the members' ``slots``.

    Clear means at least 0.6 nm from every slot (never an encounter) and not
    within 1.6-2.4 nm of any (the shadowing limit is 2 nm).
    """
    sep = np.hypot(slots[:, 0] - offset[0], slots[:, 1] - offset[1])
    return bool(np.all((sep >= 0.6) & ((sep < 1.6) | (sep > 2.4))))


@dataclass(frozen=True)
class Escort:
    """A JCG ship's trip (index in :attr:`FleetPlan.trips`): the lead's path, shifted."""

    trip_index: int
    lead: Trip
    slots: NDArray[np.float64]
    offset: tuple[float, float]


@dataclass
class FleetPlan:
    """Planned trips of CCG, JCG and the Japanese fishing boats CCG ships approach."""

    trips: list[Trip] = field(default_factory=list)
    escorts: list[Escort] = field(default_factory=list)
    approached: dict[int, float] = field(default_factory=dict)
    """Trips (index in :attr:`trips`) of fishing boats a CCG ship approached: when it left."""
    hold_windows: list[tuple[float, float]] = field(default_factory=list)
    jp_busy: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    presence: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    kinds: list[str] = field(default_factory=list)
    silences_in_zone: int = 0
    long_gaps_outside: int = 0


@dataclass
class _Ctx:
    config: SimConfig
    period: Period
    roster: Roster
    rings: RingTable
    plan: FleetPlan
    handover_days: set[int] = field(default_factory=set)
    chords_owed: int = 0
    escort_rng: np.random.Generator | None = None


def _runs(mask: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Inclusive index runs where ``mask`` is True."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.diff(padded)
    return list(
        zip(
            np.nonzero(edges == 1)[0].tolist(),
            (np.nonzero(edges == -1)[0] - 1).tolist(),
            strict=True,
        )
    )


def _stints(ctx: _Ctx, presence: NDArray[np.bool_], rng: np.random.Generator) -> list[Stint]:
    n_days = len(presence)
    lo, hi = ctx.config.group_size
    out: list[Stint] = []
    prev_members: tuple[int, ...] = ()
    prev_jcg = -1
    for p0, p1 in _runs(presence):
        s = p0
        first_in_run = True
        while True:
            length = int(rng.integers(8, 26))
            end = s + length
            if end >= p1 - 4:
                end = p1
            pool = [i for i in range(ctx.config.n_ccg) if i not in prev_members or first_in_run]
            size = int(rng.integers(lo, hi + 1))
            members = tuple(sorted(int(i) for i in rng.choice(pool, size=size, replace=False)))
            jcg = int(rng.choice([j for j in range(len(ctx.roster.jcg)) if j != prev_jcg]))
            out.append(
                Stint(s, end, not (s == 0 and first_in_run), not (end == n_days - 1), members, jcg)
            )
            prev_members, prev_jcg = members, jcg
            first_in_run = False
            if end >= p1:
                break
            s = end
        prev_members = ()
    return out


def _schedule_holds(ctx: _Ctx, stints: list[Stint], rng: np.random.Generator) -> list[list[_Hold]]:
    """Intrusion holds per stint: days, kinds, start times and latest ends."""
    cfg, period = ctx.config, ctx.period
    eligible = [(k, d) for k, st in enumerate(stints) for d in range(st.first_day + 1, st.last_day)]
    expected = cfg.intrusions_per_year * period.days / 365.25
    n_target = int(expected) + int(rng.random() < expected - int(expected))
    if not eligible or n_target == 0:
        return [[] for _ in stints]
    share = cfg.fishing_approach_share
    others = {
        "single": 0.50,
        "group": 0.17,
        "pair": 0.15,
        "merge": 0.10,
        "split": 0.08,
    }
    kinds = ["approach", *others]
    weights = np.array([share, *(w * (1.0 - share) for w in others.values())])
    order = rng.permutation(len(eligible))
    chosen: list[tuple[int, int, str]] = []
    n_chords = max(1, round(period.days / 120))
    total = 0
    for idx in order:
        if total >= n_target:
            break
        k, d = eligible[int(idx)]
        if any(c[0] == k and abs(c[1] - d) <= 1 for c in chosen):
            continue
        kind = "chord" if len(chosen) < n_chords else str(rng.choice(kinds, p=weights))
        chosen.append((k, d, kind))
        total += 2 if kind == "split" else 1
    chosen.sort()
    # stays of one to three days (one per four months), where the stint leaves room
    n_long = max(1, round(period.days / 120))
    for i in rng.permutation(len(chosen)):
        k, d, kind = chosen[int(i)]
        nxt = [c[1] for c in chosen if c[0] == k and c[1] > d]
        room = min([*nxt, stints[k].last_day]) - d
        if n_long > 0 and room >= 4 and kind not in ("chord", "long", "split"):
            chosen[int(i)] = (k, d, "long")
            n_long -= 1
    per_stint: list[list[_Hold]] = [[] for _ in stints]
    starts = [period.at(d, float(rng.uniform(1.0, 15.0))) for _, d, _ in chosen]
    for i, (k, _d, kind) in enumerate(chosen):
        limit = period.at(stints[k].last_day, 0.0) - 2 * HOUR
        if i + 1 < len(chosen) and chosen[i + 1][0] == k:
            limit = min(limit, starts[i + 1] - 6 * HOUR)
        per_stint[k].append(_Hold(kind, starts[i], limit))
    return per_stint


@dataclass
class _HoldResult:
    kind: str
    lead: PathBuilder
    excursions: list[tuple[int, PathBuilder]]
    jp_trip: tuple[int, PathBuilder, float] | None
    end: float


def _member_paths(
    base: PathBuilder, offsets: NDArray[np.float64], excursions: list[tuple[int, PathBuilder]]
) -> list[PathBuilder]:
    """Each member's path: the lead's displaced by its offset, with its excursions spliced in."""
    t = np.array(base.t)
    out = []
    for m, (ox, oy) in enumerate(offsets):
        own = sorted((p for mm, p in excursions if mm == m), key=lambda p: p.t[0])
        ts: list[float] = []
        xs: list[float] = []
        ys: list[float] = []
        cursor = -math.inf
        silences: list[tuple[float, float]] = []
        forced: list[float] = []
        for p in own:
            sel = (t > cursor) & (t < p.t[0] - 1e-3)
            ts += t[sel].tolist()
            xs += (np.array(base.x)[sel] + ox).tolist()
            ys += (np.array(base.y)[sel] + oy).tolist()
            ts += p.t
            xs += p.x
            ys += p.y
            silences += p.silences
            forced += p.forced
            cursor = p.t[-1] + 1e-3
        sel = t > cursor
        ts += t[sel].tolist()
        xs += (np.array(base.x)[sel] + ox).tolist()
        ys += (np.array(base.y)[sel] + oy).tolist()
        out.append(PathBuilder(ts, xs, ys, silences, forced))
    return out


@dataclass(frozen=True)
class _LeadAt:
    """Where a member belongs at time t: the hold path displaced by the member's offset."""

    hold: PathBuilder
    off: tuple[float, float]

    def __call__(self, t: float) -> tuple[float, float]:
        x, y = self.hold.position_at(t)
        return x + self.off[0], y + self.off[1]


def _entry_exit(path: PathBuilder) -> list[tuple[float, float]]:
    return planned_intervals(np.array(path.t), np.array(path.x), np.array(path.y), 12.0)


def _visit(
    ctx: _Ctx, hold: PathBuilder, off: tuple[float, float], a: float, stay_s: float, seed: int
) -> PathBuilder:
    rng = np.random.default_rng(seed)
    here = _LeadAt(hold, off)
    p = PathBuilder.at(a, *here(a))
    th, _ = _polar_at(ctx, hold, a)
    ts_visit(p, ctx.rings, th, stay_s, rng)
    rejoin(p, here, float(rng.uniform(9, 12)))
    return p


def _polar_at(ctx: _Ctx, hold: PathBuilder, t: float) -> tuple[float, float]:
    x, y = hold.position_at(t)
    return PathBuilder.at(t, x, y).polar(ctx.rings)


def _visit_entering_at(
    ctx: _Ctx, hold: PathBuilder, off: tuple[float, float], entry: float, stay_s: float, seed: int
) -> PathBuilder:
    """A visit timed so that its planned territorial-sea entry is at ``entry``."""
    a = entry - 0.5 * HOUR
    p = _visit(ctx, hold, off, a, stay_s, seed)
    for _ in range(4):
        got = _entry_exit(p)
        if not got:
            break
        a += entry - got[0][0]
        p = _visit(ctx, hold, off, a, stay_s, seed)
    return p


def _approach(
    ctx: _Ctx, hold: PathBuilder, off: tuple[float, float], a: float, rng: np.random.Generator
) -> tuple[PathBuilder, PathBuilder, float]:
    """A CCG visit that shadows a Japanese fishing boat 0.3-0.5 nm away: (ccg, boat, leave time)."""
    rings = ctx.rings
    th0, _ = _polar_at(ctx, hold, a)
    th_s = clip_sector(th0 + rng.uniform(-12, 12), 5)
    spot = rings.xy(th_s, rng.uniform(3.5, 7.0))
    sx, sy = float(spot[0][0]), float(spot[1][0])
    th_home = float(rng.uniform(140, 170))
    inbound = PathBuilder.at(
        0.0, _FAR_NM * math.sin(math.radians(th_home)), _FAR_NM * math.cos(math.radians(th_home))
    )
    hx, hy = rings.xy(th_home, 8.0)
    inbound.goto(float(hx[0]), float(hy[0]), 9.5)
    inbound.polar_to(rings, th_s, 8.0, 9.5)
    inbound.goto(sx, sy, 8.0)
    boat = shift_time(inbound, a - rng.uniform(1.0, 3.0) * HOUR - inbound.now)
    wander(boat, (sx, sy), a + 12 * HOUR, rng, radius_nm=0.8, speed_kn=(0.5, 1.5))
    here = _LeadAt(hold, off)
    ccg = PathBuilder.at(a, *here(a))
    ang = rng.uniform(0, 2 * math.pi)
    rad = rng.uniform(0.3, 0.5)
    cx, cy = rad * math.sin(ang), rad * math.cos(ang)
    speed = rng.uniform(10, 13)
    t_meet = a + 0.5 * HOUR
    for _ in range(5):
        bx, by = boat.position_at(t_meet)
        x0, y0 = ccg.pos
        t_meet = a + math.hypot(bx + cx - x0, by + cy - y0) / speed * HOUR
    t_leave = t_meet + rng.uniform(1.0, 3.0) * HOUR
    bx, by = boat.position_at(t_meet)
    ccg.add(t_meet, bx + cx, by + cy)
    for t, x, y in zip(boat.t, boat.x, boat.y, strict=True):
        if t_meet + 1 < t < t_leave - 1:
            ccg.add(t, x + cx, y + cy)
    bx, by = boat.position_at(t_leave)
    ccg.add(t_leave, bx + cx, by + cy)
    linger = rng.uniform(0.0, 2.0) * HOUR
    if linger > 0.3 * HOUR:
        ccg.polar_to(rings, clip_sector(th_s + rng.uniform(-8, 8), 3), rng.uniform(6.0, 8.5), 6.0)
        wander(ccg, ccg.pos, ccg.now + linger, rng, radius_nm=0.8)
    th, _ = ccg.polar(rings)
    ccg.polar_to(rings, th, 16.0, rng.uniform(10, 13))
    rejoin(ccg, here, float(rng.uniform(9, 12)))
    boat.truncate(max(t_leave, ccg.now - 2 * HOUR) + rng.uniform(0.5, 1.5) * HOUR)
    th_out = float(rng.uniform(140, 170))
    boat.polar_to(rings, th_s, 8.0, 9.5)
    boat.polar_to(rings, th_out, 8.0, 9.5)
    boat.goto(
        _FAR_NM * math.sin(math.radians(th_out)), _FAR_NM * math.cos(math.radians(th_out)), 9.5
    )
    return ccg, boat, t_leave


def _chord(
    ctx: _Ctx, hold: PathBuilder, off: tuple[float, float], a: float, rng: np.random.Generator
) -> PathBuilder | None:
    """A silent straight leg (~2.5 h) between two fixes 14.5 nm out that cuts through the TS."""
    rings = ctx.rings
    here = _LeadAt(hold, off)
    th0, _ = _polar_at(ctx, hold, a)
    p = PathBuilder.at(a, *here(a))
    p.polar_to(rings, th0, 14.5, 10.0)
    p.wait(math.ceil(p.now) - p.now)
    t1 = p.now
    x1, y1 = p.pos
    duration = float(round(rng.uniform(2.3, 2.7) * HOUR))
    frame = local_frame()
    lon1, lat1 = frame.to_lonlat(x1, y1)
    for delta in (100.0, 90.0, 110.0, 120.0, 80.0, 130.0):
        for sign in (1.0, -1.0):
            th2 = th0 + sign * delta
            if not 190.0 <= th2 <= 390.0:
                continue
            ex, ey = rings.xy(th2, 14.5)
            x2, y2 = float(ex[0]), float(ey[0])
            if math.hypot(x2 - x1, y2 - y1) / (duration / HOUR) > 15.0:
                continue
            lon2, lat2 = frame.to_lonlat(x2, y2)
            s = np.linspace(0.0, 1.0, 65)
            d = baseline_distance_nm(lon1 + s * (lon2 - lon1), lat1 + s * (lat2 - lat1))
            if not 3.0 <= float(d.min()) <= 9.5:
                continue
            p.add(t1 + duration, x2, y2)
            p.silences.append((t1, t1 + duration))
            p.forced += [t1, t1 + duration]
            p.polar_to(rings, th2, 16.0, 12.0)
            p.polar_to(rings, th0, 16.0, 12.0)
            rejoin(p, here, 12.0)
            return p
    return None


def _try_hold(
    ctx: _Ctx,
    kind: str,
    t0: float,
    limit: float,
    lead_xy: tuple[float, float],
    offsets: NDArray[np.float64],
    jp_free: list[int],
    rng: np.random.Generator,
) -> _HoldResult | None:
    rings = ctx.rings
    hold = PathBuilder.at(t0, *lead_xy)
    th0, d0 = hold.polar(rings)
    cx, cy = rings.xy(th0, min(d0, 19.0))  # linger no farther than 19 nm out
    center = (float(cx[0]), float(cy[0]))
    n = len(offsets)
    offs = [(float(o[0]), float(o[1])) for o in offsets]
    excursions: list[tuple[int, PathBuilder]] = []
    jp_trip: tuple[int, PathBuilder, float] | None = None
    if kind in ("pair", "merge", "split") and n < 2:
        kind = "single"
    if kind == "approach" and not jp_free:
        kind = "single"
    a = t0 + rng.uniform(0.3, 1.0) * HOUR
    expected = 2 if kind == "split" else 1
    if kind == "group":
        hold.wait(a - t0)
        ts_visit(hold, rings, th0, rng.uniform(1.5, 4.0) * HOUR, rng)
        end = hold.now + rng.uniform(0.5, 1.5) * HOUR
        wander(hold, hold.pos, end, rng)
    else:
        wander(hold, center, limit + HOUR, rng)
        m1, m2 = (int(v) for v in rng.permutation(n)[:2]) if n >= 2 else (0, 0)
        seed = int(rng.integers(2**62))
        if kind == "single":
            excursions.append(
                (m1, _visit(ctx, hold, offs[m1], a, rng.uniform(1.5, 6.0) * HOUR, seed))
            )
        elif kind == "long":
            stay = min(rng.uniform(24.0, 72.0) * HOUR, limit - a - 4 * HOUR)
            if stay < 20 * HOUR:
                stay = rng.uniform(6.0, 10.0) * HOUR
            excursions.append((m1, _visit(ctx, hold, offs[m1], a, stay, seed)))
        elif kind in ("pair", "merge", "split"):
            first = _visit(ctx, hold, offs[m1], a, rng.uniform(2.5, 5.0) * HOUR, seed)
            iv = _entry_exit(first)
            if not iv:
                return None
            (in1, out1), *_ = iv
            if kind == "pair":
                entry = in1 + rng.uniform(0.5, max(0.6, (out1 - in1) / HOUR - 1.0)) * HOUR
            elif kind == "merge":
                entry = out1 + rng.uniform(15.0, 40.0) * MINUTE
            else:
                entry = out1 + rng.uniform(90.0, 180.0) * MINUTE
            second = _visit_entering_at(
                ctx, hold, offs[m2], entry, rng.uniform(1.5, 4.0) * HOUR, seed + 1
            )
            excursions += [(m1, first), (m2, second)]
        elif kind == "approach":
            ccg, boat, t_leave = _approach(ctx, hold, offs[m1], a, rng)
            excursions.append((m1, ccg))
            jp_trip = (int(rng.choice(jp_free)), boat, t_leave)
        elif kind == "chord":
            p = _chord(ctx, hold, offs[m1], a, rng)
            if p is None:
                return None
            excursions.append((m1, p))
        end = max(p.now for _, p in excursions) + rng.uniform(0.3, 1.0) * HOUR
        hold.truncate(end)
    if end > limit:
        return None
    if not _hold_ok(ctx, hold, offsets, excursions, expected):
        return None
    return _HoldResult(kind, hold, excursions, jp_trip, end)


def _hold_ok(
    ctx: _Ctx,
    hold: PathBuilder,
    offsets: NDArray[np.float64],
    excursions: list[tuple[int, PathBuilder]],
    expected: int,
) -> bool:
    """Planned crossings away from midnight, merge gaps away from 1 h, the expected incidents."""
    pieces: list[tuple[float, float]] = []
    for path in _member_paths(hold, offsets, excursions):
        t, x, y = np.array(path.t), np.array(path.x), np.array(path.y)
        pieces += planned_intervals(t, x, y, 12.0)
        cz = planned_intervals(t, x, y, 23.0)
        if len(cz) != 1 or cz[0][0] > t[0] + 1 or cz[0][1] < t[-1] - 1:
            return False
    if not pieces:
        return False
    pieces.sort()
    ends = np.array([p for iv in pieces for p in iv])
    if np.any(ctx.period.midnight_distance_s(ends) < 20 * MINUTE):
        return False
    incidents = 1
    reach = pieces[0][1]
    for s, e in pieces[1:]:
        gap = s - reach
        if 40 * MINUTE <= gap <= 80 * MINUTE:
            return False
        if gap >= 60 * MINUTE:
            incidents += 1
        reach = max(reach, e)
    return incidents == expected


def _arrival(ctx: _Ctx, t_cross: float, rng: np.random.Generator) -> PathBuilder:
    """From 64 nm north-west straight in, crossing 24 nm at ``t_cross``, to 18 nm."""
    th = float(rng.uniform(285, 335))
    speed = float(rng.uniform(12, 16))
    r24 = float(ctx.rings.radius(th, 24.0))
    sin, cos = math.sin(math.radians(th)), math.cos(math.radians(th))
    b = PathBuilder.at(t_cross - (_FAR_NM - r24) / speed * HOUR, _FAR_NM * sin, _FAR_NM * cos)
    r18 = float(ctx.rings.radius(th, 18.0))
    b.goto(r18 * sin, r18 * cos, speed)
    return b


def _departure(ctx: _Ctx, b: PathBuilder, rng: np.random.Generator) -> None:
    """Out to 28 nm, along that ring to bearing 310, then away to 64 nm."""
    th, _ = b.polar(ctx.rings)
    speed = float(rng.uniform(12, 16))
    b.polar_to(ctx.rings, th, 28.0, speed)
    b.polar_to(ctx.rings, 310.0, 28.0, speed)
    b.goto(_FAR_NM * math.sin(math.radians(310)), _FAR_NM * math.cos(math.radians(310)), speed)


def _stint_trips(ctx: _Ctx, st: Stint, holds: list[_Hold], rng: np.random.Generator) -> None:
    cfg, period, rings, plan = ctx.config, ctx.period, ctx.rings, ctx.plan
    handover_in = st.arrive and st.first_day > 0 and bool(ctx.plan.presence[st.first_day - 1])
    if st.arrive:
        hours = rng.uniform(2.0, 12.0) if handover_in else rng.uniform(2.0, 22.0)
        if st.first_day == st.last_day and st.depart:
            hours = rng.uniform(2.0, 8.0)
        t_in = period.at(st.first_day, hours)
        lead = _arrival(ctx, t_in, rng)
    else:
        th = float(rng.uniform(200, 380))
        x, y = rings.xy(th, rng.uniform(16, 20))
        lead = PathBuilder.at(period.start_s - 2 * HOUR, float(x[0]), float(y[0]))
        t_in = period.start_s
    n = len(st.members)
    ang = rng.uniform(0, 2 * math.pi) + 2 * math.pi * np.arange(n) / n
    rad = rng.uniform(0.4, 1.0, n)
    offsets = np.stack([rad * np.sin(ang), rad * np.cos(ang)], axis=1)
    excursions: list[tuple[int, PathBuilder]] = []
    for h in holds:
        walk(lead, rings, h.start_s, rng)
        jp_free = [
            j
            for j in range(cfg.n_fishing_jp)
            if all(e + 6 * HOUR < h.start_s - 8 * HOUR or s > h.limit_s + 8 * HOUR
                   for s, e in plan.jp_busy.get(j, []))
        ]  # fmt: skip
        kinds = [h.kind] * 12 + ["single"] * 6  # after 12 failures, settle for a single visit
        if ctx.chords_owed and h.kind not in ("chord", "long"):
            kinds = ["chord"] * 12 + kinds  # a dark crossing that failed earlier comes first
        result = None
        for kind in kinds:
            result = _try_hold(
                ctx, kind, lead.now, h.limit_s, lead.pos, offsets, jp_free,
                np.random.default_rng(int(rng.integers(2**62))),
            )  # fmt: skip
            if result is not None:
                break
        if h.kind == "chord" and (result is None or result.kind != "chord"):
            ctx.chords_owed += 1
        elif h.kind != "chord" and result is not None and result.kind == "chord":
            ctx.chords_owed -= 1
        if result is None:
            continue
        lead.extend(result.lead)
        excursions += result.excursions
        plan.hold_windows.append((result.lead.t[0], result.end))
        plan.kinds.append(result.kind)
        if result.jp_trip is not None:
            j, boat, t_leave = result.jp_trip
            plan.jp_busy.setdefault(j, []).append((boat.t[0], boat.t[-1]))
            plan.approached[len(plan.trips)] = t_leave
            plan.trips.append(
                Trip.of(ctx.roster.fishing_jp[j].mmsi, boat, cfg.fishing_report_interval_s, 7)
            )
    if st.depart:
        lo = max(1.0, (t_in - period.at(st.last_day, 0.0)) / HOUR + 5.0)
        hours = (
            rng.uniform(12.0, 21.0) if st.last_day in ctx.handover_days else rng.uniform(lo, 21.0)
        )
        walk(lead, rings, period.at(st.last_day, max(lo, min(hours, 21.0))), rng)
        _departure(ctx, lead, rng)
    else:
        walk(lead, rings, period.end_s + 2 * HOUR, rng)
    members = _member_paths(lead, offsets, excursions)
    for m, path in zip(st.members, members, strict=True):
        for d0, d1 in lead.drifts:
            if d1 - d0 >= 2 * HOUR and rng.random() < cfg.gap_rate:
                length = rng.uniform(1.0, min(5.0, (d1 - d0) / HOUR - 1.0)) * HOUR
                s0 = rng.uniform(d0 + 0.5 * HOUR, d1 - 0.5 * HOUR - length)
                path.silences.append((s0, s0 + length))
                plan.silences_in_zone += 1
        plan.trips.append(Trip.of(ctx.roster.ccg[m].mmsi, path, cfg.report_interval_s))
    j_ang = float(rng.uniform(0, 2 * math.pi))
    j_rad = float(rng.uniform(1.3, 1.8))
    offset = (j_rad * math.sin(j_ang), j_rad * math.cos(j_ang))
    if ctx.escort_rng is not None and not escort_offset_ok(offset, offsets):
        offset = new_escort_offset(offsets, ctx.escort_rng)
    jcg = Trip.of(ctx.roster.jcg[st.jcg].mmsi, lead, cfg.report_interval_s)
    plan.escorts.append(Escort(len(plan.trips), jcg, offsets, offset))
    plan.trips.append(jcg.shifted(*offset))


def new_escort_offset(slots: NDArray[np.float64], rng: np.random.Generator) -> tuple[float, float]:
    """A random escort offset, 1.0-2.2 nm from the lead, that :func:`escort_offset_ok` accepts."""
    offset = (0.0, 1.3)
    for _ in range(200):
        ang = float(rng.uniform(0, 2 * math.pi))
        rad = float(rng.uniform(1.0, 2.2))
        offset = (rad * math.sin(ang), rad * math.cos(ang))
        if escort_offset_ok(offset, slots):
            break
    return offset


def _lurker(ctx: _Ctx, mmsi: int, day: int, rng: np.random.Generator) -> Trip:
    """A lone CCG ship waiting 27-32 nm out, silent for 6.8-9 h across the contiguous zone.

    The straight line between the fixes before and after the silence passes
    through the contiguous zone, but the gap exceeds 6 h, so the track is split
    there and the ship is never present.
    """
    rings = ctx.rings
    th_a = float(rng.uniform(285, 330))
    t0 = ctx.period.at(day, float(rng.uniform(1.0, 6.0)))
    sin, cos = math.sin(math.radians(th_a)), math.cos(math.radians(th_a))
    b = PathBuilder.at(t0, _FAR_NM * sin, _FAR_NM * cos)
    r32 = float(rings.radius(th_a, 32.0))
    b.goto(r32 * sin, r32 * cos, 12.0)
    th1 = th_a - float(rng.uniform(40, 70))
    b.polar_to(rings, th1, 30.0, 10.0)
    b.polar_to(rings, th1, 28.0, 4.0)
    b.wait(math.ceil(b.now) - b.now + rng.uniform(0.5, 2.0) * HOUR // 1)
    t1 = b.now
    frame = local_frame()
    lon1, lat1 = frame.to_lonlat(*b.pos)
    for delta in (80.0, 70.0, 90.0, 100.0, 60.0):
        th2 = th1 + delta
        ex, ey = rings.xy(th2, 28.0)
        lon2, lat2 = frame.to_lonlat(ex, ey)
        s = np.linspace(0.0, 1.0, 65)
        d = baseline_distance_nm(lon1 + s * (lon2 - lon1), lat1 + s * (lat2 - lat1))
        if 13.0 <= float(d.min()) <= 22.0 or delta == 60.0:
            break
    duration = float(round(rng.uniform(6.8, 9.0) * HOUR))
    b.add(t1 + duration, float(ex[0]), float(ey[0]))
    b.silences.append((t1, t1 + duration))
    b.forced += [t1, t1 + duration]
    b.polar_to(rings, th2, 30.0, 6.0)
    wander(b, b.pos, b.now + rng.uniform(1.0, 4.0) * HOUR, rng, radius_nm=1.0)
    b.polar_to(rings, 310.0, 30.0, 12.0)
    b.goto(_FAR_NM * math.sin(math.radians(310)), _FAR_NM * math.cos(math.radians(310)), 12.0)
    return Trip.of(mmsi, b, ctx.config.report_interval_s)


def plan_fleet(
    config: SimConfig,
    period: Period,
    roster: Roster,
    rings: RingTable,
    rng: np.random.Generator,
    escort_rng: np.random.Generator | None = None,
) -> FleetPlan:
    """Plan every CCG and JCG trip of the period, and the fishing boats CCG ships approach.

    Parameters
    ----------
    config, period, roster, rings
        Scenario settings, simulated days, identities and ring geometry.
    rng
        The fleet's own random stream.
    escort_rng
        Draws escort offsets when the first one (from ``rng``) is not clear
        of the members' slots; without it the first one is kept.

    Returns
    -------
    FleetPlan
        Trips (not yet sampled), the windows of the intrusion holds (other
        Japanese fishing trips keep out of them) and the realised intrusion kinds.
    """
    presence = presence_days(period.days, config.cz_day_rate, rng)
    plan = FleetPlan(presence=presence)
    ctx = _Ctx(config, period, roster, rings, plan, escort_rng=escort_rng)
    stints = _stints(ctx, presence, rng)
    starts = {st.first_day for st in stints if st.arrive}
    ctx.handover_days = {st.last_day for st in stints if st.depart and st.last_day in starts}
    holds = _schedule_holds(ctx, stints, rng)
    for st, hs in zip(stints, holds, strict=True):
        _stint_trips(ctx, st, hs, rng)
    for q0, q1 in _runs(~presence):
        if rng.random() >= config.dark_outside_rate:
            continue
        near = {
            m
            for st in stints
            if st.last_day >= q0 - 1 and st.first_day <= q1 + 1
            for m in st.members
        }
        pool = [i for i in range(config.n_ccg) if i not in near]
        if not pool:
            continue
        ship = int(rng.choice(pool))
        plan.trips.append(_lurker(ctx, roster.ccg[ship].mmsi, q0, rng))
        plan.long_gaps_outside += 1
    return plan
