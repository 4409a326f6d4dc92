"""The fast zone kernel: a precomputed raster of zone cells over the zone set.

:meth:`ZoneSet.distance_nm` measures every position exactly, about a million
positions a second. Most positions do not need that to be placed in a zone:
a position 30 km inside the territorial sea, or 500 km away, is settled by
where it is. :class:`ZoneRaster` precomputes, once per zone set, a sparse
quadtree-like raster of lon/lat cells over the box that holds the outermost
zone plus a margin:

* each cell has geodesic bounds on the distance to the baseline of every point
  in it: ``d(centre) -+ r`` where ``r`` is the geodesic distance from the
  centre to the cell's farthest corner (distance to a set is 1-Lipschitz), plus
  a 5 cm allowance for the exact kernel's own error;
* a cell whose bounds fall between the same two zone limits is *settled*: all
  its points lie in the same zone; cells far from every feature are settled
  from cheap bounds (distance to each cluster's bounding circle) without an
  exact distance;
* an unsettled cell is split into 8 x 8 children, down to cells of about
  100 m; an unsettled cell of that size is a *boundary* cell.

Placing a position is a lookup: outside the raster's box it is outside every
zone (its distance is at least the box's reach); inside, a descent of at most
three levels gives the cell. Only positions in boundary cells (within about
150 m of a zone limit) get an exact distance (:class:`BaselineKernel`), and
their zone from it. So the zone of every position equals the zone given by
the exact distance; the bounds hold for every position; and the exact
distance is given wherever it is computed. The lookup is compiled with numba
when it is installed (a single pass, a few nanoseconds per far position) and
vectorized NumPy otherwise.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pyproj
import shapely

from zonewatch.errors import ParameterError
from zonewatch.geo import METERS_PER_NM
from zonewatch.zones.clusters import ClusteredKernel
from zonewatch.zones.kernel import BaselineKernel

__all__ = ["DISTANCE_MODES", "ZoneLocation", "ZoneRaster"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

DISTANCE_MODES = ("boundary", "near", "all")
"""Which positions :meth:`ZoneSet.locate` gives an exact distance for."""

_GEOD = pyproj.Geod(ellps="WGS84")
_BRANCH = 8
"""Each unsettled cell is split into ``_BRANCH x _BRANCH`` children."""
_TOP_CELL_DEG = 0.0625
"""Cell size of the top level (about 7 km); children: 870 m, then 110 m."""
_MAX_TOP_CELLS = 400_000
_LEVELS = 3
_KERNEL_SLACK_M = 0.05
"""Allowance for the exact kernel's own error in the cell bounds."""
_MARGIN_NM = 2.0
_REFINE = -1
_BOUNDARY = -2


class _BoundsSource(Protocol):
    def bounds_nm(
        self, lon: FloatArray, lat: FloatArray
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]: ...


@dataclass(frozen=True)
class ZoneLocation:
    """Where positions lie: zone, exact distance where computed, bounds everywhere.

    Only the zones and the exact distances are computed by
    :meth:`ZoneSet.locate`; the dense arrays :attr:`distance_nm`,
    :attr:`lower_nm` and :attr:`upper_nm` are built on first access (the
    bounds by a second raster lookup), so that placing ten million positions
    does not write hundreds of megabytes nobody reads.

    Attributes
    ----------
    kinds
        The zone kinds, innermost first (the zone set's zones).
    zone_index
        int8 per position: index into ``kinds`` of the innermost zone holding
        the position (zones are nested, so it is in every zone after that one
        too); -1 outside every zone or for a NaN / out-of-range position.
    exact_index
        Indices of the positions whose exact distance was computed.
    exact_distance_nm
        Their exact geodesic distance to the baseline (within 1 m), nm.
    """

    kinds: tuple[str, ...]
    zone_index: npt.NDArray[np.int8]
    exact_index: IntArray
    exact_distance_nm: FloatArray
    _raster: _BoundsSource = field(repr=False, compare=False)
    _lon: FloatArray = field(repr=False, compare=False)
    _lat: FloatArray = field(repr=False, compare=False)

    @cached_property
    def distance_nm(self) -> FloatArray:
        """float64 per position: the exact distance where computed, NaN elsewhere."""
        out = np.full(self.zone_index.shape, np.nan)
        out[self.exact_index] = self.exact_distance_nm
        return out

    @cached_property
    def _bounds(self) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        lo, hi = self._raster.bounds_nm(self._lon, self._lat)
        exact = self.exact_distance_nm.astype(np.float32)
        lo[self.exact_index] = np.nextafter(exact, np.float32(-np.inf))
        hi[self.exact_index] = np.nextafter(exact, np.float32(np.inf))
        return lo, hi

    @property
    def lower_nm(self) -> npt.NDArray[np.float32]:
        """float32 lower bound on each position's distance (NaN for NaN input)."""
        return self._bounds[0]

    @property
    def upper_nm(self) -> npt.NDArray[np.float32]:
        """float32 upper bound on each position's distance (``inf`` far away)."""
        return self._bounds[1]

    def in_zone(self, kind: str) -> npt.NDArray[np.bool_]:
        """Whether each position is within the zone of ``kind`` (inner zones included).

        Examples
        --------
        >>> from zonewatch.zones import load_zone_set
        >>> loc = load_zone_set("senkaku").locate([123.476, 123.6, 125.5], [25.744, 25.5, 25.8])
        >>> loc.in_zone("contiguous_zone").tolist(), loc.in_zone("territorial_sea").tolist()
        ([True, True, False], [True, False, False])
        """
        if kind not in self.kinds:
            raise ParameterError(f"no zone {kind!r}; zones: {', '.join(self.kinds)}")
        k = self.kinds.index(kind)
        return np.asarray((self.zone_index >= 0) & (self.zone_index <= k), dtype=np.bool_)


def no_zones(lon: npt.ArrayLike, lat: npt.ArrayLike) -> ZoneLocation:
    """Every position outside (a zone set without zones measured from a baseline)."""
    lon_a = np.ascontiguousarray(np.asarray(lon, dtype=np.float64).ravel())
    lat_a = np.ascontiguousarray(np.asarray(lat, dtype=np.float64).ravel())
    raster = _NoRaster()
    return ZoneLocation(
        (),
        np.full(lon_a.shape, -1, dtype=np.int8),
        np.zeros(0, dtype=np.int64),
        np.zeros(0),
        raster,
        lon_a,
        lat_a,
    )


class _NoRaster:
    """Bounds for a zone set without baseline: ``inf`` (NaN for invalid positions)."""

    def bounds_nm(
        self, lon: FloatArray, lat: FloatArray
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        valid = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90.0)
        out = np.where(valid, np.float32(np.inf), np.float32(np.nan)).astype(np.float32)
        return out, out.copy()


def _bounds_of(kernel: BaselineKernel | ClusteredKernel) -> tuple[float, float, float, float]:
    kernels = kernel.kernels if isinstance(kernel, ClusteredKernel) else [kernel]
    shapes = [g for k in kernels for g in (k.land_lonlat, *k._lines_lonlat) if not g.is_empty]
    minx, miny, maxx, maxy = shapely.total_bounds(shapes)
    lon0 = float(kernel.normalise_lon(np.array([(minx + maxx) / 2.0]))[0])
    half = (maxx - minx) / 2.0
    return lon0 - half, float(miny), lon0 + half, float(maxy)


class ZoneRaster:
    """Precomputed zone cells over a zone set (see the module documentation).

    Parameters
    ----------
    kernel
        The zone set's exact distance kernel.
    limits_nm
        The zone limits, innermost first.
    """

    def __init__(self, kernel: BaselineKernel | ClusteredKernel, limits_nm: tuple[float, ...]):
        self.kernel = kernel
        self.limits_m = np.asarray([v * METERS_PER_NM for v in limits_nm], dtype=np.float64)
        self.k = len(limits_nm)
        self.reach_m = float(
            self.limits_m[-1] + max(_MARGIN_NM * METERS_PER_NM, 0.05 * self.limits_m[-1])
        )
        self._clusters = self._cluster_circles()
        self._build()

    # -------------------------------------------------------------------- build

    def _cluster_circles(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        kernels = self.kernel.kernels if isinstance(self.kernel, ClusteredKernel) else [self.kernel]
        lon_c, lat_c, rad = [], [], []
        for k in kernels:
            x0, y0, x1, y1 = shapely.total_bounds(
                [g for g in (k.land_lonlat, *k._lines_lonlat) if not g.is_empty]
            )
            cx, cy = (x0 + x1) / 2.0, (y0 + y1) / 2.0
            _, _, r = _GEOD.inv(
                np.full(4, cx),
                np.full(4, cy),
                np.array([x0, x0, x1, x1]),
                np.array([y0, y1, y0, y1]),
            )
            lon_c.append(cx)
            lat_c.append(cy)
            rad.append(float(np.max(r)) + 1.0)
        return np.array(lon_c), np.array(lat_c), np.array(rad)

    def _cheap_bounds(self, lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Bounds on the distance from the clusters' bounding circles."""
        lo = np.full(lon.shape, np.inf)
        hi = np.full(lon.shape, np.inf)
        for cx, cy, r in zip(*self._clusters, strict=True):
            _, _, d = _GEOD.inv(np.full(lon.shape, cx), np.full(lon.shape, cy), lon, lat)
            d = np.asarray(d, dtype=np.float64)
            lo = np.minimum(lo, np.maximum(d - r, 0.0))
            hi = np.minimum(hi, d + r)
        return lo, hi

    def _build(self) -> None:
        minx, miny, maxx, maxy = _bounds_of(self.kernel)
        pad_lat = self.reach_m / 110_500.0 * 1.01 + 1e-6
        lat_lo = max(miny - pad_lat, -90.0)
        lat_hi = min(maxy + pad_lat, 90.0)
        cos_max = math.cos(math.radians(min(max(abs(lat_lo), abs(lat_hi)), 90.0)))
        if cos_max < 0.05:
            lon_lo, lon_hi = (minx + maxx) / 2.0 - 180.0, (minx + maxx) / 2.0 + 180.0
        else:
            pad_lon = self.reach_m / (111_000.0 * cos_max) * 1.01 + 1e-6
            lon_lo, lon_hi = minx - pad_lon, maxx + pad_lon
            if lon_hi - lon_lo > 360.0:
                lon_lo, lon_hi = (minx + maxx) / 2.0 - 180.0, (minx + maxx) / 2.0 + 180.0
        top = _TOP_CELL_DEG
        while ((lon_hi - lon_lo) / top) * ((lat_hi - lat_lo) / top) > _MAX_TOP_CELLS:
            top *= 2.0
        self.x0, self.y0 = lon_lo, lat_lo
        self.nx = max(1, math.ceil((lon_hi - lon_lo) / top))
        self.ny = max(1, math.ceil((lat_hi - lat_lo) / top))
        self.cell0 = top
        cls_levels: list[npt.NDArray[np.int8]] = []
        child_levels: list[npt.NDArray[np.int32]] = []
        lo_levels: list[npt.NDArray[np.float32]] = []
        hi_levels: list[npt.NDArray[np.float32]] = []
        ix, iy = np.meshgrid(np.arange(self.nx), np.arange(self.ny), indexing="xy")
        cx: FloatArray = (self.x0 + (ix.ravel() + 0.5) * top).astype(np.float64)
        cy: FloatArray = (self.y0 + (iy.ravel() + 0.5) * top).astype(np.float64)
        size = top
        for level in range(_LEVELS):
            cls, lo, hi = self._classify(cx, cy, size, last=level == _LEVELS - 1)
            cls_levels.append(cls)
            # bounds in nm as float32, rounded outwards so that they stay bounds
            lo_levels.append(np.nextafter((lo / METERS_PER_NM).astype(np.float32), np.float32(0)))
            hi_levels.append(
                np.nextafter((hi / METERS_PER_NM).astype(np.float32), np.float32(np.inf))
            )
            refine = np.flatnonzero(cls == _REFINE)
            child = np.full(cls.shape, -1, dtype=np.int32)
            child[refine] = np.arange(refine.size, dtype=np.int32) * _BRANCH * _BRANCH
            child_levels.append(child)
            if refine.size == 0:
                break
            sub = size / _BRANCH
            jx, jy = np.meshgrid(np.arange(_BRANCH), np.arange(_BRANCH), indexing="xy")
            off_x = (jx.ravel() + 0.5) * sub - size / 2.0
            off_y = (jy.ravel() + 0.5) * sub - size / 2.0
            cx = (cx[refine][:, None] + off_x[None, :]).ravel().astype(np.float64)
            cy = (cy[refine][:, None] + off_y[None, :]).ravel().astype(np.float64)
            size = sub
        # flatten: child pointers become absolute indices into the next level's block
        offsets = np.cumsum([0, *(len(c) for c in cls_levels)])
        for level, child in enumerate(child_levels):
            has = child >= 0
            child[has] += offsets[level + 1]
        self.wraps = self.x0 < -180.0 or self.x0 + self.nx * self.cell0 > 180.0
        """Whether positions must be moved by whole turns into the raster's longitudes."""
        self.cls = np.concatenate(cls_levels)
        self.child = np.concatenate(child_levels)
        self.lo = np.concatenate(lo_levels)
        self.hi = np.concatenate(hi_levels)
        self.cells = int(self.cls.size)

    def _classify(
        self, cx: FloatArray, cy: FloatArray, size: float, *, last: bool
    ) -> tuple[npt.NDArray[np.int8], FloatArray, FloatArray]:
        """Class and distance bounds of cells of ``size`` degrees centred on ``cx, cy``."""
        half = size / 2.0
        radius = np.zeros(cx.shape)
        for sx, sy in ((-1, -1), (-1, 1), (1, -1), (1, 1)):
            _, _, r = _GEOD.inv(cx, cy, cx + sx * half, np.clip(cy + sy * half, -90.0, 90.0))
            radius = np.maximum(radius, np.asarray(r, dtype=np.float64))
        radius = radius * 1.0001 + _KERNEL_SLACK_M
        lo, hi = self._cheap_bounds(cx, cy)
        lo = lo - radius
        hi = hi + radius
        near = np.flatnonzero(lo <= self.limits_m[-1])
        if near.size:
            d = self.kernel.distance_m(cx[near], cy[near])
            lo[near] = d - radius[near]
            hi[near] = d + radius[near]
        lo = np.maximum(lo, 0.0)
        z_lo = np.searchsorted(self.limits_m, lo, side="left")
        z_hi = np.searchsorted(self.limits_m, hi, side="left")
        cls = np.where(z_lo == z_hi, z_lo, _BOUNDARY if last else _REFINE).astype(np.int8)
        return cls, lo, hi

    # ------------------------------------------------------------------- lookup

    def _args(self) -> tuple[Any, ...]:
        return (self.x0, self.y0, self.cell0, self.nx, self.ny, self.cls, self.child)

    def zone_codes(self, lon: FloatArray, lat: FloatArray) -> npt.NDArray[np.int8]:
        """Per position: the settled zone index, -1 outside, -2 in a boundary cell."""
        zone = np.empty(lon.shape, dtype=np.int8)
        if _NUMBA is not None:
            _NUMBA[0](lon, lat, *self._args(), self.k, zone)
            return zone
        cell = _numpy_cells(lon, lat, *self._args())
        c = self.cls[np.maximum(cell, 0)]
        zone[:] = np.where((cell < 0) | (c >= self.k), -1, c)
        return zone

    def bounds_nm(
        self, lon: FloatArray, lat: FloatArray
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Per position: float32 lower and upper bounds on the distance, nm."""
        lon = np.ascontiguousarray(lon, dtype=np.float64)
        lat = np.ascontiguousarray(lat, dtype=np.float64)
        reach = np.float32(self.reach_m / METERS_PER_NM)
        lo = np.empty(lon.shape, dtype=np.float32)
        hi = np.empty(lon.shape, dtype=np.float32)
        if _NUMBA is not None:
            _NUMBA[1](lon, lat, *self._args(), self.lo, self.hi, reach, lo, hi)
            return lo, hi
        cell = _numpy_cells(lon, lat, *self._args())
        valid = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90.0)
        lo[:] = np.where(cell >= 0, self.lo[np.maximum(cell, 0)], reach)
        hi[:] = np.where(cell >= 0, self.hi[np.maximum(cell, 0)], np.float32(np.inf))
        lo[~valid] = np.nan
        hi[~valid] = np.nan
        return lo, hi

    def locate(
        self,
        lon: npt.ArrayLike,
        lat: npt.ArrayLike,
        *,
        distances: str = "boundary",
        kinds: tuple[str, ...] = (),
    ) -> ZoneLocation:
        """Place positions in zones (see :meth:`ZoneSet.locate`)."""
        if distances not in DISTANCE_MODES:
            raise ParameterError(
                f"distances={distances!r} is not one of {', '.join(DISTANCE_MODES)}"
            )
        lon_a = np.ascontiguousarray(np.asarray(lon, dtype=np.float64).ravel())
        lat_a = np.ascontiguousarray(np.asarray(lat, dtype=np.float64).ravel())
        if lon_a.shape != lat_a.shape:
            lon_a, lat_a = (np.ascontiguousarray(a) for a in np.broadcast_arrays(lon_a, lat_a))
        if self.wraps:
            lon_a = np.ascontiguousarray(self.kernel.normalise_lon(lon_a))
        zone = self.zone_codes(lon_a, lat_a)
        if distances == "boundary":
            exact = np.flatnonzero(zone == _BOUNDARY)
        elif distances == "near":
            lo, _ = self.bounds_nm(lon_a, lat_a)
            exact = np.flatnonzero(lo < np.float32(self.reach_m / METERS_PER_NM))
        else:
            exact = np.flatnonzero(np.isfinite(lon_a) & np.isfinite(lat_a) & (np.abs(lat_a) <= 90))
        d_nm = np.zeros(0)
        if exact.size:
            d_nm = self.kernel.distance_m(lon_a[exact], lat_a[exact]) / METERS_PER_NM
            z = np.searchsorted(self.limits_m / METERS_PER_NM, d_nm, side="left")
            zone[exact] = np.where(z >= self.k, -1, z).astype(np.int8)
        return ZoneLocation(kinds, zone, exact.astype(np.int64), d_nm, self, lon_a, lat_a)


def _numpy_cells(
    lon: FloatArray,
    lat: FloatArray,
    x0: float,
    y0: float,
    cell0: float,
    nx: int,
    ny: int,
    cls: npt.NDArray[np.int8],
    child: npt.NDArray[np.int32],
) -> IntArray:
    """The raster cell of each position (-1 outside the raster), in vectorized NumPy."""
    n = lon.size
    cell = np.full(n, -1, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        fx = (lon - x0) / cell0
        fy = (lat - y0) / cell0
        inside = np.flatnonzero((fx >= 0) & (fx < nx) & (fy >= 0) & (fy < ny))
    if inside.size == 0:
        return cell
    fx = fx[inside]
    fy = fy[inside]
    ix = fx.astype(np.int64)
    iy = fy.astype(np.int64)
    idx = iy * nx + ix
    todo = np.arange(inside.size)
    while todo.size:
        step = todo[cls[idx[todo]] == _REFINE]
        if step.size == 0:
            break
        fx[step] = (fx[step] - ix[step]) * _BRANCH
        fy[step] = (fy[step] - iy[step]) * _BRANCH
        ix[step] = np.clip(fx[step].astype(np.int64), 0, _BRANCH - 1)
        iy[step] = np.clip(fy[step].astype(np.int64), 0, _BRANCH - 1)
        idx[step] = child[idx[step]] + iy[step] * _BRANCH + ix[step]
        todo = step
    cell[inside] = idx
    return cell


try:
    _numba: Any = importlib.import_module("numba")
except ImportError:  # pragma: no cover - numba is optional
    _numba = None

# Module-level functions (not closures), so that numba's on-disk cache finds them again.


def _cell_of_py(  # pragma: no cover - compiled
    x: float, y: float, x0: float, y0: float, inv: float, nx: int, ny: int, cls: Any, child: Any
) -> int:
    fx = (x - x0) * inv
    fy = (y - y0) * inv
    if not (fx >= 0.0 and fx < nx and fy >= 0.0 and fy < ny):
        return -1
    ix = int(fx)
    iy = int(fy)
    idx = iy * nx + ix
    while cls[idx] == -1:
        fx = (fx - ix) * 8.0
        fy = (fy - iy) * 8.0
        ix = min(int(fx), 7)
        iy = min(int(fy), 7)
        idx = child[idx] + iy * 8 + ix
    return idx


cell_of: Any = (
    _cell_of_py
    if _numba is None
    else _numba.njit(cache=True, nogil=True, inline="always")(_cell_of_py)
)


def _zones(  # pragma: no cover - compiled
    lon: Any,
    lat: Any,
    x0: float,
    y0: float,
    cell0: float,
    nx: int,
    ny: int,
    cls: Any,
    child: Any,
    k: int,
    zone: Any,
) -> None:
    inv = 1.0 / cell0
    x1 = x0 + nx * cell0
    y1 = y0 + ny * cell0
    # first a branch-free pass the compiler vectorizes: most positions are far away
    for i in range(lon.size):
        x = lon[i]
        y = lat[i]
        zone[i] = -3 if (x >= x0) & (x < x1) & (y >= y0) & (y < y1) else -1
    for i in range(lon.size):
        if zone[i] == -3:
            idx = cell_of(lon[i], lat[i], x0, y0, inv, nx, ny, cls, child)
            if idx < 0:
                zone[i] = -1
            else:
                c = cls[idx]
                zone[i] = -1 if c >= k else c


def _bounds(  # pragma: no cover - compiled
    lon: Any,
    lat: Any,
    x0: float,
    y0: float,
    cell0: float,
    nx: int,
    ny: int,
    cls: Any,
    child: Any,
    lo_c: Any,
    hi_c: Any,
    reach_nm: Any,
    lo: Any,
    hi: Any,
) -> None:
    inv = 1.0 / cell0
    x1 = x0 + nx * cell0
    y1 = y0 + ny * cell0
    nan = np.float32(np.nan)
    inf = np.float32(np.inf)
    # branch-free first pass (vectorized): far positions, invalid ones
    for i in range(lon.size):
        x = lon[i]
        y = lat[i]
        ok = (abs(y) <= 90.0) & (abs(x) < inf)
        lo[i] = reach_nm if ok else nan
        hi[i] = inf if ok else nan
    for i in range(lon.size):
        x = lon[i]
        y = lat[i]
        if (x >= x0) & (x < x1) & (y >= y0) & (y < y1):
            idx = cell_of(x, y, x0, y0, inv, nx, ny, cls, child)
            if idx >= 0:
                lo[i] = lo_c[idx]
                hi[i] = hi_c[idx]


def _compile() -> tuple[Any, Any] | None:
    if _numba is None:  # pragma: no cover - numba is optional
        return None
    jit = _numba.njit(cache=True, nogil=True)
    return jit(_zones), jit(_bounds)


_NUMBA = _compile()
