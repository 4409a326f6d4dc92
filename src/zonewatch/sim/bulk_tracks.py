"""Movement of the bulk simulator's vessels: geometry, the lane graph, lane walks and patrols.

:mod:`zonewatch.sim.bulk` plans every vessel that does not fish as a track of
*knots* (times, longitudes, latitudes) and interpolates between them. This
module draws those knots:

* :func:`lane_graph`: the lane graph of a region, drawn once per region from
  the GLOBE land mask (nodes at least 15 nm from land and 30 nm from the
  Senkaku baseline, edges up to 150 nm long that keep about 4 nm from land
  and from the islands); it does not depend on the seed;
* :func:`lane_walks`: random walks on that graph, vectorized over vessels,
  with optional stops (merchants and roaming coast guard ships);
* :func:`patrol_waypoints` and :func:`patrol_knots`: a Senkaku patrol of one
  China Coast Guard ship from a fixed pool of waypoints by distance to the
  baseline (staging 30-60 nm out, contiguous zone 14-22 nm, territorial sea
  3-10 nm);

plus the small spherical helpers they share (distances in nautical miles,
positions in degrees).

Examples
--------
>>> round(float(gc_nm(123.0, 25.0, 123.0, 26.0)), 1)  # a degree of latitude
60.0
>>> float(bearing_from_centre(CENTRE[0], CENTRE[1] + 0.5))  # due north of the centre
0.0
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from zonewatch.errors import ParameterError
from zonewatch.geo import EARTH_RADIUS_M, METERS_PER_NM

__all__ = [
    "CENTRE",
    "FloatArray",
    "IntArray",
    "Lanes",
    "WaypointPool",
    "baseline_nm",
    "bearing_from_centre",
    "gc_nm",
    "lane_graph",
    "lane_walks",
    "offset_nm",
    "patrol_knots",
    "patrol_waypoints",
    "polar",
    "unit_xyz",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

CENTRE = (123.56, 25.80)  # between Uotsuri-shima and Kuba-shima, as the scenario simulator
"""The patrol centre (longitude, latitude): patrol bearings are taken from it."""

_R_NM = EARTH_RADIUS_M / METERS_PER_NM
_LANE_SEED = 20240611  # the lane graph and the patrol waypoint pool do not depend on the seed
_NODE_CLEAR_NM = 15.0
_EDGE_CLEAR_NM = 4.0
_EDGE_MAX_NM = 150.0
_ISLAND_CLEAR_NM = 30.0


# -- geometry --------------------------------------------------------------------------------


def unit_xyz(lon: FloatArray, lat: FloatArray) -> FloatArray:
    """Unit vectors (n, 3) of positions in degrees."""
    lo, la = np.radians(lon), np.radians(lat)
    c = np.cos(la)
    return np.stack([c * np.cos(lo), c * np.sin(lo), np.sin(la)], axis=-1)


def gc_nm(
    lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike
) -> FloatArray:
    """Great-circle distance (nm, spherical)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(np.subtract(lon2, lon1)) / 2) ** 2
    )
    return np.asarray(2 * _R_NM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))), dtype=np.float64)


def offset_nm(
    lon: npt.ArrayLike, lat: npt.ArrayLike, east_nm: npt.ArrayLike, north_nm: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Positions moved by small east/north offsets (local flat approximation)."""
    lon_a, lat_a = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    lat2 = lat_a + np.asarray(north_nm) / 60.0
    return lon_a + np.asarray(east_nm) / (60.0 * np.cos(np.radians(lat_a))), lat2


def polar(bearing_deg: FloatArray, r_nm: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Positions at a bearing and range from the patrol centre."""
    b = np.radians(bearing_deg)
    return offset_nm(CENTRE[0], CENTRE[1], r_nm * np.sin(b), r_nm * np.cos(b))


def bearing_from_centre(lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
    """Bearings (degrees, [0, 360), flat approximation) of positions from the patrol centre."""
    east = (np.asarray(lon) - CENTRE[0]) * 60.0 * math.cos(math.radians(CENTRE[1]))
    north = (np.asarray(lat) - CENTRE[1]) * 60.0
    return np.asarray(np.degrees(np.arctan2(east, north)) % 360.0, dtype=np.float64)


def baseline_nm(lon: FloatArray, lat: FloatArray) -> FloatArray:
    """Distances (nm) to the Senkaku baseline: exact up to 80 nm, a lower bound beyond."""
    from zonewatch.zones import load_zone_set

    return load_zone_set("senkaku").distance_within_nm(lon, lat, beyond_nm=80.0)


# -- lanes and patrol waypoints (fixed per region) ---------------------------------------------


@dataclass(frozen=True)
class Lanes:
    """A lane graph: node positions and their neighbours in CSR form (see :func:`lane_graph`)."""

    lon: FloatArray  # node positions
    lat: FloatArray
    indptr: IntArray  # CSR adjacency
    neighbours: IntArray


def _clear_of_land(
    lon: FloatArray, lat: FloatArray, radius_nm: float, rings: int
) -> npt.NDArray[np.bool_]:
    """True where no land lies at the point or on ``rings`` circles up to ``radius_nm``."""
    from zonewatch.events.shore import default_land_mask

    mask = default_land_mask()
    bearings = np.radians(np.arange(0.0, 360.0, 15.0))
    ok = ~mask.is_land(lon, lat)
    for r in np.linspace(radius_nm / rings, radius_nm, rings):
        for b in bearings:
            lo, la = offset_nm(
                lon, lat, np.full(lon.shape, r * math.sin(b)), np.full(lon.shape, r * math.cos(b))
            )
            ok &= ~mask.is_land(lo, la)
    return ok


@functools.lru_cache(maxsize=4)
def lane_graph(bbox: tuple[float, float, float, float]) -> Lanes:
    """The lane graph of a region: open-sea nodes and land-free edges between them."""
    rng = np.random.default_rng(_LANE_SEED)
    lon0, lat0, lon1, lat1 = bbox
    step = 0.6
    gx, gy = np.meshgrid(
        np.arange(lon0 + step / 2, lon1, step), np.arange(lat0 + step / 2, lat1, step)
    )
    lon = gx.ravel() + rng.uniform(-0.2, 0.2, gx.size)
    lat = gy.ravel() + rng.uniform(-0.2, 0.2, gy.size)
    keep = _clear_of_land(lon, lat, _NODE_CLEAR_NM, 5) & (baseline_nm(lon, lat) > _ISLAND_CLEAR_NM)
    keep &= (lon > lon0 + 0.3) & (lon < lon1 - 0.3) & (lat > lat0 + 0.3) & (lat < lat1 - 0.3)
    lon, lat = lon[keep], lat[keep]
    i, j = np.triu_indices(lon.size, k=1)
    length = gc_nm(lon[i], lat[i], lon[j], lat[j])
    near = length <= _EDGE_MAX_NM
    i, j, length = i[near], j[near], length[near]
    steps = np.maximum(np.ceil(length / 3.0).astype(np.int64), 1)
    edge = np.repeat(np.arange(i.size), steps)
    f = (np.arange(edge.size) - np.repeat(np.cumsum(steps) - steps, steps)) / steps[edge]
    slon = lon[i][edge] * (1 - f) + lon[j][edge] * f
    slat = lat[i][edge] * (1 - f) + lat[j][edge] * f
    ok_sample = _clear_of_land(slon, slat, _EDGE_CLEAR_NM, 1) & (
        baseline_nm(slon, slat) > _EDGE_CLEAR_NM
    )
    bad = np.zeros(i.size, dtype=bool)
    np.logical_or.at(bad, edge[~ok_sample], True)
    i, j = i[~bad], j[~bad]
    if lon.size < 2 or i.size == 0:
        raise ParameterError(f"BulkConfig.bbox={bbox!r}: no open-sea lanes in this region")
    lonely = np.setdiff1d(np.arange(lon.size), np.concatenate([i, j]))  # they wait there
    src = np.concatenate([i, j, lonely])
    dst = np.concatenate([j, i, lonely])
    order = np.lexsort((dst, src))
    src, dst = src[order], dst[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=lon.size))]).astype(np.int64)
    return Lanes(lon, lat, indptr, dst.astype(np.int64))


@dataclass(frozen=True)
class WaypointPool:
    """Candidate patrol waypoints of one kind, sorted by bearing from the patrol centre."""

    lon: FloatArray
    lat: FloatArray
    bearing: FloatArray

    def near(
        self, bearing: float, rng: np.random.Generator, width: float = 8.0
    ) -> tuple[float, float]:
        """A random waypoint within ``width`` degrees of a bearing (widening when none)."""
        while True:
            diff = (self.bearing - bearing + 180.0) % 360.0 - 180.0
            hits = np.flatnonzero(np.abs(diff) <= width)
            if hits.size:
                k = int(hits[rng.integers(hits.size)])
                return float(self.lon[k]), float(self.lat[k])
            width *= 2.0


@functools.lru_cache(maxsize=1)
def patrol_waypoints() -> dict[str, WaypointPool]:
    """Waypoints by baseline distance: territorial sea, contiguous zone, staging."""
    rng = np.random.default_rng(_LANE_SEED + 1)
    n = 60_000
    bearing = rng.uniform(0.0, 360.0, n)
    r = rng.uniform(0.0, 75.0, n)
    lon, lat = polar(bearing, r)
    d = baseline_nm(lon, lat)
    wanted = {
        "ts": (d >= 3.0) & (d <= 10.0),
        "cz": (d >= 14.0) & (d <= 22.0),
        "stage": (d >= 30.0) & (d <= 60.0) & (bearing >= 250.0),
    }
    pools = {}
    for name, sel in wanted.items():
        k = np.flatnonzero(sel)
        k = k[np.argsort(bearing[k])]
        pools[name] = WaypointPool(lon[k], lat[k], bearing[k])
    return pools


# -- knot tracks -------------------------------------------------------------------------------


def lane_walks(
    lanes: Lanes,
    n: int,
    speed_kn: FloatArray,
    dwell_h: tuple[float, float] | None,
    end_s: float,
    rng: np.random.Generator,
) -> tuple[list[FloatArray], list[FloatArray], list[FloatArray]]:
    """Random walks on the lane graph, vectorized over vessels: knot times, lons, lats per round."""
    cur = rng.integers(0, lanes.lon.size, n)
    prev = np.full(n, -1)
    lon = lanes.lon[cur] + rng.uniform(-0.05, 0.05, n)
    lat = lanes.lat[cur] + rng.uniform(-0.05, 0.05, n)
    t = -rng.uniform(0.0, 20.0, n) * 3600.0
    ts, lons, lats = [t.copy()], [lon], [lat]
    while (t < end_s).any():
        deg = lanes.indptr[cur + 1] - lanes.indptr[cur]
        pick = lanes.indptr[cur] + (rng.random(n) * deg).astype(np.int64)
        nxt = lanes.neighbours[pick]
        back = (nxt == prev) & (deg > 1)
        nxt[back] = lanes.neighbours[
            lanes.indptr[cur[back]] + (pick[back] - lanes.indptr[cur[back]] + 1) % deg[back]
        ]
        nlon = lanes.lon[nxt] + rng.uniform(-0.05, 0.05, n)
        nlat = lanes.lat[nxt] + rng.uniform(-0.05, 0.05, n)
        leg_nm = gc_nm(lon, lat, nlon, nlat)
        t = t + np.maximum(leg_nm / (speed_kn * rng.uniform(0.95, 1.05, n)), 0.05) * 3600.0
        ts.append(t.copy())
        lons.append(nlon)
        lats.append(nlat)
        if dwell_h is not None:
            t = t + rng.uniform(dwell_h[0], dwell_h[1], n) * 3600.0
            ts.append(t.copy())
            lons.append(nlon)
            lats.append(nlat)
        prev, cur, lon, lat = cur, nxt, nlon, nlat
    return ts, lons, lats


def patrol_knots(
    rng: np.random.Generator, end_s: float
) -> tuple[list[float], list[float], list[float]]:
    """Knots of one Senkaku patrol ship: staging, contiguous-zone cruises, sometimes the sea."""
    pools = patrol_waypoints()
    t = -rng.uniform(0.0, 12.0) * 3600.0
    lon, lat = pools["stage"].near(rng.uniform(280.0, 340.0), rng)
    ts, lons, lats = [t], [lon], [lat]

    def go(to: tuple[float, float], speed_kn: float) -> None:
        nonlocal t, lon, lat
        t += max(float(gc_nm(lon, lat, *to)) / speed_kn, 0.05) * 3600.0
        lon, lat = to
        ts.append(t)
        lons.append(lon)
        lats.append(lat)

    def drift(hours: float) -> None:
        b = rng.uniform(0.0, 2 * math.pi)
        dist = rng.uniform(0.2, 1.5)
        to = offset_nm(lon, lat, dist * math.sin(b), dist * math.cos(b))
        go((float(to[0]), float(to[1])), max(dist / hours, 0.05))

    def here() -> float:
        return float(bearing_from_centre(lon, lat))

    while t < end_s:
        for _ in range(int(rng.integers(1, 4))):  # wait outside, drifting
            drift(rng.uniform(3.0, 16.0))
        go(pools["cz"].near(here(), rng), rng.uniform(10.0, 14.0))
        leave = t + rng.uniform(1.0, 7.0) * 86_400.0
        turn = 1.0 if rng.random() < 0.5 else -1.0
        while t < leave and t < end_s:
            r = rng.random()
            if r < 0.0025:  # into the territorial sea for an hour or three
                go(pools["ts"].near(here(), rng, 5.0), rng.uniform(8.0, 12.0))
                go(
                    pools["ts"].near(here() + turn * rng.uniform(0.0, 25.0), rng, 5.0),
                    rng.uniform(3.0, 6.0),
                )
                go(pools["cz"].near(here(), rng, 5.0), rng.uniform(8.0, 12.0))
            elif r < 0.25:
                drift(rng.uniform(1.0, 4.0))
            else:
                if rng.random() < 0.1:
                    turn = -turn
                go(
                    pools["cz"].near(here() + turn * rng.uniform(10.0, 35.0), rng, 5.0),
                    rng.uniform(5.0, 10.0),
                )
        go(
            pools["stage"].near(min(max(here(), 260.0), 355.0) if here() > 180 else 300.0, rng),
            rng.uniform(10.0, 14.0),
        )
    return ts, lons, lats
