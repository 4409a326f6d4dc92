"""Geometry of the scenario: a local plane around the islands and distance to the baseline.

The planner draws paths in a local azimuthal equidistant plane (x east, y north,
nautical miles) centred near the main island group, and places them by
*distance to the baseline* through :class:`RingTable`: the point at bearing
``theta`` from the centre whose distance to the baseline is ``D``. All distances
to the baseline come from :func:`baseline_distance_nm`, the only place where the
simulator asks the zone set.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Transformer

from zonewatch.zones import ZoneSet, load_zone_set

__all__ = [
    "CENTER_LAT",
    "CENTER_LON",
    "ZONE_SET",
    "LocalFrame",
    "RingTable",
    "approx_baseline_distance_nm",
    "baseline_distance_nm",
    "grazes_zone_line",
    "leg_length_nm",
    "local_frame",
    "ring_table",
    "zone_set",
]

ZONE_SET = "senkaku"
"""The zone set the scenario is drawn around."""

CENTER_LON = 123.56
CENTER_LAT = 25.80
"""Centre of the local plane: between Uotsuri-shima, Kuba-shima and the Okino rocks."""

_M_PER_NM = 1852.0


def baseline_distance_nm(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.float64]:
    """Distance in nautical miles from each point to the nearest island outline.

    Parameters
    ----------
    lon, lat
        Degrees (WGS84), arrays of one shape.

    Returns
    -------
    numpy.ndarray
        Distances (nm), 0 on land.
    """
    lon_a = np.ascontiguousarray(lon, dtype=np.float64)
    lat_a = np.ascontiguousarray(lat, dtype=np.float64)
    if lon_a.size == 0:
        return np.zeros(lon_a.shape)
    return np.asarray(zone_set().distance_nm(lon_a, lat_a), dtype=np.float64)


@lru_cache(maxsize=1)
def zone_set() -> ZoneSet:
    """The scenario's zone set (loaded once)."""
    return load_zone_set(ZONE_SET)


def leg_length_nm(
    lon0: NDArray[np.float64],
    lat0: NDArray[np.float64],
    lon1: NDArray[np.float64],
    lat1: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Length (nm) of straight lon/lat legs, equirectangular at the legs' mean latitude.

    Accurate to well under 1 % over the tens of miles the scenario spans.
    """
    coslat = np.cos(np.radians(0.5 * (lat0 + lat1)))
    dx = (lon1 - lon0) * 60.0 * coslat
    dy = (lat1 - lat0) * 60.0
    return np.asarray(np.hypot(dx, dy), dtype=np.float64)


@dataclass(frozen=True)
class LocalFrame:
    """Azimuthal equidistant plane (nm) centred on ``(CENTER_LON, CENTER_LAT)``."""

    _to_xy: Transformer
    _to_lonlat: Transformer

    def to_lonlat(
        self, x_nm: ArrayLike, y_nm: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Convert plane coordinates (nm east, nm north) to lon/lat degrees."""
        x = np.asarray(x_nm, dtype=np.float64) * _M_PER_NM
        y = np.asarray(y_nm, dtype=np.float64) * _M_PER_NM
        lon, lat = self._to_lonlat.transform(x, y)
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)

    def to_xy(
        self, lon: ArrayLike, lat: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Convert lon/lat degrees to plane coordinates (nm east, nm north)."""
        x, y = self._to_xy.transform(
            np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        )
        return (
            np.asarray(x, dtype=np.float64) / _M_PER_NM,
            np.asarray(y, dtype=np.float64) / _M_PER_NM,
        )


@lru_cache(maxsize=1)
def local_frame() -> LocalFrame:
    """The scenario's local plane (cached)."""
    aeqd = (
        f"+proj=aeqd +lat_0={CENTER_LAT} +lon_0={CENTER_LON} +x_0=0 +y_0=0 "
        "+ellps=WGS84 +units=m +no_defs"
    )
    return LocalFrame(
        Transformer.from_crs("EPSG:4326", aeqd, always_xy=True),
        Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True),
    )


_RAY_STEP_NM = 0.25
_RAY_MAX_NM = 80.0
_D_LEVELS = np.arange(1.0, 61.0, 0.5)


@dataclass(frozen=True)
class RingTable:
    """Radius from the centre, per bearing and distance to the baseline.

    ``radius_nm[i, j]`` is the outermost radius (up to 80 nm) on the ray at
    bearing ``i`` degrees where the distance to the baseline equals
    ``d_levels[j]``. The table is meant for the sectors the planner uses (west,
    south and north of the main group); towards Taisho-jima, 50 nm east, rays
    meet a second island and large levels are not meaningful there.
    """

    d_levels: NDArray[np.float64]
    radius_nm: NDArray[np.float64]  # (361, len(d_levels)); row 360 repeats row 0

    def radius(self, theta_deg: ArrayLike, d_nm: ArrayLike) -> NDArray[np.float64]:
        """Bilinear radius (nm) at bearings ``theta_deg`` and baseline distances ``d_nm``."""
        th = np.mod(np.asarray(theta_deg, dtype=np.float64), 360.0)
        d = np.clip(np.asarray(d_nm, dtype=np.float64), self.d_levels[0], self.d_levels[-1])
        i0 = np.minimum(np.floor(th).astype(np.int64), 359)
        fi = th - i0
        step = self.d_levels[1] - self.d_levels[0]
        jf = (d - self.d_levels[0]) / step
        j0 = np.minimum(np.floor(jf).astype(np.int64), len(self.d_levels) - 2)
        fj = jf - j0
        r = self.radius_nm
        return np.asarray(
            (1 - fi) * ((1 - fj) * r[i0, j0] + fj * r[i0, j0 + 1])
            + fi * ((1 - fj) * r[i0 + 1, j0] + fj * r[i0 + 1, j0 + 1]),
            dtype=np.float64,
        )

    def xy(
        self, theta_deg: ArrayLike, d_nm: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Plane points (nm, 1-d arrays) at bearings and baseline distances."""
        theta = np.atleast_1d(np.asarray(theta_deg, dtype=np.float64))
        r = np.atleast_1d(self.radius(theta, d_nm))
        th = np.radians(theta)
        return r * np.sin(th), r * np.cos(th)

    def polar(
        self, x_nm: ArrayLike, y_nm: ArrayLike
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Bearing (degrees, 0-360) and table distance to the baseline of plane points."""
        x = np.atleast_1d(np.asarray(x_nm, dtype=np.float64))
        y = np.atleast_1d(np.asarray(y_nm, dtype=np.float64))
        th = np.mod(np.degrees(np.arctan2(x, y)), 360.0)
        r = np.hypot(x, y)
        i0 = np.minimum(np.floor(th).astype(np.int64), 359)
        fi = th - i0
        rows = (1 - fi)[:, None] * self.radius_nm[i0] + fi[:, None] * self.radius_nm[i0 + 1]
        d = np.empty_like(r)
        for k in range(len(r)):  # few points per call (planner waypoints)
            d[k] = np.interp(r[k], rows[k], self.d_levels)
        return th, d


@lru_cache(maxsize=1)
def ring_table() -> RingTable:
    """Build (once) the ring table from :func:`baseline_distance_nm` along 360 rays."""
    frame = local_frame()
    bearings = np.radians(np.arange(360.0))
    radii = np.arange(0.0, _RAY_MAX_NM + _RAY_STEP_NM / 2, _RAY_STEP_NM)
    x = np.outer(np.sin(bearings), radii)
    y = np.outer(np.cos(bearings), radii)
    lon, lat = frame.to_lonlat(x.ravel(), y.ravel())
    d = baseline_distance_nm(lon, lat).reshape(x.shape)
    n = len(radii)
    below = d[:, :, None] <= _D_LEVELS[None, None, :]  # (360, n, levels)
    any_below = below.any(axis=1)
    last = np.where(any_below, n - 1 - np.argmax(below[:, ::-1, :], axis=1), 0)
    k = np.minimum(last, n - 2)
    rows = np.arange(360)[:, None]
    d0 = d[rows, k]
    d1 = d[rows, k + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(d1 > d0, (_D_LEVELS[None, :] - d0) / (d1 - d0), 0.0)
    frac = np.clip(frac, 0.0, 1.0)
    table = np.empty((361, len(_D_LEVELS)))
    table[:360] = np.where(last >= n - 1, radii[-1], radii[k] + frac * _RAY_STEP_NM)
    table[360] = table[0]
    # enforce monotone radius in D (tiny numerical wiggles would break polar())
    table = np.maximum.accumulate(table, axis=1)
    return RingTable(_D_LEVELS.copy(), table)


_RASTER_STEP_NM = 0.25
_RASTER_HALF_NM = 66.0


@lru_cache(maxsize=1)
def _baseline_raster() -> NDArray[np.float64]:
    """Distance to the baseline on a 0.25 nm grid of the local plane (rows y, columns x)."""
    axis = np.arange(-_RASTER_HALF_NM, _RASTER_HALF_NM + _RASTER_STEP_NM / 2, _RASTER_STEP_NM)
    x, y = np.meshgrid(axis, axis)
    lon, lat = local_frame().to_lonlat(x.ravel(), y.ravel())
    return baseline_distance_nm(lon, lat).reshape(x.shape)


def approx_baseline_distance_nm(x_nm: ArrayLike, y_nm: ArrayLike) -> NDArray[np.float64]:
    """Distance to the baseline of plane points, interpolated on a 0.25 nm grid (planning only).

    Good to about 0.1 nm: enough to keep a planned path clear of a zone line.
    Points beyond 66 nm from the centre in x or y are clamped to the grid's edge.
    """
    raster = _baseline_raster()
    n = raster.shape[0]
    fx = np.clip((np.asarray(x_nm, np.float64) + _RASTER_HALF_NM) / _RASTER_STEP_NM, 0, n - 1.001)
    fy = np.clip((np.asarray(y_nm, np.float64) + _RASTER_HALF_NM) / _RASTER_STEP_NM, 0, n - 1.001)
    i, j = np.floor(fy).astype(np.int64), np.floor(fx).astype(np.int64)
    wy, wx = fy - i, fx - j
    return np.asarray(
        (1 - wy) * ((1 - wx) * raster[i, j] + wx * raster[i, j + 1])
        + wy * ((1 - wx) * raster[i + 1, j] + wx * raster[i + 1, j + 1]),
        dtype=np.float64,
    )


def grazes_zone_line(
    xs: ArrayLike,
    ys: ArrayLike,
    limits_nm: tuple[float, ...] = (12.0, 24.0),
    margin_nm: float = 0.6,
) -> bool:
    """Whether a planned polyline (plane nm) comes near a zone line without crossing it cleanly.

    The distance to the baseline is followed every 0.25 nm along the polyline;
    a turning point of it within ``margin_nm`` of a limit is a graze, and so is
    a crossing at a glancing angle (the distance changing by less than 0.3 nm
    per nm sailed): the ground truth cannot call such legs exactly.
    """
    px, py = np.asarray(xs, np.float64), np.asarray(ys, np.float64)
    seg = np.hypot(np.diff(px), np.diff(py))
    n = np.maximum(1, np.ceil(seg / _RASTER_STEP_NM).astype(np.int64))
    leg = np.repeat(np.arange(seg.size), n)
    frac = (np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)) / np.repeat(n, n)
    sx = np.r_[px[leg] + frac * (px[leg + 1] - px[leg]), px[-1]]
    sy = np.r_[py[leg] + frac * (py[leg + 1] - py[leg]), py[-1]]
    d = approx_baseline_distance_nm(sx, sy)
    turn = np.flatnonzero(np.diff(np.sign(np.diff(d))) != 0) + 1
    if any(abs(float(d[k]) - limit) < margin_nm for k in turn for limit in limits_nm):
        return True
    step = np.hypot(np.diff(sx), np.diff(sy))
    for limit in limits_nm:
        cross = np.flatnonzero(np.diff(np.sign(d - limit)) != 0)
        if np.any(np.abs(d[cross + 1] - d[cross]) < 0.3 * step[cross]):
            return True
    return False
