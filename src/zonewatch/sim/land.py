"""Land around the scenario for the ground truth: the GLOBE land mask, read by the simulator.

Some event rules depend on where land is: an AIS gap is "likely intentional"
when it starts at least 50 nm from shore, loitering and encounters count only
away from shore, and a fix inland is an ``on_land`` event. The rules name the
land mask zonewatch uses, the GLOBE 30-arc-second grid of the
``global-land-mask`` package, so the truth reads the same grid, but with its
own code: the band of cells around Taiwan, the Senkaku Islands and the
southern Ryukyus is read once per process from the package's data file (the
package itself would load the whole 1 GB grid).

- A position is *on land* when its cell is land; *inland* when its cell and
  the eight cells around it are land.
- Distance from shore is the great-circle distance to the nearest land cell
  centre or to the zone set's feature outlines (0 on land), ``inf`` beyond
  :data:`SEARCH_NM`.
"""

from __future__ import annotations

import importlib.util
import math
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from zonewatch.errors import ZonewatchError
from zonewatch.sim.geometry import baseline_distance_nm, local_frame

__all__ = [
    "BAND",
    "SEARCH_NM",
    "LandGrid",
    "LandMaskMissingError",
    "land_grid",
    "leaves_clear_of",
    "shore_distance_nm",
]

SEARCH_NM = 100.0
"""Distances from shore beyond this are ``inf`` (as zonewatch reports them)."""

BAND = (119.0, 128.5, 22.0, 29.5)
"""West, east, south and north bounds (degrees) of the cells read."""

_CELLS_PER_DEG = 120
_EARTH_RADIUS_NM = 6_371_008.8 / 1852.0
_TILE_DEG = 0.1


class LandMaskMissingError(ZonewatchError):
    """The GLOBE land mask of ``global-land-mask`` cannot be read."""


def _mask_file() -> Path:
    spec = importlib.util.find_spec("global_land_mask")
    if spec is None or spec.origin is None:
        raise LandMaskMissingError("the simulator's truth needs the 'global-land-mask' package")
    path = Path(spec.origin).parent / "globe_combined_mask_compressed.npz"
    if not path.exists():
        raise LandMaskMissingError(f"{path}: the GLOBE mask file is missing")
    return path


def _read_band(path: Path, rows: tuple[int, int], cols: tuple[int, int]) -> NDArray[np.bool_]:
    """Land cells of rows ``[r0, r1)`` and columns ``[c0, c1)`` (the file stores "is ocean")."""
    r0, r1 = rows
    c0, c1 = cols
    try:
        with zipfile.ZipFile(path) as archive, archive.open("mask.npy") as stream:
            major, _ = np.lib.format.read_magic(stream)
            header = (
                np.lib.format.read_array_header_1_0(stream)
                if major == 1
                else np.lib.format.read_array_header_2_0(stream)
            )
            shape, fortran, dtype = header
            if fortran or dtype != np.dtype(bool) or len(shape) != 2:
                raise LandMaskMissingError(f"{path}: unexpected layout {shape} {dtype}")
            width = int(shape[1])
            to_skip = r0 * width
            while to_skip:
                to_skip -= len(stream.read(min(to_skip, 1 << 26)))
            out = np.empty((r1 - r0, c1 - c0), dtype=bool)
            per_read = max(1, (1 << 26) // width)
            for k in range(0, r1 - r0, per_read):
                n = min(per_read, r1 - r0 - k)
                ocean = np.frombuffer(stream.read(n * width), dtype=bool).reshape(n, width)
                out[k : k + n] = ~ocean[:, c0:c1]
            return out
    except (OSError, zipfile.BadZipFile, ValueError) as err:
        raise LandMaskMissingError(f"{path}: cannot read the land mask: {err}") from err


def _haversine_nm(
    lon0: NDArray[np.float64],
    lat0: NDArray[np.float64],
    lon1: NDArray[np.float64],
    lat1: NDArray[np.float64],
) -> NDArray[np.float64]:
    p0, p1 = np.radians(lat0), np.radians(lat1)
    h = (
        np.sin((p1 - p0) / 2) ** 2
        + np.cos(p0) * np.cos(p1) * np.sin(np.radians(lon1 - lon0) / 2) ** 2
    )
    return np.asarray(2 * _EARTH_RADIUS_NM * np.arcsin(np.sqrt(np.minimum(h, 1.0))))


@dataclass(frozen=True)
class LandGrid:
    """Land cells of :data:`BAND` (rows north to south) and the centres of its coastal cells."""

    land: NDArray[np.bool_]
    north_lat: float
    west_lon: float
    coast_lon: NDArray[np.float64]
    coast_lat: NDArray[np.float64]

    def _rows_cols(
        self, lon: NDArray[np.float64], lat: NDArray[np.float64]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        west, east, south, north = BAND
        if lon.size and (
            lon.min() < west + 0.1 or lon.max() > east - 0.1
            or lat.min() < south + 0.1 or lat.max() > north - 0.1
        ):  # fmt: skip
            raise ValueError("position outside the land band the simulator reads")
        row = np.floor((self.north_lat - lat) * _CELLS_PER_DEG).astype(np.int64)
        col = np.floor((lon - self.west_lon) * _CELLS_PER_DEG).astype(np.int64)
        return row, col

    def is_land(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
        """True where the position's cell is land."""
        row, col = self._rows_cols(np.asarray(lon, np.float64), np.asarray(lat, np.float64))
        return np.asarray(self.land[row, col], dtype=bool)

    def is_inland(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
        """True where the position's cell and its eight neighbours are all land."""
        row, col = self._rows_cols(np.asarray(lon, np.float64), np.asarray(lat, np.float64))
        out = np.ones(row.shape, dtype=bool)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                out &= self.land[row + dr, col + dc]
        return out

    def distance_nm(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.float64]:
        """Distance (nm) to the nearest land cell centre; 0 on land, ``inf`` beyond the search.

        Positions are taken by tiles of 0.1 degree: the distance from a tile's
        centre bounds which land cells can be nearest to a position in it.
        """
        lon_a = np.atleast_1d(np.asarray(lon, np.float64))
        lat_a = np.atleast_1d(np.asarray(lat, np.float64))
        out = np.full(lon_a.shape, np.inf)
        if lon_a.size == 0:
            return out
        on = self.is_land(lon_a, lat_a)
        out[on] = 0.0
        todo = np.flatnonzero(~on)
        t_lon = np.floor(lon_a[todo] / _TILE_DEG)
        t_lat = np.floor(lat_a[todo] / _TILE_DEG)
        keys, inverse = np.unique(t_lon * 100_000 + t_lat, return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        bounds = np.searchsorted(inverse[order], np.arange(keys.size + 1))
        for g in range(keys.size):
            idx = todo[order[bounds[g] : bounds[g + 1]]]
            c_lon = (t_lon[order[bounds[g]]] + 0.5) * _TILE_DEG
            c_lat = (t_lat[order[bounds[g]]] + 0.5) * _TILE_DEG
            half = _haversine_nm(
                np.array([c_lon]), np.array([c_lat]),
                np.array([c_lon + _TILE_DEG / 2]), np.array([c_lat + _TILE_DEG / 2]),
            )[0]  # fmt: skip
            to_centre = _haversine_nm(
                np.full(self.coast_lon.size, c_lon), np.full(self.coast_lat.size, c_lat),
                self.coast_lon, self.coast_lat,
            )  # fmt: skip
            reach = min(float(to_centre.min()) + 2 * half, SEARCH_NM + half)
            near = to_centre <= reach
            if not near.any():
                continue
            d = _haversine_nm(
                lon_a[idx, None], lat_a[idx, None],
                self.coast_lon[near][None, :], self.coast_lat[near][None, :],
            ).min(axis=1)  # fmt: skip
            out[idx] = np.where(d <= SEARCH_NM, d, np.inf)
        return out


@lru_cache(maxsize=1)
def land_grid() -> LandGrid:
    """Read (once) the land cells of :data:`BAND` from the GLOBE mask of ``global-land-mask``.

    Raises
    ------
    LandMaskMissingError
        When the package or its data file is missing.
    """
    west, east, south, north = BAND
    r0, r1 = round((90.0 - north) * _CELLS_PER_DEG), round((90.0 - south) * _CELLS_PER_DEG)
    c0, c1 = round((west + 180.0) * _CELLS_PER_DEG), round((east + 180.0) * _CELLS_PER_DEG)
    land = _read_band(_mask_file(), (r0, r1), (c0, c1))
    padded = np.pad(land, 1, mode="edge")
    sea_next = ~padded[:-2, 1:-1] | ~padded[2:, 1:-1] | ~padded[1:-1, :-2] | ~padded[1:-1, 2:]
    edge = np.zeros_like(land)
    edge[[0, -1], :] = True
    edge[:, [0, -1]] = True
    r, c = np.nonzero(land & (sea_next | edge))
    north_lat = 90.0 - r0 / _CELLS_PER_DEG
    west_lon = c0 / _CELLS_PER_DEG - 180.0
    return LandGrid(
        land,
        north_lat,
        west_lon,
        west_lon + (c + 0.5) / _CELLS_PER_DEG,
        north_lat - (r + 0.5) / _CELLS_PER_DEG,
    )


def shore_distance_nm(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.float64]:
    """Distance from shore (nm): land cells and the zone set's features, ``inf`` beyond 100 nm.

    Examples
    --------
    >>> d = shore_distance_nm([123.476, 125.0], [25.95, 28.0])
    >>> bool(9.0 < d[0] < 11.0), bool(np.isinf(d[1]))
    (True, True)
    """
    lon_a = np.atleast_1d(np.asarray(lon, np.float64))
    lat_a = np.atleast_1d(np.asarray(lat, np.float64))
    if lon_a.size == 0:
        return np.zeros(0)
    features = np.nan_to_num(baseline_distance_nm(lon_a, lat_a), nan=np.inf)
    features = np.where(features <= SEARCH_NM, features, np.inf)
    return np.asarray(np.minimum(land_grid().distance_nm(lon_a, lat_a), features))


_EDGE_BEARING_STEP = 0.5
_EDGE_RADII = np.arange(55.5, 63.01, 0.5)


@lru_cache(maxsize=1)
def _edge_table() -> NDArray[np.float64]:
    """Distance from shore around the edge of the receivers' range (bearing x radius)."""
    bearings = np.arange(0.0, 360.0 + _EDGE_BEARING_STEP / 2, _EDGE_BEARING_STEP)
    th, r = np.meshgrid(np.radians(bearings), _EDGE_RADII, indexing="ij")
    lon, lat = local_frame().to_lonlat((r * np.sin(th)).ravel(), (r * np.cos(th)).ravel())
    return shore_distance_nm(lon, lat).reshape(th.shape)


def _edge_shore_nm(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    table = _edge_table()
    fb = np.mod(np.degrees(np.arctan2(x, y)), 360.0) / _EDGE_BEARING_STEP
    fr = np.clip((np.hypot(x, y) - _EDGE_RADII[0]) / 0.5, 0, len(_EDGE_RADII) - 1.001)
    i, j = (
        np.minimum(np.floor(fb).astype(np.int64), table.shape[0] - 2),
        np.floor(fr).astype(np.int64),
    )
    wi, wj = fb - i, fr - j
    return np.asarray(
        (1 - wi) * ((1 - wj) * table[i, j] + wj * table[i, j + 1])
        + wi * ((1 - wj) * table[i + 1, j] + wj * table[i + 1, j + 1])
    )


def leaves_clear_of(
    x_nm: float, y_nm: float, theta_deg: float, threshold_nm: float = 50.0, margin_nm: float = 1.0
) -> bool:
    """Whether a vessel leaving for 64 nm out at ``theta_deg`` reports its last fix off a line.

    The last fix a vessel reports before it leaves the receivers' range (62 nm
    from the centre) starts the AIS gap until it comes back; whether that gap
    is "likely intentional" depends on that fix being at least ``threshold_nm``
    from shore. Checks the points 56-62.5 nm from the centre on the straight
    line from ``(x_nm, y_nm)`` (plane nm) to 64 nm out at ``theta_deg``: all
    must lie more than ``margin_nm`` (plus the 0.4 nm of the table the
    distances are interpolated from) on the same side of the threshold.
    """
    th = math.radians(theta_deg)
    fx, fy = 64.0 * math.sin(th), 64.0 * math.cos(th)
    s = np.linspace(0.0, 1.0, 257)
    px, py = x_nm + s * (fx - x_nm), y_nm + s * (fy - y_nm)
    r = np.hypot(px, py)
    sel = (r >= 56.0) & (r <= 62.5)
    if not sel.any():
        return True
    d = _edge_shore_nm(px[sel], py[sel])
    margin = margin_nm + 0.4
    return bool(np.all(d < threshold_nm - margin) or np.all(d > threshold_nm + margin))
