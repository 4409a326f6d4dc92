"""Hand-built reports, a stand-in zone set and fake tracks for the report renderers.

Plain functions; ``conftest.py`` turns them into fixtures.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import shapely
from shapely.geometry import Point

from zonewatch.report.model import (
    ContiguousRun,
    Counts,
    DayPresence,
    Incident,
    InputSummary,
    MonthCounts,
    Report,
    VesselInfo,
)

JST = ZoneInfo("Asia/Tokyo")
CCG_A = 413000001
CCG_B = 413000002
CCG_C = 413000003
NM_DEG = 1 / 60.0
LAT0 = 25.8
PARAMETERS = {
    "max_speed_kn": 50.0,
    "max_gap_h": 6.0,
    "duplicate_window_s": 10.0,
    "merge_gap_h": 1.0,
    "fishing_distance_nm": 1.0,
    "territorial_sea_nm": 12.0,
    "contiguous_zone_nm": 24.0,
    "day_boundary": "local midnight (Asia/Tokyo)",
    "interpolation": "straight line between fixes within a segment",
    "crossing_step_nm": 0.05,
}
ISLANDS = {
    "Uotsuri-shima": (123.476, 25.744),
    "Kita-kojima": (123.533, 25.722),
    "Minami-kojima": (123.550, 25.717),
    "Kuba-shima": (123.683, 25.922),
    "Taisho-jima": (124.553, 25.922),
}


@dataclass(frozen=True)
class Feature:
    name: str
    geometry: Any


@dataclass(frozen=True)
class StandInZoneSet:
    """Has what the map needs of ``zonewatch.zones.ZoneSet`` (zones drawn in degrees: test only)."""

    name: str
    timezone: str
    features: tuple[Feature, ...]
    attribution: str
    note: str

    def zone_geometries(self) -> dict[str, Any]:
        land = shapely.union_all([f.geometry for f in self.features])

        def within(distance_nm: float) -> Any:
            # buffer in a frame where degrees of lon and lat have the same length
            scale = math.cos(math.radians(LAT0))
            squeezed = shapely.transform(land, lambda xy: xy * [scale, 1.0])
            grown = shapely.buffer(squeezed, distance_nm * NM_DEG, quad_segs=32)
            return shapely.transform(grown, lambda xy: xy / [scale, 1.0])

        ts = within(12.0)
        return {"territorial_sea": ts, "contiguous_zone": within(24.0).difference(ts)}


def island(lon: float, lat: float, radius_deg: float = 0.006) -> Any:
    return shapely.buffer(Point(lon, lat), radius_deg, quad_segs=6)


def stand_in_zone_set() -> StandInZoneSet:
    return StandInZoneSet(
        name="senkaku",
        timezone="Asia/Tokyo",
        features=tuple(Feature(name, island(*pos)) for name, pos in ISLANDS.items()),
        attribution="© OpenStreetMap contributors, ODbL",
        note="Approximate outlines.",
    )


def empty_report() -> Report:
    return Report(
        zone_set="senkaku",
        timezone="Asia/Tokyo",
        fleet="china-government",
        period_start=dt.date(2024, 3, 1),
        period_end=dt.date(2024, 3, 3),
        parameters={},
        totals=Counts(),
        months=(),
        days=(),
        incidents=(),
        vessels=(),
        input=InputSummary(),
        longest_contiguous_zone_run=ContiguousRun(0, None, None),
    )


def jst(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JST)


def small_report() -> Report:
    """Two months, four days with presence, two incidents, three vessels."""
    days = (
        DayPresence(dt.date(2024, 1, 5), (CCG_A, CCG_B), ()),
        DayPresence(dt.date(2024, 1, 6), (CCG_A, CCG_B), (CCG_A,)),
        DayPresence(dt.date(2024, 1, 31), (CCG_C,), ()),
        DayPresence(dt.date(2024, 2, 10), (CCG_A,), (CCG_A,)),
    )
    jan = Counts(3, 5, 1, 1, 1)
    feb = Counts(1, 1, 1, 1, 1)
    incidents = (
        Incident(
            id="TS-20240106-0930-a1b2c3",
            start=jst(2024, 1, 6, 9, 30),
            end=jst(2024, 1, 6, 12, 0),
            vessels=(CCG_A,),
            min_distance_nm=10.25,
            fishing_vessel_nearby=False,
            closest_lon=123.61,
            closest_lat=25.83,
            closest_mmsi=CCG_A,
        ),
        Incident(
            id="TS-20240210-2300-d4e5f6",
            start=jst(2024, 2, 10, 23, 0),
            end=jst(2024, 2, 11, 1, 45),
            vessels=(CCG_A, CCG_B),
            min_distance_nm=7.5,
            fishing_vessel_nearby=True,
            closest_lon=123.40,
            closest_lat=25.79,
            closest_mmsi=CCG_B,
        ),
    )
    vessels = (
        VesselInfo(CCG_A, "CHINA COAST GUARD 2502", "BVXX", "CN", "name pattern CHINACOASTGUARD"),
        VesselInfo(CCG_B, "海警2302", None, "CN", "fleet file line 3"),
        VesselInfo(CCG_C, None, None, "CN", "ship type 55 law enforcement (flag CN)"),
    )
    return Report(
        zone_set="senkaku",
        timezone="Asia/Tokyo",
        fleet="china-government",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 2, 29),
        parameters=PARAMETERS,
        totals=Counts(4, 6, 2, 2, 2),
        months=(MonthCounts("2024-01", jan), MonthCounts("2024-02", feb)),
        days=days,
        incidents=incidents,
        vessels=vessels,
        input=InputSummary(
            lines=1000,
            decoded=950,
            rejected=40,
            pending=10,
            rejected_by_reason={"checksum": 30, "truncated": 10},
            files=2,
            positions=900,
            statics=50,
        ),
        longest_contiguous_zone_run=ContiguousRun(2, dt.date(2024, 1, 5), dt.date(2024, 1, 6)),
        notes=("Days are calendar days in Asia/Tokyo.", "Zone outlines: approximate."),
    )


def track_frame(mmsi: list[int], ts: list[dt.datetime], lon: list[float], lat: list[float],
                segment: list[int]) -> pl.DataFrame:  # fmt: skip
    return pl.DataFrame(
        {"mmsi": mmsi, "ts": ts, "lon": lon, "lat": lat, "segment": segment},
        schema={
            "mmsi": pl.UInt32,
            "ts": pl.Datetime("ms", "UTC"),
            "lon": pl.Float64,
            "lat": pl.Float64,
            "segment": pl.UInt32,
        },
    )


def small_tracks() -> pl.DataFrame:
    """Vessel A: two segments in January and one fix before the period; B: three fixes."""
    utc = dt.UTC
    rows = [
        (CCG_A, dt.datetime(2023, 12, 31, 12, 0, tzinfo=utc), 123.2, 25.6, 0),  # before period
        (CCG_A, dt.datetime(2024, 1, 6, 0, 0, tzinfo=utc), 123.70, 25.90, 0),
        (CCG_A, dt.datetime(2024, 1, 6, 0, 30, tzinfo=utc), 123.65, 25.85, 0),
        (CCG_A, dt.datetime(2024, 1, 6, 1, 0, tzinfo=utc), 123.61, 25.83, 0),
        (CCG_A, dt.datetime(2024, 1, 7, 0, 0, tzinfo=utc), 123.80, 26.00, 1),
        (CCG_A, dt.datetime(2024, 1, 7, 0, 30, tzinfo=utc), 123.85, 26.02, 1),
        (CCG_B, dt.datetime(2024, 2, 10, 14, 0, tzinfo=utc), 123.30, 25.70, 0),
        (CCG_B, dt.datetime(2024, 2, 10, 14, 30, tzinfo=utc), 123.40, 25.79, 0),
        (CCG_B, dt.datetime(2024, 2, 10, 15, 0, tzinfo=utc), 123.45, 25.85, 0),
    ]
    return track_frame(*(list(col) for col in zip(*rows, strict=True)))


def year_of_patrols(
    n_vessels: int = 10, step_min: int = 5, seed: int = 7
) -> tuple[Report, pl.DataFrame]:
    """A realistic-sized year: ``n_vessels`` ships circling the islands, with AIS gaps."""
    rng = np.random.default_rng(seed)
    start = dt.datetime(2024, 1, 1, tzinfo=JST).astimezone(dt.UTC)
    n = int(366 * 24 * 60 / step_min)
    t_s = np.arange(n, dtype=np.int64) * step_min * 60
    frames = []
    vessels = []
    for k in range(n_vessels):
        mmsi = 413100000 + k
        phase = rng.uniform(0, 2 * np.pi)
        radius_nm = 18 + 8 * np.sin(t_s / 86400 / 9 + phase) + rng.normal(0, 0.3, n).cumsum() * 0.01
        angle = phase + t_s / 3600 * 12 / (2 * np.pi * 20)
        lon = 123.55 + radius_nm * np.cos(angle) * NM_DEG / math.cos(math.radians(LAT0))
        lat = 25.78 + radius_nm * np.sin(angle) * NM_DEG
        keep = rng.random(n) > 0.02  # receiver dropouts
        day = t_s // 86400
        off_station = (day + k * 11) % 40 >= 30  # ten days off station out of forty
        keep &= ~off_station
        ts_kept = t_s[keep]
        gap = np.diff(ts_kept, prepend=ts_kept[0]) > 6 * 3600
        segment = np.cumsum(gap).astype(np.uint32)
        frames.append(
            pl.DataFrame(
                {
                    "mmsi": np.full(keep.sum(), mmsi, dtype=np.uint32),
                    "ts": np.datetime64(start.replace(tzinfo=None), "ms")
                    + ts_kept.astype("timedelta64[s]"),
                    "lon": lon[keep],
                    "lat": lat[keep],
                    "segment": segment,
                }
            ).with_columns(pl.col("ts").dt.replace_time_zone("UTC"))
        )
        vessels.append(
            VesselInfo(mmsi, f"CHINA COAST GUARD {2301 + k}", None, "CN", "name pattern")
        )
    tracks = pl.concat(frames)
    incidents = tuple(
        Incident(
            id=f"TS-2024{m:02d}{d:02d}-1000-{m:02d}{d:02d}ab",
            start=jst(2024, m, d, 10, 0),
            end=jst(2024, m, d, 13, 30),
            vessels=(413100000 + (m % n_vessels), 413100000 + ((m + 1) % n_vessels)),
            min_distance_nm=8.0 + d / 10,
            fishing_vessel_nearby=d % 2 == 0,
            closest_lon=123.55 + 0.1 * math.cos(m + d),
            closest_lat=25.78 + 0.1 * math.sin(m + d),
            closest_mmsi=413100000 + (m % n_vessels),
        )
        for m in range(1, 13)
        for d in (3, 17, 25)
    )
    months = tuple(
        MonthCounts(f"2024-{m:02d}", Counts(28 - m % 3, 90 + 7 * m, 3, 6, 3)) for m in range(1, 13)
    )
    totals = Counts(
        *(sum(getattr(mc.counts, key) for mc in months) for key in Counts.__dataclass_fields__)
    )
    base = small_report()
    report = Report(
        zone_set="senkaku",
        timezone="Asia/Tokyo",
        fleet="china-government",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        parameters=PARAMETERS,
        totals=totals,
        months=months,
        days=(),
        incidents=incidents,
        vessels=tuple(vessels),
        input=base.input,
        longest_contiguous_zone_run=ContiguousRun(215, dt.date(2024, 1, 1), dt.date(2024, 8, 2)),
        notes=base.notes,
    )
    return report, tracks
