"""Small vectorized geodesy helpers shared by the stages."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["EARTH_RADIUS_M", "METERS_PER_NM", "haversine_nm"]

METERS_PER_NM = 1852.0
"""One international nautical mile in metres."""

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG) in metres, for spherical approximations."""


def haversine_nm(
    lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Great-circle distance in nautical miles on the mean sphere.

    Accurate to about 0.5 %: good for speed checks and bounds, not for zone
    membership (use the zone set's geodesic distance there).

    Examples
    --------
    >>> round(float(haversine_nm(123.0, 25.0, 123.0, 26.0)), 1)
    60.0
    """
    lon1_r, lat1_r, lon2_r, lat2_r = (
        np.radians(np.asarray(v, dtype=np.float64)) for v in (lon1, lat1, lon2, lat2)
    )
    a = (
        np.sin((lat2_r - lat1_r) / 2.0) ** 2
        + np.cos(lat1_r) * np.cos(lat2_r) * np.sin((lon2_r - lon1_r) / 2.0) ** 2
    )
    meters = 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return np.asarray(meters / METERS_PER_NM, dtype=np.float64)
