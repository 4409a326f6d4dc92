"""The local engine: store -> tracks -> zone presence -> counts -> report.

Every stage is a pure function over columnar data; this module only wires
them together for one zone set, one fleet and one period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import polars as pl
import shapely

from zonewatch.errors import ParameterError
from zonewatch.events.catalogue import dropped_fix_events, zone_events
from zonewatch.events.presence import PresenceParams, zone_intervals
from zonewatch.events.proximity import min_separation_nm
from zonewatch.report.model import Incident, Report, VesselInfo
from zonewatch.stats import (
    CONTIGUOUS_ZONE,
    TERRITORIAL_SEA,
    CountParams,
    RawIncident,
    clip_intervals,
    daily_presence,
    incidents_from_intervals,
    longest_run,
    monthly_counts,
    period_bounds_utc,
)
from zonewatch.store import Store
from zonewatch.tracks import TrackParams, Tracks, clean_tracks
from zonewatch.vessels.fleets import Fleet
from zonewatch.vessels.identity import vessel_identities
from zonewatch.zones import ZoneSet

__all__ = ["ReportParams", "ReportRun", "land_test", "run_events", "run_report"]


@dataclass(frozen=True)
class ReportParams:
    """All parameters of a report run; every one is stated in the report."""

    track: TrackParams = field(default_factory=TrackParams)
    count: CountParams = field(default_factory=CountParams)
    presence: PresenceParams = field(default_factory=PresenceParams)
    margin_h: float = 24.0
    """Data read before and after the period so that tracks at its edges are whole."""

    def to_dict(self, zone_set: ZoneSet) -> dict[str, Any]:
        """The ``parameters`` object of the report."""
        zones = {f"{z.kind}_nm": z.distance_nm for z in zone_set.zones}
        return {
            **self.track.to_dict(),
            "merge_gap_h": self.count.merge_gap_h,
            "fishing_distance_nm": self.count.fishing_distance_nm,
            **zones,
            "day_boundary": f"local midnight ({zone_set.timezone})",
            "interpolation": "straight line between fixes within a segment",
            "crossing_step_nm": self.presence.step_nm,
        }


@dataclass(frozen=True)
class ReportRun:
    """A report and the data behind it (for maps and evidence)."""

    report: Report
    tracks: Tracks
    intervals: pl.DataFrame
    fleet_fixes: pl.DataFrame
    members: pl.DataFrame


def land_test(
    zone_set: ZoneSet,
) -> Any:
    """A vectorized test ``(lon, lat) -> bool`` for fixes on the zone set's features."""
    land = shapely.union_all([f.geometry for f in zone_set.features])
    shapely.prepare(land)
    minx, miny, maxx, maxy = land.bounds

    def on_land(
        lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.bool_]:
        out = np.zeros(lon.shape, dtype=bool)
        near = (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
        if near.any():
            out[near] = shapely.contains_xy(land, lon[near], lat[near])
        return out

    return on_land


def _thresholds(zone_set: ZoneSet) -> dict[str, float]:
    kinds = {z.kind: z.distance_nm for z in zone_set.zones}
    missing = {TERRITORIAL_SEA, CONTIGUOUS_ZONE} - kinds.keys()
    if missing:
        raise ParameterError(
            f"zone set {zone_set.name!r} has no {', '.join(sorted(missing))} zone to count"
        )
    return kinds


def run_report(
    store: Store,
    zone_set: ZoneSet,
    fleet: Fleet,
    start: dt.date,
    end: dt.date,
    params: ReportParams | None = None,
    *,
    fleet_label: str | None = None,
) -> ReportRun:
    """Compute the Coast-Guard-style report for a period of local dates (inclusive).

    Parameters
    ----------
    store
        Where the positions and statics are.
    zone_set
        The zones (their time zone sets the day boundary).
    fleet
        Which vessels count.
    start, end
        First and last local date of the period.
    params
        Parameters; DOMAIN.md defaults.
    fleet_label
        How the fleet is named in the report (default: the fleet's name).

    Returns
    -------
    ReportRun
        The report and the tracks and intervals behind it.
    """
    if start > end:
        raise ParameterError(f"the period starts ({start}) after it ends ({end})")
    params = params or ReportParams()
    thresholds = _thresholds(zone_set)
    lo, hi = period_bounds_utc(start, end, zone_set.timezone)
    margin = dt.timedelta(hours=params.margin_h)
    positions = store.positions(lo - margin, hi + margin)
    identities = vessel_identities(store.statics())
    members = fleet.members(identities)
    tracks = clean_tracks(positions, params.track, on_land=land_test(zone_set))
    member_ids = members["mmsi"].cast(pl.UInt32)
    fleet_fixes = tracks.fixes.filter(pl.col("mmsi").cast(pl.UInt32).is_in(member_ids.implode()))
    intervals = zone_intervals(
        fleet_fixes,
        zone_set.distance_nm,
        thresholds,
        params.presence,
        exact_min_for=frozenset({TERRITORIAL_SEA}),
    )
    counted = intervals.filter(pl.col("zone").is_in([TERRITORIAL_SEA, CONTIGUOUS_ZONE]))
    days = daily_presence(clip_intervals(counted, lo, hi), zone_set.timezone)
    raw_incidents = [
        inc
        for inc in incidents_from_intervals(
            counted.filter(pl.col("zone") == TERRITORIAL_SEA), params.count.merge_gap_h
        )
        if lo <= inc.start < hi
    ]
    tz = ZoneInfo(zone_set.timezone)
    fishing = _fishing_tracks(tracks, identities, member_ids)
    incidents = tuple(
        _present_incident(inc, fleet_fixes, fishing, params.count, tz) for inc in raw_incidents
    )
    totals, months = monthly_counts(
        days, [inc.start.strftime("%Y-%m") for inc in incidents], start, end
    )
    seen = fleet_fixes.filter((pl.col("ts") >= lo) & (pl.col("ts") < hi))["mmsi"].unique()
    report = Report(
        zone_set=zone_set.name,
        timezone=zone_set.timezone,
        fleet=fleet_label or fleet.name,
        period_start=start,
        period_end=end,
        parameters=params.to_dict(zone_set),
        totals=totals,
        months=months,
        days=days,
        incidents=incidents,
        vessels=_vessel_infos(members, identities, seen),
        input=store.input_summary(),
        longest_contiguous_zone_run=longest_run(days),
        notes=(
            f"Days are calendar days in {zone_set.timezone}; the Japan Coast Guard does not "
            "state its day boundary.",
            f"Zone outlines: {zone_set.note} {zone_set.attribution}".strip(),
        ),
    )
    return ReportRun(report, tracks, intervals, fleet_fixes, members)


def _fishing_tracks(
    tracks: Tracks, identities: pl.DataFrame, member_ids: pl.Series
) -> dict[int, pl.DataFrame]:
    """Cleaned tracks of non-fleet fishing vessels (ship type 30), by MMSI."""
    if identities.height == 0:
        return {}
    fishing_ids = identities.filter(
        (pl.col("ship_type") == 30) & ~pl.col("mmsi").cast(pl.UInt32).is_in(member_ids.implode())
    )["mmsi"].cast(pl.UInt32)
    fixes = tracks.fixes.filter(pl.col("mmsi").cast(pl.UInt32).is_in(fishing_ids.implode()))
    return {
        int(str(key[0])): group.sort("ts")
        for key, group in fixes.group_by("mmsi")
    }


def _present_incident(
    inc: RawIncident,
    fleet_fixes: pl.DataFrame,
    fishing: dict[int, pl.DataFrame],
    params: CountParams,
    tz: ZoneInfo,
) -> Incident:
    nearby = False
    if fishing:
        window = (pl.col("ts") >= inc.start - dt.timedelta(hours=6)) & (
            pl.col("ts") <= inc.end + dt.timedelta(hours=6)
        )
        fleet_tracks = [
            fleet_fixes.filter((pl.col("mmsi") == m) & window).sort("ts") for m in inc.vessels
        ]
        for track in fishing.values():
            boat = track.filter(window)
            if boat.height == 0:
                continue
            if any(
                min_separation_nm(ship, boat, inc.start, inc.end) <= params.fishing_distance_nm
                for ship in fleet_tracks
            ):
                nearby = True
                break
    return Incident(
        id=inc.id,
        start=inc.start.astimezone(tz),
        end=inc.end.astimezone(tz),
        vessels=inc.vessels,
        min_distance_nm=inc.min_distance_nm,
        fishing_vessel_nearby=nearby,
        closest_lon=inc.closest_lon,
        closest_lat=inc.closest_lat,
        closest_mmsi=inc.closest_mmsi,
    )


def _vessel_infos(
    members: pl.DataFrame, identities: pl.DataFrame, seen: pl.Series
) -> tuple[VesselInfo, ...]:
    seen_ids = set(int(v) for v in seen.to_list())
    ident = {int(r["mmsi"]): r for r in identities.iter_rows(named=True)}
    out = []
    for row in members.sort("mmsi").iter_rows(named=True):
        mmsi = int(row["mmsi"])
        if mmsi not in seen_ids:
            continue
        info = ident.get(mmsi, {})
        out.append(
            VesselInfo(
                mmsi=mmsi,
                name=info.get("name"),
                callsign=info.get("callsign"),
                flag=info.get("flag"),
                matched_by=str(row["matched_by"]),
            )
        )
    return tuple(out)


def run_events(
    store: Store,
    zone_set: ZoneSet,
    start: dt.date,
    end: dt.date,
    params: ReportParams | None = None,
    *,
    mmsis: list[int] | None = None,
) -> pl.DataFrame:
    """Zone entries/exits of every vessel and the fixes dropped from tracks, in a period.

    Parameters
    ----------
    store, zone_set, start, end, params
        As for :func:`run_report`.
    mmsis
        Only these vessels (default: all).

    Returns
    -------
    polars.DataFrame
        Columns of :data:`zonewatch.schema.EVENTS`, events starting within
        the period, sorted by start.
    """
    if start > end:
        raise ParameterError(f"the period starts ({start}) after it ends ({end})")
    params = params or ReportParams()
    lo, hi = period_bounds_utc(start, end, zone_set.timezone)
    margin = dt.timedelta(hours=params.margin_h)
    positions = store.positions(lo - margin, hi + margin, mmsis=mmsis)
    tracks = clean_tracks(positions, params.track, on_land=land_test(zone_set))
    intervals = zone_intervals(
        tracks.fixes,
        zone_set.distance_nm,
        {z.kind: z.distance_nm for z in zone_set.zones},
        params.presence,
    )
    events = pl.concat([zone_events(intervals, zone_set.name), dropped_fix_events(tracks.dropped)])
    lo_l = pl.lit(lo).cast(pl.Datetime("ms", "UTC"))
    hi_l = pl.lit(hi).cast(pl.Datetime("ms", "UTC"))
    return events.filter((pl.col("start") >= lo_l) & (pl.col("start") < hi_l)).sort(
        "start", "mmsi", "kind"
    )
