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

from zonewatch.speedcheck import impossible_fixes

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
        Rounds of the speed check per vessel (each sees the neighbours left
        by the previous one), so that a short burst of spoofed fixes is
        removed too (see :mod:`zonewatch.speedcheck`).
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
    frame = _sorted(_as_frame(positions))
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

    # 3. impossible speed against both neighbours, in rounds, each vessel on its own
    if frame.height >= 2:
        bad, implied = impossible_fixes(
            frame["mmsi"].cast(pl.UInt32).to_numpy(),
            frame["ts"].dt.epoch("ms").to_numpy(),
            frame["lon"].to_numpy(),
            frame["lat"].to_numpy(),
            params.max_speed_kn,
            params.speed_passes,
        )
        if bad.any():
            flagged = frame.filter(pl.Series(bad)).with_columns(
                pl.Series("implied_speed_kn", implied[bad])
            )
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
    frame = _sorted(fixes)
    n = frame.height
    if n == 0:
        return frame.with_columns(pl.lit(None, dtype=pl.UInt32).alias("segment"))
    mmsi = frame["mmsi"].to_numpy()
    ts_ms = frame["ts"].dt.epoch("ms").to_numpy()
    first = np.ones(n, dtype=bool)
    first[1:] = mmsi[1:] != mmsi[:-1]
    new = first.copy()
    new[1:] |= np.diff(ts_ms) > int(params.max_gap_h * 3_600_000)
    count = np.cumsum(new)
    starts = np.flatnonzero(first)
    lengths = np.diff(np.append(starts, n))
    segment = count - np.repeat(count[starts], lengths)
    return frame.with_columns(pl.Series("segment", segment, dtype=pl.UInt32))


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` sorted by ``mmsi, ts`` (stable), without sorting when it already is."""
    if frame.height < 2:
        return frame
    mmsi = frame["mmsi"].to_numpy()
    ts_ms = frame["ts"].dt.epoch("ms").to_numpy()
    d_mmsi = np.diff(mmsi.astype(np.int64))
    if (d_mmsi >= 0).all() and ((d_mmsi > 0) | (np.diff(ts_ms) >= 0)).all():
        return frame
    return frame.sort("mmsi", "ts", maintain_order=True)


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
