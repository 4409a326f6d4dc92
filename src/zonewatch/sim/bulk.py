"""Bulk simulator: many simulated AIS positions over a region, columnar and seeded, for scale tests.

The scenario simulator (:func:`zonewatch.sim.simulate`) writes NMEA with an
exact ground truth, at tens of thousands of lines a second: right for
correctness, far too slow for a hundred million positions. This module makes
the decoded tables directly (:data:`zonewatch.schema.POSITIONS` and
:data:`zonewatch.schema.STATICS`), a UTC day at a time, with NumPy: about a
hundred million positions in a few minutes, memory bounded by one table.

Who sails (shares of the vessels, see :class:`BulkConfig`):

* **merchant ships** (ship types 70-89, many flags) on straight legs between
  nodes of a lane graph over the region's open sea, at 10-20 kn. The graph
  (:mod:`zonewatch.sim.bulk_tracks`, which draws every track but the fishing
  vessels') is drawn once per region from the GLOBE land mask: nodes at
  least 15 nm from land and 30 nm from the Senkaku baseline, edges up to
  150 nm long that keep about 4 nm from land and from the islands. Positions
  move along great circles (interpolated on the unit sphere);
* **fishing vessels** (ship type 30; China, Japan, Taiwan; half class B)
  wandering slowly (0-5 kn) around a fishing ground near a lane node: smooth
  random motion, a closed-form sum of sinusoids of time;
* **China Coast Guard** ships (MIDs 412/413, names as the scenario simulator
  and real AIS write them: ``CHINACOASTGUARD2301``, ``CHINA COAST GUARD 23``,
  ``HAI JING 2502``, ``ZHONGGUOHAIJING1401``; ship type 55), members of the
  built-in ``china-government`` fleet. At least four (about a third) patrol
  the Senkaku Islands: they wait 30-60 nm north-west of the islands, enter
  the contiguous zone (waypoints 14-22 nm from the baseline) for one to seven
  days, cruise and drift there, now and then enter the territorial sea
  (waypoints 3-10 nm from the baseline) for one to three hours, and leave.
  The others sail the lanes at 10-16 kn with stops of hours to days;
* **Japan Coast Guard** patrol ships (MID 431, ``JCG PL 61 ...``, type 55):
  one per Senkaku patrol ship shadows it about a nautical mile away while it
  is within 30 nm of the islands and otherwise waits 28 nm out on its
  bearing; the others sail the lanes.

Every vessel reports all the time at its own regular interval (the class A
interval, or the fishing interval, times 0.9-1.1) from a random phase, so the
number of positions is known in advance (:func:`expected_positions`) and the
number of vessels follows from the target. Positions carry GPS noise (about
5 m), speed and course noise; class B rows have no heading and no navigation
status. Most traffic is far from the islands, as in reality: with the default
shares at 100 million positions over 30 days (5,500 vessels, 11 of them on
Senkaku patrol), about 1.1 % of all positions lie within 30 nm of the Senkaku
baseline (the patrol ships, their shadows, passing merchants and fishing
boats), 0.7 % in the contiguous zone and 0.08 % in the territorial sea. Small
runs have a larger share (about 4 % within 30 nm at a million positions over
ten days), since at least four patrol ships sail whatever the size.

Examples
--------
>>> import datetime as dt
>>> cfg = BulkConfig(n_positions=50_000, start=dt.date(2024, 5, 1), days=1, seed=1)
>>> tables = list(bulk_positions(cfg))
>>> sum(t.num_rows for t in tables) == expected_positions(cfg)
True
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import astuple, dataclass, fields

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from zonewatch import schema
from zonewatch.errors import ParameterError
from zonewatch.sim.bulk_tracks import (
    CENTRE,
    FloatArray,
    IntArray,
    baseline_nm,
    bearing_from_centre,
    gc_nm,
    lane_graph,
    lane_walks,
    offset_nm,
    patrol_knots,
    polar,
    unit_xyz,
)
from zonewatch.sources.accounting import Accounting
from zonewatch.store import Store

__all__ = [
    "BulkConfig",
    "bulk_file_id",
    "bulk_positions",
    "bulk_statics",
    "expected_positions",
    "fill_store",
]

DAY_MS = 86_400_000
_MERCHANT, _FISHING, _CCG_PATROL, _CCG_ROAM, _JCG_SHADOW, _JCG_ROAM = range(6)
_SHADOW_NM = 30.0
_MARGIN_S = 5 * 86_400.0  # knot times lie within this of the period


@dataclass(frozen=True)
class BulkConfig:
    """What :func:`bulk_positions` simulates; the same config always gives the same tables.

    Attributes
    ----------
    n_positions
        Target number of positions; the vessel count is chosen to reach it
        (the result is within about 1 %, see :func:`expected_positions`).
    start, days
        First UTC day and number of days.
    seed
        Seed of every random choice.
    bbox
        Region ``(min_lon, min_lat, max_lon, max_lat)`` in degrees; the default
        is the East China Sea. It must contain the Senkaku Islands' surroundings
        (the patrol ships go there whatever the region).
    report_interval_s
        Mean position report interval of merchant and coast guard ships (class A).
    fishing_report_interval_s
        Mean position report interval of fishing vessels.
    merchant_share, fishing_share, ccg_share, jcg_share
        Shares of the vessels by kind (normalised to sum 1). At least four
        China Coast Guard and two Japan Coast Guard ships sail whatever the size.
    chunk_rows
        Largest table :func:`bulk_positions` yields (a day is cut into several
        tables when it has more positions).
    """

    n_positions: int = 10_000_000
    start: dt.date = dt.date(2024, 5, 1)
    days: int = 30
    seed: int = 0
    bbox: tuple[float, float, float, float] = (119.0, 23.0, 131.0, 33.0)
    report_interval_s: float = 120.0
    fishing_report_interval_s: float = 180.0
    merchant_share: float = 0.5
    fishing_share: float = 0.49
    ccg_share: float = 0.006
    jcg_share: float = 0.004
    chunk_rows: int = 2_000_000

    def __post_init__(self) -> None:
        def bad(name: str, why: str) -> ParameterError:
            return ParameterError(f"BulkConfig.{name}={getattr(self, name)!r}: {why}")

        if self.days < 1:
            raise bad("days", "must be at least 1")
        if self.n_positions < 5_000 * self.days:
            raise bad("n_positions", f"must be at least 5,000 a day ({5_000 * self.days:,})")
        lon0, lat0, lon1, lat1 = self.bbox
        if not (-180 <= lon0 < lon1 <= 180 and -80 <= lat0 < lat1 <= 80):
            raise bad("bbox", "must be (min_lon, min_lat, max_lon, max_lat) in degrees")
        if not (lon0 < CENTRE[0] < lon1 and lat0 < CENTRE[1] < lat1):
            raise bad("bbox", f"must contain the Senkaku Islands ({CENTRE[0]}E {CENTRE[1]}N)")
        for name in ("report_interval_s", "fishing_report_interval_s"):
            if not 10.0 <= getattr(self, name) <= 3600.0:
                raise bad(name, "must be in [10, 3600] s")
        shares = ("merchant_share", "fishing_share", "ccg_share", "jcg_share")
        for name in shares:
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise bad(name, "must be in [0, 1]")
        if sum(getattr(self, name) for name in shares) <= 0.0:
            raise bad("merchant_share", "the shares must not all be zero")
        if self.chunk_rows < 10_000:
            raise bad("chunk_rows", "must be at least 10,000")

    @property
    def start_ms(self) -> int:
        """The first instant, in Unix milliseconds."""
        return int(dt.datetime.combine(self.start, dt.time(), dt.UTC).timestamp() * 1000)

    def counts(self) -> dict[str, int]:
        """Vessels by kind: merchant, fishing, ccg_patrol, ccg_roam, jcg_shadow, jcg_roam.

        Examples
        --------
        >>> c = BulkConfig(n_positions=1_000_000, days=10).counts()
        >>> c["ccg_patrol"], c["jcg_shadow"], c["merchant"] + c["fishing"] > 100
        (4, 2, True)
        """
        total = self.merchant_share + self.fishing_share + self.ccg_share + self.jcg_share
        per_s = self.n_positions / (self.days * 86_400.0)  # positions a second, all vessels
        rate_a, rate_f = 1.0 / self.report_interval_s, 1.0 / self.fishing_report_interval_s
        mean_rate = (
            (self.merchant_share + self.ccg_share + self.jcg_share) * rate_a
            + self.fishing_share * rate_f
        ) / total
        n_all = per_s / mean_rate
        n_ccg = max(4, round(n_all * self.ccg_share / total))
        n_jcg = max(2, round(n_all * self.jcg_share / total))
        left = max(per_s - (n_ccg + n_jcg) * rate_a, 0.0)
        mf = self.merchant_share * rate_a + self.fishing_share * rate_f
        scale = left / mf if mf > 0 else 0.0
        n_patrol = min(n_ccg, max(4, round(n_ccg / 3)))
        n_shadow = min(n_jcg, n_patrol)
        return {
            "merchant": round(scale * self.merchant_share),
            "fishing": round(scale * self.fishing_share),
            "ccg_patrol": n_patrol,
            "ccg_roam": n_ccg - n_patrol,
            "jcg_shadow": n_shadow,
            "jcg_roam": n_jcg - n_shadow,
        }


def bulk_file_id(config: BulkConfig) -> str:
    """The store file id of a config's data: a hash of every setting.

    Examples
    --------
    >>> bulk_file_id(BulkConfig(seed=1)) != bulk_file_id(BulkConfig(seed=2))
    True
    """
    text = ";".join(f"{f.name}={v!r}" for f, v in zip(fields(config), astuple(config), strict=True))
    return "bulk-" + hashlib.sha256(f"zonewatch.sim.bulk/1;{text}".encode()).hexdigest()[:20]


# -- plans and identities --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """Every vessel's identity, report schedule and movement for one config."""

    mmsi: npt.NDArray[np.uint32]
    kind: npt.NDArray[np.int8]
    class_b: npt.NDArray[np.bool_]
    interval_ms: IntArray
    phase_ms: IntArray
    statics: pa.Table
    # knot tracks (every kind but fishing), CSR by vessel row: knots of vessel v in
    # [first[v], first[v + 1]); -1 rows for fishing vessels
    knot_row: IntArray
    first: IntArray
    key: FloatArray  # knot_row * span + t + margin, increasing
    span_s: float
    knot_t: FloatArray
    knot_xyz: FloatArray
    seg_speed_kn: FloatArray
    # fishing: row into the arrays below per vessel (-1 for others)
    fish_row: IntArray
    fish_lon0: FloatArray
    fish_lat0: FloatArray
    fish_amp: FloatArray  # (n, 2, 3): east/north amplitude of each component, nm
    fish_omega: FloatArray  # rad/s
    fish_phase: FloatArray


def expected_positions(config: BulkConfig) -> int:
    """The exact number of positions :func:`bulk_positions` yields for a config.

    Examples
    --------
    >>> cfg = BulkConfig(n_positions=1_000_000, days=10)
    >>> abs(expected_positions(cfg) / 1_000_000 - 1) < 0.02
    True
    """
    plan = _plan(config)
    total_ms = config.days * DAY_MS
    return int(np.sum(-((plan.phase_ms - total_ms) // plan.interval_ms)))


_CCG_FORMS = ("CHINACOASTGUARD{}", "CHINA COAST GUARD {}", "HAI JING {}", "ZHONGGUOHAIJING{}")
_JCG_PLACES = ("HATERUMA", "ISHIGAKI", "KARIMATA", "IRABU", "TARAMA", "YONAKUNI", "MIYAKO")
_FISH_NAMES = (
    ("MIN SHI YU", "MIN LONG YU", "ZHE LING YU", "ZHE DAI YU", "MIN JIN YU", "FU YUAN YU"),
    ("SHINKO", "ZUIHO", "KAIYO", "TOMI", "KATSU", "YAEYAMA", "HOKO", "EBISU", "SEISHO"),
    ("SHIN CHANG", "YU FA", "CHIN HSING", "SHUN FA", "FU HSIANG"),
)  # China, Japan, Taiwan
_WORDS = (
    "EVER", "OCEAN", "PACIFIC", "GLORY", "STAR", "BRIGHT", "GRACE", "SUN", "HARMONY", "PEARL",
    "ORIENT", "SEA", "ASIA", "GOLDEN", "SILVER", "FORTUNE", "PIONEER", "UNITY", "VICTORY", "LUCKY",
)  # fmt: skip
_MERCHANT_MIDS = (351, 352, 353, 354, 355, 356, 357, 370, 371, 372, 373, 636, 538, 477, 563,
                  565, 431, 413, 412, 416, 440, 441, 215, 249)  # fmt: skip
_PORTS = ("SHANGHAI", "NINGBO", "KAOHSIUNG", "KEELUNG", "NAHA", "BUSAN", "NAGASAKI", "XIAMEN")
_Static = tuple[str, str, int, int | None, int, int, str | None]


def _static(v: int, kind: int, flag: int, rng: np.random.Generator) -> _Static:
    """Name, callsign, ship type, IMO, length, beam and destination of one vessel."""
    if kind in (_CCG_PATROL, _CCG_ROAM):  # hull numbers as the CCG paints them; 20 characters
        hull = 1101 + (v * 7919) % 2898
        name = _CCG_FORMS[v % 4].format(hull % 100 if v % 4 == 1 else hull)
        return name, f"BOCG{hull % 1000:03d}", 55, None, 99, 12, None
    if kind in (_JCG_SHADOW, _JCG_ROAM):
        hull = 61 + v % 30
        return f"JCG PL {hull} {_JCG_PLACES[v % 7]}", f"JGPL{hull}", 55, None, 89, 11, None
    if kind == _FISHING:
        words = _FISH_NAMES[flag]
        number = int(rng.integers(1, 99_999))
        word = words[v % len(words)]
        name = (
            f"{word} {number:05d}",
            f"DAI {number % 99 + 1} {word} MARU",
            f"{word} NO {number}",
        )[flag]
        return name, f"BZ{number % 9000 + 1000}", 30, None, 15 + number % 30, 4 + number % 5, None
    w = rng.choice(len(_WORDS), size=2, replace=False)
    return (
        f"{_WORDS[w[0]]} {_WORDS[w[1]]} {int(rng.integers(1, 30))}",
        f"V{int(rng.integers(10_000, 99_999))}",
        int(rng.integers(70, 90)),
        int(rng.integers(9_100_000, 9_900_000)),
        int(rng.integers(90, 330)),
        int(rng.integers(15, 50)),
        _PORTS[int(rng.integers(len(_PORTS)))],
    )


def _identities(
    kind: npt.NDArray[np.int8], rng: np.random.Generator
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.bool_], pa.Table]:
    """MMSIs, class B flags and one type 5 static row per vessel (``ts``, ``file_id`` null)."""
    n = kind.size
    flag = rng.choice(3, size=n, p=[0.7, 0.15, 0.15])  # fishing boats: China, Japan, Taiwan
    mid = np.where(
        kind == _MERCHANT,
        rng.choice(_MERCHANT_MIDS, size=n),
        np.where(
            kind == _FISHING,
            np.choose(flag, [rng.choice([412, 413, 414], size=n), 431, 416]),
            np.where(np.isin(kind, (_CCG_PATROL, _CCG_ROAM)), rng.choice([412, 413], size=n), 431),
        ),
    )
    mmsi = mid * 1_000_000 + rng.integers(100_000, 1_000_000, n)
    while np.unique(mmsi).size < n:  # rare: draw again where taken
        dup = np.setdiff1d(np.arange(n), np.unique(mmsi, return_index=True)[1])
        mmsi[dup] = mid[dup] * 1_000_000 + rng.integers(100_000, 1_000_000, dup.size)
    class_b = (kind == _FISHING) & (rng.random(n) < 0.5)
    name, callsign, ship_type, imo, length, beam, dest = zip(
        *(_static(v, int(kind[v]), int(flag[v]), rng) for v in range(n)), strict=True
    )
    bow = np.asarray(length) * 4 // 5
    port = np.asarray(beam) // 2
    statics = pa.table(
        {
            "mmsi": pa.array(mmsi, pa.uint32()),
            "ts": pa.nulls(n, schema.TS),
            "msg_type": pa.array(np.full(n, 5), pa.uint8()),
            "part": pa.nulls(n, pa.string()),
            "imo": pa.array(imo, pa.uint32()),
            "callsign": pa.array(callsign, pa.string()),
            "name": pa.array(name, pa.string()),
            "ship_type": pa.array(ship_type, pa.uint8()),
            "to_bow": pa.array(bow, pa.uint16()),
            "to_stern": pa.array(np.asarray(length) - bow, pa.uint16()),
            "to_port": pa.array(port, pa.uint16()),
            "to_starboard": pa.array(np.asarray(beam) - port, pa.uint16()),
            "destination": pa.array(dest, pa.string()),
            "source": pa.nulls(n, pa.string()),
            "file_id": pa.nulls(n, pa.string()),
            "line_no": pa.array(np.arange(1, n + 1), pa.uint64()),
        },
        schema=schema.STATICS,
    )
    return mmsi.astype(np.uint32), class_b, statics


@functools.lru_cache(maxsize=4)
def _plan(config: BulkConfig) -> _Plan:
    """Identities, schedules and tracks of every vessel of a config (cached)."""
    rng = np.random.default_rng([config.seed, 0])
    counts = config.counts()
    kinds = ("merchant", "fishing", "ccg_patrol", "ccg_roam", "jcg_shadow", "jcg_roam")
    kind = np.repeat(np.arange(6, dtype=np.int8), [counts[k] for k in kinds])
    n = kind.size
    mmsi, class_b, statics = _identities(kind, rng)
    statics = statics.set_column(
        1, "ts", pa.array(np.full(n, config.start_ms - 600_000), schema.TS)
    )
    statics = statics.set_column(14, "file_id", pa.repeat(pa.scalar(bulk_file_id(config)), n))
    base = np.where(kind == _FISHING, config.fishing_report_interval_s, config.report_interval_s)
    interval_ms = np.round(base * rng.uniform(0.9, 1.1, n) * 1000).astype(np.int64)
    phase_ms = (rng.random(n) * interval_ms).astype(np.int64)
    end_s = config.days * 86_400.0
    lanes = lane_graph(config.bbox)

    # knot tracks, one group of vessels at a time
    tracks: dict[int, tuple[FloatArray, FloatArray, FloatArray]] = {}
    speeds = {
        _MERCHANT: (10.0, 20.0, None),
        _CCG_ROAM: (10.0, 16.0, (2.0, 48.0)),
        _JCG_ROAM: (10.0, 16.0, (2.0, 48.0)),
    }
    for k, (lo, hi, dwell) in speeds.items():
        rows = np.flatnonzero(kind == k)
        if rows.size:
            walk = lane_walks(lanes, rows.size, rng.uniform(lo, hi, rows.size), dwell, end_s, rng)
            t_m, lon_m, lat_m = (np.stack(rounds, axis=1) for rounds in walk)
            stop = np.argmax(t_m >= end_s, axis=1) + 1  # up to the first knot past the end
            for r, v in enumerate(rows):
                tracks[int(v)] = (t_m[r, : stop[r]], lon_m[r, : stop[r]], lat_m[r, : stop[r]])
    patrols = np.flatnonzero(kind == _CCG_PATROL)
    for v in patrols:
        t, lon, lat = (np.asarray(a, dtype=np.float64) for a in patrol_knots(rng, end_s))
        tracks[int(v)] = (t, lon, lat)
    for j, v in enumerate(np.flatnonzero(kind == _JCG_SHADOW)):
        t, lon, lat = tracks[int(patrols[j % patrols.size])]
        off = rng.uniform(0.8, 1.5)
        b = rng.uniform(0.0, 2 * math.pi)
        slon, slat = offset_nm(lon, lat, off * math.sin(b), off * math.cos(b))
        wait_lon, wait_lat = polar(bearing_from_centre(lon, lat), np.full(lon.size, 28.0))
        far = baseline_nm(lon, lat) > _SHADOW_NM  # wait on the CCG's bearing, 28 nm out
        tracks[int(v)] = (t, np.where(far, wait_lon, slon), np.where(far, wait_lat, slat))

    knot_row = np.full(n, -1, dtype=np.int64)
    ordered = sorted(tracks)
    knot_row[ordered] = np.arange(len(ordered))
    lengths = np.array([len(tracks[v][0]) for v in ordered], dtype=np.int64)
    first = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    knot_t, knot_lon, knot_lat = (np.concatenate([tracks[v][c] for v in ordered]) for c in range(3))
    span = end_s + 2 * _MARGIN_S
    key = np.repeat(np.arange(len(ordered)), lengths) * span + knot_t + _MARGIN_S
    if (
        np.diff(key) <= 0
    ).any() or not -_MARGIN_S < knot_t.min() <= knot_t.max() < end_s + _MARGIN_S:
        raise AssertionError("knot times are not increasing within the margins")  # a bug here
    seg_nm = gc_nm(knot_lon[:-1], knot_lat[:-1], knot_lon[1:], knot_lat[1:])
    seg_h = np.maximum(np.diff(knot_t), 1.0) / 3600.0
    seg_speed = np.append(seg_nm / seg_h, 0.0)

    # fishing: a ground near a lane node, sinusoidal wandering, speed bound 2-5 kn
    fish = np.flatnonzero(kind == _FISHING)
    fish_row = np.full(n, -1, dtype=np.int64)
    fish_row[fish] = np.arange(fish.size)
    node = rng.integers(0, lanes.lon.size, fish.size)
    glon, glat = offset_nm(lanes.lon[node], lanes.lat[node], *rng.uniform(-3, 3, (2, fish.size)))
    shape = (fish.size, 2, 3)  # vessel, east/north, component
    omega = 2 * math.pi / (rng.uniform([3, 12, 48], [8, 30, 120], shape) * 3600.0)
    amp = rng.uniform([0.3, 1.0, 2.0], [1.0, 2.5, 4.0], shape)  # nm, at most 7.5 on each axis
    bound_kn = np.sqrt(((amp * omega).sum(axis=2) ** 2).sum(axis=1)) * 3600.0
    amp *= np.minimum(rng.uniform(2.0, 5.0, fish.size) / np.maximum(bound_kn, 1e-9), 1.0)[
        :, None, None
    ]
    return _Plan(
        mmsi, kind, class_b, interval_ms, phase_ms, statics,
        knot_row, first, key, span, knot_t, unit_xyz(knot_lon, knot_lat), seg_speed,
        fish_row, glon, glat, amp, omega, rng.uniform(0, 2 * math.pi, amp.shape),
    )  # fmt: skip


def bulk_statics(config: BulkConfig) -> pa.Table:
    """One type 5 static row per vessel (:data:`zonewatch.schema.STATICS`).

    Rows are stamped ten minutes before the first day; ``file_id`` is
    :func:`bulk_file_id`. China Coast Guard names match the built-in
    ``china-government`` fleet; no other vessel's does.

    Examples
    --------
    >>> t = bulk_statics(BulkConfig(n_positions=100_000, days=1))
    >>> t.schema == schema.STATICS, sum(n.startswith("JCG") for n in t["name"].to_pylist())
    (True, 2)
    """
    return _plan(config).statics


def _chunks(plan: _Plan, chunk_rows: int) -> list[tuple[int, int]]:
    """Vessel ranges whose positions of one day fit in ``chunk_rows``."""
    per_day = np.cumsum(DAY_MS / plan.interval_ms)
    edges = np.searchsorted(per_day, np.arange(chunk_rows, per_day[-1], chunk_rows), side="right")
    bounds = np.unique(np.concatenate([[0], edges, [per_day.size]]))
    return [(int(a), int(b)) for a, b in itertools.pairwise(bounds)]


def _eval_knots(plan: _Plan, rows: IntArray, t_s: FloatArray) -> tuple[FloatArray, ...]:
    """Positions, speed and course along the knot tracks at the given times."""
    key = rows * plan.span_s + t_s + _MARGIN_S
    i = np.searchsorted(plan.key, key, side="right") - 1
    i = np.clip(i, plan.first[rows], plan.first[rows + 1] - 2)
    t0 = plan.knot_t[i]
    f = np.clip((t_s - t0) / (plan.knot_t[i + 1] - t0), 0.0, 1.0)[:, None]
    a, b = plan.knot_xyz[i], plan.knot_xyz[i + 1]
    p = a + f * (b - a)
    p /= np.linalg.norm(p, axis=1)[:, None]
    lat_r = np.arcsin(np.clip(p[:, 2], -1.0, 1.0))
    lon_r = np.arctan2(p[:, 1], p[:, 0])
    d = b - p
    s_lon, c_lon, s_lat = np.sin(lon_r), np.cos(lon_r), np.sin(lat_r)
    east = -s_lon * d[:, 0] + c_lon * d[:, 1]
    north = -s_lat * c_lon * d[:, 0] - s_lat * s_lon * d[:, 1] + np.cos(lat_r) * d[:, 2]
    cog = np.degrees(np.arctan2(east, north)) % 360.0
    return np.degrees(lon_r), np.degrees(lat_r), plan.seg_speed_kn[i], cog


def _eval_fishing(plan: _Plan, rows: IntArray, t_s: FloatArray) -> tuple[FloatArray, ...]:
    """Positions, speed and course of wandering fishing vessels at the given times."""
    arg = plan.fish_omega[rows] * t_s[:, None, None] + plan.fish_phase[rows]
    amp = plan.fish_amp[rows]
    off = (amp * np.sin(arg)).sum(axis=2)  # (m, 2) nm east, north
    vel = (amp * plan.fish_omega[rows] * np.cos(arg)).sum(axis=2) * 3600.0  # kn
    lon, lat = offset_nm(plan.fish_lon0[rows], plan.fish_lat0[rows], off[:, 0], off[:, 1])
    sog = np.hypot(vel[:, 0], vel[:, 1])
    cog = np.degrees(np.arctan2(vel[:, 0], vel[:, 1])) % 360.0
    return lon, lat, sog, cog


def _day_table(
    config: BulkConfig, plan: _Plan, day: int, vessels: tuple[int, int], line0: int, file_id: str
) -> pa.Table:
    """Every position of vessels ``[v0, v1)`` on one UTC day, by vessel and time."""
    rng = np.random.default_rng([config.seed, 1, day, vessels[0]])
    v = np.arange(*vessels)
    interval, phase = plan.interval_ms[v], plan.phase_ms[v]
    k_lo = np.maximum(-((phase - day * DAY_MS) // interval), 0)
    k_hi = -((phase - (day + 1) * DAY_MS) // interval)
    count = k_hi - k_lo
    n = int(count.sum())
    vf = np.repeat(v, count)
    k = np.repeat(k_lo, count) + np.arange(n) - np.repeat(np.cumsum(count) - count, count)
    t_ms = plan.phase_ms[vf] + k * plan.interval_ms[vf]
    t_s = t_ms / 1000.0
    lon, lat, sog, cog = (np.empty(n) for _ in range(4))
    fishing = plan.fish_row[vf] >= 0
    for sel, fn, rows in (
        (~fishing, _eval_knots, plan.knot_row),
        (fishing, _eval_fishing, plan.fish_row),
    ):
        if sel.any():
            lon[sel], lat[sel], sog[sel], cog[sel] = fn(plan, rows[vf[sel]], t_s[sel])
    moving = sog > 0.3
    lat_noise = rng.normal(0.0, 5.0 / 111_320.0, n)
    lon_noise = rng.normal(0.0, 5.0 / 111_320.0, n) / np.cos(np.radians(lat))
    sog_out = np.where(
        moving, np.maximum(sog + rng.normal(0.0, 0.1, n), 0.0), rng.uniform(0.0, 0.2, n)
    )
    cog_out = np.where(moving, cog + rng.normal(0.0, 1.0, n), rng.uniform(0.0, 360.0, n)) % 360.0
    heading = (
        np.round(np.where(moving, cog + rng.normal(0.0, 2.0, n), cog_out)).astype(np.int64) % 360
    )
    class_b = plan.class_b[vf]
    nav = np.where(fishing, 7, np.where(moving, 0, 1))
    return pa.Table.from_arrays(
        [
            pa.array(plan.mmsi[vf], pa.uint32()),
            pa.array(t_ms + config.start_ms, schema.TS),
            pa.array(lon + lon_noise, pa.float64()),
            pa.array(lat + lat_noise, pa.float64()),
            pa.array(np.round(sog_out, 1).astype(np.float32), pa.float32()),
            pa.array(np.round(cog_out, 1).astype(np.float32) % np.float32(360.0), pa.float32()),
            pa.array(heading.astype(np.uint16), pa.uint16(), mask=class_b),
            pa.array(nav.astype(np.uint8), pa.uint8(), mask=class_b),
            pa.array(np.where(class_b, 18, 1).astype(np.uint8), pa.uint8()),
            pa.nulls(n, pa.string()),
            pa.repeat(pa.scalar(file_id, pa.string()), n),
            pa.array(np.arange(line0 + 1, line0 + n + 1, dtype=np.uint64), pa.uint64()),
        ],
        schema=schema.POSITIONS,
    )


def bulk_positions(config: BulkConfig) -> Iterator[pa.Table]:
    """Every simulated position, a UTC day at a time (:data:`zonewatch.schema.POSITIONS`).

    Each day comes as one table, or several of at most about
    ``config.chunk_rows`` rows (by vessel), rows ordered by vessel and time;
    memory is bounded by one table whatever the total. The same config gives
    the same tables. ``line_no`` numbers the rows from 1 over the whole run;
    ``file_id`` is :func:`bulk_file_id`; ``source`` is null.

    Parameters
    ----------
    config
        What to simulate.

    Yields
    ------
    pyarrow.Table
        Positions of one day (or part of one).

    Examples
    --------
    >>> cfg = BulkConfig(n_positions=60_000, days=2, seed=5)
    >>> [t.num_rows > 25_000 for t in bulk_positions(cfg)]
    [True, True]
    """
    plan = _plan(config)
    file_id = bulk_file_id(config)
    line = 0
    for day in range(config.days):
        for vessels in _chunks(plan, config.chunk_rows):
            table = _day_table(config, plan, day, vessels, line, file_id)
            line += table.num_rows
            yield table


@dataclass(frozen=True)
class _Batch:
    positions: pa.Table
    statics: pa.Table
    rejects: pa.Table


def fill_store(
    store: Store, config: BulkConfig, *, progress: Callable[[int, int], None] | None = None
) -> int:
    """Ingest a config's statics and positions into a store; nothing when already there.

    The data are stored as one input "file" whose id is :func:`bulk_file_id`
    (so filling the same store twice changes nothing), atomically, a table at a
    time (memory bounded by one table).

    Parameters
    ----------
    store
        An open, writable store.
    config
        What to simulate.
    progress
        Called after each table with the positions written so far and the total.

    Returns
    -------
    int
        Positions written (0 when the store held them already).

    Examples
    --------
    >>> from zonewatch.store import temporary_store
    >>> cfg = BulkConfig(n_positions=20_000, days=1)
    >>> with temporary_store() as store:
    ...     first, again = fill_store(store, cfg), fill_store(store, cfg)
    >>> first == expected_positions(cfg), again
    (True, 0)
    """
    total = expected_positions(config)
    statics = bulk_statics(config)
    written = 0

    def batches() -> Iterator[_Batch]:
        nonlocal written
        first = True
        for table in bulk_positions(config):
            yield _Batch(table, statics if first else _EMPTY_STATICS, _EMPTY_REJECTS)
            first = False
            written += table.num_rows
            if progress is not None:
                progress(written, total)

    def accounting() -> Accounting:
        lines = written + statics.num_rows
        return Accounting(lines, lines, 0, 0, lines, written, statics.num_rows, 0, {}, {})

    desc = (
        f"zonewatch.sim.bulk n_positions={config.n_positions} days={config.days} seed={config.seed}"
    )
    if not store.add_batches(bulk_file_id(config), desc, batches(), accounting):
        return 0
    return written


_EMPTY_STATICS = schema.STATICS.empty_table()
_EMPTY_REJECTS = schema.REJECTS.empty_table()
