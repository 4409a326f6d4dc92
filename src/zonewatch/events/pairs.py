"""Close pairs of vessels on a common time grid, without comparing all pairs.

Positions (one per vessel and grid step, from
:func:`zonewatch.events.resample.resample_tracks`) are bucketed by grid step
and by a cell of a 3-D grid over the unit sphere whose cells are twice the
distance threshold wide. Two positions within the threshold (great-circle)
are within it in straight-line (chord) distance too, so each coordinate
differs by less than half a cell: a position only needs to look at its own
cell and the neighbouring cells on the side of the cell it lies in — eight
cells, each looked up by one hash join over all positions. The work grows
with the number of positions and of close candidates, never with the square
of the number of vessels, and the 3-D grid has no trouble at the poles or
the antimeridian.

Runs of consecutive close steps of one pair are then merged into episodes.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import polars as pl

from zonewatch.events.resample import unit_vectors
from zonewatch.geo import EARTH_RADIUS_M, METERS_PER_NM, haversine_nm

__all__ = ["PAIR_SCHEMA", "close_pairs", "pair_episodes"]

PAIR_SCHEMA = {
    "step": pl.Int64,
    "ia": pl.Int64,
    "ib": pl.Int64,
    "distance_nm": pl.Float64,
}


def _cells(points: pl.DataFrame, cell: float) -> tuple[npt.NDArray[np.int64], ...]:
    lon = points["lon"].to_numpy().astype(np.float64)
    lat = points["lat"].to_numpy().astype(np.float64)
    out: list[npt.NDArray[np.int64]] = []
    for v in unit_vectors(lon, lat):
        scaled = v / cell
        c = np.floor(scaled)
        out.append(c.astype(np.int64))
        # which neighbour to look at: below when in the lower half of the cell, else above
        out.append(np.where(scaled - c < 0.5, -1, 1).astype(np.int64))
    return tuple(out)


def close_pairs(
    points: pl.DataFrame,
    distance_nm: float,
    *,
    left: npt.NDArray[np.bool_] | None = None,
    right: npt.NDArray[np.bool_] | None = None,
) -> pl.DataFrame:
    """Pairs of positions at the same grid step within ``distance_nm`` of each other.

    Parameters
    ----------
    points
        ``step, vid, lon, lat`` (one row per vessel and step).
    distance_nm
        The threshold (great-circle, on the mean sphere).
    left, right
        Optional masks over ``points``: pairs are then ``(a in left, b in
        right)``, ``a`` and ``b`` of different vessels, in that order. Without
        them, every unordered pair of different vessels is reported once,
        ``a`` the lower ``vid``.

    Returns
    -------
    polars.DataFrame
        ``step, ia, ib`` (row numbers in ``points``) and ``distance_nm``.

    Examples
    --------
    >>> pts = pl.DataFrame({"step": [0, 0, 0], "vid": [0, 1, 2],
    ...                     "lon": [123.0, 123.005, 124.0], "lat": [25.0, 25.0, 25.0]})
    >>> close_pairs(pts, 0.5).select("ia", "ib").rows()
    [(0, 1)]
    """
    if points.height == 0 or distance_nm <= 0:
        return pl.DataFrame(schema=PAIR_SCHEMA)
    cell = 2.0 * distance_nm * METERS_PER_NM / EARTH_RADIUS_M * 1.000001
    cx, dx, cy, dy, cz, dz = _cells(points, cell)
    step = points["step"].to_numpy().astype(np.int64)
    vid = points["vid"].to_numpy().astype(np.int64)
    nbits = (2 * math.ceil(1.0 / cell) + 8).bit_length()
    half = 1 << (nbits - 1)
    step_bits = 62 - 3 * nbits
    if step_bits < 1:
        raise ValueError(f"distance_nm {distance_nm} is too small for the pair grid")
    step0 = int(step.min())
    span = int(step.max()) - step0 + 1
    chunk_steps = 1 << step_bits
    rows = np.arange(points.height, dtype=np.int64)
    frames = []
    for lo in range(0, span, chunk_steps):
        in_chunk = (step - step0 >= lo) & (step - step0 < lo + chunk_steps)
        if span <= chunk_steps:
            in_chunk = np.ones(points.height, dtype=bool)
        frames.append(
            _chunk_pairs(
                rows[in_chunk],
                step[in_chunk] - step0 - lo,
                (cx[in_chunk], cy[in_chunk], cz[in_chunk]),
                (dx[in_chunk], dy[in_chunk], dz[in_chunk]),
                nbits,
                half,
                vid[in_chunk],
                None if left is None else left[in_chunk],
                None if right is None else right[in_chunk],
            )
        )
    pairs = pl.concat(frames) if frames else pl.DataFrame(schema={"ia": pl.Int64, "ib": pl.Int64})
    if pairs.height == 0:
        return pl.DataFrame(schema=PAIR_SCHEMA)
    ia = pairs["ia"].to_numpy()
    ib = pairs["ib"].to_numpy()
    lon = points["lon"].to_numpy().astype(np.float64)
    lat = points["lat"].to_numpy().astype(np.float64)
    dist = haversine_nm(lon[ia], lat[ia], lon[ib], lat[ib])
    keep = dist <= distance_nm
    out = pl.DataFrame(
        {"step": step[ia[keep]], "ia": ia[keep], "ib": ib[keep], "distance_nm": dist[keep]},
        schema=PAIR_SCHEMA,
    )
    return out.sort("step", "ia", "ib")


def _chunk_pairs(
    rows: npt.NDArray[np.int64],
    step_rel: npt.NDArray[np.int64],
    cells: tuple[npt.NDArray[np.int64], ...],
    dirs: tuple[npt.NDArray[np.int64], ...],
    nbits: int,
    half: int,
    vid: npt.NDArray[np.int64],
    left: npt.NDArray[np.bool_] | None,
    right: npt.NDArray[np.bool_] | None,
) -> pl.DataFrame:
    """Candidate pairs (same step, same or facing neighbour cell) of one chunk of steps.

    Positions are sorted by cell key once. Within one class of positions (the
    same side of their cell along each axis) a neighbour offset is a constant
    added to the key, so the shifted keys stay sorted and each lookup is a
    merge join of two sorted columns.
    """
    key = step_rel << (3 * nbits)
    key |= (cells[0] + half) << (2 * nbits)
    key |= (cells[1] + half) << nbits
    key |= cells[2] + half
    order = pl.Series(key).arg_sort().to_numpy()
    key_s = key[order]
    rows_s, vid_s = rows[order], vid[order]
    cls_s = ((dirs[0] > 0) * 4 + (dirs[1] > 0) * 2 + (dirs[2] > 0))[order]
    l_sel = np.ones(rows.size, dtype=bool) if left is None else left[order]
    r_sel = np.ones(rows.size, dtype=bool) if right is None else right[order]
    right_frame = pl.DataFrame(
        {"key": key_s[r_sel], "ib": rows_s[r_sel], "vb": vid_s[r_sel]}
    ).with_columns(pl.col("key").set_sorted())
    symmetric = left is None
    cond = pl.col("va") < pl.col("vb") if symmetric else pl.col("va") != pl.col("vb")
    found = []
    for cls in range(8):
        sel = l_sel & (cls_s == cls)
        if not sel.any():
            continue
        signs = (1 if cls & 4 else -1, 1 if cls & 2 else -1, 1 if cls & 1 else -1)
        k_c, ia_c, va_c = key_s[sel], rows_s[sel], vid_s[sel]
        for sx in (0, 1):
            for sy in (0, 1):
                for sz in (0, 1):
                    shift = (sx * signs[0]) << (2 * nbits)
                    shift += (sy * signs[1]) << nbits
                    shift += sz * signs[2]
                    left_frame = pl.DataFrame(
                        {"key": k_c + shift, "ia": ia_c, "va": va_c}
                    ).with_columns(pl.col("key").set_sorted())
                    joined = left_frame.join(right_frame, on="key", how="inner")
                    found.append(joined.filter(cond).select("ia", "ib"))
    # each candidate is found once: ``b`` lies in one cell, and of the two views of a
    # symmetric pair only the one from the lower vid is kept
    if not found:
        return pl.DataFrame(schema={"ia": pl.Int64, "ib": pl.Int64})
    return pl.concat(found)


def pair_episodes(pairs: pl.DataFrame, merge_steps: int) -> pl.DataFrame:
    """Merge runs of close steps of each pair into episodes.

    Parameters
    ----------
    pairs
        ``step, a, b`` and any other columns, one row per close pair and step.
    merge_steps
        Close steps at most this many steps apart are one episode (1: only
        consecutive steps).

    Returns
    -------
    polars.DataFrame
        ``pairs`` sorted by ``a, b, step`` with an ``episode`` number.

    Examples
    --------
    >>> p = pl.DataFrame({"step": [1, 2, 3, 7, 8], "a": [0] * 5, "b": [1] * 5})
    >>> pair_episodes(p, 1)["episode"].to_list()
    [0, 0, 0, 1, 1]
    """
    ordered = pairs.sort("a", "b", "step")
    new = (
        (pl.col("a") != pl.col("a").shift(1))
        | (pl.col("b") != pl.col("b").shift(1))
        | ((pl.col("step") - pl.col("step").shift(1)) > merge_steps)
    ).fill_null(True)
    return ordered.with_columns((new.cast(pl.Int64).cum_sum() - 1).alias("episode"))
