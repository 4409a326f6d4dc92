"""Identity and position integrity: shared or spoofed MMSIs, positions at (0, 0), fixes on land.

``null_island``
    Runs of consecutive fixes of a vessel at (0, 0) (within ``null_island_deg``)
    or at an out-of-range position (the AIS "not available" sentinels lon 181,
    lat 91 are normally nulled by the decoder and the line rejected as
    ``bad_position``; any that reach the positions table are flagged here).

``identity_conflict``
    One MMSI at two places no ship could join, each visited repeatedly. On a
    vessel's raw fixes (exact duplicates and null-island fixes removed, in
    time order), a leg is *impossible* when it implies more than
    ``max_speed_kn`` over at least ``min_jump_nm``. Impossible legs cut the
    fixes into *runs*. A run *returns* when its first fix can be reached at
    no more than ``max_speed_kn`` from one of the ``lookback_fixes`` fixes
    before it that lie in an earlier run than the previous one and at most
    ``lookback_h`` earlier — the MMSI went back to a place it had been. A
    single spoofed fix (``A X B``) gives one returning run (``B``); a burst of
    spoofs gives none more. Two ships sharing an MMSI give a chain of
    returning runs, one after the other, alternating between two places. An
    identity conflict is a chain of at least ``min_returning_runs``
    consecutive returning runs; it spans from the first fix at the second place (the run
    before the chain) to the last return (the first fix of the chain's last
    run), lies where it starts, and
    reports the two places (centroids of the alternate runs within it, the
    second place first) and the distance between them.

``on_land`` (land mask)
    Kept fixes at least one land-mask cell inland (fixes on the zone set's
    features are already dropped from tracks and reported from there).
    Consecutive such fixes of a vessel are one event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from zonewatch.events.records import empty_events, event_frame, num
from zonewatch.events.shore import ShoreModel
from zonewatch.geo import haversine_nm

__all__ = [
    "IntegrityParams",
    "identity_conflict_events",
    "is_null_island",
    "mask_on_land_events",
    "null_island_events",
]


@dataclass(frozen=True)
class IntegrityParams:
    """Parameters of the integrity checks.

    Attributes
    ----------
    max_speed_kn
        No ship moves faster (the track cleaning limit).
    min_jump_nm
        Shorter jumps are GPS jitter, not a second place.
    lookback_fixes, lookback_h
        How far back a run's first fix looks for a place it returns to.
    min_returning_runs
        Consecutive returning runs that make an identity conflict.
    null_island_deg
        A position within this of (0, 0) in both lon and lat is "null island".
    """

    max_speed_kn: float = 50.0
    min_jump_nm: float = 1.0
    lookback_fixes: int = 8
    lookback_h: float = 2.0
    min_returning_runs: int = 2
    null_island_deg: float = 1e-4

    def to_dict(self) -> dict[str, Any]:
        """The parameters as reported."""
        return {
            "max_speed_kn": self.max_speed_kn,
            "min_jump_nm": self.min_jump_nm,
            "lookback_fixes": self.lookback_fixes,
            "lookback_h": self.lookback_h,
            "min_returning_runs": self.min_returning_runs,
            "null_island_deg": self.null_island_deg,
        }


def is_null_island(
    lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64], tolerance_deg: float = 1e-4
) -> npt.NDArray[np.bool_]:
    """True at (0, 0) (within ``tolerance_deg``) or at positions out of range (sentinels).

    Examples
    --------
    >>> is_null_island(np.array([0.0, 123.0, 181.0]), np.array([0.0, 25.0, 91.0])).tolist()
    [True, False, True]
    """
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    zero = (np.abs(lon) <= tolerance_deg) & (np.abs(lat) <= tolerance_deg)
    out_of_range = (np.abs(lon) > 180.0) | (np.abs(lat) > 90.0)
    return np.asarray(zero | out_of_range, dtype=bool)


def _runs_of(frame: pl.DataFrame, flag: str) -> pl.DataFrame:
    """Runs of consecutive flagged rows per vessel (frame sorted by mmsi, ts)."""
    new = (
        (pl.col("mmsi") != pl.col("mmsi").shift(1)) | (pl.col(flag) != pl.col(flag).shift(1))
    ).fill_null(True)
    return (
        frame.with_columns(new.cast(pl.Int64).cum_sum().alias("_run"))
        .filter(pl.col(flag))
        .group_by("_run", maintain_order=True)
        .agg(
            pl.col("mmsi").first(),
            pl.col("ts").first().alias("start"),
            pl.col("ts").last().alias("end"),
            pl.col("lon").first(),
            pl.col("lat").first(),
            pl.len().alias("n_fixes"),
        )
    )


def null_island_events(
    positions: pl.DataFrame, params: IntegrityParams | None = None
) -> pl.DataFrame:
    """``null_island`` events: runs of a vessel's fixes at (0, 0) or out of range.

    Parameters
    ----------
    positions
        Raw positions (``mmsi, ts, lon, lat``), any order.
    params
        Tolerance.
    """
    params = params or IntegrityParams()
    if positions.height == 0:
        return empty_events()
    frame = positions.select("mmsi", "ts", "lon", "lat").sort("mmsi", "ts")
    flag = is_null_island(frame["lon"].to_numpy(), frame["lat"].to_numpy(), params.null_island_deg)
    if not flag.any():
        return empty_events()
    runs = _runs_of(frame.with_columns(pl.Series("_flag", flag)), "_flag")
    details = [
        {
            "n_fixes": int(r["n_fixes"]),
            "reported_lon": r["lon"],
            "reported_lat": r["lat"],
            "action": "fixes removed before track cleaning",
        }
        for r in runs.iter_rows(named=True)
    ]
    return event_frame(
        "null_island",
        mmsi=runs["mmsi"].to_list(),
        start=runs["start"].to_list(),
        end=runs["end"].to_list(),
        lon=runs["lon"].to_list(),
        lat=runs["lat"].to_list(),
        detail=details,
    )


def mask_on_land_events(fixes: pl.DataFrame, shore: ShoreModel) -> pl.DataFrame:
    """``on_land`` events for kept fixes that the land mask puts inland.

    Parameters
    ----------
    fixes
        Cleaned fixes sorted by ``mmsi, ts``.
    shore
        The land test.
    """
    if fixes.height == 0:
        return empty_events()
    frame = fixes.select("mmsi", "ts", "lon", "lat")
    flag = shore.on_land(frame["lon"].to_numpy(), frame["lat"].to_numpy())
    if not flag.any():
        return empty_events()
    runs = _runs_of(frame.with_columns(pl.Series("_flag", flag)), "_flag")
    details = [
        {
            "n_fixes": int(r["n_fixes"]),
            "source": "land mask",
            "action": "flagged; kept in the track",
        }
        for r in runs.iter_rows(named=True)
    ]
    return event_frame(
        "on_land",
        mmsi=runs["mmsi"].to_list(),
        start=runs["start"].to_list(),
        end=runs["end"].to_list(),
        lon=runs["lon"].to_list(),
        lat=runs["lat"].to_list(),
        detail=details,
    )


def identity_conflict_events(
    positions: pl.DataFrame, params: IntegrityParams | None = None
) -> pl.DataFrame:
    """``identity_conflict`` events: one MMSI alternating between two places.

    Parameters
    ----------
    positions
        Raw positions (``mmsi, ts, lon, lat``), any order; null-island fixes
        are ignored.
    params
        Thresholds (see the module docstring for the exact rule).

    Returns
    -------
    polars.DataFrame
        One event per conflict, at its first fix.
    """
    params = params or IntegrityParams()
    frame = (
        positions.select("mmsi", "ts", "lon", "lat")
        .unique(maintain_order=False)
        .sort("mmsi", "ts", "lon", "lat")
    )
    keep = ~is_null_island(frame["lon"].to_numpy(), frame["lat"].to_numpy(), params.null_island_deg)
    frame = frame.filter(pl.Series(keep))
    n = frame.height
    if n < 4:
        return empty_events()
    mmsi = frame["mmsi"].to_numpy().astype(np.int64)
    ts = frame["ts"].dt.epoch("ms").to_numpy().astype(np.int64)
    lon = frame["lon"].to_numpy().astype(np.float64)
    lat = frame["lat"].to_numpy().astype(np.float64)

    def possible(i: npt.NDArray[np.int64], j: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Whether a ship could go from fix i to fix j (j later, same vessel)."""
        dist = haversine_nm(lon[i], lat[i], lon[j], lat[j])
        hours = (ts[j] - ts[i]) / 3_600_000.0
        ok = (dist < params.min_jump_nm) | (dist <= params.max_speed_kn * hours)
        return np.asarray(ok, dtype=bool)

    idx = np.arange(1, n)
    jump = np.zeros(n, dtype=bool)  # the leg into fix k is impossible
    jump[1:] = (mmsi[1:] == mmsi[:-1]) & ~possible(idx - 1, idx)
    if jump.sum() < 2:
        return empty_events()
    new_vessel = np.ones(n, dtype=bool)
    new_vessel[1:] = mmsi[1:] != mmsi[:-1]
    run = np.cumsum(jump | new_vessel) - 1
    firsts = np.flatnonzero(jump)  # first fixes of runs that start with a jump
    returns = np.zeros(firsts.size, dtype=bool)
    window_ms = int(params.lookback_h * 3_600_000)
    for lag in range(2, params.lookback_fixes + 1):
        j = firsts - lag
        ok = j >= 0
        jc = np.where(ok, j, 0)
        ok &= mmsi[jc] == mmsi[firsts]
        ok &= run[jc] <= run[firsts] - 2
        ok &= ts[firsts] - ts[jc] <= window_ms
        returns |= ok & possible(jc, firsts)
    runs = pl.DataFrame(
        {
            "mmsi": mmsi[firsts],
            "run": run[firsts],
            "returns": returns,
        }
    )
    # chains of consecutive returning runs of one vessel
    chain_break = (
        ~pl.col("returns")
        | (pl.col("mmsi") != pl.col("mmsi").shift(1))
        | (pl.col("run") != pl.col("run").shift(1) + 1)
        | ~pl.col("returns").shift(1).fill_null(False)
    )
    chains = (
        runs.with_columns(chain_break.cast(pl.Int64).cum_sum().alias("chain"))
        .filter(pl.col("returns"))
        .group_by("chain", maintain_order=True)
        .agg(
            pl.col("mmsi").first(),
            pl.col("run").min().alias("first_run"),
            pl.col("run").max().alias("last_run"),
        )
        .filter(pl.col("last_run") - pl.col("first_run") + 1 >= params.min_returning_runs)
    )
    if chains.height == 0:
        return empty_events()
    run_start = np.flatnonzero(np.diff(np.concatenate([[-1], run])) != 0)
    starts, ends, lons, lats, mmsis, details = [], [], [], [], [], []
    for row in chains.iter_rows(named=True):
        other_run = int(row["first_run"]) - 1  # the first visit to the second place
        last_run = int(row["last_run"])
        lo, hi = run_start[other_run], run_start[last_run]
        sel = np.arange(lo, hi + 1)
        parity = (run[sel] - other_run) % 2
        places = []
        for p in (0, 1):
            k = sel[parity == p]
            places.append(
                {
                    "lon": round(float(lon[k].mean()), 6),
                    "lat": round(float(lat[k].mean()), 6),
                    "n_fixes": int(k.size),
                }
            )
        separation = float(
            haversine_nm(places[0]["lon"], places[0]["lat"], places[1]["lon"], places[1]["lat"])
        )
        legs = np.arange(lo + 1, hi + 1)
        leg_nm = haversine_nm(lon[legs - 1], lat[legs - 1], lon[legs], lat[legs])
        leg_h = np.maximum((ts[legs] - ts[legs - 1]) / 3_600_000.0, 1e-9)
        mmsis.append(int(row["mmsi"]))
        starts.append(frame["ts"][int(lo)])
        ends.append(frame["ts"][int(hi)])
        lons.append(float(lon[lo]))
        lats.append(float(lat[lo]))
        details.append(
            {
                "places": places,
                "separation_nm": num(separation),
                "impossible_legs": int(jump[lo + 1 : hi + 1].sum()),
                "returning_runs": last_run - int(row["first_run"]) + 1,
                "max_implied_speed_kn": num(float((leg_nm / leg_h).max()), 1),
                "interpretation": "two transmitters share this MMSI, or it is spoofed",
            }
        )
    return event_frame(
        "identity_conflict",
        mmsi=mmsis,
        start=starts,
        end=ends,
        lon=lons,
        lat=lats,
        detail=details,
    )
