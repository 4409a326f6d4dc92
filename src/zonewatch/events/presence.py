"""Zone presence intervals computed on the straight lines between fixes.

For a distance threshold ``T`` (12 nm for the territorial sea, 24 nm for the
contiguous zone), a vessel is inside while its distance to the baseline is at
most ``T``. Between two consecutive fixes of one track segment the vessel moves
in a straight line (linear in lon/lat and in time), so presence starts and ends
where that line crosses the zone boundary, not only at fixes.

The kernel is vectorized over all legs at once. Most legs are settled by
triangle-inequality bounds on the distance along the leg (entirely inside or
entirely outside); only legs that may cross the boundary are sampled densely,
and the crossing is interpolated between samples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from zonewatch.geo import haversine_nm

__all__ = [
    "DistanceFn",
    "PresenceParams",
    "zone_intervals",
]

FloatArray = npt.NDArray[np.float64]
DistanceFn = Callable[[FloatArray, FloatArray], FloatArray]
BoundsFn = Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]
"""Vectorized distance to the baseline in nm: ``(lon, lat) -> distance_nm``."""

INTERVAL_SCHEMA: dict[str, pl.DataType] = {
    "mmsi": pl.UInt32(),
    "zone": pl.String(),
    "start": pl.Datetime("ms", "UTC"),
    "end": pl.Datetime("ms", "UTC"),
    "min_distance_nm": pl.Float64(),
    "lon": pl.Float64(),
    "lat": pl.Float64(),
    "entered": pl.Boolean(),
    "exited": pl.Boolean(),
    "start_lon": pl.Float64(),
    "start_lat": pl.Float64(),
    "end_lon": pl.Float64(),
    "end_lat": pl.Float64(),
}


@dataclass(frozen=True)
class PresenceParams:
    """Sampling of legs that may cross a zone boundary.

    Attributes
    ----------
    step_nm
        Spacing of samples along a leg that may cross the boundary; crossing
        points are interpolated between samples.
    max_samples
        Upper bound on samples per leg (a very long leg is sampled more
        coarsely).
    """

    step_nm: float = 0.05
    max_samples: int = 4000


@dataclass(frozen=True)
class _Pieces:
    """Presence pieces, each within one leg or at one fix."""

    mmsi: npt.NDArray[np.uint32]
    start_ms: npt.NDArray[np.int64]
    end_ms: npt.NDArray[np.int64]
    min_d: FloatArray
    min_lon: FloatArray
    min_lat: FloatArray
    entered: npt.NDArray[np.bool_]
    exited: npt.NDArray[np.bool_]
    start_lon: FloatArray
    start_lat: FloatArray
    end_lon: FloatArray
    end_lat: FloatArray


def _empty_pieces() -> _Pieces:
    f = np.zeros(0, dtype=np.float64)
    b = np.zeros(0, dtype=bool)
    i = np.zeros(0, dtype=np.int64)
    return _Pieces(np.zeros(0, dtype=np.uint32), i, i, f, f, f, b, b, f, f, f, f)


def _concat(pieces: list[_Pieces]) -> _Pieces:
    return _Pieces(
        *(np.concatenate([getattr(p, f) for p in pieces]) for f in _Pieces.__dataclass_fields__)
    )


def zone_intervals(
    fixes: pl.DataFrame,
    distance_fn: DistanceFn,
    thresholds_nm: Mapping[str, float],
    params: PresenceParams | None = None,
    *,
    fix_distance_nm: FloatArray | None = None,
    exact_min_for: frozenset[str] = frozenset(),
    bounds_fn: BoundsFn | None = None,
) -> pl.DataFrame:
    """Maximal intervals during which each vessel is within each zone.

    Parameters
    ----------
    fixes
        Cleaned fixes with ``mmsi, ts, lon, lat, segment``, sorted by
        ``mmsi, ts`` (as from :func:`zonewatch.tracks.clean_tracks`).
    distance_fn
        Vectorized distance to the baseline in nm.
    thresholds_nm
        Zone kind -> distance threshold, e.g. ``{"territorial_sea": 12.0}``.
    params
        Sampling parameters.
    fix_distance_nm
        Distances of the fixes when already known (saves one evaluation).
    exact_min_for
        Zone kinds for which legs entirely inside are also sampled, so that
        the closest approach between fixes is found (use it for small zones
        where the closest approach is reported).
    bounds_fn
        Cheap bounds ``(lower, upper)`` on ``distance_fn`` of the fixes, equal
        where exact. When given, ``distance_fn`` measures only the fixes whose
        distance can change a result (see :func:`_measured_where_needed`): the
        intervals are the same as with every fix measured.

    Returns
    -------
    polars.DataFrame
        ``mmsi, zone, start, end, min_distance_nm, lon, lat, entered, exited,
        start_lon, start_lat, end_lon, end_lat`` sorted by ``zone, mmsi,
        start``; ``lon, lat`` is the closest point to the baseline,
        ``start_*``/``end_*`` where the interval starts and ends;
        ``entered``/``exited`` tell whether the interval starts or ends with an
        observed boundary crossing (rather than at a track segment's end).
    """
    params = params or PresenceParams()
    if fixes.height == 0 or not thresholds_nm:
        return pl.DataFrame(schema=INTERVAL_SCHEMA)
    mmsi = fixes["mmsi"].cast(pl.UInt32).to_numpy()
    segment = fixes["segment"].to_numpy()
    ts_ms = fixes["ts"].dt.epoch("ms").to_numpy().astype(np.int64)
    lon = fixes["lon"].to_numpy().astype(np.float64)
    lat = fixes["lat"].to_numpy().astype(np.float64)
    same = (mmsi[1:] == mmsi[:-1]) & (segment[1:] == segment[:-1])
    # fixes that are alone in their segment
    has_leg = np.zeros(len(mmsi), dtype=bool)
    has_leg[:-1] |= same
    has_leg[1:] |= same
    lone = np.flatnonzero(~has_leg)
    if fix_distance_nm is not None:
        lower = upper = np.asarray(fix_distance_nm, dtype=np.float64)
    elif bounds_fn is not None:
        lower, upper = (np.array(b, dtype=np.float64) for b in bounds_fn(lon, lat))
    else:
        lower = upper = np.asarray(distance_fn(lon, lat), dtype=np.float64)
    # legs that cannot come within the largest limit give no presence: leave them out
    # before measuring them, with a cheap upper bound on their length (1 nm is a little
    # under one minute of arc, and a leg is no longer than its lat + lon extent in arc),
    # padded as the kernel pads leg lengths (below); with bounds, the lower ones keep every
    # leg the exact distances would keep (the others are outside every zone either way)
    reach = max(float(v) for v in thresholds_nm.values())
    with np.errstate(invalid="ignore"):
        extent_nm = 60.1 * (np.abs(np.diff(lat)) + np.abs(np.diff(lon))) * 1.01 + 0.01
        near = ~((lower[:-1] + lower[1:] - extent_nm) / 2.0 > reach)
    leg = np.flatnonzero(same & near)  # leg k runs from fix leg[k] to fix leg[k] + 1
    leg_nm = haversine_nm(lon[leg], lat[leg], lon[leg + 1], lat[leg + 1])
    dist = (
        _measured_where_needed(
            lower, upper, distance_fn, lon, lat, leg, leg_nm, lone, thresholds_nm, exact_min_for
        )
        if upper is not lower
        else lower
    )

    frames = []
    for kind, limit in thresholds_nm.items():
        pieces = _pieces_for_threshold(
            float(limit),
            leg,
            leg_nm,
            lone,
            mmsi,
            ts_ms,
            lon,
            lat,
            dist,
            distance_fn,
            params,
            exact_min=kind in exact_min_for,
        )
        frames.append(_merge(pieces).with_columns(pl.lit(kind).alias("zone")))
    out = pl.concat(frames).select(list(INTERVAL_SCHEMA))
    return out.cast(INTERVAL_SCHEMA).sort(["zone", "mmsi", "start"])  # type: ignore[arg-type]


def _leg_reach(
    d_a: FloatArray, d_b: FloatArray, padded: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Bounds on the distance along legs from their ends' distances (triangle inequality)."""
    return (d_a + d_b - padded) / 2.0, (d_a + d_b + padded) / 2.0


def _leg_class(
    d_a: FloatArray, d_b: FloatArray, padded: FloatArray, limit: float
) -> npt.NDArray[np.int8]:
    """Per leg: 2 entirely inside, 1 may cross the limit, 0 outside (as the pieces decide)."""
    lower, upper = _leg_reach(d_a, d_b, padded)
    inside = upper <= limit
    return np.where(inside, 2, np.where(lower <= limit, 1, 0)).astype(np.int8)


def _measured_where_needed(
    lo: FloatArray,
    hi: FloatArray,
    distance_fn: DistanceFn,
    lon: FloatArray,
    lat: FloatArray,
    leg: npt.NDArray[np.intp],
    leg_nm: FloatArray,
    lone: npt.NDArray[np.intp],
    thresholds_nm: Mapping[str, float],
    exact_min_for: frozenset[str],
) -> FloatArray:
    """The fixes' distances: measured where they can change the intervals, lower bounds elsewhere.

    ``lo`` and ``hi`` are the fixes' bounds (updated in place as fixes are
    measured). Every decision of :func:`_pieces_for_threshold` is monotone in
    the fixes' distances (a fix farther out is never more inside), so a
    decision that is the same at both ends of the fixes' bounds is the same at
    their exact distances. Measured exactly: the fixes of legs and the lone
    fixes whose decision the bounds leave open; the ends of legs that may
    cross a limit (they are sampled from their ends' distances); every fix that
    may be inside a zone whose closest approach is sampled (``exact_min_for``);
    and, in each run of legs entirely inside, the fixes that may be the run's
    closest (lower bound not above the smallest upper bound of the run). The
    other fixes keep their lower bound, which is above their run's closest
    distance: no piece or merge picks them, so the intervals are those of
    exact distances everywhere.
    """
    final = ~(lo < hi)  # exact already (or NaN)

    def measure(idx: npt.NDArray[np.intp]) -> None:
        idx = np.unique(idx)
        idx = idx[~final[idx]]
        if idx.size:
            exact = np.asarray(distance_fn(lon[idx], lat[idx]), dtype=np.float64)
            lo[idx] = exact
            hi[idx] = exact
            final[idx] = True

    padded = _padded_nm(leg_nm)
    # first the decisions the bounds leave open, then (with those settled) the fixes that
    # feed a crossing's sampling or may be a run's closest
    first: list[npt.NDArray[np.intp]] = []
    for kind, value in thresholds_nm.items():
        limit = float(value)
        first.append(lone[~(lo[lone] > limit)])
        if kind in exact_min_for:
            first.append(np.flatnonzero(~(lo > limit)))
        open_ = leg[
            _leg_class(lo[leg], lo[leg + 1], padded, limit)
            != _leg_class(hi[leg], hi[leg + 1], padded, limit)
        ]
        first += [open_, open_ + 1]
    measure(np.concatenate(first))
    second: list[npt.NDArray[np.intp]] = []
    for kind, value in thresholds_nm.items():
        limit = float(value)
        cls = _leg_class(lo[leg], lo[leg + 1], padded, limit)
        crossing = leg[cls == 1]
        second += [crossing, crossing + 1]
        whole = leg[cls == 2]
        if whole.size and kind not in exact_min_for:
            fix, run_of, starts = _run_fixes(whole)
            run_best = np.minimum.reduceat(hi[fix], starts)
            second.append(fix[~(lo[fix] > run_best[run_of])])
    measure(np.concatenate(second))
    return lo


def _run_fixes(
    a: npt.NDArray[np.intp],
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The fixes of each run of consecutive legs (``a``: their first fixes, sorted).

    Returns the fixes in order, run by run (each leg's first fix, then the
    run's last fix), the run of each, and where each run starts in them.
    """
    chained = np.zeros(a.size, dtype=bool)
    chained[1:] = a[1:] == a[:-1] + 1
    starts = np.flatnonzero(~chained)
    ends = np.r_[starts[1:], a.size] - 1
    fix = np.concatenate([a, a[ends] + 1])
    run_of = np.concatenate([np.cumsum(~chained) - 1, np.arange(starts.size)])
    order = np.lexsort((fix, run_of))
    run_of = run_of[order]
    return fix[order], run_of, np.flatnonzero(np.r_[True, run_of[1:] != run_of[:-1]])


def _padded_nm(leg_nm: FloatArray) -> FloatArray:
    """Leg lengths padded for the difference between the sphere and the ellipsoid."""
    return leg_nm * 1.01 + 0.01


def _pieces_for_threshold(
    limit: float,
    leg: npt.NDArray[np.intp],
    leg_nm: FloatArray,
    lone: npt.NDArray[np.intp],
    mmsi: npt.NDArray[np.uint32],
    ts_ms: npt.NDArray[np.int64],
    lon: FloatArray,
    lat: FloatArray,
    dist: FloatArray,
    distance_fn: DistanceFn,
    params: PresenceParams,
    *,
    exact_min: bool,
) -> _Pieces:
    d_a = dist[leg]
    d_b = dist[leg + 1]
    # bounds on the distance along a leg from the triangle inequality; the leg length
    # is padded for the difference between the sphere and the ellipsoid
    lower, upper = _leg_reach(d_a, d_b, _padded_nm(leg_nm))
    all_inside = upper <= limit
    maybe = (lower <= limit) & ~all_inside
    sampled = maybe | (all_inside & exact_min & _may_beat_fixes(leg, all_inside, lower, d_a, d_b))
    parts: list[_Pieces] = []

    # legs entirely inside, not sampled: one piece per run of consecutive such legs (they
    # touch, so the merge would join them anyway), closest at one of the run's fixes
    whole = np.flatnonzero(all_inside & ~sampled)
    if whole.size:
        parts.append(_whole_runs(leg[whole], mmsi, ts_ms, lon, lat, dist))
    # lone fixes inside the zone: an instant of presence
    lone_in = lone[dist[lone] <= limit]
    if lone_in.size:
        parts.append(
            _Pieces(
                mmsi[lone_in],
                ts_ms[lone_in],
                ts_ms[lone_in],
                dist[lone_in],
                lon[lone_in],
                lat[lone_in],
                np.zeros(lone_in.size, dtype=bool),
                np.zeros(lone_in.size, dtype=bool),
                lon[lone_in],
                lat[lone_in],
                lon[lone_in],
                lat[lone_in],
            )
        )
    cand = np.flatnonzero(sampled)
    if cand.size:
        parts.append(
            _sample_legs(
                limit, leg[cand], leg_nm[cand], mmsi, ts_ms, lon, lat, dist, distance_fn, params
            )
        )
    if not parts:
        return _empty_pieces()
    return _concat(parts)


def _whole_runs(
    a: npt.NDArray[np.intp],
    mmsi: npt.NDArray[np.uint32],
    ts_ms: npt.NDArray[np.int64],
    lon: FloatArray,
    lat: FloatArray,
    dist: FloatArray,
) -> _Pieces:
    """One piece per run of consecutive legs entirely inside (``a``: their first fixes, sorted).

    A run covers its legs' fixes ``a[first] .. a[last] + 1``; its closest
    approach is the first of its closest fixes.
    """
    fix, run_of, starts = _run_fixes(a)
    first, last = fix[starts], fix[np.r_[starts[1:], fix.size] - 1]
    run_min = np.minimum.reduceat(dist[fix], starts)
    is_min = np.flatnonzero(dist[fix] == run_min[run_of])
    closest = fix[is_min[np.r_[True, run_of[is_min][1:] != run_of[is_min][:-1]]]]
    none = np.zeros(starts.size, dtype=bool)
    return _Pieces(
        mmsi[first],
        ts_ms[first],
        ts_ms[last],
        dist[closest],
        lon[closest],
        lat[closest],
        none,
        none.copy(),
        lon[first],
        lat[first],
        lon[last],
        lat[last],
    )


def _may_beat_fixes(
    leg: npt.NDArray[np.intp],
    inside: npt.NDArray[np.bool_],
    lower: FloatArray,
    d_a: FloatArray,
    d_b: FloatArray,
) -> npt.NDArray[np.bool_]:
    """Legs entirely inside whose points may come closer than the fixes of their run.

    A run is a chain of consecutive legs entirely inside; its interval's closest
    approach is at most the closest of the run's fixes, so a leg whose lower
    bound is not below that cannot hold the closest approach and need not be
    sampled (its samples could not change the interval's minimum).
    """
    out = np.zeros(leg.size, dtype=bool)
    idx = np.flatnonzero(inside)
    if idx.size == 0:
        return out
    chained = np.zeros(idx.size, dtype=bool)
    chained[1:] = leg[idx[1:]] == leg[idx[:-1]] + 1
    starts = np.flatnonzero(~chained)
    run_min = np.minimum.reduceat(np.minimum(d_a[idx], d_b[idx]), starts)
    run_of = np.cumsum(~chained) - 1
    out[idx] = lower[idx] < run_min[run_of]
    return out


def _sample_legs(
    limit: float,
    first: npt.NDArray[np.intp],
    leg_nm: FloatArray,
    mmsi: npt.NDArray[np.uint32],
    ts_ms: npt.NDArray[np.int64],
    lon: FloatArray,
    lat: FloatArray,
    dist: FloatArray,
    distance_fn: DistanceFn,
    params: PresenceParams,
) -> _Pieces:
    """Sample legs densely, find inside runs and interpolate their boundary crossings."""
    steps = np.clip(np.ceil(leg_nm / params.step_nm), 1, params.max_samples).astype(np.int64)
    counts = steps + 1  # samples per leg, both fixes included
    offsets = np.concatenate([[0], np.cumsum(counts)])
    total = int(offsets[-1])
    owner = np.repeat(np.arange(first.size), counts)  # leg (local index) of each sample
    j = np.arange(total) - offsets[owner]
    frac = j / steps[owner]
    a = first[owner]
    s_lon = lon[a] + frac * (lon[a + 1] - lon[a])
    s_lat = lat[a] + frac * (lat[a + 1] - lat[a])
    s_d = np.asarray(distance_fn(s_lon, s_lat), dtype=np.float64)
    # use the fixes' own distances at both ends (identical points, saves rounding doubts)
    s_d[offsets[:-1]] = dist[first]
    s_d[offsets[1:] - 1] = dist[first + 1]
    inside = s_d <= limit

    leg_start = j == 0
    leg_end = j == steps[owner]
    prev_inside = np.concatenate([[False], inside[:-1]])
    next_inside = np.concatenate([inside[1:], [False]])
    run_start = inside & (leg_start | ~prev_inside)
    run_end = inside & (leg_end | ~next_inside)
    starts = np.flatnonzero(run_start)
    ends = np.flatnonzero(run_end)
    if starts.size == 0:
        return _empty_pieces()

    def crossing_frac(inner: npt.NDArray[np.intp], outer: npt.NDArray[np.intp]) -> FloatArray:
        d_in = s_d[inner]
        d_out = s_d[outer]
        w = np.clip((limit - d_in) / np.where(d_out != d_in, d_out - d_in, 1.0), 0.0, 1.0)
        return np.asarray(frac[inner] + w * (frac[outer] - frac[inner]), dtype=np.float64)

    entered = ~leg_start[starts]
    exited = ~leg_end[ends]
    start_frac = frac[starts].copy()
    start_frac[entered] = crossing_frac(starts[entered], starts[entered] - 1)
    end_frac = frac[ends].copy()
    end_frac[exited] = crossing_frac(ends[exited], ends[exited] + 1)

    # closest sample of each run
    run_id = np.cumsum(run_start) - 1
    in_idx = np.flatnonzero(inside)
    order = np.lexsort((s_d[in_idx], run_id[in_idx]))
    sorted_idx = in_idx[order]
    first_of_run = np.concatenate([[True], run_id[sorted_idx][1:] != run_id[sorted_idx][:-1]])
    best = sorted_idx[first_of_run]

    leg_of_run = owner[starts]
    a_run = first[leg_of_run]
    t_a = ts_ms[a_run].astype(np.float64)
    t_b = ts_ms[a_run + 1].astype(np.float64)
    d_lon = lon[a_run + 1] - lon[a_run]
    d_lat = lat[a_run + 1] - lat[a_run]
    return _Pieces(
        mmsi[a_run],
        np.rint(t_a + start_frac * (t_b - t_a)).astype(np.int64),
        np.rint(t_a + end_frac * (t_b - t_a)).astype(np.int64),
        s_d[best],
        s_lon[best],
        s_lat[best],
        entered,
        exited,
        lon[a_run] + start_frac * d_lon,
        lat[a_run] + start_frac * d_lat,
        lon[a_run] + end_frac * d_lon,
        lat[a_run] + end_frac * d_lat,
    )


def _merge(pieces: _Pieces) -> pl.DataFrame:
    """Merge touching or overlapping pieces of each vessel into maximal intervals."""
    frame = pl.DataFrame(
        {
            "mmsi": pieces.mmsi,
            "start_ms": pieces.start_ms,
            "end_ms": pieces.end_ms,
            "min_distance_nm": pieces.min_d,
            "lon": pieces.min_lon,
            "lat": pieces.min_lat,
            "entered": pieces.entered,
            "exited": pieces.exited,
            "start_lon": pieces.start_lon,
            "start_lat": pieces.start_lat,
            "end_lon": pieces.end_lon,
            "end_lat": pieces.end_lat,
        },
        schema={
            "mmsi": pl.UInt32,
            "start_ms": pl.Int64,
            "end_ms": pl.Int64,
            "min_distance_nm": pl.Float64,
            "lon": pl.Float64,
            "lat": pl.Float64,
            "entered": pl.Boolean,
            "exited": pl.Boolean,
            "start_lon": pl.Float64,
            "start_lat": pl.Float64,
            "end_lon": pl.Float64,
            "end_lat": pl.Float64,
        },
    ).sort(["mmsi", "start_ms", "end_ms"])
    reach = pl.col("end_ms").cum_max().shift(1).over("mmsi")
    frame = frame.with_columns(
        (pl.col("start_ms") > reach).fill_null(True).cum_sum().alias("_group")
    )
    merged = frame.group_by("_group", maintain_order=True).agg(
        pl.col("mmsi").first(),
        pl.col("start_ms").min(),
        pl.col("end_ms").max(),
        pl.col("min_distance_nm").min(),
        pl.col("lon").sort_by("min_distance_nm").first(),
        pl.col("lat").sort_by("min_distance_nm").first(),
        pl.col("entered").first(),
        pl.col("exited").sort_by("end_ms").last(),
        pl.col("start_lon").first(),
        pl.col("start_lat").first(),
        pl.col("end_lon").sort_by("end_ms").last(),
        pl.col("end_lat").sort_by("end_ms").last(),
    )
    return merged.select(
        "mmsi",
        pl.col("start_ms").cast(pl.Datetime("ms", "UTC")).alias("start"),
        pl.col("end_ms").cast(pl.Datetime("ms", "UTC")).alias("end"),
        "min_distance_nm",
        "lon",
        "lat",
        "entered",
        "exited",
        "start_lon",
        "start_lat",
        "end_lon",
        "end_lat",
    )
