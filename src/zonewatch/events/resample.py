"""Fix speeds and tracks resampled on a common time grid, all vessels at once.

Cross-vessel rules (encounters, shadowing, approaches) compare vessels at the
same instants. Each track segment is sampled at the multiples of a grid step
(epoch-aligned, so never split at midnight or at any day boundary) that fall
within it, moving in a straight line in lon/lat and time between fixes — the
project's interpolation rule. No position is inferred across a gap between
segments.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from zonewatch.geo import haversine_nm

__all__ = ["fix_speeds_kn", "resample_tracks", "unit_vectors"]

FloatArray = npt.NDArray[np.float64]

RESAMPLED_SCHEMA = {
    "vid": pl.Int32,
    "mmsi": pl.UInt32,
    "step": pl.Int64,
    "lon": pl.Float64,
    "lat": pl.Float64,
    "speed_kn": pl.Float64,
}


def _leg_speeds(
    same: npt.NDArray[np.bool_], ts_ms: npt.NDArray[np.int64], lon: FloatArray, lat: FloatArray
) -> FloatArray:
    """Implied speed of each leg ``i -> i + 1`` (NaN where ``same`` is False)."""
    dist = haversine_nm(lon[:-1], lat[:-1], lon[1:], lat[1:])
    hours = (ts_ms[1:] - ts_ms[:-1]) / 3_600_000.0
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = np.where(hours > 0, dist / hours, 0.0)
    return np.where(same, speed, np.nan)


def fix_speeds_kn(fixes: pl.DataFrame) -> FloatArray:
    """Speed of each fix in knots: reported SOG when present, else implied by its legs.

    The implied speed of a fix is that of the leg from the previous fix of its
    segment (the next one for a segment's first fix); 0 for a lone fix.

    Parameters
    ----------
    fixes
        Cleaned fixes sorted by ``mmsi, ts`` with ``mmsi, ts, lon, lat, segment``
        and optionally ``sog``.

    Returns
    -------
    numpy.ndarray
        float64 knots, one per fix.
    """
    n = fixes.height
    if n == 0:
        return np.zeros(0)
    if "sog" in fixes.columns and fixes["sog"].null_count() == 0:
        return np.asarray(fixes["sog"].cast(pl.Float64).to_numpy(), dtype=np.float64)
    mmsi = fixes["mmsi"].to_numpy()
    seg = fixes["segment"].to_numpy()
    ts = fixes["ts"].dt.epoch("ms").to_numpy().astype(np.int64)
    lon = fixes["lon"].to_numpy().astype(np.float64)
    lat = fixes["lat"].to_numpy().astype(np.float64)
    same = (mmsi[1:] == mmsi[:-1]) & (seg[1:] == seg[:-1])
    leg = _leg_speeds(same, ts, lon, lat)
    implied = np.zeros(n)
    implied[1:] = np.where(same, leg, np.nan)
    first = np.ones(n, dtype=bool)
    first[1:] = ~same
    nxt = np.full(n, np.nan)
    nxt[:-1] = np.where(same, leg, np.nan)
    implied = np.where(first, nxt, implied)
    implied = np.nan_to_num(implied, nan=0.0)
    if "sog" in fixes.columns:
        sog = fixes["sog"].cast(pl.Float64).to_numpy()
        return np.where(np.isnan(sog), implied, sog)
    return implied


def resample_tracks(
    fixes: pl.DataFrame, step_s: int, speeds_kn: FloatArray | None = None
) -> pl.DataFrame:
    """Positions of every vessel at the grid times within its track segments.

    Parameters
    ----------
    fixes
        Cleaned fixes sorted by ``mmsi, ts`` with ``mmsi, ts, lon, lat, segment``
        (as from :func:`zonewatch.tracks.clean_tracks`).
    step_s
        Grid step in seconds; grid times are the multiples of it since the epoch.
    speeds_kn
        Speed of each fix (default :func:`fix_speeds_kn`); interpolated too.

    Returns
    -------
    polars.DataFrame
        ``vid`` (0-based vessel index in MMSI order), ``mmsi``, ``step`` (grid
        time = ``step * step_s`` seconds since the epoch), ``lon``, ``lat``,
        ``speed_kn``; sorted by ``vid, step``.

    Examples
    --------
    >>> import datetime as dt
    >>> t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    >>> fixes = pl.DataFrame({"mmsi": [7, 7], "ts": [t0, t0 + dt.timedelta(minutes=10)],
    ...                       "lon": [123.0, 123.1], "lat": [25.0, 25.0], "segment": [0, 0]})
    >>> resample_tracks(fixes, 300)["lon"].round(3).to_list()
    [123.0, 123.05, 123.1]
    """
    if fixes.height == 0:
        return pl.DataFrame(schema=RESAMPLED_SCHEMA)
    mmsi = fixes["mmsi"].cast(pl.UInt32).to_numpy()
    seg = fixes["segment"].cast(pl.Int64).to_numpy()
    ts = fixes["ts"].dt.epoch("ms").to_numpy().astype(np.int64)
    lon = fixes["lon"].to_numpy().astype(np.float64)
    lat = fixes["lat"].to_numpy().astype(np.float64)
    speed = fix_speeds_kn(fixes) if speeds_kn is None else np.asarray(speeds_kn, np.float64)
    n = len(mmsi)
    new_vessel = np.ones(n, dtype=bool)
    new_vessel[1:] = mmsi[1:] != mmsi[:-1]
    new_seg = new_vessel.copy()
    new_seg[1:] |= seg[1:] != seg[:-1]
    vid_of_fix = np.cumsum(new_vessel) - 1
    seg_id = np.cumsum(new_seg) - 1  # global segment number of each fix
    seg_first = np.flatnonzero(new_seg)
    seg_last = np.append(seg_first[1:] - 1, n - 1)
    step_ms = int(step_s) * 1000
    k_first = -((-ts[seg_first]) // step_ms)  # ceil
    k_last = ts[seg_last] // step_ms
    counts = np.maximum(k_last - k_first + 1, 0)
    total = int(counts.sum())
    if total == 0:
        return pl.DataFrame(schema=RESAMPLED_SCHEMA)
    owner = np.repeat(np.arange(seg_first.size), counts)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    k = k_first[owner] + (np.arange(total) - offsets[owner])
    grid_ms = k * step_ms
    # index of the last fix at or before each grid time, within its segment
    t_rel = ts - ts.min()
    span = int(t_rel.max()) + 1
    key_fix = seg_id * span + t_rel
    key_grid = owner * span + (grid_ms - ts.min())
    i = np.searchsorted(key_fix, key_grid, side="right") - 1
    j = np.minimum(i + 1, seg_last[owner])
    dt_ms = (ts[j] - ts[i]).astype(np.float64)
    w = np.where(dt_ms > 0, (grid_ms - ts[i]) / np.where(dt_ms > 0, dt_ms, 1.0), 0.0)
    dlon = lon[j] - lon[i]
    dlon = np.where(dlon > 180.0, dlon - 360.0, np.where(dlon < -180.0, dlon + 360.0, dlon))
    g_lon = lon[i] + w * dlon
    g_lon = np.where(g_lon > 180.0, g_lon - 360.0, np.where(g_lon < -180.0, g_lon + 360.0, g_lon))
    g_lat = lat[i] + w * (lat[j] - lat[i])
    g_speed = speed[i] + w * (speed[j] - speed[i])
    return pl.DataFrame(
        {
            "vid": vid_of_fix[seg_first][owner].astype(np.int32),
            "mmsi": mmsi[seg_first][owner],
            "step": k,
            "lon": g_lon,
            "lat": g_lat,
            "speed_kn": g_speed,
        },
        schema=RESAMPLED_SCHEMA,
    )


def unit_vectors(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Positions as unit vectors (x, y, z) on the sphere."""
    lon_r = np.radians(lon)
    lat_r = np.radians(lat)
    cos_lat = np.cos(lat_r)
    return cos_lat * np.cos(lon_r), cos_lat * np.sin(lon_r), np.sin(lat_r)
