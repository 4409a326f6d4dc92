"""Distances between vessels on their interpolated tracks.

Tracks are sampled on a common time grid; within a track segment a vessel's
position at any time is interpolated linearly between its fixes, and outside
its segments it is unknown (NaN), so no closeness is inferred across a gap.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
import polars as pl

from zonewatch.geo import haversine_nm

__all__ = ["interpolate_track", "min_separation_nm"]

FloatArray = npt.NDArray[np.float64]


def interpolate_track(
    track: pl.DataFrame, grid_ms: npt.NDArray[np.int64]
) -> tuple[FloatArray, FloatArray]:
    """Positions of one vessel at the grid times, NaN where not within a segment.

    Parameters
    ----------
    track
        One vessel's cleaned fixes (``ts, lon, lat, segment``) in time order.
    grid_ms
        Sorted epoch milliseconds.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` at the grid times.
    """
    t = track["ts"].dt.epoch("ms").to_numpy().astype(np.int64)
    lon = track["lon"].to_numpy().astype(np.float64)
    lat = track["lat"].to_numpy().astype(np.float64)
    seg = track["segment"].to_numpy()
    out_lon = np.full(grid_ms.shape, np.nan)
    out_lat = np.full(grid_ms.shape, np.nan)
    if t.size == 0:
        return out_lon, out_lat
    i = np.searchsorted(t, grid_ms, side="right") - 1  # last fix at or before each grid time
    exact = (i >= 0) & (t[np.clip(i, 0, None)] == grid_ms)
    between = (i >= 0) & (i < t.size - 1)
    ic = np.clip(i, 0, max(t.size - 2, 0))
    if t.size >= 2:
        between &= seg[ic] == seg[ic + 1]
        span = (t[ic + 1] - t[ic]).astype(np.float64)
        w = np.where(span > 0, (grid_ms - t[ic]) / np.where(span > 0, span, 1.0), 0.0)
        out_lon = np.where(between, lon[ic] + w * (lon[ic + 1] - lon[ic]), out_lon)
        out_lat = np.where(between, lat[ic] + w * (lat[ic + 1] - lat[ic]), out_lat)
    ie = np.clip(i, 0, None)
    out_lon = np.where(exact, lon[ie], out_lon)
    out_lat = np.where(exact, lat[ie], out_lat)
    return out_lon, out_lat


def min_separation_nm(
    track_a: pl.DataFrame,
    track_b: pl.DataFrame,
    start: dt.datetime,
    end: dt.datetime,
    step_s: float = 60.0,
) -> float:
    """Smallest distance (nm) between two vessels during ``[start, end]``.

    Both tracks are interpolated on a grid of ``step_s`` seconds (plus both
    ends); times where either vessel is outside its segments are ignored.
    Returns ``inf`` when the vessels are never both known at the same time.
    """
    lo = int(start.timestamp() * 1000)
    hi = int(end.timestamp() * 1000)
    grid = np.unique(np.append(np.arange(lo, hi, int(step_s * 1000), dtype=np.int64), hi))
    a_lon, a_lat = interpolate_track(track_a, grid)
    b_lon, b_lat = interpolate_track(track_b, grid)
    known = ~(np.isnan(a_lon) | np.isnan(b_lon))
    if not known.any():
        return float("inf")
    return float(np.min(haversine_nm(a_lon[known], a_lat[known], b_lon[known], b_lat[known])))
