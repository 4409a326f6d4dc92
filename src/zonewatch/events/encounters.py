"""Cross-vessel events: encounters, shadowing (escort) and approaches to fishing vessels.

All three work on tracks resampled to a common, epoch-aligned time grid
(:func:`zonewatch.events.resample.resample_tracks`), find the close pairs at
each grid step with a spatial hash (:func:`zonewatch.events.pairs.close_pairs`,
no all-pairs loop), and merge consecutive close steps of a pair into episodes
(:func:`zonewatch.events.pairs.pair_episodes`). Episodes run on the continuous
grid, so crossing midnight (UTC or local) never splits one.

- **encounter** (after GFW): two vessels within ``distance_m`` for at least
  ``min_duration_h``, each at a median speed under ``max_median_speed_kn``
  during it, at least ``min_shore_km`` from shore (the stand-in for "from an
  anchorage"; no anchorage list ships with zonewatch). Preset ``skylight``:
  250 m for 30 min.
- **shadowing**: a vessel within ``distance_nm`` of a fleet vessel for at
  least ``min_duration_h`` (pairs of two fleet vessels, which patrol in
  formation, are left out unless ``include_fleet_pairs``).
- **fishing_approach**: a fleet vessel inside the territorial sea within
  ``distance_nm`` of a non-fleet fishing vessel (AIS ship type 30), on a
  one-minute grid as the report's ``fishing_vessel_nearby``; any duration.

Times of an episode are those of its first and last close grid step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from zonewatch.events.pairs import close_pairs, pair_episodes
from zonewatch.events.pairtiles import PairTiles, tiled_close_pairs
from zonewatch.events.records import empty_events, event_frame, num
from zonewatch.events.resample import resample_tracks
from zonewatch.events.shore import ShoreModel
from zonewatch.geo import METERS_PER_NM
from zonewatch.zones import ZoneSet

__all__ = [
    "ENCOUNTER_PRESETS",
    "EncounterParams",
    "FishingApproachParams",
    "ShadowingParams",
    "encounter_events",
    "episodes_from_pairs",
    "fishing_approach_events",
    "shadowing_events",
]


@dataclass(frozen=True)
class EncounterParams:
    """Parameters of encounters (GFW defaults).

    Attributes
    ----------
    distance_m
        The vessels are within this distance at every close grid step.
    min_duration_h
        From the first to the last close step.
    max_median_speed_kn
        Each vessel's median speed over the close steps is below this.
    min_shore_km
        The closest-approach point is at least this far from shore.
    grid_step_s
        Resampling step (seconds).
    merge_gap_s
        Close steps at most this far apart belong to one episode.
    preset
        Name of the preset these values come from.
    """

    distance_m: float = 500.0
    min_duration_h: float = 2.0
    max_median_speed_kn: float = 2.0
    min_shore_km: float = 10.0
    grid_step_s: int = 300
    merge_gap_s: int = 600
    preset: str = "gfw"

    def to_dict(self) -> dict[str, Any]:
        """The parameters as reported."""
        return {
            "preset": self.preset,
            "distance_m": self.distance_m,
            "min_duration_h": self.min_duration_h,
            "max_median_speed_kn": self.max_median_speed_kn,
            "min_shore_km": self.min_shore_km,
            "from_anchorage": "approximated by distance from shore (no anchorage list)",
            "grid_step_s": self.grid_step_s,
            "merge_gap_s": self.merge_gap_s,
        }


ENCOUNTER_PRESETS: dict[str, EncounterParams] = {
    "gfw": EncounterParams(),
    "skylight": EncounterParams(distance_m=250.0, min_duration_h=0.5, preset="skylight"),
}
"""Named encounter rules: Global Fishing Watch (default) and Skylight's lighter one."""


@dataclass(frozen=True)
class ShadowingParams:
    """Parameters of shadowing / escort (DOMAIN.md defaults).

    Attributes
    ----------
    distance_nm, min_duration_h
        Within this distance of a fleet vessel for at least this long.
    grid_step_s, merge_gap_s
        As for :class:`EncounterParams`.
    include_fleet_pairs
        Also report fleet vessels accompanying each other.
    """

    distance_nm: float = 2.0
    min_duration_h: float = 1.0
    grid_step_s: int = 300
    merge_gap_s: int = 600
    include_fleet_pairs: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The parameters as reported."""
        return {
            "distance_nm": self.distance_nm,
            "min_duration_h": self.min_duration_h,
            "grid_step_s": self.grid_step_s,
            "merge_gap_s": self.merge_gap_s,
            "include_fleet_pairs": self.include_fleet_pairs,
        }


@dataclass(frozen=True)
class FishingApproachParams:
    """Parameters of approaches to fishing vessels (JCG's sub-count).

    Attributes
    ----------
    distance_nm
        A fleet vessel within this distance of a fishing vessel.
    zone_kind
        ... while the fleet vessel is inside this zone.
    fishing_ship_type
        AIS ship type of fishing vessels.
    grid_step_s, merge_gap_s
        As for :class:`EncounterParams`.
    """

    distance_nm: float = 1.0
    zone_kind: str = "territorial_sea"
    fishing_ship_type: int = 30
    grid_step_s: int = 60
    merge_gap_s: int = 600

    def to_dict(self) -> dict[str, Any]:
        """The parameters as reported."""
        return {
            "distance_nm": self.distance_nm,
            "zone": self.zone_kind,
            "fishing_ship_type": self.fishing_ship_type,
            "grid_step_s": self.grid_step_s,
            "merge_gap_s": self.merge_gap_s,
        }


def _pairs(
    points: pl.DataFrame,
    distance_nm: float,
    tiles: PairTiles | None,
    *,
    left: npt.NDArray[np.bool_] | None = None,
    right: npt.NDArray[np.bool_] | None = None,
) -> pl.DataFrame:
    if tiles is None:
        return close_pairs(points, distance_nm, left=left, right=right)
    return tiled_close_pairs(points, distance_nm, tiles, left=left, right=right)


def _mask(points: pl.DataFrame, mmsis: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    ids = pl.Series(np.asarray(mmsis, dtype=np.int64)).cast(pl.UInt32)
    return np.asarray(points["mmsi"].is_in(ids.implode()).to_numpy(), dtype=bool)


def episodes_from_pairs(
    points: pl.DataFrame, pairs: pl.DataFrame, step_s: int, merge_gap_s: int
) -> pl.DataFrame:
    """Episodes of close pairs with their summary.

    Parameters
    ----------
    points
        Resampled positions (``vid, mmsi, step, lon, lat, speed_kn``).
    pairs
        From :func:`zonewatch.events.pairs.close_pairs` on ``points``.
    step_s, merge_gap_s
        Grid step and the largest gap between close steps within an episode.

    Returns
    -------
    polars.DataFrame
        One row per episode: ``mmsi_a, mmsi_b, start, end, duration_h,
        n_steps, min_separation_nm, mean_separation_nm, speed_a_kn,
        speed_b_kn`` (medians), and the closest approach ``closest_ts,
        closest_lon, closest_lat`` (the midpoint of the pair).
    """
    ia = pairs["ia"].to_numpy()
    ib = pairs["ib"].to_numpy()
    lon = points["lon"].to_numpy()
    lat = points["lat"].to_numpy()
    lon_b = lon[ib]
    lon_b = np.where(lon_b - lon[ia] > 180, lon_b - 360, lon_b)
    lon_b = np.where(lon_b - lon[ia] < -180, lon_b + 360, lon_b)
    mid_lon = (lon[ia] + lon_b) / 2.0
    mid_lon = np.where(mid_lon < -180, mid_lon + 360, mid_lon)
    rows = pl.DataFrame(
        {
            "step": pairs["step"],
            "a": points["vid"].to_numpy()[ia],
            "b": points["vid"].to_numpy()[ib],
            "mmsi_a": points["mmsi"].to_numpy()[ia],
            "mmsi_b": points["mmsi"].to_numpy()[ib],
            "d": pairs["distance_nm"],
            "speed_a": points["speed_kn"].to_numpy()[ia],
            "speed_b": points["speed_kn"].to_numpy()[ib],
            "mid_lon": mid_lon,
            "mid_lat": (lat[ia] + lat[ib]) / 2.0,
        }
    )
    merge_steps = max(1, merge_gap_s // step_s)
    episodes = (
        pair_episodes(rows, merge_steps)
        .group_by("episode", maintain_order=True)
        .agg(
            pl.col("mmsi_a").first(),
            pl.col("mmsi_b").first(),
            pl.col("step").min().alias("first_step"),
            pl.col("step").max().alias("last_step"),
            pl.len().alias("n_steps"),
            pl.col("d").min().alias("min_separation_nm"),
            pl.col("d").mean().alias("mean_separation_nm"),
            pl.col("speed_a").median().alias("speed_a_kn"),
            pl.col("speed_b").median().alias("speed_b_kn"),
            pl.col("step").sort_by("d").first().alias("closest_step"),
            pl.col("mid_lon").sort_by("d").first().alias("closest_lon"),
            pl.col("mid_lat").sort_by("d").first().alias("closest_lat"),
        )
    )
    to_time = (pl.col("first_step") * step_s * 1000).cast(pl.Datetime("ms", "UTC"))
    return episodes.with_columns(
        to_time.alias("start"),
        (pl.col("last_step") * step_s * 1000).cast(pl.Datetime("ms", "UTC")).alias("end"),
        (pl.col("closest_step") * step_s * 1000).cast(pl.Datetime("ms", "UTC")).alias("closest_ts"),
        ((pl.col("last_step") - pl.col("first_step")) * step_s / 3600.0).alias("duration_h"),
    ).sort("start", "mmsi_a", "mmsi_b")


def _closest(row: dict[str, Any], unit: str) -> dict[str, Any]:
    sep = row["min_separation_nm"]
    return {
        "ts": row["closest_ts"],
        "lon": round(float(row["closest_lon"]), 6),
        "lat": round(float(row["closest_lat"]), 6),
        unit: num(sep * METERS_PER_NM, 1) if unit == "separation_m" else num(sep),
    }


def encounter_events(
    fixes: pl.DataFrame,
    shore: ShoreModel,
    params: EncounterParams | None = None,
    *,
    points: pl.DataFrame | None = None,
    pairs: pl.DataFrame | None = None,
    tiles: PairTiles | None = None,
) -> pl.DataFrame:
    """``encounter`` events between any two vessels.

    Parameters
    ----------
    fixes
        Cleaned fixes of every vessel (``mmsi, ts, lon, lat, segment``, and
        ``sog`` when known) sorted by ``mmsi, ts``.
    shore
        Distance from shore.
    params
        Thresholds (see :data:`ENCOUNTER_PRESETS`).
    points
        ``fixes`` already resampled at ``params.grid_step_s`` (saves the work).
    pairs
        The close pairs of ``points`` at ``params.distance_m`` (saves the work).
    tiles
        Find close pairs tile by tile (same result, bounded work per tile).

    Returns
    -------
    polars.DataFrame
        One event per encounter; ``mmsi`` is the lower MMSI, at the closest approach.
    """
    params = params or EncounterParams()
    if points is None:
        points = resample_tracks(fixes, params.grid_step_s)
    if pairs is None:
        pairs = _pairs(points, params.distance_m / METERS_PER_NM, tiles)
    if pairs.height == 0:
        return empty_events()
    episodes = episodes_from_pairs(points, pairs, params.grid_step_s, params.merge_gap_s).filter(
        (pl.col("duration_h") >= params.min_duration_h - 1e-9)
        & (pl.col("speed_a_kn") < params.max_median_speed_kn)
        & (pl.col("speed_b_kn") < params.max_median_speed_kn)
    )
    if episodes.height == 0:
        return empty_events()
    shore_km = (
        shore.distance_nm(episodes["closest_lon"].to_numpy(), episodes["closest_lat"].to_numpy())
        * METERS_PER_NM
        / 1000.0
    )
    episodes = episodes.with_columns(pl.Series("shore_km", shore_km)).filter(
        pl.col("shore_km") >= params.min_shore_km
    )
    details = [
        {
            "duration_h": round(float(r["duration_h"]), 3),
            "n_steps": int(r["n_steps"]),
            "min_separation_m": num(r["min_separation_nm"] * METERS_PER_NM, 1),
            "mean_separation_m": num(r["mean_separation_nm"] * METERS_PER_NM, 1),
            "median_speed_kn": num(r["speed_a_kn"], 2),
            "other_median_speed_kn": num(r["speed_b_kn"], 2),
            "distance_from_shore_km": num(r["shore_km"], 2),
            "closest_approach": _closest(r, "separation_m"),
            "preset": params.preset,
        }
        for r in episodes.iter_rows(named=True)
    ]
    return event_frame(
        "encounter",
        mmsi=episodes["mmsi_a"].to_list(),
        other_mmsi=episodes["mmsi_b"].to_list(),
        start=episodes["start"].to_list(),
        end=episodes["end"].to_list(),
        lon=episodes["closest_lon"].to_list(),
        lat=episodes["closest_lat"].to_list(),
        detail=details,
    )


def shadowing_events(
    fixes: pl.DataFrame,
    fleet_mmsis: npt.ArrayLike,
    params: ShadowingParams | None = None,
    *,
    points: pl.DataFrame | None = None,
    tiles: PairTiles | None = None,
) -> pl.DataFrame:
    """``shadowing`` events: a vessel accompanying a fleet vessel.

    Parameters
    ----------
    fixes
        Cleaned fixes of every vessel, sorted by ``mmsi, ts``.
    fleet_mmsis
        The fleet.
    params
        Thresholds.
    points
        ``fixes`` already resampled at ``params.grid_step_s``.
    tiles
        Find close pairs tile by tile (same result).

    Returns
    -------
    polars.DataFrame
        ``mmsi`` the fleet vessel, ``other_mmsi`` the one accompanying it.
    """
    params = params or ShadowingParams()
    if points is None:
        points = resample_tracks(fixes, params.grid_step_s)
    fleet = _mask(points, fleet_mmsis)
    if not fleet.any():
        return empty_events()
    right = np.ones_like(fleet) if params.include_fleet_pairs else ~fleet
    pairs = _pairs(points, params.distance_nm, tiles, left=fleet, right=right)
    if params.include_fleet_pairs and pairs.height:
        # two fleet vessels are found from both sides: keep the view from the lower row
        ia, ib = pairs["ia"].to_numpy(), pairs["ib"].to_numpy()
        pairs = pairs.filter(
            pl.Series(~fleet[ib] | (points["vid"].to_numpy()[ia] < points["vid"].to_numpy()[ib]))
        )
    if pairs.height == 0:
        return empty_events()
    episodes = episodes_from_pairs(points, pairs, params.grid_step_s, params.merge_gap_s).filter(
        pl.col("duration_h") >= params.min_duration_h - 1e-9
    )
    details = [
        {
            "duration_h": round(float(r["duration_h"]), 3),
            "n_steps": int(r["n_steps"]),
            "min_separation_nm": num(r["min_separation_nm"]),
            "mean_separation_nm": num(r["mean_separation_nm"]),
            "median_speed_kn": num(r["speed_a_kn"], 2),
            "other_median_speed_kn": num(r["speed_b_kn"], 2),
            "closest_approach": _closest(r, "separation_nm"),
            "role": "other_mmsi accompanied the fleet vessel mmsi",
        }
        for r in episodes.iter_rows(named=True)
    ]
    return event_frame(
        "shadowing",
        mmsi=episodes["mmsi_a"].to_list(),
        other_mmsi=episodes["mmsi_b"].to_list(),
        start=episodes["start"].to_list(),
        end=episodes["end"].to_list(),
        lon=episodes["closest_lon"].to_list(),
        lat=episodes["closest_lat"].to_list(),
        detail=details,
    )


def fishing_approach_events(
    fixes: pl.DataFrame,
    fleet_mmsis: npt.ArrayLike,
    fishing_mmsis: npt.ArrayLike,
    zone_set: ZoneSet,
    params: FishingApproachParams | None = None,
    *,
    tiles: PairTiles | None = None,
) -> pl.DataFrame:
    """``fishing_approach`` events: a fleet vessel in the zone close to a fishing vessel.

    Parameters
    ----------
    fixes
        Cleaned fixes, sorted by ``mmsi, ts`` (other vessels are ignored).
    fleet_mmsis
        The fleet.
    fishing_mmsis
        Fishing vessels (ship type 30); fleet members among them are ignored.
    zone_set
        Where the zone is.
    params
        Thresholds.

    Returns
    -------
    polars.DataFrame
        ``mmsi`` the fleet vessel, ``other_mmsi`` the fishing vessel.
    """
    params = params or FishingApproachParams()
    fleet_ids = np.asarray(fleet_mmsis, dtype=np.int64)
    fishing_ids = np.setdiff1d(np.asarray(fishing_mmsis, dtype=np.int64), fleet_ids)
    if fleet_ids.size == 0 or fishing_ids.size == 0:
        return empty_events()
    wanted = pl.Series(np.concatenate([fleet_ids, fishing_ids])).cast(pl.UInt32)
    subset = fixes.filter(pl.col("mmsi").cast(pl.UInt32).is_in(wanted.implode()))
    points = resample_tracks(subset, params.grid_step_s)
    if points.height == 0:
        return empty_events()
    fleet = _mask(points, fleet_ids)
    limit = zone_set.zone(params.zone_kind).distance_nm
    inside = np.zeros(points.height, dtype=bool)
    if fleet.any():
        d = zone_set.distance_nm(points["lon"].to_numpy()[fleet], points["lat"].to_numpy()[fleet])
        inside[fleet] = d <= limit
    pairs = _pairs(points, params.distance_nm, tiles, left=inside, right=_mask(points, fishing_ids))
    if pairs.height == 0:
        return empty_events()
    episodes = episodes_from_pairs(points, pairs, params.grid_step_s, params.merge_gap_s)
    label = f"{params.zone_kind}:{zone_set.name}"
    details = [
        {
            "duration_h": round(float(r["duration_h"]), 3),
            "n_steps": int(r["n_steps"]),
            "min_separation_nm": num(r["min_separation_nm"]),
            "closest_approach": _closest(r, "separation_nm"),
            "role": "fleet vessel mmsi near fishing vessel other_mmsi",
        }
        for r in episodes.iter_rows(named=True)
    ]
    return event_frame(
        "fishing_approach",
        mmsi=episodes["mmsi_a"].to_list(),
        other_mmsi=episodes["mmsi_b"].to_list(),
        start=episodes["start"].to_list(),
        end=episodes["end"].to_list(),
        lon=episodes["closest_lon"].to_list(),
        lat=episodes["closest_lat"].to_list(),
        zone=[label] * episodes.height,
        detail=details,
    )
