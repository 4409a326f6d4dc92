"""The on-land test of track cleaning: fixes on the zone set's own features."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely

from zonewatch.tracks import LandTest
from zonewatch.zones import ZoneSet
from zonewatch.zones.shared import GEOS_LOCK

__all__ = ["land_test"]


def land_test(zone_set: ZoneSet) -> LandTest:
    """A vectorized test ``(lon, lat) -> bool`` for fixes on the zone set's features."""
    land = shapely.union_all([f.geometry for f in zone_set.features])
    shapely.prepare(land)
    minx, miny, maxx, maxy = land.bounds if not land.is_empty else (0.0, 0.0, -1.0, -1.0)

    def on_land(
        lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.bool_]:
        out = np.zeros(lon.shape, dtype=bool)
        near = (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
        if near.any():
            with GEOS_LOCK:  # the prepared land is shared between the engine's threads
                out[near] = shapely.contains_xy(land, lon[near], lat[near])
        return out

    return on_land
