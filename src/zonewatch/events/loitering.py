"""Loitering: a vessel slow (under ``max_speed_kn``) for at least ``min_duration_h``, outside port.

A fix's speed is its reported speed over ground when present, else the speed
implied by its leg (see :func:`zonewatch.events.resample.fix_speeds_kn`). A
loitering episode is a maximal run of consecutive slow fixes within one track
segment lasting at least ``min_duration_h`` (first to last slow fix).

No port list ships with zonewatch, so "outside port" is approximated: the
episode's mean position must be at least ``min_shore_nm`` from shore (land
mask and zone set features). A vessel slow in a harbour basin or at a quay is
therefore not loitering; one at an anchorage farther out may be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from zonewatch.events.records import empty_events, event_frame, num
from zonewatch.events.resample import fix_speeds_kn
from zonewatch.events.shore import ShoreModel
from zonewatch.geo import haversine_nm

__all__ = ["LoiteringParams", "loitering_events"]


@dataclass(frozen=True)
class LoiteringParams:
    """Parameters of loitering (DOMAIN.md defaults, after GFW).

    Attributes
    ----------
    max_speed_kn
        A fix slower than this is slow.
    min_duration_h
        A slow run lasts at least this long.
    min_shore_nm
        Stand-in for "outside port": the run's mean position is at least this far from shore.
    """

    max_speed_kn: float = 2.0
    min_duration_h: float = 2.0
    min_shore_nm: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """The parameters as reported."""
        return {
            "max_speed_kn": self.max_speed_kn,
            "min_duration_h": self.min_duration_h,
            "min_shore_nm": self.min_shore_nm,
            "outside_port": "approximated by distance from shore (no port list)",
        }


def loitering_events(
    fixes: pl.DataFrame, shore: ShoreModel, params: LoiteringParams | None = None
) -> pl.DataFrame:
    """``loitering`` events of every vessel.

    Parameters
    ----------
    fixes
        Cleaned fixes sorted by ``mmsi, ts`` with ``mmsi, ts, lon, lat, segment``
        and optionally ``sog``.
    shore
        Distance from shore.
    params
        Thresholds.

    Returns
    -------
    polars.DataFrame
        One event per episode at its mean position.
    """
    params = params or LoiteringParams()
    if fixes.height == 0:
        return empty_events()
    has_sog = (
        fixes["sog"].is_not_null()
        if "sog" in fixes.columns
        else pl.Series([False] * fixes.height, dtype=pl.Boolean)
    )
    frame = fixes.select("mmsi", "ts", "lon", "lat", "segment").with_columns(
        pl.Series("speed_kn", fix_speeds_kn(fixes)),
        pl.Series("has_sog", has_sog, dtype=pl.Boolean),
    )
    slow = pl.col("speed_kn") < params.max_speed_kn
    new_run = (
        (pl.col("mmsi") != pl.col("mmsi").shift(1))
        | (pl.col("segment") != pl.col("segment").shift(1))
        | (slow != slow.shift(1))
    ).fill_null(True)
    runs = (
        frame.with_columns(new_run.cast(pl.Int64).cum_sum().alias("run"), slow.alias("slow"))
        .filter(pl.col("slow"))
        .group_by("run", maintain_order=True)
        .agg(
            pl.col("mmsi").first(),
            pl.col("ts").first().alias("start"),
            pl.col("ts").last().alias("end"),
            pl.col("lon").mean().alias("lon"),
            pl.col("lat").mean().alias("lat"),
            pl.col("lon").first().alias("lon_a"),
            pl.col("lat").first().alias("lat_a"),
            pl.col("lon").last().alias("lon_b"),
            pl.col("lat").last().alias("lat_b"),
            pl.col("speed_kn").median().alias("median_speed_kn"),
            pl.col("speed_kn").max().alias("max_speed_kn"),
            pl.len().alias("n_fixes"),
            pl.col("has_sog").sum().alias("n_sog"),
        )
        .with_columns((pl.col("end") - pl.col("start")).dt.total_milliseconds().alias("ms"))
        .with_columns((pl.col("ms") / 3_600_000.0).alias("duration_h"))
        # compare whole milliseconds: 7_200_000 / 3_600_000.0 can come out below 2.0
        .filter(pl.col("ms") >= round(params.min_duration_h * 3_600_000))
    )
    if runs.height == 0:
        return empty_events()
    lon = runs["lon"].to_numpy()
    lat = runs["lat"].to_numpy()
    shore_nm = shore.distance_nm(lon, lat)
    keep = shore_nm >= params.min_shore_nm
    runs = runs.filter(pl.Series(keep))
    shore_nm = shore_nm[keep]
    if runs.height == 0:
        return empty_events()
    drift = haversine_nm(
        runs["lon_a"].to_numpy(),
        runs["lat_a"].to_numpy(),
        runs["lon_b"].to_numpy(),
        runs["lat_b"].to_numpy(),
    )
    details = [
        {
            "duration_h": round(float(r["duration_h"]), 3),
            "n_fixes": int(r["n_fixes"]),
            "median_speed_kn": num(r["median_speed_kn"], 2),
            "max_speed_kn": num(r["max_speed_kn"], 2),
            "speed_source": {"sog": int(r["n_sog"]), "implied": int(r["n_fixes"] - r["n_sog"])},
            "drift_nm": num(float(drift[i])),
            "distance_from_shore_nm": num(float(shore_nm[i])),
        }
        for i, r in enumerate(runs.iter_rows(named=True))
    ]
    return event_frame(
        "loitering",
        mmsi=runs["mmsi"].to_list(),
        start=runs["start"].to_list(),
        end=runs["end"].to_list(),
        lon=runs["lon"].to_list(),
        lat=runs["lat"].to_list(),
        detail=details,
    )
