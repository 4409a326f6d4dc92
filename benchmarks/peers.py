"""The report's counts from GeoPandas and MovingPandas: the scale benchmark's peer pipeline.

What a GeoPandas/MovingPandas user would write to get the Coast-Guard-style
counts that ``zonewatch report`` gives (used by ``benchmarks/scale.py``; needs
the ``bench`` extra):

1. the positions (a polars DataFrame) become a GeoDataFrame of points (EPSG:4326);
2. **GeoPandas spatial join** (``geopandas.sjoin``, predicate ``within``) with
   the zone set's polygons (``ZoneSet.zone_geometries()``: the territorial sea
   and the contiguous zone, which contains it, as zonewatch counts);
3. **MovingPandas trajectories**: a ``TrajectoryCollection`` per MMSI (of every
   vessel by default, as zonewatch builds every vessel's track for the zone
   events; or only the fleet's), split at gaps over 6 h with
   ``ObservationGapSplitter``;
4. per zone: the local days (the zone set's time zone) on which a fleet
   vessel has a fix inside (days, vessel-days); territorial-sea intrusion
   incidents as runs of consecutive fixes inside within one trajectory
   segment, from first to last fix inside, merged across vessels when less
   than 1 h apart.

The figures are comparable, not identical: this pipeline tests fixes only,
while zonewatch also counts a vessel present when the straight line between
two fixes of a segment crosses a zone (and times entries and exits at the
crossing), and cleans tracks first (impossible speeds, fixes on land,
duplicates). So zonewatch finds the same or slightly more days and
vessel-days, and incidents may split or merge differently.
"""

from __future__ import annotations

import datetime as dt
import time
import warnings
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import polars as pl

from zonewatch.report.model import COUNT_KEYS
from zonewatch.zones import ZoneSet

__all__ = ["PeerResult", "peer_counts", "peer_versions"]

TOTALS = COUNT_KEYS
"""The report totals both pipelines give (keys of ``report.json`` ``totals``)."""


@dataclass(frozen=True)
class PeerResult:
    """Counts of the peer pipeline and where its time went.

    Attributes
    ----------
    totals
        The figures of :data:`TOTALS`.
    seconds
        Wall time per step: ``geodataframe``, ``sjoin``, ``trajectories``,
        ``split``, ``counts``.
    rows, vessels, segments
        Positions read, vessels in the trajectory collection, segments after
        the gap split.
    """

    totals: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)
    rows: int = 0
    vessels: int = 0
    segments: int = 0

    @property
    def total_s(self) -> float:
        """Wall time of the whole pipeline."""
        return sum(self.seconds.values())


def peer_versions() -> str:
    """Versions of the peer libraries, for the benchmark's header."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import geopandas
        import movingpandas
        import pandas
        import shapely

    return (
        f"geopandas {geopandas.__version__}, movingpandas {movingpandas.__version__}, "
        f"pandas {pandas.__version__}, shapely {shapely.__version__}"
    )


def peer_counts(
    positions: pl.DataFrame,
    fleet_mmsis: Collection[int],
    zone_set: ZoneSet,
    start: dt.date,
    end: dt.date,
    *,
    trajectories: Literal["all", "fleet"] = "all",
    max_gap_h: float = 6.0,
    merge_gap_h: float = 1.0,
) -> PeerResult:
    """Days, vessel-days and intrusion incidents of a fleet, with GeoPandas and MovingPandas.

    Parameters
    ----------
    positions
        Columns ``mmsi, ts, lon, lat`` at least (``ts`` UTC).
    fleet_mmsis
        The fleet's vessels.
    zone_set
        A zone set with a territorial sea and a contiguous zone.
    start, end
        First and last local date counted (inclusive).
    trajectories
        Build trajectories of every vessel (``"all"``) or of the fleet only.
    max_gap_h, merge_gap_h
        Gap that splits a trajectory; gap under which incidents merge.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # movingpandas warns about optional dependencies
        import geopandas as gpd
        import movingpandas as mpd
        import pandas as pd

    geometries = zone_set.zone_geometries()  # zonewatch's polygons, built before the clock
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[step] = now - clock
        clock = now

    fleet = np.fromiter((int(m) for m in fleet_mmsis), dtype=np.int64)
    frame = positions.select("mmsi", "ts", "lon", "lat")
    if trajectories == "fleet":
        frame = frame.filter(pl.col("mmsi").is_in(pl.Series(fleet, dtype=pl.Int64).implode()))
    pdf = frame.to_pandas()
    pdf["ts"] = pdf["ts"].dt.tz_convert("UTC").dt.tz_localize(None)
    pdf["vessel"] = pdf["mmsi"].astype("int64")  # MovingPandas renames trajectories in "mmsi"
    points = gpd.GeoDataFrame(
        pdf, geometry=gpd.points_from_xy(pdf["lon"], pdf["lat"]), crs="EPSG:4326"
    )
    lap("geodataframe")

    zones = gpd.GeoDataFrame(
        {"zone": ["territorial_sea", "contiguous_zone"]},
        geometry=[geometries["territorial_sea"], geometries["contiguous_zone"]],
        crs="EPSG:4326",
    )
    joined = gpd.sjoin(points, zones, how="inner", predicate="within")
    for zone in ("territorial_sea", "contiguous_zone"):
        inside = joined.index[joined["zone"] == zone]
        points[zone] = points.index.isin(inside)
    lap("sjoin")

    collection = mpd.TrajectoryCollection(points, traj_id_col="mmsi", t="ts")
    lap("trajectories")
    split = mpd.ObservationGapSplitter(collection).split(gap=dt.timedelta(hours=max_gap_h))
    lap("split")

    fixes = split.to_point_gdf().reset_index()
    totals = _totals(fixes, fleet, zone_set.timezone, start, end, merge_gap_h, pd)
    lap("counts")
    return PeerResult(
        totals,
        seconds,
        rows=len(pdf),
        vessels=len(collection.trajectories),
        segments=len(split.trajectories),
    )


def _totals(
    fixes: Any,
    fleet: np.ndarray[Any, np.dtype[np.int64]],
    timezone: str,
    start: dt.date,
    end: dt.date,
    merge_gap_h: float,
    pd: Any,
) -> dict[str, int]:
    """The report totals from segment fixes with ``territorial_sea``/``contiguous_zone`` flags."""
    fixes = fixes[fixes["vessel"].isin(fleet)].copy()
    fixes["segment"] = fixes["mmsi"]  # the split trajectory's id, "<mmsi>_<n>"
    fixes = fixes.sort_values(["segment", "ts"])
    fixes["day"] = fixes["ts"].dt.tz_localize("UTC").dt.tz_convert(timezone).dt.date
    in_period = (fixes["day"] >= start) & (fixes["day"] <= end)
    totals: dict[str, int] = {}
    for zone in ("contiguous_zone", "territorial_sea"):
        present = fixes[fixes[zone] & in_period]
        totals[f"{zone}_days"] = int(present["day"].nunique())
        totals[f"{zone}_vessel_days"] = len(present[["vessel", "day"]].drop_duplicates())

    # runs of consecutive fixes inside the territorial sea within a segment
    inside = fixes["territorial_sea"].to_numpy()
    segment = fixes["segment"].to_numpy()
    starts_run = inside & ~np.r_[False, inside[:-1] & (segment[1:] == segment[:-1])]
    run = np.cumsum(starts_run)
    runs = (
        pd.DataFrame({"run": run[inside], "ts": fixes["ts"].to_numpy()[inside]})
        .groupby("run")["ts"]
        .agg(["min", "max"])
        .sort_values("min")
    )
    incidents = 0
    last_end = None
    gap = np.timedelta64(int(merge_gap_h * 3600 * 1000), "ms")
    tz_start = pd.Timestamp(start).tz_localize(timezone).tz_convert("UTC").tz_localize(None)
    tz_end = (
        (pd.Timestamp(end) + pd.Timedelta(days=1))
        .tz_localize(timezone)
        .tz_convert("UTC")
        .tz_localize(None)
    )
    for lo, hi in zip(runs["min"].to_numpy(), runs["max"].to_numpy(), strict=True):
        if last_end is None or lo - last_end >= gap:
            if tz_start <= lo < tz_end:
                incidents += 1
            last_end = hi
        else:
            last_end = max(last_end, hi)
    totals["territorial_sea_intrusions"] = incidents
    return {key: totals[key] for key in TOTALS}
