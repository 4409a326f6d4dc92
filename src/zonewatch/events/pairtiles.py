"""Close pairs found tile by tile: space-time tiles with a halo, so no pair is missed at an edge.

For data too large to pair in one piece, positions are cut into tiles of
``tile_deg`` degrees by ``tile_steps`` grid steps. A position also goes into
each neighbouring tile whose edge is within the pair distance (the *halo*,
measured conservatively at the position's latitude), so every pair within the
distance lies whole in at least one tile; pairs are only ever between
positions at the same grid step, so time needs no halo. Positions within a
degree of a pole (or nearer, where a tile is narrower than the halo) go into one
polar tile per hemisphere. The tiles are paired
independently (:func:`zonewatch.events.pairs.close_pairs`), and a pair found
in two tiles is reported once: the result equals pairing everything at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from zonewatch.events.pairs import PAIR_SCHEMA, close_pairs
from zonewatch.geo import EARTH_RADIUS_M, METERS_PER_NM

__all__ = ["PairTiles", "tile_members", "tiled_close_pairs"]

_POLAR_LAT = 89.0


@dataclass(frozen=True)
class PairTiles:
    """How close-pair search is cut into tiles.

    Attributes
    ----------
    tile_deg
        Tile size in degrees of longitude and latitude (must divide 360 and
        be larger than the pair distance).
    tile_steps
        Grid steps per time tile.
    """

    tile_deg: float = 2.0
    tile_steps: int = 2016  # a week of 5-minute steps

    def __post_init__(self) -> None:
        cols = 360.0 / self.tile_deg
        if self.tile_deg <= 0 or abs(cols - round(cols)) > 1e-9:
            raise ValueError(f"tile_deg must divide 360, not {self.tile_deg}")
        if self.tile_steps < 1:
            raise ValueError(f"tile_steps must be at least 1, not {self.tile_steps}")


def tile_members(
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    step: npt.NDArray[np.int64],
    distance_nm: float,
    tiles: PairTiles,
) -> pl.DataFrame:
    """Which tiles each position goes into (its own and those whose edge is within the halo).

    Returns
    -------
    polars.DataFrame
        ``row`` (index into the inputs), ``tile`` (an Int64 key), one row per
        membership; every position has exactly one *home* tile (``home``).
    """
    deg = tiles.tile_deg
    nx = round(360.0 / deg)
    ny = math.ceil(180.0 / deg)
    halo_lat = math.degrees(distance_nm * METERS_PER_NM / EARTH_RADIUS_M) * 1.01 + 1e-9
    if halo_lat >= deg:
        raise ValueError(f"tile_deg {deg} is not larger than the pair distance {distance_nm} nm")
    x_f = (np.mod(lon + 180.0, 360.0)) / deg
    y_f = (lat + 90.0) / deg
    tx = np.floor(x_f).astype(np.int64) % nx
    ty = np.clip(np.floor(y_f).astype(np.int64), 0, ny - 1)
    tt = np.floor_divide(step, tiles.tile_steps)
    cos_edge = np.cos(np.radians(np.minimum(np.abs(lat) + halo_lat, 90.0)))
    halo_lon = np.where(cos_edge > 1e-9, halo_lat / np.maximum(cos_edge, 1e-9), np.inf)
    fx = (x_f - np.floor(x_f)) * deg
    fy = (y_f - np.floor(y_f)) * deg
    near_x = {-1: fx < halo_lon, 1: (deg - fx) < halo_lon}
    near_y = {-1: fy < halo_lat, 1: (deg - fy) < halo_lat}
    # nearer the poles than this, the halo in longitude would reach past the next tile
    polar_lat = min(_POLAR_LAT, math.degrees(math.acos(halo_lat / deg)) - halo_lat - 1e-9)
    polar = np.abs(lat) >= polar_lat
    near_polar = np.abs(lat) >= polar_lat - halo_lat
    hemisphere = np.where(lat >= 0, 1, 0)

    def key(
        idx: npt.NDArray[np.intp], x: npt.NDArray[np.int64], y: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        return np.asarray((tt[idx] * (ny + 2) + y) * (nx + 1) + x, dtype=np.int64)

    frames = []
    regular = ~polar
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            sel = regular.copy()
            if dx:
                sel &= near_x[dx]
            if dy:
                sel &= near_y[dy] & (ty + dy >= 0) & (ty + dy < ny)
            idx = np.flatnonzero(sel)
            if idx.size:
                frames.append(
                    (
                        idx,
                        key(idx, (tx[idx] + dx) % nx, ty[idx] + dy),
                        np.full(idx.size, dx == dy == 0),
                    )
                )
    idx = np.flatnonzero(near_polar)
    if idx.size:  # the polar tiles: y = ny (south) or ny + 1 (north), x = nx
        frames.append((idx, key(idx, np.full(idx.size, nx), ny + hemisphere[idx]), polar[idx]))
    if not frames:
        return pl.DataFrame(schema={"row": pl.Int64, "tile": pl.Int64, "home": pl.Boolean})
    return pl.DataFrame(
        {
            "row": np.concatenate([f[0] for f in frames]),
            "tile": np.concatenate([f[1] for f in frames]),
            "home": np.concatenate([f[2] for f in frames]),
        }
    ).with_columns(pl.col("row").cast(pl.Int64), pl.col("tile").cast(pl.Int64))


def tiled_close_pairs(
    points: pl.DataFrame,
    distance_nm: float,
    tiles: PairTiles,
    *,
    left: npt.NDArray[np.bool_] | None = None,
    right: npt.NDArray[np.bool_] | None = None,
    map_fn: Callable[..., Iterable[pl.DataFrame]] = map,
) -> pl.DataFrame:
    """:func:`zonewatch.events.pairs.close_pairs`, computed tile by tile (same result).

    Parameters
    ----------
    points, distance_nm, left, right
        As for :func:`~zonewatch.events.pairs.close_pairs`.
    tiles
        The tiling.
    map_fn
        Runs the per-tile function over the tiles' row sets (default: the
        built-in ``map``, in this process).

    Returns
    -------
    polars.DataFrame
        ``step, ia, ib, distance_nm``, as from ``close_pairs``.
    """
    if points.height == 0 or distance_nm <= 0:
        return pl.DataFrame(schema=PAIR_SCHEMA)
    members = tile_members(
        points["lon"].to_numpy().astype(np.float64),
        points["lat"].to_numpy().astype(np.float64),
        points["step"].to_numpy().astype(np.int64),
        distance_nm,
        tiles,
    )
    groups = [
        group["row"].to_numpy()
        for _, group in members.sort("tile", "row").group_by("tile", maintain_order=True)
    ]

    def pair_tile(rows: npt.NDArray[np.int64]) -> pl.DataFrame:
        found = close_pairs(
            points[rows],
            distance_nm,
            left=None if left is None else left[rows],
            right=None if right is None else right[rows],
        )
        return found.with_columns(
            pl.Series("ia", rows[found["ia"].to_numpy()], dtype=pl.Int64),
            pl.Series("ib", rows[found["ib"].to_numpy()], dtype=pl.Int64),
        )

    frames = [f for f in map_fn(pair_tile, groups) if f.height]
    if not frames:
        return pl.DataFrame(schema=PAIR_SCHEMA)
    return pl.concat(frames).unique(["step", "ia", "ib"]).sort("step", "ia", "ib")
