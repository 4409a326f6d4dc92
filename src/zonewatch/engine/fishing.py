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
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from zonewatch.nmea.jit import njit

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
        :data:`BOX_SCHEMA`, sorted by ``mmsi, hour``.

    Examples
    --------
    >>> import datetime as dt
    >>> t0 = dt.datetime(2024, 5, 1, 10, 30, tzinfo=dt.UTC)
    >>> fixes = pl.DataFrame({"mmsi": [7, 7], "ts": [t0, t0 + dt.timedelta(hours=1)],
    ...                       "lon": [123.0, 123.2], "lat": [25.0, 25.1]})
    >>> boxes = hour_boxes(fixes, 6.0)  # the leg overlaps two hours
    >>> [(h.hour, lo, hi) for h, lo, hi in boxes.select("hour", "lo_lon", "hi_lon").rows()]
    [(10, 123.0, 123.2), (11, 123.0, 123.2)]
    """
    if fixes.height == 0:
        return pl.DataFrame(schema=BOX_SCHEMA)
    mmsi = np.ascontiguousarray(fixes["mmsi"].cast(pl.UInt32).to_numpy())
    ts = np.ascontiguousarray(fixes["ts"].dt.epoch("ms").to_numpy().astype(np.int64))
    lon = np.ascontiguousarray(fixes["lon"].to_numpy().astype(np.float64))
    lat = np.ascontiguousarray(fixes["lat"].to_numpy().astype(np.float64))
    gap_ms = int(max_gap_h * 3_600_000)
    n_out = _count_hours(mmsi, ts, gap_ms)
    out_mmsi = np.empty(n_out, dtype=np.uint32)
    out_hour = np.empty(n_out, dtype=np.int64)
    box = np.empty((4, n_out), dtype=np.float64)
    wraps = np.empty(n_out, dtype=np.bool_)
    written = _fill_hours(mmsi, ts, lon, lat, gap_ms, out_mmsi, out_hour, box, wraps)
    assert written == n_out, (written, n_out)
    return pl.DataFrame(
        {
            "mmsi": out_mmsi,
            "hour": pl.Series(out_hour).cast(_UTC_MS),
            "lo_lon": box[0],
            "lo_lat": box[1],
            "hi_lon": box[2],
            "hi_lat": box[3],
            "wraps": wraps,
        },
        schema=BOX_SCHEMA,
    )


_HOUR_MS = 3_600_000


@njit
def _next_of(mmsi: Any, ts: Any, i: int, gap_ms: int) -> int:
    """The fix leg ``i`` runs to: the vessel's next fix, or ``i`` itself at a gap or the end."""
    j = i + 1
    if j < mmsi.size and mmsi[j] == mmsi[i] and ts[j] - ts[i] <= gap_ms:
        return j
    return i


@njit
def _count_hours(mmsi: Any, ts: Any, gap_ms: int) -> int:
    """How many (vessel, hour) boxes :func:`_fill_hours` writes."""
    n = 0
    open_mmsi = -1
    open_hour = 0
    for i in range(mmsi.size):
        j = _next_of(mmsi, ts, i, gap_ms)
        h1 = (ts[i] // _HOUR_MS) * _HOUR_MS
        h2 = (ts[j] // _HOUR_MS) * _HOUR_MS
        if not (open_mmsi == mmsi[i] and open_hour == h1):
            n += 1
        n += (h2 - h1) // _HOUR_MS
        open_mmsi = mmsi[i]
        open_hour = h2
    return n


@njit
def _fill_hours(
    mmsi: Any,
    ts: Any,
    lon: Any,
    lat: Any,
    gap_ms: int,
    out_mmsi: Any,
    out_hour: Any,
    box: Any,
    wraps: Any,
) -> int:
    """Per vessel and hour, the box of the legs overlapping the hour; returns how many.

    A vessel's legs follow each other in time, so the hours they touch come in
    order and only the last hour of one leg is shared with the next: one open
    box at a time is enough.
    """
    k = -1
    open_mmsi = -1
    open_hour = 0
    for i in range(mmsi.size):
        j = _next_of(mmsi, ts, i, gap_ms)
        lo_lon = min(lon[i], lon[j])
        hi_lon = max(lon[i], lon[j])
        lo_lat = min(lat[i], lat[j])
        hi_lat = max(lat[i], lat[j])
        wrap = abs(lon[i] - lon[j]) >= 180.0
        h1 = (ts[i] // _HOUR_MS) * _HOUR_MS
        h2 = (ts[j] // _HOUR_MS) * _HOUR_MS
        h = h1
        while h <= h2:
            if k >= 0 and open_mmsi == mmsi[i] and open_hour == h:
                box[0, k] = min(box[0, k], lo_lon)
                box[1, k] = min(box[1, k], lo_lat)
                box[2, k] = max(box[2, k], hi_lon)
                box[3, k] = max(box[3, k], hi_lat)
                wraps[k] = wraps[k] or wrap
            else:
                k += 1
                out_mmsi[k] = mmsi[i]
                out_hour[k] = h
                box[0, k] = lo_lon
                box[1, k] = lo_lat
                box[2, k] = hi_lon
                box[3, k] = hi_lat
                wraps[k] = wrap
                open_mmsi = mmsi[i]
                open_hour = h
            h += _HOUR_MS
    return k + 1


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
