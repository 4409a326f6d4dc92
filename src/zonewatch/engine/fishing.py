"""Fishing vessels near intrusions: where to look, and whom to compare.

An incident records whether a non-fleet fishing vessel came within 1 nm of a
fleet vessel during it (DOMAIN.md). Comparing every fishing vessel with every
incident is the slow part of a large report; this module narrows it, exactly:
the fleet vessels' interpolated positions during an incident lie within the
box of their fixes around it, so a fishing vessel can only come within the
distance while on a leg (or at a fix) that reaches that box widened by the
distance. Only such vessels are compared on their interpolated tracks.

To find them without reading every fishing vessel again, the report's tiles
keep, per fishing vessel and hour, the box of its track legs in that hour
(:func:`hour_boxes`); the vessels whose boxes reach an incident's area
(:func:`boxes_near`) are the only ones read again, and of those, the ones
whose legs reach it (:func:`near_area`) are compared. A leg across a gap
longer than the track's segment gap is never interpolated (its ends are in
different segments), so it counts as its two fixes only.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

__all__ = [
    "AROUND",
    "BOX_SCHEMA",
    "Area",
    "boxes_near",
    "hour_boxes",
    "incident_areas",
    "near_area",
]

AROUND = dt.timedelta(hours=6)
"""Fixes this long before and after an incident are used to interpolate tracks during it."""

_UTC_MS = pl.Datetime("ms", "UTC")
FloatArray = npt.NDArray[np.float64]


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


def incident_areas(
    incidents: list[tuple[dt.datetime, dt.datetime, tuple[int, ...]]],
    fleet_fixes: pl.DataFrame,
    distance_nm: float,
) -> list[Area | None]:
    """The area of each incident ``(start, end, vessels)``.

    None for an incident whose vessels have no fix around it.
    """
    tracks: dict[int, tuple[npt.NDArray[np.int64], FloatArray, FloatArray]] = {}
    frame = fleet_fixes.select("mmsi", "ts", "lon", "lat").sort("mmsi", "ts")
    for key, group in frame.group_by("mmsi", maintain_order=True):
        tracks[int(str(key[0]))] = (
            group["ts"].dt.epoch("ms").to_numpy(),
            group["lon"].to_numpy(),
            group["lat"].to_numpy(),
        )
    pad_lat = distance_nm / 60.0 * 1.01 + 1e-9  # a nautical mile is a little under 1' of arc
    out: list[Area | None] = []
    for start, end, vessels in incidents:
        lo, hi = start - AROUND, end + AROUND
        lo_ms, hi_ms = _ms(lo), _ms(hi)
        lons, lats = [], []
        for mmsi in vessels:
            if mmsi not in tracks:
                continue
            ts, lon, lat = tracks[mmsi]
            a, b = np.searchsorted(ts, lo_ms, "left"), np.searchsorted(ts, hi_ms, "right")
            lons.append(lon[a:b])
            lats.append(lat[a:b])
        lon_all = np.concatenate(lons) if lons else np.zeros(0)
        lat_all = np.concatenate(lats) if lats else np.zeros(0)
        if lon_all.size == 0:
            out.append(None)
            continue
        min_lat = max(float(lat_all.min()) - pad_lat, -90.0)
        max_lat = min(float(lat_all.max()) + pad_lat, 90.0)
        cos_lat = math.cos(math.radians(min(max(abs(min_lat), abs(max_lat)), 89.9)))
        pad_lon = pad_lat / cos_lat
        min_lon, max_lon = float(lon_all.min()), float(lon_all.max())
        if max_lon - min_lon + 2 * pad_lon >= 180.0:
            min_lon, max_lon = -180.0, 180.0
        else:
            min_lon, max_lon = min_lon - pad_lon, max_lon + pad_lon
        out.append(Area(lo, hi, min_lon, min_lat, max_lon, max_lat))
    return out


def _ms(t: dt.datetime) -> int:
    return int(t.timestamp() * 1000)


def _legs(fixes: pl.DataFrame, max_gap_h: float) -> pl.DataFrame:
    """Each fix with the next fix of its vessel (itself at a gap or at the track's end)."""
    gap_ms = int(max_gap_h * 3_600_000)
    same = (pl.col("mmsi").shift(-1) == pl.col("mmsi")) & (
        (pl.col("ts").shift(-1) - pl.col("ts")).dt.total_milliseconds() <= gap_ms
    )
    return fixes.select(
        "mmsi",
        "ts",
        "lon",
        "lat",
        pl.when(same).then(pl.col("ts").shift(-1)).otherwise(pl.col("ts")).alias("ts2"),
        pl.when(same).then(pl.col("lon").shift(-1)).otherwise(pl.col("lon")).alias("lon2"),
        pl.when(same).then(pl.col("lat").shift(-1)).otherwise(pl.col("lat")).alias("lat2"),
    )


def _reaches(
    min_lon: float, min_lat: float, max_lon: float, max_lat: float, wraps: pl.Expr
) -> pl.Expr:
    """Boxes (``lo_lon, lo_lat, hi_lon, hi_lat``) that meet the given box."""
    return (
        (pl.col("hi_lat") >= min_lat)
        & (pl.col("lo_lat") <= max_lat)
        & (wraps | ((pl.col("hi_lon") >= min_lon) & (pl.col("lo_lon") <= max_lon)))
    )


def _leg_boxes(legs: pl.DataFrame) -> pl.DataFrame:
    return legs.with_columns(
        pl.min_horizontal("lon", "lon2").alias("lo_lon"),
        pl.max_horizontal("lon", "lon2").alias("hi_lon"),
        pl.min_horizontal("lat", "lat2").alias("lo_lat"),
        pl.max_horizontal("lat", "lat2").alias("hi_lat"),
        ((pl.col("lon") - pl.col("lon2")).abs() >= 180.0).alias("wraps"),
    )


def near_area(fixes: pl.DataFrame, area: Area, max_gap_h: float) -> pl.Series:
    """MMSIs of the vessels whose track (fixes in the area's time) reaches the area.

    Parameters
    ----------
    fixes
        Cleaned fixes ``mmsi, ts, lon, lat``, sorted by ``mmsi, ts``.
    area
        From :func:`incident_area`.
    max_gap_h
        The track's segment gap: longer legs are not interpolated.

    Returns
    -------
    polars.Series
        Sorted unique MMSIs (a superset of those that come within the distance).
    """
    during = fixes.filter(
        (pl.col("ts") >= pl.lit(area.start).cast(_UTC_MS))
        & (pl.col("ts") <= pl.lit(area.end).cast(_UTC_MS))
    )
    if during.height == 0:
        return pl.Series("mmsi", [], dtype=pl.UInt32)
    legs = _leg_boxes(_legs(during, max_gap_h))
    hit = legs.filter(
        _reaches(area.min_lon, area.min_lat, area.max_lon, area.max_lat, pl.col("wraps"))
    )
    return hit["mmsi"].cast(pl.UInt32).unique().sort()


BOX_SCHEMA: dict[str, pl.DataType] = {
    "mmsi": pl.UInt32(),
    "hour": _UTC_MS,
    "lo_lon": pl.Float64(),
    "lo_lat": pl.Float64(),
    "hi_lon": pl.Float64(),
    "hi_lat": pl.Float64(),
    "wraps": pl.Boolean(),
}
"""Per vessel and hour: the box of the track legs that overlap the hour."""


def hour_boxes(fixes: pl.DataFrame, max_gap_h: float) -> pl.DataFrame:
    """Per vessel and UTC hour, the box of its legs (and lone fixes) in that hour.

    Every interpolated position of a vessel at a time in an hour lies in that
    hour's box (a leg is counted in every hour it overlaps).

    Parameters
    ----------
    fixes
        Cleaned fixes ``mmsi, ts, lon, lat``, sorted by ``mmsi, ts``.
    max_gap_h
        The track's segment gap.

    Returns
    -------
    polars.DataFrame
        :data:`BOX_SCHEMA`.
    """
    if fixes.height == 0:
        return pl.DataFrame(schema=BOX_SCHEMA)
    legs = _leg_boxes(_legs(fixes, max_gap_h)).with_columns(
        pl.col("ts").dt.truncate("1h").alias("hour"), pl.col("ts2").dt.truncate("1h").alias("_h2")
    )
    box = ["mmsi", "lo_lon", "lo_lat", "hi_lon", "hi_lat", "wraps"]
    single = legs.filter(pl.col("hour") == pl.col("_h2")).select(*box, "hour")
    # legs over an hour's end count in every hour they overlap
    multi = (
        legs.filter(pl.col("hour") != pl.col("_h2"))
        .select(*box, pl.datetime_ranges("hour", "_h2", "1h").alias("hour"))
        .explode("hour")
    )
    hours = pl.concat([single, multi], how="vertical_relaxed")
    boxes = hours.group_by("mmsi", "hour").agg(
        pl.col("lo_lon").min(),
        pl.col("lo_lat").min(),
        pl.col("hi_lon").max(),
        pl.col("hi_lat").max(),
        pl.col("wraps").any(),
    )
    return boxes.select(list(BOX_SCHEMA)).cast(BOX_SCHEMA)  # type: ignore[arg-type]


def boxes_near(boxes: pl.DataFrame, areas: list[Area]) -> pl.Series:
    """MMSIs whose hour boxes reach one of the areas in its time.

    A superset of the vessels :func:`near_area` finds for those areas.
    """
    if boxes.height == 0 or not areas:
        return pl.Series("mmsi", [], dtype=pl.UInt32)
    frame = boxes.sort("hour")
    hour = frame["hour"].dt.epoch("ms").to_numpy()
    mmsi = frame["mmsi"].to_numpy()
    lo_lon, hi_lon = frame["lo_lon"].to_numpy(), frame["hi_lon"].to_numpy()
    lo_lat, hi_lat = frame["lo_lat"].to_numpy(), frame["hi_lat"].to_numpy()
    wraps = frame["wraps"].to_numpy()
    found = []
    for area in areas:
        first = _ms(area.start) // 3_600_000 * 3_600_000
        a = np.searchsorted(hour, first, "left")
        b = np.searchsorted(hour, _ms(area.end), "right")
        sl = slice(a, b)
        hit = (
            (hi_lat[sl] >= area.min_lat)
            & (lo_lat[sl] <= area.max_lat)
            & (wraps[sl] | ((hi_lon[sl] >= area.min_lon) & (lo_lon[sl] <= area.max_lon)))
        )
        found.append(mmsi[sl][hit])
    values = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.uint32)
    return pl.Series("mmsi", values, dtype=pl.UInt32)
