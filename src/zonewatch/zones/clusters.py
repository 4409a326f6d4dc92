"""Distance to baselines spread over a wide area: one :class:`BaselineKernel` per cluster.

The index of :class:`~zonewatch.zones.kernel.BaselineKernel` grows with the
extent of the outline, so :func:`make_kernel` splits features hundreds of
kilometres apart into clusters with a kernel each (see :class:`ClusteredKernel`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyproj
import shapely

from zonewatch.zones.kernel import Baseline, BaselineKernel, Polygonal, _unwrap_antimeridian

__all__ = ["ClusteredKernel", "make_kernel"]

FloatArray = npt.NDArray[np.float64]
_GEOD = pyproj.Geod(ellps="WGS84")

_CLUSTER_GAP_DEG = 2.0
"""Features whose boxes are more than this apart (about 200 km) get separate kernels."""


class ClusteredKernel:
    """Distance to baselines spread over a wide area: one kernel per cluster of features.

    The index of :class:`BaselineKernel` grows with the extent of the outline
    (its coarse levels list candidate segments for cells up to thousands of
    kilometres away), so features hundreds of kilometres apart (the South China
    Sea set) are split into clusters, each with its own kernel. A position is
    measured against the cluster with the smallest lower bound first, then
    against every other cluster whose lower bound is below the best distance
    found (usually none).

    Parameters
    ----------
    kernels
        One kernel per cluster of features.
    """

    def __init__(self, kernels: Sequence[BaselineKernel]) -> None:
        self.kernels = list(kernels)
        shifted = _unwrap_antimeridian(
            [g for k in self.kernels for g in (k.land_lonlat, *k._lines_lonlat) if not g.is_empty]
        )
        self.land_lonlat: Polygonal = shapely.union_all(
            [g for g in shifted if isinstance(g, shapely.Polygon | shapely.MultiPolygon)]
        )
        minx, _miny, maxx, _maxy = shapely.total_bounds(shifted)
        self._lon0 = (minx + maxx) / 2.0
        lon_c, lat_c, radius = [], [], []
        for k in self.kernels:
            x0, y0, x1, y1 = shapely.total_bounds([k.land_lonlat, *k._lines_lonlat])
            cx = float(k.normalise_lon(np.array([(x0 + x1) / 2.0]))[0])
            cy = (y0 + y1) / 2.0
            corners_lon = np.array([x0, x0, x1, x1])
            corners_lat = np.array([y0, y1, y0, y1])
            _, _, r = _GEOD.inv(np.full(4, cx), np.full(4, cy), corners_lon, corners_lat)
            lon_c.append(cx)
            lat_c.append(cy)
            radius.append(float(np.max(r)))
        self._centre_lon = np.array(lon_c)
        self._centre_lat = np.array(lat_c)
        self._radius_m = np.array(radius)

    def normalise_lon(self, lon: FloatArray) -> FloatArray:
        """Longitudes moved by whole turns into the 360 degrees centred on the set."""
        with np.errstate(invalid="ignore"):
            return np.asarray(self._lon0 + (np.remainder(lon - self._lon0 + 180.0, 360.0) - 180.0))

    def _lower_bounds(self, lon: FloatArray, lat: FloatArray) -> FloatArray:
        """Lower bounds (m) on the distance to each cluster, shape (clusters, positions)."""
        n = lon.size
        out = np.empty((len(self.kernels), n))
        for i in range(len(self.kernels)):
            _, _, d = _GEOD.inv(
                np.full(n, self._centre_lon[i]),
                np.full(n, self._centre_lat[i]),
                lon,
                lat,
                return_back_azimuth=False,
            )
            out[i] = np.maximum(np.asarray(d) - self._radius_m[i] - 1.0, 0.0)
        return out

    def distance_m(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
        """Geodesic distance (m) from each position to the nearest outline (as BaselineKernel)."""
        lon_b, lat_b = np.broadcast_arrays(
            np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        )
        lon_f = lon_b.ravel()
        lat_f = lat_b.ravel()
        out = np.full(lon_f.shape, np.nan)
        valid = np.flatnonzero(np.isfinite(lon_f) & np.isfinite(lat_f) & (np.abs(lat_f) <= 90.0))
        if valid.size:
            out[valid] = self._nearest(lon_f[valid], lat_f[valid])[0]
        return out.reshape(lon_b.shape)

    def nearest_m(
        self, lon: npt.ArrayLike, lat: npt.ArrayLike
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Distance (m) and nearest outline point, as :meth:`BaselineKernel.nearest_m`."""
        lon_a = np.asarray(lon, dtype=np.float64).ravel()
        lat_a = np.asarray(lat, dtype=np.float64).ravel()
        return self._nearest(lon_a, lat_a, points=True)

    def _nearest(
        self, lon: FloatArray, lat: FloatArray, points: bool = False
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        lower = self._lower_bounds(lon, lat)
        best = np.full(lon.shape, np.inf)
        qlon = np.full(lon.shape, np.nan)
        qlat = np.full(lon.shape, np.nan)
        first = np.argmin(lower, axis=0)
        for rank in range(2):
            for i, kernel in enumerate(self.kernels):
                if rank == 0:
                    idx = np.flatnonzero(first == i)
                else:
                    idx = np.flatnonzero((first != i) & (lower[i] < best))
                if idx.size == 0:
                    continue
                if points:
                    d, ql, qa = kernel.nearest_m(lon[idx], lat[idx])
                else:
                    d = kernel.distance_m(lon[idx], lat[idx])
                    ql = qa = d
                better = d < best[idx]
                best[idx[better]] = d[better]
                qlon[idx[better]] = ql[better]
                qlat[idx[better]] = qa[better]
        return best, qlon, qlat

    def buffer_lonlat(self, distance_m: float) -> Polygonal:
        """The union of the clusters' buffers (see :meth:`BaselineKernel.buffer_lonlat`)."""
        union = shapely.union_all([k.buffer_lonlat(distance_m) for k in self.kernels])
        assert isinstance(union, shapely.Polygon | shapely.MultiPolygon)
        return union


def make_kernel(geometries: Sequence[Baseline]) -> BaselineKernel | ClusteredKernel:
    """One kernel for compact baselines, a :class:`ClusteredKernel` for spread-out ones.

    Geometries whose bounding boxes are within about 200 km of each other (a
    chain of them) share a kernel.
    """
    shifted = _unwrap_antimeridian(list(geometries))
    boxes = shapely.bounds(shifted)
    n = len(shifted)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            gap_x = max(boxes[i, 0] - boxes[j, 2], boxes[j, 0] - boxes[i, 2], 0.0)
            gap_y = max(boxes[i, 1] - boxes[j, 3], boxes[j, 1] - boxes[i, 3], 0.0)
            if max(gap_x, gap_y) <= _CLUSTER_GAP_DEG:
                parent[find(i)] = find(j)
    groups: dict[int, list[Baseline]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(geometries[i])
    if len(groups) == 1:
        return BaselineKernel(list(geometries))
    return ClusteredKernel([BaselineKernel(g) for g in groups.values()])
