"""The report record: what ``zonewatch report`` computes, independent of how it is shown.

:meth:`Report.to_dict` gives the JSON contract (keys are stable: add, never rename).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "COUNT_KEYS",
    "ContiguousRun",
    "Counts",
    "DayPresence",
    "Incident",
    "InputSummary",
    "MonthCounts",
    "Report",
    "RunInfo",
    "VesselInfo",
    "ZoneCounts",
    "ZoneEventCount",
]

COUNT_KEYS = (
    "contiguous_zone_days",
    "contiguous_zone_vessel_days",
    "territorial_sea_days",
    "territorial_sea_vessel_days",
    "territorial_sea_intrusions",
)
"""The five counts of the report, in display order."""


@dataclass(frozen=True)
class Counts:
    """The five Coast-Guard-style counts over some period."""

    contiguous_zone_days: int = 0
    contiguous_zone_vessel_days: int = 0
    territorial_sea_days: int = 0
    territorial_sea_vessel_days: int = 0
    territorial_sea_intrusions: int = 0

    def to_dict(self) -> dict[str, int]:
        """Return the counts keyed by :data:`COUNT_KEYS`."""
        return {key: int(getattr(self, key)) for key in COUNT_KEYS}


@dataclass(frozen=True)
class MonthCounts:
    """Counts of one calendar month (``month`` as ``YYYY-MM``) in the zone set's time zone."""

    month: str
    counts: Counts

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"month": ..., <the five counts>}``."""
        return {"month": self.month, **self.counts.to_dict()}


@dataclass(frozen=True)
class DayPresence:
    """Fleet vessels present on one local day (territorial-sea vessels are also in the CZ list)."""

    date: dt.date
    contiguous_zone_vessels: tuple[int, ...]
    territorial_sea_vessels: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "date": self.date.isoformat(),
            "contiguous_zone_vessels": list(self.contiguous_zone_vessels),
            "territorial_sea_vessels": list(self.territorial_sea_vessels),
        }


@dataclass(frozen=True)
class Incident:
    """One territorial-sea intrusion incident (times tz-aware, in the zone set's time zone)."""

    id: str
    start: dt.datetime
    end: dt.datetime
    vessels: tuple[int, ...]
    min_distance_nm: float
    fishing_vessel_nearby: bool
    closest_lon: float
    closest_lat: float
    closest_mmsi: int

    @property
    def duration_h(self) -> float:
        """Length of the incident in hours."""
        return (self.end - self.start).total_seconds() / 3600.0

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "id": self.id,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "duration_h": round(self.duration_h, 3),
            "vessels": list(self.vessels),
            "min_distance_nm": round(self.min_distance_nm, 3),
            "fishing_vessel_nearby": self.fishing_vessel_nearby,
            "closest_approach": {
                "mmsi": self.closest_mmsi,
                "lon": round(self.closest_lon, 6),
                "lat": round(self.closest_lat, 6),
            },
        }


@dataclass(frozen=True)
class VesselInfo:
    """A fleet vessel seen in the period and the rule that made it a fleet member."""

    mmsi: int
    name: str | None
    callsign: str | None
    flag: str | None
    matched_by: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "mmsi": self.mmsi,
            "name": self.name,
            "callsign": self.callsign,
            "flag": self.flag,
            "matched_by": self.matched_by,
        }


@dataclass(frozen=True)
class InputSummary:
    """Line accounting of the ingested input: ``lines == decoded + rejected + pending``."""

    lines: int = 0
    decoded: int = 0
    rejected: int = 0
    pending: int = 0
    rejected_by_reason: Mapping[str, int] = field(default_factory=dict)
    files: int = 0
    positions: int = 0
    statics: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "lines": self.lines,
            "decoded": self.decoded,
            "rejected": self.rejected,
            "pending": self.pending,
            "rejected_by_reason": dict(sorted(self.rejected_by_reason.items())),
            "files": self.files,
            "positions": self.positions,
            "statics": self.statics,
        }


@dataclass(frozen=True)
class ContiguousRun:
    """The longest run of consecutive local days with fleet presence in the contiguous zone."""

    days: int
    start: dt.date | None
    end: dt.date | None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "days": self.days,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }


@dataclass(frozen=True)
class ZoneCounts:
    """Fleet presence in one zone of one area, or crossings of one line, over the period.

    ``source`` says what the zone is: ``"baseline"`` (within ``distance_nm``
    of the area's features), ``"polygon"`` (a polygon zone) or ``"line"``
    (then ``crossings`` counts crossings by direction, and days and
    vessel-days count days with a crossing).
    """

    area: str
    kind: str
    source: str
    distance_nm: float | None
    days: int
    vessel_days: int
    entries: int
    vessels: tuple[int, ...]
    crossings: Mapping[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "area": self.area,
            "kind": self.kind,
            "source": self.source,
            "distance_nm": self.distance_nm,
            "days": self.days,
            "vessel_days": self.vessel_days,
            "entries": self.entries,
            "vessels": list(self.vessels),
            "crossings": dict(self.crossings),
        }


@dataclass(frozen=True)
class ZoneEventCount:
    """Zone entries and exits of every vessel (not only the fleet) in one zone."""

    zone: str
    entries: int
    exits: int
    vessels: int

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "zone": self.zone,
            "entries": self.entries,
            "exits": self.exits,
            "vessels": self.vessels,
        }


@dataclass(frozen=True)
class RunInfo:
    """How a report was computed: engine, tiles, reuse and time (not part of the results).

    Attributes
    ----------
    engine
        ``local`` or ``dask``.
    workers
        Worker processes (1: this process).
    buckets
        MMSI buckets.
    tiles
        Tiles of the run (bucket x month, plus fishing-check tiles).
    tiles_reused
        Of which taken from the cache.
    positions
        Positions read (within the report window, margins included).
    seconds
        Wall time.
    """

    engine: str
    workers: int
    buckets: int
    tiles: int
    tiles_reused: int
    positions: int
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "engine": self.engine,
            "workers": self.workers,
            "buckets": self.buckets,
            "tiles": self.tiles,
            "tiles_computed": self.tiles - self.tiles_reused,
            "tiles_reused": self.tiles_reused,
            "positions": self.positions,
            "seconds": self.seconds,
        }


@dataclass(frozen=True)
class Report:
    """A complete zone-set report over a period of local dates (inclusive)."""

    zone_set: str
    timezone: str
    fleet: str
    period_start: dt.date
    period_end: dt.date
    parameters: Mapping[str, Any]
    totals: Counts
    months: tuple[MonthCounts, ...]
    days: tuple[DayPresence, ...]
    incidents: tuple[Incident, ...]
    vessels: tuple[VesselInfo, ...]
    input: InputSummary
    longest_contiguous_zone_run: ContiguousRun
    notes: tuple[str, ...] = ()
    zones: tuple[ZoneCounts, ...] = ()
    zone_events: tuple[ZoneEventCount, ...] = ()
    run: RunInfo | None = None

    @property
    def longest_territorial_sea_stay(self) -> Incident | None:
        """The longest intrusion incident (ties: the earliest), or None."""
        if not self.incidents:
            return None
        return max(self.incidents, key=lambda inc: (inc.duration_h, -inc.start.timestamp()))

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON contract of ``zonewatch report --format json``."""
        stay = self.longest_territorial_sea_stay
        return {
            "zone_set": self.zone_set,
            "timezone": self.timezone,
            "fleet": self.fleet,
            "period": {"start": self.period_start.isoformat(), "end": self.period_end.isoformat()},
            "parameters": dict(self.parameters),
            "totals": self.totals.to_dict(),
            "months": [m.to_dict() for m in self.months],
            "days": [d.to_dict() for d in self.days],
            "incidents": [i.to_dict() for i in self.incidents],
            "vessels": [v.to_dict() for v in self.vessels],
            "input": self.input.to_dict(),
            "longest_territorial_sea_stay": (
                None
                if stay is None
                else {
                    "incident": stay.id,
                    "hours": round(stay.duration_h, 3),
                    "start": stay.start.isoformat(),
                    "end": stay.end.isoformat(),
                }
            ),
            "longest_contiguous_zone_run": self.longest_contiguous_zone_run.to_dict(),
            "notes": list(self.notes),
            # per-zone counts: present whenever the report has them (run_report always does)
            **({"zones": [z.to_dict() for z in self.zones]} if self.zones else {}),
            **(
                {"zone_events": [z.to_dict() for z in self.zone_events]} if self.zone_events else {}
            ),
            # how it was computed (engine, tiles reused, time): differs between runs
            **({"run": self.run.to_dict()} if self.run is not None else {}),
        }
