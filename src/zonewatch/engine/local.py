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
from zonewatch.events.detect import CROSS_VESSEL_KINDS, SHORE_KINDS, EventParams, detect_events
from zonewatch.events.integrity import is_null_island
from zonewatch.events.presence import PresenceParams
from zonewatch.events.proximity import min_separation_nm
from zonewatch.events.records import EVENT_KINDS
from zonewatch.events.shore import LandMaskError, Shore, ShoreModel, default_land_mask
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
from zonewatch.vessels.fleets import Fleet, load_fleet
from zonewatch.vessels.identity import vessel_identities
from zonewatch.vessels.membership import member_fixes, membership_text
from zonewatch.zones import ZoneSet
from zonewatch.zones.counting import presence_intervals, zone_counts

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
    lo, hi = period_bounds_utc(start, end, zone_set.timezone)
    margin = dt.timedelta(hours=params.margin_h)
    positions = store.positions(lo - margin, hi + margin)
    statics = store.statics()
    identities = vessel_identities(statics)
    members = fleet.membership(statics)
    tracks = clean_tracks(positions, params.track, on_land=land_test(zone_set))
    member_ids = members["mmsi"].cast(pl.UInt32).unique()
    fleet_fixes = member_fixes(tracks.fixes, members)
    intervals = presence_intervals(
        fleet_fixes, zone_set, params.presence, exact_min_for=frozenset({TERRITORIAL_SEA})
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
            *_zone_notes(zone_set),
        ),
        zones=zone_counts(
            fleet_fixes, zone_set, lo, hi, params.presence, whole_set_intervals=intervals
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
    return {int(str(key[0])): group.sort("ts") for key, group in fixes.group_by("mmsi")}


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
    done: set[int] = set()
    for row in members.sort("mmsi").iter_rows(named=True):
        mmsi = int(row["mmsi"])
        if mmsi not in seen_ids or mmsi in done:
            continue
        done.add(mmsi)
        info = ident.get(mmsi, {})
        out.append(
            VesselInfo(
                mmsi=mmsi,
                name=info.get("name"),
                callsign=info.get("callsign"),
                flag=info.get("flag"),
                matched_by=membership_text(members.filter(pl.col("mmsi") == mmsi)),
            )
        )
    return tuple(out)


def _zone_notes(zone_set: ZoneSet) -> tuple[str, ...]:
    kinds = {z.kind for z in zone_set.zones} | {p.kind for p in zone_set.polygon_zones}
    missing = sorted({TERRITORIAL_SEA, CONTIGUOUS_ZONE} - kinds)
    if not missing:
        return ()
    return (
        f"Zone set {zone_set.name!r} has no {' or '.join(missing)} zone: those counts are "
        "zero; see the per-zone counts ('zones').",
    )


def run_events(
    store: Store,
    zone_set: ZoneSet,
    start: dt.date,
    end: dt.date,
    params: EventParams | ReportParams | None = None,
    *,
    mmsis: list[int] | None = None,
    kinds: list[str] | None = None,
    fleet: Fleet | None = None,
    shore: ShoreModel | None = None,
) -> pl.DataFrame:
    """Every event of a period: zone, gap, loitering, cross-vessel and integrity events.

    Tracks are cleaned exactly as for :func:`run_report` (so zone events agree
    with the report's presence); fixes at (0, 0) are taken out first and
    reported as ``null_island``.

    Parameters
    ----------
    store, zone_set, start, end
        As for :func:`run_report`.
    params
        Event parameters (a :class:`ReportParams` gives its track and presence
        parameters, the rest default).
    mmsis
        Only events involving these vessels (as ``mmsi`` or ``other_mmsi``).
    kinds
        Only these kinds (default: all).
    fleet
        The fleet that shadowing and approaches to fishing vessels are about
        (default: ``china-government``).
    shore
        Land and distance from shore (default: the GLOBE land mask and the
        zone set's features; the zone set's features alone when the
        ``global-land-mask`` package is missing).

    Returns
    -------
    polars.DataFrame
        Columns of :data:`zonewatch.schema.EVENTS`, events starting within
        the period, sorted by start.
    """
    if start > end:
        raise ParameterError(f"the period starts ({start}) after it ends ({end})")
    if isinstance(params, ReportParams):
        params = EventParams(track=params.track, presence=params.presence, margin_h=params.margin_h)
    params = params or EventParams()
    wanted = list(EVENT_KINDS) if kinds is None else list(kinds)
    lo, hi = period_bounds_utc(start, end, zone_set.timezone)
    margin = dt.timedelta(hours=params.margin_h)
    all_vessels = mmsis is None or bool(CROSS_VESSEL_KINDS & set(wanted))
    identities = vessel_identities(store.statics())
    fleet = fleet or load_fleet("china-government")
    fleet_ids = fleet.members(identities)["mmsi"].cast(pl.Int64).to_numpy()
    fishing_ids = (
        identities.filter(pl.col("ship_type") == params.fishing_approach.fishing_ship_type)["mmsi"]
        .cast(pl.Int64)
        .to_numpy()
        if identities.height
        else np.zeros(0, dtype=np.int64)
    )
    if shore is None:
        shore = _default_shore(zone_set) if SHORE_KINDS & set(wanted) else Shore(None, zone_set)

    def detect(until: dt.datetime, vessels: list[int] | None, which: list[str]) -> pl.DataFrame:
        raw = store.positions(lo - margin, until, mmsis=vessels)
        null = is_null_island(
            raw["lon"].to_numpy(), raw["lat"].to_numpy(), params.integrity.null_island_deg
        )
        tracks = clean_tracks(
            raw.filter(~pl.Series(null)), params.track, on_land=land_test(zone_set)
        )
        next_fixes = None
        if "ais_gap" in which and tracks.fixes.height:
            # the first fix after the data read, of vessels last seen within the period
            last = tracks.fixes.group_by("mmsi").agg(pl.col("ts").max())
            silent = last.filter(pl.col("ts") < pl.lit(hi).cast(pl.Datetime("ms", "UTC")))
            if silent.height:
                later = store.positions(
                    until,
                    until + dt.timedelta(hours=params.gap_lookahead_h),
                    mmsis=[int(m) for m in silent["mmsi"].to_list()],
                )
                keep = ~is_null_island(
                    later["lon"].to_numpy(),
                    later["lat"].to_numpy(),
                    params.integrity.null_island_deg,
                )
                next_fixes = (
                    later.filter(pl.Series(keep))
                    .sort("mmsi", "ts")
                    .group_by("mmsi", maintain_order=True)
                    .first()
                )
        found = detect_events(
            raw,
            tracks,
            zone_set,
            shore=shore,
            fleet_mmsis=fleet_ids,
            fishing_mmsis=fishing_ids,
            next_fixes=next_fixes,
            params=params,
            kinds=which,
        )
        lo_l = pl.lit(lo).cast(pl.Datetime("ms", "UTC"))
        hi_l = pl.lit(hi).cast(pl.Datetime("ms", "UTC"))
        return found.filter((pl.col("start") >= lo_l) & (pl.col("start") < hi_l))

    until = hi + margin
    events = detect(until, None if all_vessels else mmsis, wanted)
    # episodes still going on where the data read ends: read further for their vessels
    extendable = ["loitering", "encounter", "shadowing", "fishing_approach"]
    extendable += ["identity_conflict", "on_land", "null_island"]
    limit = hi + margin + dt.timedelta(hours=params.gap_lookahead_h)
    while until < limit:
        edge = pl.lit(until - dt.timedelta(hours=1)).cast(pl.Datetime("ms", "UTC"))
        still_open = events.filter((pl.col("end") >= edge) & pl.col("kind").is_in(extendable))
        if still_open.height == 0:
            break
        until = min(until + 4 * (until - hi), limit)
        vessels = pl.concat([still_open["mmsi"], still_open["other_mmsi"].drop_nulls()])
        longer = detect(
            until,
            sorted(int(v) for v in vessels.unique().to_list()),
            sorted(set(still_open["kind"].to_list())),
        )
        open_ids = still_open["event_id"].implode()
        events = pl.concat(
            [
                events.filter(~pl.col("event_id").is_in(open_ids)),
                longer.filter(pl.col("event_id").is_in(open_ids)),
            ]
        )
    if mmsis is not None:
        ids = pl.Series(mmsis, dtype=pl.UInt32).implode()
        events = events.filter(pl.col("mmsi").is_in(ids) | pl.col("other_mmsi").is_in(ids))
    return events.sort("start", "mmsi", "kind")


def _default_shore(zone_set: ZoneSet) -> Shore:
    """The GLOBE land mask and the zone set's features (features only without the package)."""
    try:
        mask = default_land_mask()
    except LandMaskError:
        return Shore(None, zone_set)
    return Shore(mask, zone_set)
