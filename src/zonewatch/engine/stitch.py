"""Joining the tiles' presence pieces into whole intervals across block edges."""

from __future__ import annotations

import polars as pl

from zonewatch.events.presence import INTERVAL_SCHEMA

__all__ = ["stitch_pieces"]


def stitch_pieces(pieces: pl.DataFrame) -> pl.DataFrame:
    """Presence intervals from the pieces of all tiles, joined across block edges.

    A piece flagged ``cont_start`` continues the same vessel's piece of the
    same zone that ends where it starts (the previous block's edge). The
    joined interval keeps the first piece's start, entry flag and start point,
    the last piece's end, exit flag and end point, and the closest approach of
    all its pieces.

    Returns
    -------
    polars.DataFrame
        Columns of :data:`zonewatch.events.presence.INTERVAL_SCHEMA`, sorted by
        ``zone, mmsi, start``.
    """
    if pieces.height == 0:
        return pl.DataFrame(schema=INTERVAL_SCHEMA)
    frame = pieces.sort("zone", "mmsi", "start", "end")
    joins = (
        pl.col("cont_start")
        & (pl.col("zone") == pl.col("zone").shift(1))
        & (pl.col("mmsi") == pl.col("mmsi").shift(1))
        & (pl.col("start") == pl.col("end").shift(1))
    ).fill_null(False)
    frame = frame.with_columns((~joins).cum_sum().alias("_interval"))
    merged = frame.group_by("_interval", maintain_order=True).agg(
        pl.col("mmsi").first(),
        pl.col("zone").first(),
        pl.col("start").first(),
        pl.col("end").last(),
        pl.col("min_distance_nm").min(),
        pl.col("lon").sort_by("min_distance_nm", "start").first(),
        pl.col("lat").sort_by("min_distance_nm", "start").first(),
        pl.col("entered").first(),
        pl.col("exited").last(),
        pl.col("start_lon").first(),
        pl.col("start_lat").first(),
        pl.col("end_lon").last(),
        pl.col("end_lat").last(),
    )
    return (
        merged.select(list(INTERVAL_SCHEMA))
        .cast(INTERVAL_SCHEMA)  # type: ignore[arg-type]
        .sort("zone", "mmsi", "start")
    )
