"""AIS gaps ("going dark"): no position from a vessel for at least ``min_gap_h``.

A gap lies between two consecutive cleaned fixes of one vessel (duplicates,
impossible fixes and fixes on land already removed). Each gap records where it
started and ended, the distance between, the implied speed, where both ends lie
relative to the zones (inside, near, distance to the baseline) and from shore,
and whether it is *likely intentional* after Global Fishing Watch: at least
``intentional_min_h`` long and starting at least ``intentional_min_shore_nm``
from shore (where reception is good, so silence is more likely a choice).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from pyproj import Geod

from zonewatch.events.records import empty_events, event_frame, num
from zonewatch.events.shore import ShoreModel
from zonewatch.events.zonestate import innermost_zone, near_zone, zone_label
from zonewatch.geo import METERS_PER_NM
from zonewatch.zones import ZoneSet

__all__ = ["GapParams", "gap_events"]

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class GapParams:
    """Parameters of AIS gaps (DOMAIN.md defaults, after GFW).

    Attributes
    ----------
    min_gap_h
        A gap is at least this long.
    intentional_min_h, intentional_min_shore_nm
        "Likely intentional": at least this long and starting at least this far from shore.
    near_zone_nm
        A gap end outside every zone but within this of the outermost zone is "near" it.
    """

    min_gap_h: float = 6.0
    intentional_min_h: float = 12.0
    intentional_min_shore_nm: float = 50.0
    near_zone_nm: float = 12.0

    def to_dict(self) -> dict[str, Any]:
        """The parameters as reported."""
        return {
            "min_gap_h": self.min_gap_h,
            "intentional_min_h": self.intentional_min_h,
            "intentional_min_shore_nm": self.intentional_min_shore_nm,
            "near_zone_nm": self.near_zone_nm,
        }


def _end_state(
    ts: dt.datetime,
    lon: float,
    lat: float,
    distance_nm: float,
    zone: str | None,
    near: str | None,
    shore_nm: float,
) -> dict[str, Any]:
    return {
        "ts": ts,
        "lon": round(lon, 6),
        "lat": round(lat, 6),
        "zone": zone,
        "near_zone": near,
        "distance_to_baseline_nm": num(distance_nm),
        "distance_from_shore_nm": num(shore_nm),
    }


def gap_events(
    fixes: pl.DataFrame,
    zone_set: ZoneSet,
    shore: ShoreModel,
    params: GapParams | None = None,
) -> pl.DataFrame:
    """``ais_gap`` events between consecutive fixes of each vessel.

    Parameters
    ----------
    fixes
        Cleaned fixes (``mmsi, ts, lon, lat``) sorted by ``mmsi, ts``; to see
        a gap that ends after the period, append each vessel's next fix.
    zone_set
        For the zone state of both ends.
    shore
        Distance from shore (for the "likely intentional" flag).
    params
        Thresholds.

    Returns
    -------
    polars.DataFrame
        Events at the start of each gap (``start``/``end`` are its ends);
        ``zone`` is the innermost zone either end lies in, ``min_distance_nm``
        the nearer end's distance to the baseline.
    """
    params = params or GapParams()
    if fixes.height < 2:
        return empty_events()
    min_ms = int(params.min_gap_h * 3_600_000)
    legs = (
        fixes.select("mmsi", "ts", "lon", "lat")
        .with_columns(
            pl.col("ts").shift(-1).alias("ts_b"),
            pl.col("lon").shift(-1).alias("lon_b"),
            pl.col("lat").shift(-1).alias("lat_b"),
            (pl.col("mmsi").shift(-1) == pl.col("mmsi")).alias("same"),
        )
        .filter(
            pl.col("same") & ((pl.col("ts_b") - pl.col("ts")).dt.total_milliseconds() >= min_ms)
        )
    )
    if legs.height == 0:
        return empty_events()
    lon_a, lat_a = legs["lon"].to_numpy(), legs["lat"].to_numpy()
    lon_b, lat_b = legs["lon_b"].to_numpy(), legs["lat_b"].to_numpy()
    _, _, meters = _GEOD.inv(lon_a, lat_a, lon_b, lat_b)
    distance_nm = np.asarray(meters, dtype=np.float64) / METERS_PER_NM
    hours = (legs["ts_b"] - legs["ts"]).dt.total_milliseconds().to_numpy() / 3_600_000.0
    d_a = zone_set.distance_nm(lon_a, lat_a)
    d_b = zone_set.distance_nm(lon_b, lat_b)
    zone_a, zone_b = innermost_zone(d_a, zone_set), innermost_zone(d_b, zone_set)
    near_a = near_zone(d_a, zone_set, params.near_zone_nm)
    near_b = near_zone(d_b, zone_set, params.near_zone_nm)
    shore_a = shore.distance_nm(lon_a, lat_a)
    shore_b = shore.distance_nm(lon_b, lat_b)
    order = {z.kind: z.distance_nm for z in zone_set.zones}

    zones: list[str | None] = []
    details: list[dict[str, Any]] = []
    starts = legs["ts"].to_list()
    ends = legs["ts_b"].to_list()
    for k in range(legs.height):
        inside = [z for z in (zone_a[k], zone_b[k]) if z is not None]
        zones.append(zone_label(min(inside, key=order.__getitem__), zone_set) if inside else None)
        intentional = bool(
            hours[k] >= params.intentional_min_h and shore_a[k] >= params.intentional_min_shore_nm
        )
        details.append(
            {
                "duration_h": round(float(hours[k]), 3),
                "distance_nm": round(float(distance_nm[k]), 3),
                "implied_speed_kn": round(float(distance_nm[k] / hours[k]), 3),
                "likely_intentional": intentional,
                "crosses_zone_boundary": zone_a[k] != zone_b[k],
                "start": _end_state(
                    starts[k],
                    float(lon_a[k]),
                    float(lat_a[k]),
                    float(d_a[k]),
                    zone_a[k],
                    near_a[k],
                    float(shore_a[k]),
                ),
                "end": _end_state(
                    ends[k],
                    float(lon_b[k]),
                    float(lat_b[k]),
                    float(d_b[k]),
                    zone_b[k],
                    near_b[k],
                    float(shore_b[k]),
                ),
            }
        )
    return event_frame(
        "ais_gap",
        mmsi=legs["mmsi"].to_list(),
        start=starts,
        end=ends,
        lon=lon_a.tolist(),
        lat=lat_a.tolist(),
        zone=zones,
        min_distance_nm=np.minimum(d_a, d_b).tolist(),
        detail=details,
    )
