"""Hand-built position frames for event tests, and a runner of the detectors on them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl
from pyproj import Geod

from zonewatch.engine.local import land_test
from zonewatch.events.detect import EventParams, detect_events
from zonewatch.events.integrity import is_null_island
from zonewatch.events.shore import Shore, ShoreModel
from zonewatch.tracks import clean_tracks
from zonewatch.zones import ZoneSet, load_zone_set

GEOD = Geod(ellps="WGS84")
T0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
OPEN_SEA = (127.0, 24.0)  # > 100 nm from any land
SENKAKU = load_zone_set("senkaku")

Row = tuple[int, dt.datetime, float, float, float | None]

SCHEMA = {
    "mmsi": pl.UInt32,
    "ts": pl.Datetime("ms", "UTC"),
    "lon": pl.Float64,
    "lat": pl.Float64,
    "sog": pl.Float32,
    "msg_type": pl.UInt8,
}


def offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    """The point ``east_m`` east and ``north_m`` north of (lon, lat) (geodesic)."""
    dist = float(np.hypot(east_m, north_m))
    if dist == 0:
        return lon, lat
    az = float(np.degrees(np.arctan2(east_m, north_m)))
    lon2, lat2, _ = GEOD.fwd(lon, lat, az, dist)
    return float(lon2), float(lat2)


def frame(rows: Iterable[Row]) -> pl.DataFrame:
    """A positions frame (the columns the detectors use) from rows."""
    rows = list(rows)
    return pl.DataFrame(
        {
            "mmsi": [r[0] for r in rows],
            "ts": [r[1] for r in rows],
            "lon": [r[2] for r in rows],
            "lat": [r[3] for r in rows],
            "sog": [r[4] for r in rows],
            "msg_type": [1] * len(rows),
        },
        schema=SCHEMA,
    )


def times(start: dt.datetime, end: dt.datetime, step_s: float) -> list[dt.datetime]:
    """``start``, ``start + step``, ... up to ``end`` inclusive."""
    out = []
    t = start
    while t <= end:
        out.append(t)
        t += dt.timedelta(seconds=step_s)
    return out


def stay(
    mmsi: int,
    at: Sequence[dt.datetime],
    lon: float,
    lat: float,
    sog: float | None = 0.3,
) -> list[Row]:
    """Fixes at one point."""
    return [(mmsi, t, lon, lat, sog) for t in at]


def line(
    mmsi: int,
    at: Sequence[dt.datetime],
    start: tuple[float, float],
    end: tuple[float, float],
    sog: float | None = None,
) -> list[Row]:
    """Fixes moving in a straight line (lon/lat, linear in time) from ``start`` to ``end``."""
    t0, t1 = at[0].timestamp(), at[-1].timestamp()
    rows = []
    for t in at:
        w = 0.0 if t1 == t0 else (t.timestamp() - t0) / (t1 - t0)
        lon = start[0] + w * (end[0] - start[0])
        lat = start[1] + w * (end[1] - start[1])
        rows.append((mmsi, t, lon, lat, sog))
    return rows


def run(
    positions: pl.DataFrame,
    kinds: Sequence[str],
    *,
    shore: ShoreModel | None = None,
    fleet: Sequence[int] = (),
    fishing: Sequence[int] = (),
    params: EventParams | None = None,
    zone_set: ZoneSet = SENKAKU,
) -> pl.DataFrame:
    """Clean as the engine does, then detect ``kinds`` (default shore: the zone set's features)."""
    params = params or EventParams()
    null = is_null_island(positions["lon"].to_numpy(), positions["lat"].to_numpy())
    tracks = clean_tracks(
        positions.filter(~pl.Series(null)), params.track, on_land=land_test(zone_set)
    )
    return detect_events(
        positions,
        tracks,
        zone_set,
        shore=shore or Shore(zone_set=zone_set),
        fleet_mmsis=list(fleet),
        fishing_mmsis=list(fishing),
        params=params,
        kinds=kinds,
    )
