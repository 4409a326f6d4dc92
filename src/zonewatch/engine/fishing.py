"""Fishing vessels near intrusions: where to look, and whom to compare.

An incident records whether a non-fleet fishing vessel came within 1 nm of a
fleet vessel during it (DOMAIN.md). Comparing every fishing vessel with every
incident is the slow part of a large report; this module narrows it, exactly:
the fleet vessels' interpolated positions during an incident lie within the
box of their fixes around it, so a fishing vessel can only come within the
distance while on a leg (or at a fix) that reaches that box widened by the
distance. Only such vessels are compared on their interpolated tracks.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import polars as pl

__all__ = ["AROUND", "Area", "incident_area", "near_area"]

AROUND = dt.timedelta(hours=6)
"""Fixes this long before and after an incident are used to interpolate tracks during it."""

_UTC_MS = pl.Datetime("ms", "UTC")


@dataclass(frozen=True)
class Area:
    """Where and when a fishing vessel must be to be compared with an incident's vessels.

    Attributes
    ----------
    start, end
        The fixes used (inclusive): the incident with :data:`AROUND` on both sides.
    min_lon, min_lat, max_lon, max_lat
        The fleet vessels' fixes in that time, widened by the distance (whole
        longitudes when the box would cross the antimeridian).
    """

    start: dt.datetime
    end: dt.datetime
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


def incident_area(
    start: dt.datetime,
    end: dt.datetime,
    vessels: tuple[int, ...],
    fleet_fixes: pl.DataFrame,
    distance_nm: float,
) -> Area | None:
    """The area of one incident (None when its vessels have no fix around it)."""
    lo, hi = start - AROUND, end + AROUND
    ships = fleet_fixes.filter(
        pl.col("mmsi").is_in(pl.Series(vessels, dtype=pl.UInt32).implode())
        & (pl.col("ts") >= pl.lit(lo).cast(_UTC_MS))
        & (pl.col("ts") <= pl.lit(hi).cast(_UTC_MS))
    )
    if ships.height == 0:
        return None
    # one nautical mile is a little less than one minute of arc: widen generously
    pad_lat = distance_nm / 60.0 * 1.01 + 1e-9
    min_lat = max(float(ships["lat"].min()) - pad_lat, -90.0)  # type: ignore[arg-type]
    max_lat = min(float(ships["lat"].max()) + pad_lat, 90.0)  # type: ignore[arg-type]
    min_lon = float(ships["lon"].min())  # type: ignore[arg-type]
    max_lon = float(ships["lon"].max())  # type: ignore[arg-type]
    cos_lat = math.cos(math.radians(min(max(abs(min_lat), abs(max_lat)), 89.9)))
    pad_lon = pad_lat / cos_lat
    if max_lon - min_lon + 2 * pad_lon >= 180.0:
        min_lon, max_lon = -180.0, 180.0
    else:
        min_lon, max_lon = min_lon - pad_lon, max_lon + pad_lon
    return Area(lo, hi, min_lon, min_lat, max_lon, max_lat)


def near_area(fixes: pl.DataFrame, area: Area) -> pl.Series:
    """MMSIs of the vessels whose track (fixes in the area's time) reaches the area.

    Parameters
    ----------
    fixes
        Cleaned fixes ``mmsi, ts, lon, lat``, sorted by ``mmsi, ts``.
    area
        From :func:`incident_area`.

    Returns
    -------
    polars.Series
        Sorted unique MMSIs (a superset of those that come within the distance).
    """
    during = fixes.filter(
        (pl.col("ts") >= pl.lit(area.start).cast(_UTC_MS))
        & (pl.col("ts") <= pl.lit(area.end).cast(_UTC_MS))
    ).select("mmsi", "lon", "lat")
    if during.height == 0:
        return pl.Series("mmsi", [], dtype=pl.UInt32)
    same = pl.col("mmsi").shift(-1) == pl.col("mmsi")
    nxt_lon = pl.when(same).then(pl.col("lon").shift(-1)).otherwise(pl.col("lon"))
    nxt_lat = pl.when(same).then(pl.col("lat").shift(-1)).otherwise(pl.col("lat"))
    legs = during.with_columns(nxt_lon.alias("lon2"), nxt_lat.alias("lat2"))
    wraps = (pl.col("lon") - pl.col("lon2")).abs() >= 180.0  # a leg over the antimeridian
    reach = (
        (pl.max_horizontal("lat", "lat2") >= area.min_lat)
        & (pl.min_horizontal("lat", "lat2") <= area.max_lat)
        & (
            wraps
            | (
                (pl.max_horizontal("lon", "lon2") >= area.min_lon)
                & (pl.min_horizontal("lon", "lon2") <= area.max_lon)
            )
        )
    )
    return legs.filter(reach)["mmsi"].cast(pl.UInt32).unique().sort()
