"""Per-zone counts for a report: presence per area and zone, crossings per line.

The Coast-Guard-style totals of a report count the zone set's territorial sea
and contiguous zone as a whole. :func:`zone_counts` breaks fleet activity
down: for every area of the zone set (a group of features, see
:meth:`ZoneSet.areas`) and every zone measured from its baseline, for every
polygon zone, and for every line, how many local days had a fleet vessel
there, the vessel-days, the entries (intervals that start with an observed
boundary crossing) and the vessels; for lines, the crossings by direction.

Each area's zones are measured from that area's features only, so a vessel
between two areas can be within 24 nm of both. Polygon zones use the
distance to the polygon (0 inside) with a threshold of zero: their crossing
times are located to within the presence sampling step (0.05 nm by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import partial

import numpy as np
import numpy.typing as npt
import polars as pl

from zonewatch.events.presence import INTERVAL_SCHEMA, PresenceParams, zone_intervals
from zonewatch.report.model import ZoneCounts
from zonewatch.stats import clip_intervals
from zonewatch.zones.lines import line_crossings
from zonewatch.zones.model import ZoneSet

__all__ = ["POLYGON_THRESHOLD_NM", "presence_intervals", "zone_counts"]

POLYGON_THRESHOLD_NM = 1e-9
"""A position is inside a polygon zone when its distance to it is at most this (0 inside)."""

FloatArray = npt.NDArray[np.float64]


def presence_intervals(
    fixes: pl.DataFrame,
    zone_set: ZoneSet,
    params: PresenceParams,
    *,
    exact_min_for: frozenset[str] = frozenset(),
) -> pl.DataFrame:
    """Presence intervals in the zone set's zones, by kind, for the whole set.

    Zones measured from the baseline use :meth:`ZoneSet.distance_nm` (exactly
    as before polygon zones existed); polygon zones (all polygons of a kind
    together) use the distance to the polygons with a zero threshold.

    Returns
    -------
    polars.DataFrame
        Columns of :data:`zonewatch.events.presence.INTERVAL_SCHEMA`.
    """
    frames = []
    if zone_set.zones:
        # exact distances where a limit can be crossed; a cheap lower bound farther out
        distance_fn = partial(zone_set.distance_within_nm, beyond_nm=_reach_nm(zone_set))
        frames.append(
            zone_intervals(
                fixes,
                distance_fn,
                {z.kind: z.distance_nm for z in zone_set.zones},
                params,
                exact_min_for=exact_min_for,
                # measure exactly only the fixes whose distance can change an interval
                bounds_fn=partial(zone_set.distance_bounds_nm, beyond_nm=_reach_nm(zone_set)),
            )
        )
    for kind in dict.fromkeys(p.kind for p in zone_set.polygon_zones):
        frames.append(
            zone_intervals(
                fixes,
                partial(zone_set.polygon_distance_nm, kind),
                {kind: POLYGON_THRESHOLD_NM},
                params,
            )
        )
    if not frames:
        return pl.DataFrame(schema=INTERVAL_SCHEMA)
    return pl.concat(frames, how="vertical")


def _reach_nm(zone_set: ZoneSet) -> float:
    """Distance up to which the presence kernel needs exact distances.

    Samples along a leg are at most ``step_nm`` apart (far less than 1 nm for
    any leg shorter than 4,000 nm), so a sample next to a crossing of the
    outermost limit is within 1 nm of it.
    """
    return max(z.distance_nm for z in zone_set.zones) + 1.0


def _beyond_nm(zone_set: ZoneSet) -> float:
    """Distance beyond which a lower bound may stand for the exact distance.

    The presence kernel samples legs that may cross a limit every 0.05 nm
    (``PresenceParams.step_nm``), so values this far past the outermost limit
    never take part in a crossing.
    """
    outer = max(z.distance_nm for z in zone_set.zones)
    return outer + max(5.0, 0.1 * outer)


def _day_counts(
    frame: pl.DataFrame, start: str, end: str, timezone: str
) -> tuple[int, int, tuple[int, ...]]:
    """Days with presence, vessel-days and vessels of intervals (or instants)."""
    if frame.height == 0:
        return 0, 0, ()
    per_day = (
        frame.select(
            "mmsi",
            pl.date_ranges(
                pl.col(start).dt.convert_time_zone(timezone).dt.date(),
                pl.col(end).dt.convert_time_zone(timezone).dt.date(),
            ).alias("date"),
        )
        .explode("date")
        .unique()
    )
    days = per_day["date"].n_unique()
    vessels = tuple(sorted(int(v) for v in per_day["mmsi"].unique().to_list()))
    return int(days), int(per_day.height), vessels


def _area_counts(
    intervals: pl.DataFrame,
    area: str,
    kind: str,
    source: str,
    distance_nm: float | None,
    lo: dt.datetime,
    hi: dt.datetime,
    timezone: str,
) -> ZoneCounts:
    zone = clip_intervals(intervals.filter(pl.col("zone") == kind), lo, hi)
    days, vessel_days, vessels = _day_counts(zone, "start", "end", timezone)
    lo_l = pl.lit(lo).cast(pl.Datetime("ms", "UTC"))
    hi_l = pl.lit(hi).cast(pl.Datetime("ms", "UTC"))
    whole = intervals.filter(pl.col("zone") == kind)
    entries = whole.filter(
        pl.col("entered") & (pl.col("start") >= lo_l) & (pl.col("start") < hi_l)
    ).height
    return ZoneCounts(area, kind, source, distance_nm, days, vessel_days, entries, vessels)


def zone_counts(
    fixes: pl.DataFrame,
    zone_set: ZoneSet,
    lo: dt.datetime,
    hi: dt.datetime,
    params: PresenceParams | None = None,
    *,
    whole_set_intervals: pl.DataFrame | None = None,
) -> tuple[ZoneCounts, ...]:
    """Per-zone counts of the fleet's fixes over ``[lo, hi)`` (UTC).

    Parameters
    ----------
    fixes
        The fleet's cleaned fixes (``mmsi, ts, lon, lat, segment``, sorted).
    zone_set
        The zone set.
    lo, hi
        The period, UTC.
    params
        Presence sampling parameters.
    whole_set_intervals
        Presence intervals already computed for the whole set (reused when the
        set has a single area, which then is the whole set).

    Returns
    -------
    tuple of ZoneCounts
        Areas in the zone set's order (each zone innermost first), then
        polygon zones, then lines.
    """
    params = params or PresenceParams()
    tz = zone_set.timezone
    out: list[ZoneCounts] = []
    areas = zone_set.areas() if zone_set.features else ()
    thresholds: Mapping[str, float] = {z.kind: z.distance_nm for z in zone_set.zones}
    for area in areas:
        if len(areas) == 1 and whole_set_intervals is not None:
            intervals = whole_set_intervals
        else:
            # beyond the outermost limit (plus a margin) a cheap lower bound is enough
            fn: Callable[[FloatArray, FloatArray], FloatArray] = partial(
                zone_set.area_distance_nm, area, beyond_nm=_beyond_nm(zone_set)
            )
            intervals = zone_intervals(fixes, fn, thresholds, params)
        for z in zone_set.zones:
            out.append(_area_counts(intervals, area, z.kind, "baseline", z.distance_nm, lo, hi, tz))
    for pz in zone_set.polygon_zones:
        intervals = zone_intervals(
            fixes,
            partial(zone_set.polygon_distance_nm, f"polygon:{pz.name}"),
            {pz.kind: POLYGON_THRESHOLD_NM},
            params,
        )
        out.append(_area_counts(intervals, pz.name, pz.kind, "polygon", None, lo, hi, tz))
    lo_l = pl.lit(lo).cast(pl.Datetime("ms", "UTC"))
    hi_l = pl.lit(hi).cast(pl.Datetime("ms", "UTC"))
    for line in zone_set.lines:
        crossings = line_crossings(fixes, line).filter(
            (pl.col("ts") >= lo_l) & (pl.col("ts") < hi_l)
        )
        days, vessel_days, vessels = _day_counts(crossings, "ts", "ts", tz)
        by_direction = {f"to_{line.left}": 0, f"to_{line.right}": 0}
        for direction, count in crossings.group_by("direction").len().iter_rows():
            by_direction[str(direction)] = int(count)
        out.append(
            ZoneCounts(
                line.name,
                line.kind,
                "line",
                None,
                days,
                vessel_days,
                crossings.height,
                vessels,
                by_direction,
            )
        )
    return tuple(out)
