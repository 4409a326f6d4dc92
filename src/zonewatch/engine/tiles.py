"""The kernels one tile runs: read its positions, clean tracks, zone presence, fleet fixes.

These functions are what the engine sends to local processes or to Dask
workers. They are pure: a tile's result depends only on its
:class:`~zonewatch.engine.plan.TileSpec` and the :class:`TileContext`, which is
what makes results identical whatever the number of buckets or the executor,
and what lets the engine cache them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl

from zonewatch import schema
from zonewatch.engine.buckets import (
    STORE_BUCKETS,
    bucket_expr,
    bucket_of,
    mmsi_hash,
    store_buckets_for,
)
from zonewatch.engine.fishing import hour_boxes, near_area
from zonewatch.engine.plan import TileSpec
from zonewatch.events.presence import INTERVAL_SCHEMA, PresenceParams
from zonewatch.stats import TERRITORIAL_SEA
from zonewatch.store import BUCKET_COLUMN, scan_parts
from zonewatch.tracks import LandTest, TrackParams, clean_tracks
from zonewatch.vessels.membership import member_fixes
from zonewatch.zones import ZoneSet
from zonewatch.zones.counting import presence_intervals

__all__ = [
    "ENGINE_VERSION",
    "EXACT_MIN_FOR",
    "PIECE_SCHEMA",
    "POSITIONS_SCHEMA",
    "TILE_COLUMNS",
    "TILE_SCHEMA",
    "FishingResult",
    "ReportTileResult",
    "TileContext",
    "clip_pieces",
    "fishing_tile",
    "read_tile_positions",
    "report_tile",
    "sort_by_vessel_time",
]

ENGINE_VERSION = "3"
"""Part of every cache key: bump when a kernel's results change."""

PIECE_SCHEMA: dict[str, pl.DataType] = {
    **INTERVAL_SCHEMA,
    "cont_start": pl.Boolean(),
    "cont_end": pl.Boolean(),
}
"""Presence intervals clipped to a tile's block, flagged where they go on beyond it."""

_UTC_MS = pl.Datetime("ms", "UTC")

EXACT_MIN_FOR = frozenset({TERRITORIAL_SEA})
"""Zones whose closest approach is sampled along legs inside them (incidents report it)."""


@dataclass(frozen=True)
class TileContext:
    """What every tile of a run shares: zones, fleet membership and parameters.

    Attributes
    ----------
    zone_set
        The zones.
    members
        Fleet membership (:meth:`zonewatch.vessels.fleets.Fleet.membership`).
    track, presence
        Track cleaning and presence sampling parameters.
    fishing
        Non-fleet fishing vessels (the tiles summarize where they are, for
        the incidents' fishing check).
    """

    zone_set: ZoneSet
    members: pl.DataFrame
    track: TrackParams = field(default_factory=TrackParams)
    presence: PresenceParams = field(default_factory=PresenceParams)
    fishing: tuple[int, ...] = ()

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the zones and parameters (the fleet is in :meth:`bucket_fingerprint`)."""
        digest = hashlib.sha256(ENGINE_VERSION.encode())
        digest.update(pickle.dumps(self.zone_set, protocol=5))
        digest.update(json.dumps([repr(self.track), repr(self.presence)]).encode())
        return digest.hexdigest()

    def bucket_fingerprint(self, bucket: int, buckets: int) -> str:
        """A hash of the fleet membership and the fishing vessels of one bucket."""
        rows = (
            self.members.filter(bucket_expr(buckets) == bucket)
            .select(pl.all().cast(pl.String))
            .sort(pl.all())
        )
        buffer = io.StringIO()
        rows.write_csv(buffer)
        fishing = [m for m in self.fishing if int(bucket_of([m], buckets)[0]) == bucket]
        buffer.write(",".join(str(m) for m in sorted(fishing)))
        return hashlib.sha256(buffer.getvalue().encode()).hexdigest()

    @cached_property
    def land_test(self) -> LandTest:
        """Fixes on the zone set's features (built once per process)."""
        from zonewatch.engine.land import land_test

        return land_test(self.zone_set)

    def __getstate__(self) -> dict[str, Any]:
        # cached_property values (land test, fingerprints) are rebuilt where unpickled
        return {k: v for k, v in self.__dict__.items() if k not in {"land_test", "fingerprint"}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


@dataclass(frozen=True)
class ReportTileResult:
    """What one tile gives the report.

    Attributes
    ----------
    fleet_fixes
        Cleaned fixes of fleet members (while members) within the block, no
        ``segment`` column (segments are recomputed over all blocks).
    fleet_dropped
        Fixes of fleet vessels dropped by cleaning, within the block.
    pieces
        Presence intervals of *every* vessel in the zone set's zones, clipped
        to the block (:data:`PIECE_SCHEMA`).
    positions
        Positions of the bucket within the block, as read.
    fishing_boxes
        Per fishing vessel and hour of the block, the box of its track
        (:func:`zonewatch.engine.fishing.hour_boxes`).
    """

    fleet_fixes: pl.DataFrame
    fleet_dropped: pl.DataFrame
    pieces: pl.DataFrame
    positions: int
    fishing_boxes: pl.DataFrame


@dataclass(frozen=True)
class FishingResult:
    """Cleaned fixes of the asked-for vessels within the asked-for windows."""

    fixes: pl.DataFrame
    positions: int


def _bucket_filter(spec: TileSpec) -> Callable[[bool], pl.Expr]:
    """The row filter of a tile, for parts with (True) or without the ``bucket`` column."""
    stored = list(store_buckets_for(spec.bucket, spec.buckets))
    if spec.mmsis is not None:  # only the row groups that hold these vessels
        holding = {int(b) for b in mmsi_hash(list(spec.mmsis)) % STORE_BUCKETS}
        stored = [b for b in stored if b in holding]
    exact = STORE_BUCKETS % spec.buckets == 0

    def predicate(bucketed: bool) -> pl.Expr:
        keep = (pl.col("ts") >= pl.lit(spec.read_start).cast(_UTC_MS)) & (
            pl.col("ts") < pl.lit(spec.read_end).cast(_UTC_MS)
        )
        if bucketed and len(stored) < STORE_BUCKETS:
            keep = keep & pl.col(BUCKET_COLUMN).is_in(stored)  # skips other row groups
        if spec.buckets > 1 and not (bucketed and exact):
            keep = keep & (bucket_expr(spec.buckets) == spec.bucket)
        if spec.mmsis is not None:
            keep = keep & pl.col("mmsi").is_in(pl.Series(spec.mmsis, dtype=pl.UInt32).implode())
        return keep

    return predicate


def read_tile_positions(spec: TileSpec) -> pl.DataFrame:
    """The positions of a tile's vessels within its read window, sorted by ``mmsi, ts``.

    Only the row groups of the store buckets that can hold the tile's vessels
    are read from parts with a ``bucket`` column (see
    :func:`zonewatch.store.scan_parts`), and only :data:`TILE_COLUMNS` (the
    provenance columns ``source, file_id, line_no`` stay in the store, where
    ``zonewatch evidence`` reads them).
    """
    frame = scan_parts(spec.parts, _bucket_filter(spec)).select(TILE_COLUMNS).collect()
    return sort_by_vessel_time(frame)


def sort_by_vessel_time(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` sorted by ``mmsi, ts`` (stable), on one 64-bit key where the times allow.

    The key is the MMSI in the high 32 bits and the milliseconds since the
    earliest time in the low 32 bits (a span under 49 days, as a tile's window
    is); one key sorts faster than two. Other frames sort on both columns.

    Examples
    --------
    >>> import datetime as dt
    >>> t = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    >>> f = pl.DataFrame({"mmsi": [2, 1, 2, 1], "ts": [t, t + dt.timedelta(days=40), t, t],
    ...                   "n": [0, 1, 2, 3]}).with_columns(pl.col("mmsi").cast(pl.UInt32))
    >>> sort_by_vessel_time(f)["n"].to_list()
    [3, 1, 0, 2]
    """
    if frame.height < 2:
        return frame
    ms = pl.col("ts").dt.epoch("ms")
    lo, hi = frame.select(ms.min().alias("lo"), ms.max().alias("hi")).row(0)
    if lo is None or hi - lo >= 1 << 32 or frame["mmsi"].null_count():
        return frame.sort("mmsi", "ts", maintain_order=True)
    key = pl.col("mmsi").cast(pl.UInt64) * (1 << 32) + (ms - lo).cast(pl.UInt64)
    return frame.sort(key, maintain_order=True)


def _positions_schema() -> pl.Schema:
    frame = pl.from_arrow(schema.POSITIONS.empty_table())
    assert isinstance(frame, pl.DataFrame)
    return frame.schema


POSITIONS_SCHEMA = _positions_schema()
"""The positions schema as a Polars schema."""

TILE_COLUMNS = [c for c in schema.POSITIONS.names if c not in {"source", "file_id", "line_no"}]
"""The positions columns tiles read and return."""

TILE_SCHEMA = pl.Schema({c: POSITIONS_SCHEMA[c] for c in TILE_COLUMNS})
"""Their Polars schema."""


def _in_block(spec: TileSpec) -> pl.Expr:
    return (pl.col("ts") >= pl.lit(spec.start).cast(_UTC_MS)) & (
        pl.col("ts") < pl.lit(spec.end).cast(_UTC_MS)
    )


def clip_pieces(intervals: pl.DataFrame, start: dt.datetime, end: dt.datetime) -> pl.DataFrame:
    """Presence intervals clipped to ``[start, end)``, flagged where they go on beyond it.

    An interval that began before ``start`` starts at ``start`` with
    ``cont_start``; one that goes on past ``end`` ends at ``end`` with
    ``cont_end``. :func:`zonewatch.engine.stitch.stitch_pieces` joins the
    pieces of neighbouring blocks again.
    """
    lo = pl.lit(start).cast(_UTC_MS)
    hi = pl.lit(end).cast(_UTC_MS)
    kept = intervals.filter((pl.col("end") >= lo) & (pl.col("start") < hi))
    return kept.with_columns(
        pl.max_horizontal(pl.col("start"), lo).alias("start"),
        pl.min_horizontal(pl.col("end"), hi).alias("end"),
        (pl.col("start") < lo).alias("cont_start"),
        (pl.col("end") > hi).alias("cont_end"),
    ).select(list(PIECE_SCHEMA))


def report_tile(context: TileContext, spec: TileSpec) -> ReportTileResult:
    """Run the per-vessel stages of the report for one tile.

    Reads the tile's positions, cleans every vessel's track, computes zone
    presence of every vessel (for zone events) and keeps the fleet's fixes
    (for the counts), each restricted to the tile's block.
    """
    raw = read_tile_positions(spec)
    tracks = clean_tracks(raw, context.track, on_land=context.land_test)
    # the closest approach within the territorial sea is sampled as for the fleet's counts,
    # so that the report can take the fleet's intervals from these
    intervals = presence_intervals(
        tracks.fixes, context.zone_set, context.presence, exact_min_for=EXACT_MIN_FOR
    )
    pieces = clip_pieces(intervals, spec.start, spec.end)
    fleet = member_fixes(tracks.fixes, context.members).filter(_in_block(spec)).drop("segment")
    fleet_ids = context.members["mmsi"].cast(pl.UInt32).unique().implode()
    dropped = tracks.dropped.filter(_in_block(spec) & pl.col("mmsi").is_in(fleet_ids))
    positions = raw.filter(_in_block(spec)).height
    fishing_ids = pl.Series(context.fishing, dtype=pl.UInt32).implode()
    boxes = hour_boxes(
        tracks.fixes.filter(pl.col("mmsi").is_in(fishing_ids)), context.track.max_gap_h
    ).filter(
        (pl.col("hour") >= pl.lit(spec.start).cast(_UTC_MS).dt.truncate("1h"))
        & (pl.col("hour") < pl.lit(spec.end).cast(_UTC_MS))
    )
    return ReportTileResult(fleet, dropped, pieces, positions, boxes)


def fishing_tile(context: TileContext, spec: TileSpec) -> FishingResult:
    """Cleaned fixes of those of ``spec.mmsis`` that reach one of ``spec.areas``, in its time.

    Returns every fix of such a vessel within the areas' times (the fishing
    check interpolates its track there); other vessels are left out.
    """
    raw = read_tile_positions(spec)
    fixes = clean_tracks(raw, context.track, on_land=context.land_test).fixes.drop("segment")
    areas = spec.areas or ()
    candidates = [near_area(fixes, area, context.track.max_gap_h) for area in areas]
    wanted = pl.concat(candidates).unique() if candidates else pl.Series([], dtype=pl.UInt32)
    during = pl.lit(False)
    for area in areas:
        during = during | (
            (pl.col("ts") >= pl.lit(max(area.start, spec.start)).cast(_UTC_MS))
            & (pl.col("ts") < pl.lit(spec.end).cast(_UTC_MS))
            & (pl.col("ts") <= pl.lit(area.end).cast(_UTC_MS))
        )
    kept = fixes.filter(pl.col("mmsi").is_in(wanted.implode()) & during)
    return FishingResult(kept, raw.filter(_in_block(spec)).height)
