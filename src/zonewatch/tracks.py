"""Per-vessel track cleaning and segmentation.

A track is a vessel's positions in time order. Cleaning drops fixes that
duplicate an earlier one, that imply an impossible speed against both
neighbours (spoofed or wildly wrong fixes), and that lie on land; every dropped
fix is kept with its reason so that nothing is lost silently. The cleaned
track is split into segments at gaps longer than ``max_gap_h``; within a
segment the vessel is taken to move in a straight line between fixes.

All work is columnar: sorting and grouping in Polars, speed checks in NumPy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

from zonewatch.geo import haversine_nm

__all__ = [
    "DROP_REASONS",
    "TrackParams",
    "Tracks",
    "clean_tracks",
    "segment_fixes",
]

DROP_REASONS = ("duplicate", "impossible_speed", "on_land")
"""Reasons a fix is dropped from a track."""

LandTest = Callable[[npt.NDArray[np.float64], npt.NDArray[np.float64]], npt.NDArray[np.bool_]]
"""A vectorized predicate ``(lon, lat) -> bool array``, true where a fix lies on land."""


@dataclass(frozen=True)
class TrackParams:
    """Parameters of track cleaning (DOMAIN.md defaults).

    Attributes
    ----------
    max_speed_kn
        A fix is dropped when the speed implied from *both* its neighbours
        exceeds this (a lone fix at a track end: its one neighbour).
    max_gap_h
        A track is split into segments at gaps longer than this.
    duplicate_window_s
        A fix at the same position as the previous fix of the same vessel, at
        most this many seconds later, is a duplicate (the same report heard by
        several receivers, whose clocks differ slightly).
    speed_passes
        How many times the speed check is repeated after dropping, so that a
        short burst of spoofed fixes is removed too.
    """

    max_speed_kn: float = 50.0
    max_gap_h: float = 6.0
    duplicate_window_s: float = 10.0
    speed_passes: int = 5

    def to_dict(self) -> dict[str, Any]:
        """Return the parameters for the report's ``parameters`` object."""
        return {
            "max_speed_kn": self.max_speed_kn,
            "max_gap_h": self.max_gap_h,
            "duplicate_window_s": self.duplicate_window_s,
        }


@dataclass(frozen=True)
class Tracks:
    """Cleaned, segmented fixes and the fixes dropped on the way.

    Attributes
    ----------
    fixes
        Columns of the positions schema plus ``segment`` (UInt32, numbered
        from 0 per vessel), sorted by ``mmsi, ts``.
    dropped
        ``mmsi, ts, lon, lat, reason`` (reason in :data:`DROP_REASONS`),
        plus ``implied_speed_kn`` for speed drops.
    """

    fixes: pl.DataFrame
    dropped: pl.DataFrame

    def vessel(self, mmsi: int) -> pl.DataFrame:
        """Return the cleaned fixes of one vessel."""
        return self.fixes.filter(pl.col("mmsi") == mmsi)


def _as_frame(positions: pl.DataFrame | pa.Table) -> pl.DataFrame:
    if isinstance(positions, pa.Table):
        frame = pl.from_arrow(positions)
        assert isinstance(frame, pl.DataFrame)
        return frame
    return positions


def _implied_speeds(
    mmsi: npt.NDArray[np.uint32],
    ts_ms: npt.NDArray[np.int64],
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Speed (kn) implied from the previous and to the next fix of the same vessel (NaN at ends)."""
    n = len(mmsi)
    prev_kn = np.full(n, np.nan)
    next_kn = np.full(n, np.nan)
    if n < 2:
        return prev_kn, next_kn
    same = mmsi[1:] == mmsi[:-1]
    dist_nm = haversine_nm(lon[:-1], lat[:-1], lon[1:], lat[1:])
    dt_h = (ts_ms[1:] - ts_ms[:-1]) / 3_600_000.0
    with np.errstate(divide="ignore", invalid="ignore"):
        leg_kn = np.where(dt_h > 0, dist_nm / dt_h, np.where(dist_nm > 0, np.inf, 0.0))
    leg_kn = np.where(same, leg_kn, np.nan)
    prev_kn[1:] = leg_kn
    next_kn[:-1] = leg_kn
    return prev_kn, next_kn


def _impossible(
    prev_kn: npt.NDArray[np.float64], next_kn: npt.NDArray[np.float64], limit_kn: float
) -> npt.NDArray[np.bool_]:
    """Flag fixes that no ship could have reached from *both* neighbours.

    Interior fixes (two neighbours) are judged first; only when none is
    flagged are track ends judged, and an end only when its neighbour has a
    neighbour of its own (with two fixes alone there is no telling which one
    is wrong, so both are kept).
    """
    has_prev = ~np.isnan(prev_kn)
    has_next = ~np.isnan(next_kn)
    prev_bad = has_prev & (prev_kn > limit_kn)
    next_bad = has_next & (next_kn > limit_kn)
    interior = has_prev & has_next & prev_bad & next_bad
    if interior.any():
        return np.asarray(interior, dtype=np.bool_)
    neighbour_has_prev = np.zeros_like(has_prev)
    neighbour_has_prev[1:] = has_prev[:-1]
    neighbour_has_next = np.zeros_like(has_next)
    neighbour_has_next[:-1] = has_next[1:]
    last = has_prev & ~has_next & prev_bad & neighbour_has_prev
    first = has_next & ~has_prev & next_bad & neighbour_has_next
    return np.asarray(last | first, dtype=np.bool_)


def clean_tracks(
    positions: pl.DataFrame | pa.Table,
    params: TrackParams | None = None,
    *,
    on_land: LandTest | None = None,
) -> Tracks:
    """Clean and segment the tracks of every vessel in ``positions``.

    Parameters
    ----------
    positions
        Rows of :data:`zonewatch.schema.POSITIONS` (any order, any vessels).
    params
        Cleaning parameters; defaults from DOMAIN.md.
    on_land
        Optional vectorized land test; fixes for which it is true are dropped
        with reason ``on_land``.

    Returns
    -------
    Tracks
        Cleaned fixes with a ``segment`` column, and the dropped fixes.

    Examples
    --------
    >>> import datetime as dt
    >>> t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    >>> frame = pl.DataFrame(
    ...     {
    ...         "mmsi": [1, 1, 1, 1],
    ...         "ts": [t0 + dt.timedelta(minutes=10 * i) for i in range(4)],
    ...         "lon": [123.0, 123.01, 140.0, 123.03],
    ...         "lat": [25.0, 25.0, 25.0, 25.0],
    ...     }
    ... )
    >>> tracks = clean_tracks(frame)
    >>> tracks.fixes["lon"].to_list(), tracks.dropped["reason"].to_list()
    ([123.0, 123.01, 123.03], ['impossible_speed'])
    """
    params = params or TrackParams()
    frame = _as_frame(positions).sort(["mmsi", "ts"], maintain_order=True)
    drops: list[pl.DataFrame] = []

    # 1. duplicates: same position as the previous fix of the vessel, within the window
    window_ms = int(params.duplicate_window_s * 1000)
    dup = (
        (pl.col("mmsi") == pl.col("mmsi").shift(1))
        & (pl.col("lon") == pl.col("lon").shift(1))
        & (pl.col("lat") == pl.col("lat").shift(1))
        & ((pl.col("ts") - pl.col("ts").shift(1)).dt.total_milliseconds() <= window_ms)
    ).fill_null(False)
    frame = frame.with_columns(dup.alias("_drop"))
    drops.append(_dropped(frame.filter(pl.col("_drop")), "duplicate"))
    frame = frame.filter(~pl.col("_drop")).drop("_drop")

    # 2. on land
    if on_land is not None and frame.height:
        land = on_land(frame["lon"].to_numpy(), frame["lat"].to_numpy())
        mask = pl.Series("_drop", land, dtype=pl.Boolean)
        drops.append(_dropped(frame.filter(mask), "on_land"))
        frame = frame.filter(~mask)

    # 3. impossible speed against both neighbours, repeated a few passes
    for _ in range(max(1, params.speed_passes)):
        if frame.height < 2:
            break
        prev_kn, next_kn = _implied_speeds(
            frame["mmsi"].to_numpy(),
            frame["ts"].dt.epoch("ms").to_numpy(),
            frame["lon"].to_numpy(),
            frame["lat"].to_numpy(),
        )
        bad = _impossible(prev_kn, next_kn, params.max_speed_kn)
        if not bad.any():
            break
        implied = np.fmin(prev_kn, next_kn)
        flagged = frame.with_columns(pl.Series("implied_speed_kn", implied)).filter(pl.Series(bad))
        drops.append(_dropped(flagged, "impossible_speed"))
        frame = frame.filter(pl.Series(~bad))

    # 4. segments at gaps longer than max_gap_h
    frame = segment_fixes(frame, params)
    dropped = pl.concat(drops, how="diagonal_relaxed") if drops else _dropped(frame.clear(), "")
    return Tracks(fixes=frame, dropped=dropped.sort(["mmsi", "ts"]))


def segment_fixes(fixes: pl.DataFrame, params: TrackParams | None = None) -> pl.DataFrame:
    """Sort fixes by ``mmsi, ts`` and number each vessel's segments from 0 (column ``segment``).

    A new segment starts at a gap longer than ``params.max_gap_h``. Used by
    :func:`clean_tracks`, and to join cleaned fixes of several tiles into tracks.
    """
    params = params or TrackParams()
    gap_ms = int(params.max_gap_h * 3_600_000)
    frame = fixes.sort("mmsi", "ts", maintain_order=True)
    new_segment = (
        (pl.col("mmsi") != pl.col("mmsi").shift(1))
        | ((pl.col("ts") - pl.col("ts").shift(1)).dt.total_milliseconds() > gap_ms)
    ).fill_null(True)
    return frame.with_columns(
        (new_segment.cast(pl.UInt32).cum_sum().over("mmsi") - 1).cast(pl.UInt32).alias("segment")
    )


def _dropped(rows: pl.DataFrame, reason: str) -> pl.DataFrame:
    speed = (
        pl.col("implied_speed_kn").cast(pl.Float64)
        if "implied_speed_kn" in rows.columns
        else pl.lit(None, dtype=pl.Float64).alias("implied_speed_kn")
    )
    return rows.select(
        "mmsi",
        "ts",
        "lon",
        "lat",
        pl.lit(reason, dtype=pl.String).alias("reason"),
        speed,
    )
