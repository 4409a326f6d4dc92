"""Run a scenario: plan, sample, compute the ground truth, add noise, encode and write."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from zonewatch.sim.config import SimConfig
from zonewatch.sim.encode import (
    PositionColumns,
    StaticPayload,
    frame_sentence,
    position_lines,
    position_payloads,
    static_payloads,
    tag_block,
)
from zonewatch.sim.event_truth import Problem, scenario_events
from zonewatch.sim.fleet import Escort, new_escort_offset, plan_fleet
from zonewatch.sim.geometry import local_frame, ring_table, zone_set
from zonewatch.sim.identities import Identity, roster
from zonewatch.sim.noise import (
    CORRUPTION_KINDS,
    corrupt_line,
    corruption_counts,
    garbage_line,
    orphan_line,
    pick_spoofs,
    spoof_positions,
)
from zonewatch.sim.paths import Fixes, Period, Trip, sample_trip
from zonewatch.sim.planted import ANOMALY_CODES, apply_anomalies, plan_planted
from zonewatch.sim.traffic import plan_traffic
from zonewatch.sim.truth import (
    ScenarioError,
    Track,
    Truth,
    TruthEvent,
    TruthIncident,
    evaluate,
)

__all__ = ["Scenario", "SimResult", "plan_scenario", "simulate"]

_UNITS = 600_000  # AIS 1/10000 minute per degree
_RANK_STATIC, _RANK_POSITION, _RANK_NOISE = 0, 1, 2
_ORPHAN_SPACING = 60
_ORPHAN_TAIL = 200


@dataclass(frozen=True)
class SimResult:
    """Where a simulation wrote its output, its ground truth and the number of lines."""

    nmea_path: Path
    truth_path: Path
    truth: Truth
    n_lines: int


_Fields = dict[str, str | int | float | bytes | bool]


def _static_fields(ident: Identity) -> list[_Fields]:
    dims: _Fields = {
        "to_bow": ident.length_m * 2 // 3,
        "to_stern": ident.length_m - ident.length_m * 2 // 3,
        "to_port": ident.beam_m // 2,
        "to_starboard": ident.beam_m - ident.beam_m // 2,
    }
    if ident.class_b:
        return [
            {"type": 24, "mmsi": ident.mmsi, "partno": 0, "shipname": ident.name},
            {
                "type": 24, "mmsi": ident.mmsi, "partno": 1, "ship_type": ident.ship_type,
                "callsign": ident.callsign, **dims,
            },
        ]  # fmt: skip
    return [
        {
            "type": 5, "mmsi": ident.mmsi, "imo": ident.imo, "callsign": ident.callsign,
            "shipname": ident.name, "ship_type": ident.ship_type, "epfd": 1, "ais_version": 0,
            "draught": 6.0, "destination": ident.destination, "month": 0, "day": 0,
            "hour": 24, "minute": 60, **dims,
        }
    ]  # fmt: skip


def _static_times(
    mmsi: NDArray[np.int64], t: NDArray[np.int64], interval_s: int, phase: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Fixes (sorted by vessel, time) at which static data is sent."""
    first = np.ones(len(t), dtype=bool)
    first[1:] = (mmsi[1:] != mmsi[:-1]) | (t[1:] - t[:-1] > 3600)
    slot = (t + phase) // interval_s
    new_slot = np.ones(len(t), dtype=bool)
    new_slot[1:] = slot[1:] != slot[:-1]
    return first | new_slot


@dataclass(frozen=True)
class Scenario:
    """A planned and sampled scenario before noise and encoding.

    ``fixes`` holds every emitted position fix (before duplicates and spoofed
    fixes), sorted by MMSI then time, in AIS raw units: ``lon``/``lat`` in
    1/600000 degree, ``sog`` in 0.1 kn, ``cog`` in 0.1 degree. ``code`` tells
    planted anomalies apart (:data:`zonewatch.sim.planted.ANOMALY_CODES`);
    ``events`` are the scenario's events but for the spoofed fixes, which
    :func:`simulate` adds with the noise.
    """

    config: SimConfig
    period: Period
    identities: dict[int, Identity]
    mmsi: NDArray[np.int64]
    t: NDArray[np.int64]
    lon: NDArray[np.int64]
    lat: NDArray[np.int64]
    sog: NDArray[np.int64]
    cog: NDArray[np.int64]
    nav_status: NDArray[np.int64]
    days: dict[dt.date, tuple[frozenset[int], frozenset[int]]]
    incidents: tuple[TruthIncident, ...]
    intrusion_kinds: tuple[str, ...]
    silences_in_zone: int
    long_gaps_outside: int
    code: NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    events: tuple[TruthEvent, ...] = ()
    planted: dict[str, int] = field(default_factory=dict)

    def track(self, mmsi: int) -> Track:
        """One vessel's emitted fixes in degrees."""
        sel = self.mmsi == mmsi
        return Track(self.t[sel], self.lon[sel] / _UNITS, self.lat[sel] / _UNITS)

    def protected(self) -> NDArray[np.bool_]:
        """Fixes near planted anomalies, where no spoofed fix may go (same order as ``t``)."""
        out = np.zeros(len(self.t), dtype=bool)
        marked = np.flatnonzero(self.code != ANOMALY_CODES["normal"])
        for m in np.unique(self.mmsi[marked]):
            own = np.flatnonzero(self.mmsi == m)
            hot = self.t[np.intersect1d(own, marked)]
            near = np.abs(self.t[own][:, None] - hot[None, :]).min(axis=1) <= 3 * 3600
            out[own[near]] = True
        coaster = [m for m, i in self.identities.items() if i.role == "coaster"]
        out |= np.isin(self.mmsi, np.array(coaster, dtype=np.int64))
        return out


@dataclass
class _Sampled:
    """Sampled trips, which of them are kept, and the escort offsets in use."""

    trips: list[Trip]
    fixes: list[Fixes]
    kept: list[bool]
    droppable: list[bool]
    partner: dict[int, int]
    escorts: dict[int, Escort]
    approached: dict[int, float]
    moves: dict[int, int] = field(default_factory=dict)
    cuts: int = 0

    def covering(self, mmsi: int, t: float) -> list[int]:
        return [
            k
            for k, tr in enumerate(self.trips)
            if tr.mmsi == mmsi and tr.t[0] - 3600 <= t <= tr.t[-1] + 3600
        ]

    def concat(self) -> Fixes:
        return Fixes.concat([f for f, keep in zip(self.fixes, self.kept, strict=True) if keep])


def _repair(sampled: _Sampled, problems: list[Problem], rng: np.random.Generator) -> list[str]:
    """Repair the non-fleet trips behind the problems; return what could not be repaired.

    An escort moves to another offset (three times, then it is left out); a
    fishing boat a CCG ship approached stops reporting 5 min before the ship
    leaves it; other non-fleet trips are left out (a fish carrier with the
    boat it meets). Fleet trips are never changed.
    """
    unresolved: list[str] = []
    done: set[int] = set()
    for pr in problems:
        fixed = False
        for who in (pr.mmsi, pr.other):
            if who is None or fixed:
                continue
            for k in sampled.covering(who, pr.t):
                if k in done or not sampled.kept[k]:
                    fixed = True
                elif k in sampled.escorts and sampled.moves.get(k, 0) < 3:
                    esc = sampled.escorts[k]
                    old = esc.offset
                    new = new_escort_offset(esc.slots, rng)
                    sampled.escorts[k] = Escort(esc.trip_index, esc.lead, esc.slots, new)
                    f = sampled.fixes[k]
                    sampled.fixes[k] = Fixes(
                        f.mmsi, f.t, f.x + new[0] - old[0], f.y + new[1] - old[1],
                        f.sog_kn, f.cog_deg, f.nav_status,
                    )  # fmt: skip
                    sampled.moves[k] = sampled.moves.get(k, 0) + 1
                    done.add(k)
                    fixed = True
                elif k in sampled.approached:
                    f = sampled.fixes[k]
                    keep = f.t <= sampled.approached.pop(k) - 300
                    sampled.fixes[k] = Fixes(
                        *(getattr(f, n)[keep] for n in Fixes.__dataclass_fields__)
                    )
                    sampled.cuts += 1
                    done.add(k)
                    fixed = True
                elif sampled.droppable[k]:
                    for j in (k, sampled.partner.get(k, k)):
                        sampled.kept[j] = False
                        done.add(j)
                    fixed = True
                if fixed:
                    break
        if not fixed:
            unresolved.append(f"{pr.mmsi} at t={pr.t:.0f}: {pr.what}")
    return unresolved


def plan_scenario(config: SimConfig) -> Scenario:
    """Plan and sample a scenario and compute its ground truth (nothing is written).

    Cases the event rules could not call clearly are repaired where a non-fleet
    vessel is involved (see :func:`_repair`); the fleet's trips, and so its
    days and incidents, never change.

    Raises
    ------
    ScenarioError
        If the planned scenario contains a case the truth cannot call exactly.
    """
    period = Period.of(config.start, config.days, zone_set().timezone)
    rings = ring_table()
    cast = roster(
        config.n_ccg, config.n_fishing_jp, config.n_fishing_cn, config.n_merchant,
        config.n_carrier, config.n_meeting,
    )  # fmt: skip
    ident = {i.mmsi: i for i in cast.all()}
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(config.seed).spawn(9)]
    fleet = plan_fleet(config, period, cast, rings, streams[0], escort_rng=streams[7])
    traffic = plan_traffic(config, period, cast, rings, fleet, streams[1])
    planted = plan_planted(config, period, cast, rings, fleet.trips, traffic, streams[5])
    trips = fleet.trips + traffic + planted.trips
    fixes = [sample_trip(trip, period, streams[2]) for trip in fleet.trips + traffic]
    fixes += [sample_trip(trip, period, streams[6]) for trip in planted.trips]
    anomaly_seed = int(streams[6].integers(2**62))
    n_fleet, n_traffic = len(fleet.trips), len(traffic)
    escorts = {e.trip_index: e for e in fleet.escorts}
    partner: dict[int, int] = {}
    for k in range(n_fleet + n_traffic, len(trips) - 1):
        a, b = trips[k], trips[k + 1]
        if ident[a.mmsi].role == "meeting" and ident[b.mmsi].role == "carrier":
            partner[k], partner[k + 1] = k + 1, k
    sampled = _Sampled(
        trips,
        fixes,
        [True] * len(trips),
        [k >= n_fleet or k in escorts for k in range(len(trips))],
        partner,
        escorts,
        dict(fleet.approached),
    )
    fleet_ids = frozenset(i.mmsi for i in cast.ccg)
    fishing_ids = frozenset(i.mmsi for i in cast.fishing())
    for _round in range(6):
        got = sampled.concat()
        order = np.lexsort((got.t, got.mmsi))
        mmsi0, t0 = got.mmsi[order], got.t[order]
        if np.any((mmsi0[1:] == mmsi0[:-1]) & (t0[1:] <= t0[:-1])):
            raise ScenarioError(f"seed {config.seed}: two trips of one vessel overlap in time")
        lon, lat = local_frame().to_lonlat(got.x[order], got.y[order])
        fx = apply_anomalies(
            mmsi0, t0, lon, lat, got.sog_kn[order], got.cog_deg[order], got.nav_status[order],
            planted, np.random.default_rng(anomaly_seed),
        )  # fmt: skip
        mmsi, t = fx.mmsi, fx.t
        lon_u = np.round(fx.lon * _UNITS).astype(np.int64)
        lat_u = np.round(fx.lat * _UNITS).astype(np.int64)
        sog_u = np.minimum(np.round(fx.sog_kn * 10), 1022).astype(np.int64)
        normal = fx.code == ANOMALY_CODES["normal"]
        truth_days, incidents, problems = evaluate(
            period,
            _tracks(mmsi, t, lon_u, lat_u, set(fleet_ids), normal),
            _tracks(mmsi, t, lon_u, lat_u, set(fishing_ids), normal),
        )
        if problems:
            raise ScenarioError(
                f"seed {config.seed}: ambiguous planned cases: " + "; ".join(problems[:10])
            )
        events, trouble = scenario_events(
            mmsi, t, lon_u, lat_u, sog_u, fx.code, fleet_ids, fishing_ids, zone_set().name
        )
        if not trouble:
            break
        unresolved = _repair(sampled, trouble, streams[8])
        if unresolved:
            raise ScenarioError(
                f"seed {config.seed}: ambiguous planned events: " + "; ".join(unresolved[:10])
            )
    else:
        raise ScenarioError(f"seed {config.seed}: events still ambiguous after repairs")
    dropped = [k for k, keep in enumerate(sampled.kept) if not keep]
    realized = {
        "planted_encounters": sum(
            1 for k, j in partner.items() if k < j and sampled.kept[k] and sampled.kept[j]
        ),
        "shared_mmsi_fixes": int((fx.code == ANOMALY_CODES["twin"]).sum()),
        "null_island_fixes": int((fx.code == ANOMALY_CODES["null_island"]).sum()),
        "inland_fixes": int((fx.code == ANOMALY_CODES["inland"]).sum()),
        "trips_left_out": len(dropped),
        "escorts_moved": sum(sampled.moves.values()),
        "approached_boats_silenced": sampled.cuts,
    }
    return Scenario(
        config=config,
        period=period,
        identities=ident,
        mmsi=mmsi,
        t=t,
        lon=lon_u,
        lat=lat_u,
        sog=sog_u,
        cog=np.round(fx.cog_deg * 10).astype(np.int64) % 3600,
        nav_status=np.where(fx.nav_status == 7, 7, 0).astype(np.int64),
        days=truth_days,
        incidents=incidents,
        intrusion_kinds=tuple(fleet.kinds),
        silences_in_zone=fleet.silences_in_zone,
        long_gaps_outside=fleet.long_gaps_outside,
        code=fx.code,
        events=tuple(events),
        planted=realized,
    )


def simulate(config: SimConfig, out_dir: Path) -> SimResult:
    """Simulate AIS traffic around the Senkaku Islands and write NMEA plus ground truth.

    Parameters
    ----------
    config
        The scenario; the same config writes the same bytes.
    out_dir
        Folder (created) for ``senkaku.nmea`` (``.nmea.gz`` with
        ``config.compress``) and ``truth.json``.

    Returns
    -------
    SimResult
        Paths, the ground truth and the number of lines written.

    Raises
    ------
    ScenarioError
        If the planned scenario contains a case the truth cannot call exactly
        (a planner bug; the message lists the cases).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     result = simulate(SimConfig(days=3, seed=1), Path(tmp))
    >>> len(result.truth.days), result.n_lines > 1000
    (3, True)
    """
    sc = plan_scenario(config)
    period, ident = sc.period, sc.identities
    mmsi, t, lon_u, lat_u = sc.mmsi, sc.t, sc.lon, sc.lat
    rng = np.random.default_rng(np.random.SeedSequence(config.seed).spawn(5)[3])
    class_b = np.array([ident[int(m)].class_b for m in mmsi], dtype=bool)
    sog_u, cog_u, nav = sc.sog, sc.cog, sc.nav_status
    heading = np.where(class_b, 511, (cog_u // 10 + rng.integers(-3, 4, len(t))) % 360)

    spoof_at = pick_spoofs(
        mmsi, t, int(rng.binomial(len(t), config.spoof_rate)), rng, protect=sc.protected()
    )
    s_lon, s_lat = spoof_positions(len(spoof_at), rng)
    all_mmsi = np.concatenate([mmsi, mmsi[spoof_at]])
    all_t = np.concatenate([t, t[spoof_at] + (t[spoof_at + 1] - t[spoof_at]) // 2])
    cols = PositionColumns(
        msg_type=np.where(np.concatenate([class_b, class_b[spoof_at]]), 18, 1).astype(np.int64),
        mmsi=all_mmsi,
        lon=np.concatenate([lon_u, np.round(s_lon * _UNITS).astype(np.int64)]),
        lat=np.concatenate([lat_u, np.round(s_lat * _UNITS).astype(np.int64)]),
        sog=np.concatenate([sog_u, sog_u[spoof_at]]),
        cog=np.concatenate([cog_u, cog_u[spoof_at]]),
        heading=np.concatenate([heading, heading[spoof_at]]),
        second=all_t % 60,
        nav_status=np.concatenate([nav, nav[spoof_at]]),
    )
    payloads = position_payloads(cols)
    n_real = len(t)
    dup = np.nonzero(rng.random(n_real) < config.duplicate_rate)[0]
    plus = rng.integers(0, 2, len(dup))
    late = rng.random(len(dup)) < 0.03
    delay = np.where(late, rng.integers(60, 301, len(dup)), plus)
    rows = np.concatenate([np.arange(len(all_t)), dup])
    channel_b = rng.random(len(all_t)) < 0.5
    lines = position_lines(
        payloads[rows],
        np.concatenate([all_t, all_t[dup] + plus]),
        np.concatenate([np.ones(len(all_t), dtype=np.int64), np.full(len(dup), 2)]),
        channel_b[rows],
    )
    width = lines.shape[1]
    out: list[bytes] = lines.view(f"S{width}").ravel().tolist()
    keys_t = [np.concatenate([all_t, all_t[dup] + delay])]
    keys_rank = [np.full(len(rows), _RANK_POSITION)]
    keys_vessel = [np.concatenate([all_mmsi, all_mmsi[dup]])]
    keys_part = [np.zeros(len(rows), dtype=np.int64)]

    # static data, at the first fix of each appearance and then every static_interval_s
    phase = {int(m): int(rng.integers(0, config.static_interval_s)) for m in np.unique(mmsi)}
    when = _static_times(mmsi, t, config.static_interval_s, np.array([phase[int(m)] for m in mmsi]))
    cache: dict[int, list[StaticPayload]] = {}
    s_t: list[int] = []
    s_v: list[int] = []
    s_p: list[int] = []
    seq = 0
    for at in np.nonzero(when)[0]:
        m, ts = int(mmsi[at]), int(t[at])
        if m not in cache:
            cache[m] = [static_payloads(f) for f in _static_fields(ident[m])]
        msgs = cache[m]
        tag = tag_block("rx1", ts)
        channel = "B" if rng.random() < 0.5 else "A"
        part = 0
        for msg in msgs:
            count = len(msg.parts)
            seq_id = str(seq % 9) if count > 1 else ""
            seq += count > 1
            for number, (payload, fill) in enumerate(msg.parts, start=1):
                out.append(
                    (tag + frame_sentence(payload, fill, count, number, seq_id, channel)).encode()
                )
                s_t.append(ts)
                s_v.append(m)
                s_p.append(part)
                part += 1
    keys_t.append(np.array(s_t, dtype=np.int64))
    keys_rank.append(np.full(len(s_t), _RANK_STATIC))
    keys_vessel.append(np.array(s_v, dtype=np.int64))
    keys_part.append(np.array(s_p, dtype=np.int64))

    # corrupted lines (extra lines; no real information is lost)
    n_bad = int(rng.binomial(len(out), config.corrupt_rate))
    kinds = list(CORRUPTION_KINDS)
    shares = np.array(list(CORRUPTION_KINDS.values()))
    reasons = [str(r) for r in rng.choice(kinds, size=n_bad, p=shares / shares.sum())]
    class_a = np.nonzero(~class_b)[0]
    c_lines: list[bytes] = []
    c_t: list[int] = []
    for reason in reasons:
        if reason == "not_ais":
            c_lines.append(garbage_line(rng))
            c_t.append(int(rng.integers(period.start_s, period.end_s)))
        elif reason == "fragment_orphan" and class_a.size:
            k = int(rng.choice(class_a))
            first = cache.get(int(mmsi[k])) or [
                static_payloads(f) for f in _static_fields(ident[int(mmsi[k])])
            ]
            payload, fill = first[0].parts[0]
            c_lines.append(orphan_line(payload, fill, int(t[k]), "A"))
            c_t.append(int(t[k]))
        else:
            reason = "bad_checksum" if reason == "fragment_orphan" else reason
            k = int(rng.integers(0, n_real))
            c_lines.append(corrupt_line(out[k], reason, rng))
            c_t.append(int(all_t[k]))
    reasons = [
        r if not (r == "fragment_orphan" and not class_a.size) else "bad_checksum" for r in reasons
    ]
    out += c_lines
    keys_t.append(np.array(c_t, dtype=np.int64))
    keys_rank.append(np.full(len(c_lines), _RANK_NOISE))
    keys_vessel.append(np.arange(len(c_lines), dtype=np.int64))
    keys_part.append(np.zeros(len(c_lines), dtype=np.int64))

    kt, kr, kv, kp = (np.concatenate(k) for k in (keys_t, keys_rank, keys_vessel, keys_part))
    final = np.lexsort((kp, kv, kr, kt))
    is_orphan = np.zeros(len(out), dtype=bool)
    first_noise = len(out) - len(c_lines)
    is_orphan[first_noise:] = [r == "fragment_orphan" for r in reasons]
    drop = _crowded_orphans(is_orphan[final])
    if drop.any():
        dropped = set(final[drop].tolist())
        reasons = [r for i, r in enumerate(reasons) if first_noise + i not in dropped]
        final = final[~drop]
    body = b"\n".join([out[i] for i in final]) + b"\n"
    out_dir.mkdir(parents=True, exist_ok=True)
    if config.compress:
        nmea_path = out_dir / "senkaku.nmea.gz"
        with nmea_path.open("wb") as raw, gzip.GzipFile("", "wb", 6, raw, mtime=0) as gz:
            gz.write(body)
    else:
        nmea_path = out_dir / "senkaku.nmea"
        nmea_path.write_bytes(body)

    # a second receiver may hear the last fix at (0, 0) a second later: the run ends there
    heard_late = {
        (int(m), int(v)) for m, v in zip(mmsi[dup[plus == 1]], t[dup[plus == 1]], strict=True)
    }
    events_sc = [
        dataclasses.replace(e, end=e.end + dt.timedelta(seconds=1))
        if e.kind == "null_island" and (e.mmsi, int(e.end.timestamp())) in heard_late
        else e
        for e in sc.events
    ]
    jumps = [
        TruthEvent("position_jump", int(m), when, when)
        for m, when in zip(
            all_mmsi[n_real:].tolist(),
            (dt.datetime.fromtimestamp(int(v), dt.UTC) for v in all_t[n_real:]),
            strict=True,
        )
    ]
    events = sorted(
        [*events_sc, *jumps],
        key=lambda e: (e.start, e.kind, e.mmsi, e.other_mmsi or 0, e.zone or ""),
    )
    truth = Truth(
        days=sc.days,
        incidents=sc.incidents,
        fleet_mmsis=frozenset(int(m) for m in np.unique(mmsi) if ident[int(m)].role == "ccg"),
        corrupted_lines=corruption_counts(reasons),
        time_zone=period.time_zone,
        noise={
            "position_lines": n_real,
            "duplicate_lines": len(dup),
            "spoofed_fixes": len(spoof_at),
            "static_lines": len(s_t),
            "intrusions_planned": len(sc.intrusion_kinds),
            "dark_crossings": sc.intrusion_kinds.count("chord"),
            "fishing_approaches": sc.intrusion_kinds.count("approach"),
            "silences_in_zone": sc.silences_in_zone,
            "long_gaps_outside": sc.long_gaps_outside,
            **sc.planted,
        },
        events=tuple(events),
    )
    truth_path = out_dir / "truth.json"
    truth_path.write_text(truth.to_json() + "\n", encoding="utf-8")
    return SimResult(nmea_path, truth_path, truth, len(final))


def _tracks(
    mmsi: NDArray[np.int64],
    t: NDArray[np.int64],
    lon_u: NDArray[np.int64],
    lat_u: NDArray[np.int64],
    wanted: set[int],
    keep: NDArray[np.bool_],
) -> dict[int, Track]:
    out: dict[int, Track] = {}
    sel = keep & np.isin(mmsi, np.array(sorted(wanted), dtype=np.int64))
    mmsi, t, lon_u, lat_u = mmsi[sel], t[sel], lon_u[sel], lat_u[sel]
    bounds = np.nonzero(np.diff(mmsi))[0] + 1
    for a, b in zip(np.r_[0, bounds], np.r_[bounds, len(mmsi)], strict=True):
        if b > a:
            out[int(mmsi[a])] = Track(t[a:b], lon_u[a:b] / _UNITS, lat_u[a:b] / _UNITS)
    return out


def _crowded_orphans(is_orphan: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Orphans (in final line order) too close to the next orphan or to the end of the file."""
    pos = np.nonzero(is_orphan)[0]
    drop = np.zeros(len(is_orphan), dtype=bool)
    last = -(10**9)
    for p in pos:
        if p - last <= _ORPHAN_SPACING or p >= len(is_orphan) - _ORPHAN_TAIL:
            drop[p] = True
        else:
            last = int(p)
    return drop
