"""Events over a period in this process; the report pipeline is re-exported from here.

:func:`run_events` wires the event detectors (zone, gap, loitering,
cross-vessel and integrity events) together for one zone set and period. The
report pipeline (tiles by MMSI bucket and month, on this process, local
workers or Dask) lives in :mod:`zonewatch.engine.report`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from zonewatch.engine.land import land_test
from zonewatch.engine.report import ReportParams, ReportRun, run_report
from zonewatch.errors import ParameterError
from zonewatch.events.detect import CROSS_VESSEL_KINDS, SHORE_KINDS, EventParams, detect_events
from zonewatch.events.integrity import is_null_island
from zonewatch.events.records import EVENT_KINDS
from zonewatch.events.shore import LandMaskError, Shore, ShoreModel, default_land_mask
from zonewatch.stats import (
    period_bounds_utc,
)
from zonewatch.store import Store
from zonewatch.tracks import clean_tracks
from zonewatch.vessels.fleets import Fleet, load_fleet
from zonewatch.vessels.identity import vessel_identities
from zonewatch.zones import ZoneSet

__all__ = ["ReportParams", "ReportRun", "land_test", "run_events", "run_report"]


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
