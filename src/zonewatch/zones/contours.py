"""Zone limits drawn to a chosen accuracy: polygons whose edges follow the geodesic limit.

:meth:`ZoneSet.zone_geometries` draws zones as buffers in a local plane, a few
metres from the geodesic truth: good for maps, not for comparing with a
polygon tool point by point. :func:`exact_zone_polygon` starts from that
buffer and moves every vertex onto the geodesic limit: from the vertex's
nearest outline point ``q``, along the geodesic through the vertex, to the
zone's distance. Then each edge is checked at a quarter, half and three
quarters of its length; where the edge strays from the limit by more than the
accuracy, the edge's midpoint, moved onto the limit, is inserted. Edges follow
arcs of the limit and its corners (where the limits around two islands
meet), so the process ends after a few rounds.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyproj
import shapely

from zonewatch.zones.clusters import ClusteredKernel
from zonewatch.zones.kernel import BaselineKernel

__all__ = ["exact_zone_polygon"]

FloatArray = npt.NDArray[np.float64]

_GEOD = pyproj.Geod(ellps="WGS84")
_MAX_ROUNDS = 16


def _onto_limit(
    kernel: BaselineKernel | ClusteredKernel, lon: FloatArray, lat: FloatArray, distance_m: float
) -> tuple[FloatArray, FloatArray]:
    """Move points onto the limit along the geodesic from their nearest outline point."""
    for _ in range(3):
        _, qlon, qlat = kernel.nearest_m(lon, lat)
        az, _, _ = _GEOD.inv(qlon, qlat, lon, lat, return_back_azimuth=False)
        new_lon, new_lat, _ = _GEOD.fwd(
            qlon, qlat, az, np.full(lon.shape, distance_m), return_back_azimuth=False
        )
        lon = kernel.normalise_lon(np.asarray(new_lon, dtype=np.float64))
        lat = np.asarray(new_lat, dtype=np.float64)
    return lon, lat


def _along_normal(
    kernel: BaselineKernel | ClusteredKernel,
    lon0: FloatArray,
    lat0: FloatArray,
    lon1: FloatArray,
    lat1: FloatArray,
    distance_m: float,
) -> tuple[FloatArray, FloatArray]:
    """The point on the limit on the perpendicular through the middle of each edge.

    Secant steps on the distance along the perpendicular (which converges also
    at the corners where the limits around two islands meet, unlike the move
    along the geodesic from the nearest outline point).
    """
    mid_lon = (lon0 + lon1) / 2.0
    mid_lat = (lat0 + lat1) / 2.0
    m_lon = 111_320.0 * np.cos(np.radians(mid_lat))
    m_lat = 110_574.0
    ex = (lon1 - lon0) * m_lon
    ey = (lat1 - lat0) * m_lat
    norm = np.hypot(ex, ey)
    norm[norm == 0] = 1.0
    nx, ny = ey / norm, -ex / norm

    def f(s: FloatArray) -> FloatArray:
        d = kernel.distance_m(mid_lon + s * nx / m_lon, mid_lat + s * ny / m_lat)
        return np.asarray(d - distance_m, dtype=np.float64)

    s0 = np.zeros(mid_lon.shape)
    f0 = f(s0)
    best_s, best_f = s0.copy(), f0.copy()
    s1 = np.ones(mid_lon.shape)
    f1 = f(s1)
    for _ in range(12):
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = (f1 - f0) / (s1 - s0)
        slope = np.where(np.isfinite(slope) & (np.abs(slope) > 1e-3), slope, 1.0)
        step = np.clip(-f1 / slope, -np.abs(f1) - 1.0, np.abs(f1) + 1.0)
        s0, f0 = s1, f1
        s1 = s1 + step
        f1 = f(s1)
        better = np.abs(f1) < np.abs(best_f)
        best_s[better] = s1[better]
        best_f[better] = f1[better]
        if np.all(np.abs(best_f) < 1e-3):
            break
    return mid_lon + best_s * nx / m_lon, mid_lat + best_s * ny / m_lat


def _refine_ring(
    kernel: BaselineKernel | ClusteredKernel,
    coords: FloatArray,
    distance_m: float,
    accuracy_m: float,
) -> FloatArray:
    lon, lat = _onto_limit(kernel, coords[:-1, 0].copy(), coords[:-1, 1].copy(), distance_m)
    for _ in range(_MAX_ROUNDS):
        nxt_lon = np.roll(lon, -1)
        nxt_lat = np.roll(lat, -1)
        worst = np.zeros(lon.shape)
        for f in (0.25, 0.5, 0.75):
            d = kernel.distance_m(lon + f * (nxt_lon - lon), lat + f * (nxt_lat - lat))
            worst = np.maximum(worst, np.abs(d - distance_m))
        bad = np.flatnonzero(worst > accuracy_m)
        if bad.size == 0:
            break
        # edges shorter than the accuracy cannot stray further than it: stop there
        short = np.hypot(
            (nxt_lon[bad] - lon[bad]) * 111_320.0 * np.cos(np.radians(lat[bad])),
            (nxt_lat[bad] - lat[bad]) * 110_574.0,
        )
        bad = bad[short > accuracy_m]
        if bad.size == 0:
            break
        mid_lon, mid_lat = _along_normal(
            kernel, lon[bad], lat[bad], nxt_lon[bad], nxt_lat[bad], distance_m
        )
        lon = np.insert(lon, bad + 1, mid_lon)
        lat = np.insert(lat, bad + 1, mid_lat)
    ring = np.column_stack([lon, lat])
    return np.vstack([ring, ring[:1]])


def exact_zone_polygon(
    kernel: BaselineKernel | ClusteredKernel,
    distance_m: float,
    rough: shapely.Polygon | shapely.MultiPolygon,
    accuracy_m: float,
) -> shapely.Polygon | shapely.MultiPolygon:
    """The zone within ``distance_m`` of the kernel's baseline, edges within ``accuracy_m``.

    Parameters
    ----------
    kernel
        The distance kernel of the baseline.
    distance_m
        The zone's limit, metres.
    rough
        A first drawing of the zone (the plane buffer), whose rings are refined.
    accuracy_m
        Largest distance of an edge from the geodesic limit, metres.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        The refined zone in lon/lat degrees.
    """
    polygons = []
    for part in shapely.get_parts(rough):
        shell = _refine_ring(kernel, shapely.get_coordinates(part.exterior), distance_m, accuracy_m)
        holes = [
            _refine_ring(kernel, shapely.get_coordinates(r), distance_m, accuracy_m)
            for r in part.interiors
        ]
        polygons.append(shapely.Polygon(shell, holes))
    out = shapely.union_all(polygons) if len(polygons) > 1 else polygons[0]
    if not out.is_valid:
        out = shapely.make_valid(out)
    parts = [p for p in shapely.get_parts(out) if isinstance(p, shapely.Polygon)]
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
