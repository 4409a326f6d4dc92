"""Events as one table: zone entries and exits, and fixes dropped from tracks.

Each event has a stable id (the same data always gives the same id) and the
columns of :data:`zonewatch.schema.EVENTS`; ``detail`` is a JSON object.
"""

from __future__ import annotations

import polars as pl

from zonewatch.events.records import EVENT_COLUMNS, EVENT_KINDS, with_id

__all__ = ["EVENT_KINDS", "dropped_fix_events", "zone_events"]

_EVENT_COLUMNS = EVENT_COLUMNS


def zone_events(intervals: pl.DataFrame, zone_set_name: str) -> pl.DataFrame:
    """Entry and exit events from zone presence intervals.

    An interval that starts with an observed boundary crossing gives a
    ``zone_entry`` at the interpolated crossing time and point; one that ends
    with a crossing gives a ``zone_exit``. Intervals that start or end at a
    track segment's end (the vessel was first or last seen inside) give none.

    Parameters
    ----------
    intervals
        From :func:`zonewatch.events.presence.zone_intervals`.
    zone_set_name
        Used in the ``zone`` column, as ``"<kind>:<zone set>"``.

    Returns
    -------
    polars.DataFrame
        Columns of :data:`zonewatch.schema.EVENTS`, sorted by start.
    """
    zone = pl.concat_str([pl.col("zone"), pl.lit(":" + zone_set_name)])
    iso = "%Y-%m-%dT%H:%M:%S%.3fZ"
    duration_h = ((pl.col("end") - pl.col("start")).dt.total_seconds() / 3600).round(3)
    dwell = pl.format(
        '{{"start": "{}", "end": "{}", "duration_h": {}, "closest_distance_nm": {}, '
        '"closest_lon": {}, "closest_lat": {}, "starts_with_entry": {}, "ends_with_exit": {}}}',
        pl.col("start").dt.strftime(iso),
        pl.col("end").dt.strftime(iso),
        duration_h,
        pl.col("min_distance_nm").round(3),
        pl.col("lon").round(6),
        pl.col("lat").round(6),
        pl.col("entered").cast(pl.String),
        pl.col("exited").cast(pl.String),
    )
    entries = intervals.filter(pl.col("entered")).select(
        pl.lit("zone_entry").alias("kind"),
        zone.alias("zone"),
        "mmsi",
        pl.lit(None, dtype=pl.UInt32).alias("other_mmsi"),
        pl.col("start"),
        pl.col("start").alias("end"),
        pl.col("start_lon").alias("lon"),
        pl.col("start_lat").alias("lat"),
        pl.col("min_distance_nm"),
        pl.format(
            '{{"interval_end": "{}", "closest_lon": {}, "closest_lat": {}, "dwell": {}}}',
            pl.col("end").dt.strftime(iso),
            pl.col("lon").round(6),
            pl.col("lat").round(6),
            dwell,
        ).alias("detail"),
    )
    exits = intervals.filter(pl.col("exited")).select(
        pl.lit("zone_exit").alias("kind"),
        zone.alias("zone"),
        "mmsi",
        pl.lit(None, dtype=pl.UInt32).alias("other_mmsi"),
        pl.col("end").alias("start"),
        pl.col("end"),
        pl.col("end_lon").alias("lon"),
        pl.col("end_lat").alias("lat"),
        pl.col("min_distance_nm"),
        pl.format(
            '{{"interval_start": "{}", "duration_h": {}, "dwell": {}}}',
            pl.col("start").dt.strftime(iso),
            duration_h,
            dwell,
        ).alias("detail"),
    )
    frame = pl.concat([entries, exits]).cast(
        {k: v for k, v in _EVENT_COLUMNS.items() if k != "event_id"}
    )
    return with_id(frame).sort("start", "mmsi", "kind")


def dropped_fix_events(dropped: pl.DataFrame) -> pl.DataFrame:
    """``position_jump`` and ``on_land`` events from fixes dropped by track cleaning.

    Parameters
    ----------
    dropped
        :attr:`zonewatch.tracks.Tracks.dropped`.

    Returns
    -------
    polars.DataFrame
        Columns of :data:`zonewatch.schema.EVENTS`.
    """
    kind = (
        pl.when(pl.col("reason") == "impossible_speed")
        .then(pl.lit("position_jump"))
        .otherwise(pl.lit("on_land"))
    )
    frame = dropped.filter(pl.col("reason").is_in(["impossible_speed", "on_land"])).select(
        kind.alias("kind"),
        pl.lit(None, dtype=pl.String).alias("zone"),
        "mmsi",
        pl.lit(None, dtype=pl.UInt32).alias("other_mmsi"),
        pl.col("ts").alias("start"),
        pl.col("ts").alias("end"),
        "lon",
        "lat",
        pl.lit(None, dtype=pl.Float64).alias("min_distance_nm"),
        pl.format(
            '{{"implied_speed_kn": {}, "action": "fix dropped from the track"}}',
            pl.col("implied_speed_kn").round(1).cast(pl.String).fill_null("null"),
        ).alias("detail"),
    )
    frame = frame.cast({k: v for k, v in _EVENT_COLUMNS.items() if k != "event_id"})
    return with_id(frame).sort("start", "mmsi")
