"""A brute-force oracle for distance to the baseline (tests only)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyproj
import shapely

from zonewatch.zones import ZoneSet

GEOD = pyproj.Geod(ellps="WGS84")


class BruteForce:
    """Geodesic distance to a densely densified outline (Geod.inv to every vertex)."""

    def __init__(self, zone_set: ZoneSet, spacing_deg: float = 1e-5) -> None:
        land = shapely.union_all([f.geometry for f in zone_set.features])
        shapely.prepare(land)
        self.land = land
        dense = shapely.segmentize(shapely.boundary(land), spacing_deg)
        self.vertices = shapely.get_coordinates(dense)

    def distance_m(self, lon: float, lat: float) -> float:
        if shapely.contains_xy(self.land, lon, lat):
            return 0.0
        v = self.vertices
        _, _, d = GEOD.inv(np.full(len(v), lon), np.full(len(v), lat), v[:, 0], v[:, 1])
        return float(np.min(d))

    def many_m(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> npt.NDArray[np.float64]:
        return np.array(
            [self.distance_m(a, b) for a, b in zip(np.ravel(lon), np.ravel(lat), strict=True)]
        )


def all_segments_m(
    zone_set: ZoneSet, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """The kernel's own arithmetic with every outline segment as a candidate.

    Checks the kernel's index: whatever segments it lists for a position, the
    answer must be the one obtained from all of them.
    """
    kernel = zone_set._kernel
    out = np.zeros(lon.shape)
    sea = ~shapely.contains_xy(kernel.land_lonlat, lon, lat)
    x, y = kernel.plane.forward(lon[sea], lat[sea])
    nseg = len(kernel._ax)
    n = int(sea.sum())
    seg = np.tile(np.arange(nseg), n)
    out[sea] = kernel._resolve(lon[sea], lat[sea], x, y, seg, np.full(n, nseg))
    return out
