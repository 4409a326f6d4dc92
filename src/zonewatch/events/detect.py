"""The whole event catalogue from positions and cleaned tracks, one pure function.

:func:`detect_events` runs every detector that a set of kinds needs and
returns one events frame. It knows nothing of the store: the engine
(:func:`zonewatch.engine.local.run_events`) loads the data and cleans the
tracks exactly as the report does, then calls it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from zonewatch.events.catalogue import dropped_fix_events, zone_events
from zonewatch.events.encounters import (
    EncounterParams,
    FishingApproachParams,
    ShadowingParams,
    encounter_events,
    fishing_approach_events,
    shadowing_events,
)
from zonewatch.events.gaps import GapParams, gap_events
from zonewatch.events.integrity import (
    IntegrityParams,
    identity_conflict_events,
    mask_on_land_events,
    null_island_events,
)
from zonewatch.events.loitering import LoiteringParams, loitering_events
from zonewatch.events.pairtiles import PairTiles
from zonewatch.events.presence import PresenceParams, zone_intervals
from zonewatch.events.records import EVENT_COLUMNS, EVENT_KINDS, empty_events
from zonewatch.events.resample import resample_tracks
from zonewatch.events.shore import ShoreModel, land_mask_available
from zonewatch.events.zonestate import innermost_zone, zone_label
from zonewatch.tracks import TrackParams, Tracks
from zonewatch.zones import ZoneSet

__all__ = [
    "CROSS_VESSEL_KINDS",
    "SHORE_KINDS",
    "EventParams",
    "detect_events",
]

CROSS_VESSEL_KINDS = frozenset({"encounter", "shadowing", "fishing_approach"})
"""Kinds that need every vessel's track, not only the vessels asked about."""

SHORE_KINDS = frozenset({"ais_gap", "loitering", "encounter", "on_land"})
"""Kinds that need the land mask."""


@dataclass(frozen=True)
class EventParams:
    """Every parameter of the event catalogue (DOMAIN.md defaults)."""

    track: TrackParams = field(default_factory=TrackParams)
    presence: PresenceParams = field(default_factory=PresenceParams)
    gap: GapParams = field(default_factory=GapParams)
    loitering: LoiteringParams = field(default_factory=LoiteringParams)
    encounter: EncounterParams = field(default_factory=EncounterParams)
    shadowing: ShadowingParams = field(default_factory=ShadowingParams)
    fishing_approach: FishingApproachParams = field(default_factory=FishingApproachParams)
    integrity: IntegrityParams = field(default_factory=IntegrityParams)
    margin_h: float = 24.0
    """Data read before and after the period so that events at its edges are whole."""
    gap_lookahead_h: float = 720.0
    """How far after the period the next fix of a silent vessel is looked for."""
    pair_tiles: PairTiles | None = None
    """Find cross-vessel pairs tile by tile (space-time tiles with a halo; same events)."""

    def to_dict(self, zone_set: ZoneSet) -> dict[str, Any]:
        """The ``parameters`` object of ``zonewatch events``."""
        return {
            **self.track.to_dict(),
            **{f"{z.kind}_nm": z.distance_nm for z in zone_set.zones},
            "interpolation": "straight line between fixes within a segment",
            "crossing_step_nm": self.presence.step_nm,
            "margin_h": self.margin_h,
            "ais_gap": {**self.gap.to_dict(), "lookahead_h": self.gap_lookahead_h},
            "loitering": self.loitering.to_dict(),
            "encounter": self.encounter.to_dict(),
            "shadowing": self.shadowing.to_dict(),
            "fishing_approach": self.fishing_approach.to_dict(),
            "integrity": self.integrity.to_dict(),
            "land": (
                "GLOBE 30 arc-second land mask (global-land-mask package) and the zone set's "
                "features; distance from shore good to about 0.5 nm, null beyond 100 nm"
                if land_mask_available()
                else "the zone set's features only (global-land-mask is not installed)"
            ),
        }


def _fill_zone(events: pl.DataFrame, zone_set: ZoneSet) -> pl.DataFrame:
    """Fill ``zone`` and ``min_distance_nm`` from the event's position where not set."""
    missing = events["min_distance_nm"].is_null().to_numpy()
    if events.height == 0 or not missing.any():
        return events
    lon = events["lon"].to_numpy().astype(np.float64)
    lat = events["lat"].to_numpy().astype(np.float64)
    dist = np.full(events.height, np.nan)
    dist[missing] = zone_set.distance_nm(lon[missing], lat[missing])
    labels = [
        zone_label(kind, zone_set) if miss else None
        for kind, miss in zip(
            innermost_zone(np.nan_to_num(dist, nan=np.inf), zone_set), missing, strict=True
        )
    ]
    return events.with_columns(
        pl.when(pl.Series(missing))
        .then(pl.Series("z", labels, dtype=pl.String))
        .otherwise(pl.col("zone"))
        .alias("zone"),
        pl.when(pl.Series(missing))
        .then(pl.Series("d", dist))
        .otherwise(pl.col("min_distance_nm"))
        .alias("min_distance_nm"),
    )


def detect_events(
    positions: pl.DataFrame,
    tracks: Tracks,
    zone_set: ZoneSet,
    *,
    shore: ShoreModel,
    fleet_mmsis: npt.ArrayLike = (),
    fishing_mmsis: npt.ArrayLike = (),
    next_fixes: pl.DataFrame | None = None,
    params: EventParams | None = None,
    kinds: Iterable[str] | None = None,
) -> pl.DataFrame:
    """Every event of the requested kinds.

    Parameters
    ----------
    positions
        Raw positions (for the integrity checks).
    tracks
        The cleaned tracks of ``positions`` without null-island fixes.
    zone_set
        Zones for zone events, gap ends and the ``zone`` column.
    shore
        Distance from shore and on-land tests.
    fleet_mmsis
        Fleet members (for shadowing and approaches).
    fishing_mmsis
        Fishing vessels (ship type 30).
    next_fixes
        The first fix after the loaded window of vessels that fell silent
        (``mmsi, ts, lon, lat``), so that gaps running past it are seen.
    params
        Parameters.
    kinds
        Kinds to detect (default: all).

    Returns
    -------
    polars.DataFrame
        Columns of :data:`zonewatch.events.records.EVENT_COLUMNS`, sorted by
        start, MMSI and kind. Events other than zone events get ``zone``
        (innermost zone containing their position) and ``min_distance_nm``
        (distance of their position to the baseline) when the detector did
        not set them.
    """
    params = params or EventParams()
    wanted = set(EVENT_KINDS if kinds is None else kinds)
    unknown = wanted - set(EVENT_KINDS)
    if unknown:
        raise ValueError(f"unknown event kinds: {', '.join(sorted(unknown))}")
    fixes = tracks.fixes
    frames: list[pl.DataFrame] = []
    if wanted & {"zone_entry", "zone_exit"}:
        intervals = zone_intervals(
            fixes,
            zone_set.distance_nm,
            {z.kind: z.distance_nm for z in zone_set.zones},
            params.presence,
        )
        frames.append(zone_events(intervals, zone_set.name))
    if wanted & {"position_jump", "on_land"}:
        frames.append(dropped_fix_events(tracks.dropped))
    if "on_land" in wanted:
        frames.append(mask_on_land_events(fixes, shore))
    if "null_island" in wanted:
        frames.append(null_island_events(positions, params.integrity))
    if "identity_conflict" in wanted:
        frames.append(identity_conflict_events(positions, params.integrity))
    if "ais_gap" in wanted:
        gap_fixes = fixes.select("mmsi", "ts", "lon", "lat")
        if next_fixes is not None and next_fixes.height:
            gap_fixes = pl.concat(
                [gap_fixes, next_fixes.select("mmsi", "ts", "lon", "lat")], how="vertical_relaxed"
            ).sort("mmsi", "ts")
        frames.append(gap_events(gap_fixes, zone_set, shore, params.gap))
    if "loitering" in wanted:
        frames.append(loitering_events(fixes, shore, params.loitering))
    points: pl.DataFrame | None = None
    if "encounter" in wanted:
        points = resample_tracks(fixes, params.encounter.grid_step_s)
        frames.append(
            encounter_events(fixes, shore, params.encounter, points=points, tiles=params.pair_tiles)
        )
    if "shadowing" in wanted:
        same_grid = params.shadowing.grid_step_s == params.encounter.grid_step_s
        frames.append(
            shadowing_events(
                fixes,
                fleet_mmsis,
                params.shadowing,
                points=points if same_grid else None,
                tiles=params.pair_tiles,
            )
        )
    if "fishing_approach" in wanted:
        frames.append(
            fishing_approach_events(
                fixes,
                fleet_mmsis,
                fishing_mmsis,
                zone_set,
                params.fishing_approach,
                tiles=params.pair_tiles,
            )
        )
    frames = [f for f in frames if f.height]
    if not frames:
        return empty_events()
    events = pl.concat(frames).select(list(EVENT_COLUMNS))
    events = events.filter(pl.col("kind").is_in(sorted(wanted)))
    return _fill_zone(events, zone_set).sort("start", "mmsi", "kind", "event_id")
