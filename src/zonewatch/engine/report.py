"""The report pipeline: store -> tiles (tracks, zone presence) -> counts -> report.

The per-vessel stages run tile by tile (an MMSI bucket over a month of the
window, see :mod:`zonewatch.engine.plan`) on an executor (this process, local
worker processes or Dask); what the tiles give is joined and the fleet's
counts are made from it. Only fleet fixes, presence intervals and, for the
incidents' fishing check, the fixes of fishing vessels near the incidents
come back from the tiles, so memory depends on the tile size, not on the
input. Tile results are cached beside the store; a re-run after new data
recomputes only the tiles that read it.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import polars as pl

from zonewatch.engine.buckets import bucket_of
from zonewatch.engine.cache import TileCache, tile_key
from zonewatch.engine.executors import Executor, LocalExecutor
from zonewatch.engine.fishing import (
    AROUND,
    BOX_SCHEMA,
    Area,
    boxes_near,
    incident_areas,
    near_area,
)
from zonewatch.engine.plan import TileSpec, choose_buckets, month_blocks, plan_tiles
from zonewatch.engine.stitch import stitch_pieces
from zonewatch.engine.tiles import (
    EXACT_MIN_FOR,
    PIECE_SCHEMA,
    TILE_SCHEMA,
    FishingResult,
    ReportTileResult,
    TileContext,
    fishing_tile,
    report_tile,
)
from zonewatch.errors import ParameterError
from zonewatch.events.catalogue import zone_events
from zonewatch.events.presence import PresenceParams
from zonewatch.events.proximity import min_separation_nm
from zonewatch.report.model import Incident, Report, RunInfo, VesselInfo, ZoneEventCount
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
from zonewatch.tracks import TrackParams, Tracks, clean_tracks, segment_fixes
from zonewatch.vessels.fleets import Fleet
from zonewatch.vessels.identity import vessel_identities
from zonewatch.vessels.membership import membership_text
from zonewatch.zones import ZoneSet
from zonewatch.zones.counting import presence_intervals, zone_counts

__all__ = ["ReportParams", "ReportRun", "run_report"]

T = TypeVar("T")
_UTC_MS = pl.Datetime("ms", "UTC")


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
    """A report and the data behind it (for maps and evidence).

    Attributes
    ----------
    report
        The report.
    tracks
        The fleet vessels' cleaned fixes (while members, with ``segment``)
        and the fixes dropped from their tracks.
    intervals
        The fleet's presence intervals in the zone set's zones.
    fleet_fixes
        Same as ``tracks.fixes`` (positions columns without the provenance
        columns ``source, file_id, line_no``, which stay in the store).
    members
        Fleet membership.
    zone_events
        ``zone_entry`` / ``zone_exit`` events of every vessel within the
        period (columns of :data:`zonewatch.schema.EVENTS`).
    """

    report: Report
    tracks: Tracks
    intervals: pl.DataFrame
    fleet_fixes: pl.DataFrame
    members: pl.DataFrame
    zone_events: pl.DataFrame


class _Progress:
    """A Rich progress bar over tiles on stderr (or nothing)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @contextmanager
    def phase(self, label: str, total: int) -> Iterator[Callable[[int], None]]:
        if not self.enabled or total == 0:
            yield lambda _i: None
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        ) as bar:
            task = bar.add_task(label, total=total)
            yield lambda _i: bar.advance(task)


@dataclass
class _Tally:
    computed: int = 0
    reused: int = 0


def _run_tiles(
    kind: str,
    kernel: Callable[[TileContext, TileSpec], T],
    result_type: type[T],
    context: TileContext,
    specs: Sequence[TileSpec],
    executor: Executor,
    cache: TileCache | None,
    progress: _Progress,
    tally: _Tally,
) -> list[T]:
    """Results of every spec: from the cache where there, else computed (and cached)."""
    out: list[T | None] = [None] * len(specs)
    keys: list[str] = []
    if cache is not None:
        fingerprints: dict[tuple[int, int], str] = {}
        for i, spec in enumerate(specs):
            bucket = (spec.bucket, spec.buckets)
            if bucket not in fingerprints:
                fingerprints[bucket] = context.bucket_fingerprint(*bucket)
            key = tile_key(kind, context.fingerprint, fingerprints[bucket], spec)
            keys.append(key)
            out[i] = cache.get(key, result_type)
    # largest first, so that no worker is left with a big tile at the end
    todo = sorted(
        (i for i, value in enumerate(out) if value is None),
        key=lambda i: -specs[i].rows_share,
    )
    tally.reused += len(specs) - len(todo)
    tally.computed += len(todo)
    with progress.phase(f"{kind} tiles", len(todo)) as done:
        results = executor.run(kernel, context, [specs[i] for i in todo], done)
    for i, result in zip(todo, results, strict=True):
        out[i] = result
        if cache is not None:
            cache.put(keys[i], result)
    return [r for r in out if r is not None]


def run_report(
    store: Store,
    zone_set: ZoneSet,
    fleet: Fleet,
    start: dt.date,
    end: dt.date,
    params: ReportParams | None = None,
    *,
    fleet_label: str | None = None,
    executor: Executor | None = None,
    buckets: int | None = None,
    cache: bool = True,
    progress: bool = False,
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
    executor
        Where tiles run (default: this process).
    buckets
        MMSI buckets (default: chosen from the data size and the workers).
        The report is the same for any number.
    cache
        Reuse and store tile results in ``<store>.cache/`` (results are keyed
        by everything they depend on, so a reused tile is what a new run
        would compute).
    progress
        Show a progress bar over tiles on stderr.

    Returns
    -------
    ReportRun
        The report and the data behind it.
    """
    if start > end:
        raise ParameterError(f"the period starts ({start}) after it ends ({end})")
    if buckets is not None and buckets < 1:
        raise ParameterError(f"--buckets must be at least 1, not {buckets}")
    began = time.perf_counter()
    params = params or ReportParams()
    own_executor = executor is None
    if executor is None:
        executor = LocalExecutor()  # threads for small work, worker processes for large
    try:
        return _run(
            store,
            zone_set,
            fleet,
            start,
            end,
            params,
            fleet_label,
            executor,
            buckets,
            TileCache(store.cache_folder / "tiles") if cache else None,
            _Progress(progress),
            began,
        )
    finally:
        if own_executor:
            executor.close()


def _run(
    store: Store,
    zone_set: ZoneSet,
    fleet: Fleet,
    start: dt.date,
    end: dt.date,
    params: ReportParams,
    fleet_label: str | None,
    executor: Executor,
    buckets: int | None,
    cache: TileCache | None,
    progress: _Progress,
    began: float,
) -> ReportRun:
    lo, hi = period_bounds_utc(start, end, zone_set.timezone)
    margin = dt.timedelta(hours=params.margin_h)
    w_lo, w_hi = lo - margin, hi + margin
    statics = store.statics()
    identities = vessel_identities(statics)
    members = fleet.membership(statics)
    member_ids = members["mmsi"].cast(pl.UInt32).unique()
    context = TileContext(
        zone_set,
        members,
        params.track,
        params.presence,
        fishing=_fishing_vessels(identities, member_ids),
    )
    parts = store.part_files(w_lo, w_hi)
    n_buckets = buckets or choose_buckets(
        sum(p.rows for p in parts), len(month_blocks(w_lo, w_hi)), executor.workers
    )
    specs = plan_tiles(parts, w_lo, w_hi, margin, n_buckets)
    tally = _Tally()
    tiles = _run_tiles(
        "report", report_tile, ReportTileResult, context, specs, executor, cache, progress, tally
    )

    empty = clean_tracks(pl.DataFrame(schema=TILE_SCHEMA), params.track)
    fleet_fixes = segment_fixes(
        _concat([t.fleet_fixes for t in tiles], empty.fixes.drop("segment").schema), params.track
    )
    dropped = _concat([t.fleet_dropped for t in tiles], empty.dropped.schema).sort("mmsi", "ts")
    all_intervals = stitch_pieces(_concat([t.pieces for t in tiles], PIECE_SCHEMA))
    intervals = _fleet_intervals(all_intervals, fleet_fixes, members, zone_set, params)
    counted = intervals.filter(pl.col("zone").is_in([TERRITORIAL_SEA, CONTIGUOUS_ZONE]))
    days = daily_presence(clip_intervals(counted, lo, hi), zone_set.timezone)
    raw_incidents = [
        inc
        for inc in incidents_from_intervals(
            counted.filter(pl.col("zone") == TERRITORIAL_SEA), params.count.merge_gap_h
        )
        if lo <= inc.start < hi
    ]
    areas = incident_areas(
        [(inc.start, inc.end, inc.vessels) for inc in raw_incidents],
        fleet_fixes,
        params.count.fishing_distance_nm,
    )
    fishing = _fishing_near_incidents(
        areas,
        _concat([t.fishing_boxes for t in tiles], BOX_SCHEMA),
        context,
        parts,
        (w_lo, w_hi),
        margin,
        n_buckets,
        executor,
        cache,
        progress,
        tally,
    )
    tz = ZoneInfo(zone_set.timezone)
    incidents = tuple(
        _present_incident(inc, area, fleet_fixes, fishing, params.count, tz, params.track.max_gap_h)
        for inc, area in zip(raw_incidents, areas, strict=True)
    )
    totals, months = monthly_counts(
        days, [inc.start.strftime("%Y-%m") for inc in incidents], start, end
    )
    seen = fleet_fixes.filter(
        (pl.col("ts") >= pl.lit(lo).cast(_UTC_MS)) & (pl.col("ts") < pl.lit(hi).cast(_UTC_MS))
    )["mmsi"].unique()
    events = zone_events(all_intervals, zone_set.name).filter(
        (pl.col("start") >= pl.lit(lo).cast(_UTC_MS)) & (pl.col("start") < pl.lit(hi).cast(_UTC_MS))
    )
    run_info = RunInfo(
        engine=getattr(executor, "name", type(executor).__name__),
        workers=executor.workers,
        buckets=n_buckets,
        tiles=tally.computed + tally.reused,
        tiles_reused=tally.reused,
        positions=sum(t.positions for t in tiles),
        seconds=round(time.perf_counter() - began, 3),
    )
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
        zone_events=_zone_event_counts(events, zone_set),
        run=run_info,
    )
    tracks = Tracks(fixes=fleet_fixes, dropped=dropped)
    return ReportRun(report, tracks, intervals, fleet_fixes, members, events)


def _fleet_intervals(
    all_intervals: pl.DataFrame,
    fleet_fixes: pl.DataFrame,
    members: pl.DataFrame,
    zone_set: ZoneSet,
    params: ReportParams,
) -> pl.DataFrame:
    """The fleet's presence intervals.

    When every member is a member all the time, they are the tiles' intervals
    of the member vessels (computed from the same fixes, with the same
    sampling); with time-limited membership they are computed again from the
    fixes taken while members.
    """
    limited = members.filter(pl.col("valid_from").is_not_null() | pl.col("valid_to").is_not_null())
    if limited.height == 0:
        ids = members["mmsi"].cast(pl.UInt32).unique().implode()
        return all_intervals.filter(pl.col("mmsi").is_in(ids))
    return presence_intervals(fleet_fixes, zone_set, params.presence, exact_min_for=EXACT_MIN_FOR)


def _concat(frames: list[pl.DataFrame], schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    """Frames of the tiles as one (``schema`` when there is none)."""
    frames = [f for f in frames if f.height]
    if frames:
        return pl.concat(frames, how="vertical_relaxed")
    return pl.DataFrame(schema=dict(schema))


def _fishing_vessels(identities: pl.DataFrame, member_ids: pl.Series) -> tuple[int, ...]:
    """Non-fleet fishing vessels (ship type 30), for the incidents' fishing check."""
    if identities.height == 0:
        return ()
    fishing = identities.filter(
        (pl.col("ship_type") == 30) & ~pl.col("mmsi").cast(pl.UInt32).is_in(member_ids.implode())
    )
    return tuple(sorted(int(v) for v in fishing["mmsi"].to_list()))


def _fishing_near_incidents(
    areas: list[Area | None],
    boxes: pl.DataFrame,
    context: TileContext,
    parts: Any,
    window: tuple[dt.datetime, dt.datetime],
    margin: dt.timedelta,
    buckets: int,
    executor: Executor,
    cache: TileCache | None,
    progress: _Progress,
    tally: _Tally,
) -> pl.DataFrame:
    """Fishing vessels that may come near an incident: their fixes around it.

    The tiles' hour boxes tell which fishing vessels reach an incident's area;
    only those are read again, in tiles: their cleaned fixes (with segments)
    within the areas' times.
    """
    empty = pl.DataFrame(schema={"mmsi": pl.UInt32, "ts": _UTC_MS, "lon": pl.Float64})
    wanted = [a for a in areas if a is not None]
    if not wanted or boxes.height == 0:
        return empty
    near = boxes_near(boxes, wanted)
    fishing_ids = [int(v) for v in near.to_list()]
    if not fishing_ids:
        return empty
    owner = bucket_of(fishing_ids, buckets)
    specs = []
    for spec in plan_tiles(parts, window[0], window[1], margin, buckets):
        inside = tuple(a for a in wanted if a.start < spec.end and a.end >= spec.start)
        mmsis = tuple(
            m for m, b in zip(fishing_ids, owner.tolist(), strict=True) if b == spec.bucket
        )
        if inside and mmsis:
            # read only around the areas' times: cleaning looks no farther than the margin
            read_start = max(spec.read_start, min(a.start for a in inside) - margin)
            read_end = min(spec.read_end, max(a.end for a in inside) + margin)
            first, last = read_start.date(), (read_end - dt.timedelta(microseconds=1)).date()
            specs.append(
                TileSpec(
                    spec.bucket,
                    spec.buckets,
                    spec.start,
                    spec.end,
                    read_start,
                    read_end,
                    tuple(p for p in spec.parts if first <= p.day <= last),
                    mmsis=mmsis,
                    areas=inside,
                )
            )
    results = _run_tiles(
        "fishing", fishing_tile, FishingResult, context, specs, executor, cache, progress, tally
    )
    fixes = _concat([r.fixes for r in results], {})
    if fixes.height == 0:
        return empty
    return segment_fixes(fixes, context.track)


def _zone_event_counts(events: pl.DataFrame, zone_set: ZoneSet) -> tuple[ZoneEventCount, ...]:
    """Entries, exits and vessels per zone, of every vessel (zone order of the set)."""
    out = []
    for kind in dict.fromkeys(
        [z.kind for z in zone_set.zones] + [p.kind for p in zone_set.polygon_zones]
    ):
        label = f"{kind}:{zone_set.name}"
        rows = events.filter(pl.col("zone") == label)
        out.append(
            ZoneEventCount(
                zone=label,
                entries=rows.filter(pl.col("kind") == "zone_entry").height,
                exits=rows.filter(pl.col("kind") == "zone_exit").height,
                vessels=rows["mmsi"].n_unique(),
            )
        )
    return tuple(out)


def _present_incident(
    inc: RawIncident,
    area: Area | None,
    fleet_fixes: pl.DataFrame,
    fishing: pl.DataFrame,
    params: CountParams,
    tz: ZoneInfo,
    max_gap_h: float,
) -> Incident:
    nearby = False
    if area is not None and fishing.height:
        window = (pl.col("ts") >= inc.start - AROUND) & (pl.col("ts") <= inc.end + AROUND)
        fleet_tracks = [
            fleet_fixes.filter((pl.col("mmsi") == m) & window).sort("ts") for m in inc.vessels
        ]
        for mmsi in near_area(fishing, area, max_gap_h).to_list():
            boat = fishing.filter((pl.col("mmsi") == mmsi) & window)
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
