"""Crossings of a line (a median line) by tracks, by direction.

Between two fixes of a track segment a vessel moves in a straight line in
lon/lat (as for zone presence, see :mod:`zonewatch.events.presence`); a line
zone is a polyline in lon/lat (the built-in median line is densified along the
geodesic between its published end points, every few kilometres, so that its
straight pieces stay within centimetres of the geodesic). A leg crosses the
line when its two fixes lie on different sides and the leg meets the line. A
fix exactly on the line counts as being on its right side, so that touching
the line from the right and turning back is not a crossing.

Direction: the line runs in the order of its coordinates; a crossing towards
its left side is ``"to_<left>"`` (for the Taiwan Strait median line, running
from 27 N 122 E to 23 N 118 E, the left side is the east: ``"to_east"``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl
import shapely

from zonewatch.zones.model import LineZone

__all__ = ["CROSSING_SCHEMA", "line_crossings"]

CROSSING_SCHEMA: dict[str, pl.DataType] = {
    "line": pl.String(),
    "mmsi": pl.UInt32(),
    "ts": pl.Datetime("ms", "UTC"),
    "lon": pl.Float64(),
    "lat": pl.Float64(),
    "direction": pl.String(),
}
"""Columns of the frame :func:`line_crossings` returns."""

FloatArray = npt.NDArray[np.float64]


def _segments(line: LineZone) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    a_list, b_list = [], []
    for part in shapely.get_parts(line.geometry):
        c = shapely.get_coordinates(part)
        a_list.append(c[:-1])
        b_list.append(c[1:])
    a = np.concatenate(a_list)
    b = np.concatenate(b_list)
    return a[:, 0], a[:, 1], b[:, 0], b[:, 1]


def line_crossings(fixes: pl.DataFrame, line: LineZone) -> pl.DataFrame:
    """Every crossing of ``line`` by the legs of the tracks in ``fixes``.

    Parameters
    ----------
    fixes
        Cleaned fixes with ``mmsi, ts, lon, lat, segment``, sorted by ``mmsi, ts``
        (as from :func:`zonewatch.tracks.clean_tracks`).
    line
        The line.

    Returns
    -------
    polars.DataFrame
        Columns of :data:`CROSSING_SCHEMA`: one row per crossing, with the
        interpolated time and point and the direction (``"to_<left>"`` or
        ``"to_<right>"``), sorted by time.

    Examples
    --------
    >>> import datetime as dt
    >>> from zonewatch.zones import load_zone_set
    >>> median = load_zone_set("taiwan-strait").lines[0]
    >>> t0 = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    >>> fixes = pl.DataFrame({"mmsi": [413000001] * 2, "ts": [t0, t0 + dt.timedelta(hours=2)],
    ...                       "lon": [119.6, 120.2], "lat": [24.8, 24.8], "segment": [0, 0]})
    >>> line_crossings(fixes, median)["direction"].to_list()
    ['to_east']
    """
    empty = pl.DataFrame(schema=CROSSING_SCHEMA)
    if fixes.height < 2:
        return empty
    mmsi = fixes["mmsi"].cast(pl.UInt32).to_numpy()
    seg_id = fixes["segment"].to_numpy()
    ts_ms = fixes["ts"].dt.epoch("ms").to_numpy().astype(np.int64)
    lon = fixes["lon"].to_numpy().astype(np.float64)
    lat = fixes["lat"].to_numpy().astype(np.float64)
    leg = np.flatnonzero((mmsi[1:] == mmsi[:-1]) & (seg_id[1:] == seg_id[:-1]))
    minx, miny, maxx, maxy = line.geometry.bounds
    ax, ay, bx, by = lon[leg], lat[leg], lon[leg + 1], lat[leg + 1]
    near = (
        (np.maximum(ax, bx) >= minx)
        & (np.minimum(ax, bx) <= maxx)
        & (np.maximum(ay, by) >= miny)
        & (np.minimum(ay, by) <= maxy)
    )
    leg = leg[near]
    if leg.size == 0:
        return empty
    ax, ay, bx, by = lon[leg], lat[leg], lon[leg + 1], lat[leg + 1]
    sax, say, sbx, sby = _segments(line)
    seg_lines = shapely.linestrings(
        np.stack([np.column_stack([sax, say]), np.column_stack([sbx, sby])], axis=1)
    )
    tree = shapely.STRtree(seg_lines)
    legs = shapely.linestrings(
        np.stack([np.column_stack([ax, ay]), np.column_stack([bx, by])], axis=1)
    )
    li, sj = tree.query(legs, predicate="intersects")
    if li.size == 0:
        return empty
    hit = np.unique(li)
    side_a = _side(tree, sax, say, sbx, sby, ax[hit], ay[hit])
    side_b = _side(tree, sax, say, sbx, sby, bx[hit], by[hit])
    crossing = hit[side_a != side_b]
    to_left = side_b[side_a != side_b] > 0
    if crossing.size == 0:
        return empty
    # where along each crossing leg it meets the line (the first meeting)
    keep = np.isin(li, crossing)
    li, sj = li[keep], sj[keep]
    t = _leg_param(ax[li], ay[li], bx[li], by[li], sax[sj], say[sj], sbx[sj], sby[sj])
    order = np.lexsort((t, li))
    first = order[np.r_[True, li[order][1:] != li[order][:-1]]]
    t_leg = np.zeros(leg.size)
    t_leg[li[first]] = t[first]
    t_c = t_leg[crossing]
    k = leg[crossing]
    out_ts = np.rint(ts_ms[k] + t_c * (ts_ms[k + 1] - ts_ms[k])).astype(np.int64)
    frame = pl.DataFrame(
        {
            "line": [line.name] * crossing.size,
            "mmsi": mmsi[k],
            "ts": out_ts,
            "lon": lon[k] + t_c * (lon[k + 1] - lon[k]),
            "lat": lat[k] + t_c * (lat[k + 1] - lat[k]),
            "direction": np.where(to_left, f"to_{line.left}", f"to_{line.right}"),
        }
    )
    return (
        frame.with_columns(pl.col("ts").cast(pl.Datetime("ms", "UTC")))
        .cast(
            CROSSING_SCHEMA  # type: ignore[arg-type]
        )
        .sort("ts", "mmsi")
    )


def _side(
    tree: shapely.STRtree,
    sax: FloatArray,
    say: FloatArray,
    sbx: FloatArray,
    sby: FloatArray,
    px: FloatArray,
    py: FloatArray,
) -> npt.NDArray[np.int8]:
    """+1 left of the nearest line segment, -1 right of it or on it."""
    pi, sj = tree.query_nearest(shapely.points(px, py), all_matches=False)
    seg = np.zeros(px.size, dtype=np.int64)
    seg[pi] = sj
    cross = (sbx[seg] - sax[seg]) * (py - say[seg]) - (sby[seg] - say[seg]) * (px - sax[seg])
    return np.where(cross > 0.0, 1, -1).astype(np.int8)


def _leg_param(
    ax: FloatArray,
    ay: FloatArray,
    bx: FloatArray,
    by: FloatArray,
    cx: FloatArray,
    cy: FloatArray,
    dx: FloatArray,
    dy: FloatArray,
) -> FloatArray:
    """Parameter along leg a-b of its meeting with segment c-d (clipped to 0..1)."""
    rx, ry = bx - ax, by - ay
    sx, sy = dx - cx, dy - cy
    denom = rx * sy - ry * sx
    with np.errstate(divide="ignore", invalid="ignore"):
        t = ((cx - ax) * sy - (cy - ay) * sx) / denom
    return np.asarray(np.clip(np.nan_to_num(t, nan=0.0), 0.0, 1.0), dtype=np.float64)
