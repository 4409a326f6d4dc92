"""Land and shore: a global land mask, distance from shore, and on-land tests.

Some event rules need to know where the shore is: an AIS gap is "likely
intentional" when it starts far from shore, loitering and encounters count
only away from port and anchorages (approximated here by distance from shore),
and a fix on land is an ``on_land`` event.

The land mask is the GLOBE 30-arc-second (about 1 km) grid shipped by the
``global-land-mask`` package (MIT licence; data from NOAA's GLOBE project).
It is read lazily, once per process, and only the band of latitudes in use
is kept, packed eight cells a byte. The zone set's own feature outlines
(much finer than the grid) count as land as well.

Accuracy: distance from shore is measured to the centre of the nearest land
cell that borders the sea, so it is good to about 0.5 nm; a fix is on land by
the mask only when its cell and all eight neighbouring cells are land (at
least about one cell inland), so that ships moored at a quay are not flagged.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from zonewatch.errors import ZonewatchError
from zonewatch.geo import haversine_nm
from zonewatch.zones import ZoneSet

__all__ = [
    "LandMask",
    "LandMaskError",
    "Shore",
    "ShoreModel",
    "default_land_mask",
    "land_mask_available",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

GLOBE_CELLS_PER_DEG = 120
"""The GLOBE grid has 120 cells per degree (30 arc seconds)."""

_BAND_MARGIN_ROWS = 600  # load at least 5 degrees beyond what is asked for
_READ_CHUNK = 64 << 20


class LandMaskError(ZonewatchError):
    """The land mask cannot be read."""


class ShoreModel(Protocol):
    """What the event detectors need to know about land."""

    def distance_nm(self, lon: FloatArray, lat: FloatArray) -> FloatArray:
        """Distance from shore in nm (0 on land, ``inf`` beyond the search radius)."""
        ...

    def on_land(self, lon: FloatArray, lat: FloatArray) -> BoolArray:
        """True where a position is on land."""
        ...


@dataclass
class LandMask:
    """A regular lon/lat grid of land cells, rows from north to south.

    Build it with :func:`default_land_mask` (GLOBE, from the
    ``global-land-mask`` package) or :meth:`from_array` (tests, other data).
    Not frozen: it keeps the band of rows it has read (a cache, never changed
    otherwise).
    Cells are ``1/cells_per_deg`` degrees; row ``r`` spans latitudes
    ``(north - (r + 1) / n, north - r / n]``, column ``c`` spans longitudes
    ``[west + c / n, west + (c + 1) / n)``.
    """

    cells_per_deg: int
    north_lat: float
    west_lon: float
    n_rows: int
    n_cols: int
    source: Path | None = None
    _packed: npt.NDArray[np.uint8] = field(default_factory=lambda: np.zeros((0, 0), np.uint8))
    _row0: int = 0
    _row1: int = 0

    @classmethod
    def from_array(
        cls, land: npt.ArrayLike, north_lat: float, west_lon: float, cells_per_deg: int
    ) -> LandMask:
        """A mask from a boolean array (rows north to south, True = land).

        Examples
        --------
        >>> mask = LandMask.from_array([[True, False]], 26.0, 123.0, 1)
        >>> mask.is_land(np.array([123.5, 124.5]), np.array([25.5, 25.5])).tolist()
        [True, False]
        """
        array = np.asarray(land, dtype=bool)
        mask = cls(cells_per_deg, float(north_lat), float(west_lon), *array.shape)
        mask._packed = np.packbits(array, axis=1)
        mask._row1 = array.shape[0]
        return mask

    # -- raster access -------------------------------------------------------------------------

    def rows_cols(
        self, lon: FloatArray, lat: FloatArray
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], BoolArray]:
        """Cell row and column of each position, and whether it lies on the grid."""
        n = self.cells_per_deg
        row_f = np.floor((self.north_lat - lat) * n)
        col_f = np.floor((lon - self.west_lon) * n)
        valid = np.isfinite(row_f) & np.isfinite(col_f) & (row_f >= 0) & (row_f < self.n_rows)
        if self.n_cols == 360 * n:  # a global grid wraps around in longitude
            col_f = np.mod(col_f, self.n_cols)
        valid &= (col_f >= 0) & (col_f < self.n_cols)
        row = np.where(valid, row_f, 0).astype(np.int64)
        col = np.where(valid, col_f, 0).astype(np.int64)
        return row, col, valid

    def _ensure_rows(self, lo: int, hi: int) -> None:
        """Make rows ``[lo, hi)`` available (reading the GLOBE file when needed)."""
        lo, hi = max(lo, 0), min(hi, self.n_rows)
        if self._row0 <= lo and hi <= self._row1:
            return
        if self.source is None:
            raise LandMaskError("rows outside an in-memory land mask were asked for")
        if self._row1 > self._row0:
            lo, hi = min(lo, self._row0), max(hi, self._row1)
        lo = max(lo - _BAND_MARGIN_ROWS, 0)
        hi = min(hi + _BAND_MARGIN_ROWS, self.n_rows)
        self._packed = _read_globe_rows(self.source, lo, hi, self.n_cols)
        self._row0, self._row1 = lo, hi

    def _cells(self, row: npt.NDArray[np.int64], col: npt.NDArray[np.int64]) -> BoolArray:
        byte = self._packed[row - self._row0, col >> 3]
        return np.asarray((byte >> (7 - (col & 7)).astype(np.uint8)) & 1, dtype=bool)

    def is_land(self, lon: FloatArray, lat: FloatArray) -> BoolArray:
        """True where the position's cell is land (False off the grid)."""
        lon = np.asarray(lon, dtype=np.float64)
        lat = np.asarray(lat, dtype=np.float64)
        row, col, valid = self.rows_cols(lon, lat)
        out = np.zeros(lon.shape, dtype=bool)
        if valid.any():
            self._ensure_rows(int(row[valid].min()), int(row[valid].max()) + 1)
            out[valid] = self._cells(row[valid], col[valid])
        return out

    def is_inland(self, lon: FloatArray, lat: FloatArray) -> BoolArray:
        """True where the position's cell and its eight neighbours are all land."""
        lon = np.asarray(lon, dtype=np.float64)
        lat = np.asarray(lat, dtype=np.float64)
        row, col, valid = self.rows_cols(lon, lat)
        valid &= (row >= 1) & (row < self.n_rows - 1)
        out = np.zeros(lon.shape, dtype=bool)
        if not valid.any():
            return out
        r, c = row[valid], col[valid]
        self._ensure_rows(int(r.min()) - 1, int(r.max()) + 2)
        land = np.ones(r.shape, dtype=bool)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                cc = c + dc
                inside = (cc >= 0) & (cc < self.n_cols)
                if self.n_cols == 360 * self.cells_per_deg:
                    cc, inside = np.mod(cc, self.n_cols), np.ones_like(inside)
                land &= inside & self._cells(r + dr, np.clip(cc, 0, self.n_cols - 1))
        out[valid] = land
        return out

    def window(self, row_lo: int, row_hi: int, col_lo: int, col_hi: int) -> BoolArray:
        """Land cells of rows ``[row_lo, row_hi)`` and columns ``[col_lo, col_hi)``.

        Columns wrap around on a global grid; rows are clipped to the grid.
        """
        row_lo, row_hi = max(row_lo, 0), min(row_hi, self.n_rows)
        if row_hi <= row_lo:
            return np.zeros((0, max(col_hi - col_lo, 0)), dtype=bool)
        self._ensure_rows(row_lo, row_hi)
        rows = np.unpackbits(self._packed[row_lo - self._row0 : row_hi - self._row0], axis=1)
        rows = rows[:, : self.n_cols].astype(bool)
        cols = np.arange(col_lo, col_hi)
        if self.n_cols == 360 * self.cells_per_deg:
            return np.asarray(rows[:, np.mod(cols, self.n_cols)], dtype=bool)
        out = np.zeros((rows.shape[0], cols.size), dtype=bool)
        inside = (cols >= 0) & (cols < self.n_cols)
        out[:, inside] = rows[:, cols[inside]]
        return out

    # -- distance from shore -------------------------------------------------------------------

    def distance_nm(self, lon: FloatArray, lat: FloatArray, search_nm: float) -> FloatArray:
        """Distance (nm) to the nearest land cell centre; 0 on land, ``inf`` beyond ``search_nm``.

        Positions are handled by one-degree tiles: each tile looks at the land
        cells bordering the sea within ``search_nm`` of it.
        """
        lon = np.asarray(lon, dtype=np.float64)
        lat = np.asarray(lat, dtype=np.float64)
        out = np.full(lon.shape, np.inf)
        ok = np.isfinite(lon) & np.isfinite(lat)
        if not ok.any():
            return out
        out[ok & self.is_land(lon, lat)] = 0.0
        todo = np.flatnonzero(ok & (out > 0))
        n = self.cells_per_deg
        tile_lat = np.floor(lat[todo]).astype(np.int64)
        tile_lon = np.floor(lon[todo]).astype(np.int64)
        keys = tile_lat * 1000 + tile_lon
        order = np.argsort(keys, kind="stable")
        keys_sorted = keys[order]
        bounds = np.flatnonzero(np.diff(keys_sorted)) + 1
        for group in np.split(order, bounds):
            if group.size == 0:
                continue
            idx = todo[group]
            t_lat, t_lon = float(tile_lat[group[0]]), float(tile_lon[group[0]])
            pad_lat = search_nm / 60.0 * 1.01 + 1.0 / n
            max_abs_lat = min(max(abs(t_lat), abs(t_lat + 1)) + pad_lat, 89.9)
            pad_lon = pad_lat / math.cos(math.radians(max_abs_lat))
            row_lo = math.floor((self.north_lat - (t_lat + 1 + pad_lat)) * n)
            row_hi = math.ceil((self.north_lat - (t_lat - pad_lat)) * n)
            col_lo = math.floor((t_lon - pad_lon - self.west_lon) * n)
            col_hi = math.ceil((t_lon + 1 + pad_lon - self.west_lon) * n)
            land = self.window(row_lo, row_hi, col_lo, col_hi)
            coast = _coast_cells(land)
            r, c = np.nonzero(coast)
            if r.size == 0:
                continue
            c_lat = self.north_lat - (max(row_lo, 0) + r + 0.5) / n
            c_lon = self.west_lon + (col_lo + c + 0.5) / n
            out[idx] = _nearest_nm(lon[idx], lat[idx], c_lon, c_lat, search_nm)
        return out


def _coast_cells(land: BoolArray) -> BoolArray:
    """Land cells with at least one sea cell among their four neighbours (window edges: land)."""
    padded = np.pad(land, 1, mode="edge")
    sea_next = ~padded[:-2, 1:-1] | ~padded[2:, 1:-1] | ~padded[1:-1, :-2] | ~padded[1:-1, 2:]
    return np.asarray(land & sea_next, dtype=bool)


def _nearest_nm(
    lon: FloatArray, lat: FloatArray, c_lon: FloatArray, c_lat: FloatArray, search_nm: float
) -> FloatArray:
    """Smallest distance from each position to the candidate points, ``inf`` beyond the search."""
    out = np.full(lon.shape, np.inf)
    chunk = max(1, 4_000_000 // max(c_lon.size, 1))
    for i in range(0, lon.size, chunk):
        d = haversine_nm(
            lon[i : i + chunk, None], lat[i : i + chunk, None], c_lon[None, :], c_lat[None, :]
        )
        out[i : i + chunk] = d.min(axis=1)
    return np.where(out <= search_nm, out, np.inf)


def _globe_path() -> Path:
    spec = importlib.util.find_spec("global_land_mask")
    if spec is None or spec.origin is None:
        raise LandMaskError(
            "the land mask needs the 'global-land-mask' package (pip install global-land-mask)"
        )
    path = Path(spec.origin).parent / "globe_combined_mask_compressed.npz"
    if not path.exists():
        raise LandMaskError(f"{path}: the land mask file of global-land-mask is missing")
    return path


def _read_globe_rows(path: Path, lo: int, hi: int, n_cols: int) -> npt.NDArray[np.uint8]:
    """Rows ``[lo, hi)`` of the GLOBE mask as packed land bits (the file stores "is ocean")."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open("mask.npy") as stream:
            version = np.lib.format.read_magic(stream)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
            else:
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
            if fortran or dtype != np.dtype(bool) or shape[1] != n_cols:
                raise LandMaskError(f"{path}: unexpected mask layout {shape}, {dtype}")
            skip = lo * n_cols
            while skip > 0:
                skip -= len(stream.read(min(skip, _READ_CHUNK)))
            out = np.empty((hi - lo, (n_cols + 7) // 8), dtype=np.uint8)
            step = max(1, _READ_CHUNK // n_cols)
            for r in range(0, hi - lo, step):
                n = min(step, hi - lo - r)
                ocean = np.frombuffer(stream.read(n * n_cols), dtype=bool).reshape(n, n_cols)
                out[r : r + n] = np.packbits(~ocean, axis=1)
            return out
    except (OSError, zipfile.BadZipFile, ValueError) as err:
        raise LandMaskError(f"{path}: cannot read the land mask: {err}") from err


def land_mask_available() -> bool:
    """Whether the ``global-land-mask`` package (the default land mask) is installed."""
    return importlib.util.find_spec("global_land_mask") is not None


@functools.cache
def default_land_mask() -> LandMask:
    """The GLOBE land mask of ``global-land-mask`` (read on first use, kept per process).

    Raises
    ------
    LandMaskError
        When the package or its data file is missing.
    """
    n = GLOBE_CELLS_PER_DEG
    return LandMask(n, 90.0, -180.0, 180 * n, 360 * n, source=_globe_path())


@dataclass(frozen=True)
class Shore:
    """Distance from shore and on-land tests from a land mask and a zone set's features.

    Either part may be missing: without a mask only the zone set's features
    are land; without a zone set only the mask is.

    Attributes
    ----------
    mask
        The land grid (default: none).
    zone_set
        Its features count as land.
    search_nm
        Distances beyond this are ``inf`` (reported as "farther than").
    """

    mask: LandMask | None = None
    zone_set: ZoneSet | None = None
    search_nm: float = 100.0

    def distance_nm(self, lon: FloatArray, lat: FloatArray) -> FloatArray:
        """Distance from shore in nm: 0 on land, ``inf`` beyond :attr:`search_nm`.

        Examples
        --------
        >>> from zonewatch.zones import load_zone_set
        >>> shore = Shore(zone_set=load_zone_set("senkaku"))
        >>> [round(float(v), 2) for v in shore.distance_nm(np.array([123.476]), np.array([25.95]))]
        [10.69]
        """
        lon = np.asarray(lon, dtype=np.float64)
        lat = np.asarray(lat, dtype=np.float64)
        out = np.full(lon.shape, np.inf)
        if self.mask is not None:
            out = self.mask.distance_nm(lon, lat, self.search_nm)
        if self.zone_set is not None and lon.size:
            features = np.nan_to_num(self.zone_set.distance_nm(lon, lat), nan=np.inf)
            out = np.minimum(out, np.where(features <= self.search_nm, features, np.inf))
        return out

    def on_land(self, lon: FloatArray, lat: FloatArray) -> BoolArray:
        """True on the zone set's features, or at least one mask cell inland."""
        lon = np.asarray(lon, dtype=np.float64)
        lat = np.asarray(lat, dtype=np.float64)
        out = np.zeros(lon.shape, dtype=bool)
        if self.mask is not None:
            out |= self.mask.is_inland(lon, lat)
        if self.zone_set is not None and lon.size:
            out |= np.nan_to_num(self.zone_set.distance_nm(lon, lat), nan=1.0) <= 0.0
        return out
