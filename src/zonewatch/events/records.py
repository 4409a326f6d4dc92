"""Event rows: the columns of :data:`zonewatch.schema.EVENTS`, stable ids, and a builder.

Every detector returns a Polars frame with :data:`EVENT_COLUMNS`. An event id
is readable and stable (the same data always gives the same id):
``<kind>-<mmsi>[-<other mmsi>]-<UTC start, ms>[-<zone kind>]``, for example
``encounter-412000001-412000002-20240105T230000000Z``; only zone entries and
exits carry the zone kind.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

__all__ = [
    "EVENT_COLUMNS",
    "EVENT_KINDS",
    "EventId",
    "empty_events",
    "event_frame",
    "num",
    "parse_event_id",
    "with_id",
]

EVENT_KINDS = (
    "zone_entry",
    "zone_exit",
    "ais_gap",
    "loitering",
    "encounter",
    "shadowing",
    "fishing_approach",
    "identity_conflict",
    "position_jump",
    "on_land",
    "null_island",
)
"""Every event kind of the events contract."""

EVENT_COLUMNS: dict[str, pl.DataType] = {
    "event_id": pl.String(),
    "kind": pl.String(),
    "zone": pl.String(),
    "mmsi": pl.UInt32(),
    "other_mmsi": pl.UInt32(),
    "start": pl.Datetime("ms", "UTC"),
    "end": pl.Datetime("ms", "UTC"),
    "lon": pl.Float64(),
    "lat": pl.Float64(),
    "min_distance_nm": pl.Float64(),
    "detail": pl.String(),
}
"""Columns (and Polars types) of an events frame, as :data:`zonewatch.schema.EVENTS`."""

_ID_TIME = "%Y%m%dT%H%M%S%.3fZ"
_ID_PATTERN = re.compile(
    r"^(?P<kind>[a-z_]+)-(?P<mmsi>\d+)(?:-(?P<other>\d+))?-"
    r"(?P<ts>\d{8}T\d{6}\d{3}Z)(?:-(?P<zone>[a-z_]+))?$"
)


def with_id(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the ``event_id`` column and order the columns as :data:`EVENT_COLUMNS`.

    Parameters
    ----------
    frame
        Every column of :data:`EVENT_COLUMNS` but ``event_id``.

    Returns
    -------
    polars.DataFrame
        The frame with readable, stable ids.
    """
    zone_kind = (
        pl.when(pl.col("kind").is_in(["zone_entry", "zone_exit"]))
        .then(pl.col("zone").str.split(":").list.first())
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    event_id = pl.concat_str(
        [
            pl.col("kind"),
            pl.col("mmsi").cast(pl.String),
            pl.col("other_mmsi").cast(pl.String),
            pl.col("start").dt.strftime(_ID_TIME).str.replace(r"\.", ""),
            zone_kind,
        ],
        separator="-",
        ignore_nulls=True,
    )
    return frame.with_columns(event_id.alias("event_id")).select(list(EVENT_COLUMNS))


def empty_events() -> pl.DataFrame:
    """An events frame without rows."""
    return pl.DataFrame(schema=EVENT_COLUMNS)


def num(value: float | None, digits: int = 3) -> float | None:
    """A float rounded for an event's detail; None when missing or not finite.

    Examples
    --------
    >>> num(1.23456), num(float("inf")), num(None)
    (1.235, None, None)
    """
    if value is None:
        return None
    v = float(value)
    return round(v, digits) if math.isfinite(v) else None


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} into an event's detail")


def event_frame(
    kind: str,
    *,
    mmsi: Sequence[int],
    start: Sequence[dt.datetime],
    end: Sequence[dt.datetime],
    lon: Sequence[float],
    lat: Sequence[float],
    detail: Sequence[Mapping[str, Any]],
    other_mmsi: Sequence[int | None] | None = None,
    zone: Sequence[str | None] | None = None,
    min_distance_nm: Sequence[float | None] | None = None,
) -> pl.DataFrame:
    """Build an events frame of one kind from per-event sequences.

    Parameters
    ----------
    kind
        One of :data:`EVENT_KINDS`.
    mmsi, start, end, lon, lat, detail
        One item per event; ``start``/``end`` tz-aware, ``detail`` a JSON-able mapping.
    other_mmsi, zone, min_distance_nm
        Optional per-event columns (null when not given).

    Returns
    -------
    polars.DataFrame
        Columns of :data:`EVENT_COLUMNS`, sorted by start and MMSI.

    Examples
    --------
    >>> t = dt.datetime(2024, 1, 5, 23, 0, tzinfo=dt.UTC)
    >>> frame = event_frame("loitering", mmsi=[412000001], start=[t], end=[t],
    ...                     lon=[123.0], lat=[25.0], detail=[{"duration_h": 2.5}])
    >>> frame["event_id"].to_list()
    ['loitering-412000001-20240105T230000000Z']
    """
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    n = len(mmsi)
    frame = pl.DataFrame(
        {
            "kind": [kind] * n,
            "zone": list(zone) if zone is not None else [None] * n,
            "mmsi": list(mmsi),
            "other_mmsi": list(other_mmsi) if other_mmsi is not None else [None] * n,
            "start": list(start),
            "end": list(end),
            "lon": list(lon),
            "lat": list(lat),
            "min_distance_nm": list(min_distance_nm) if min_distance_nm is not None else [None] * n,
            "detail": [
                json.dumps(d, default=_json_default, ensure_ascii=False, allow_nan=False)
                for d in detail
            ],
        },
        schema={k: v for k, v in EVENT_COLUMNS.items() if k != "event_id"},
    )
    return with_id(frame).sort("start", "mmsi", "kind")


@dataclass(frozen=True)
class EventId:
    """The parts of an event id.

    Attributes
    ----------
    kind, mmsi, other_mmsi, start, zone_kind
        As written in the id; ``start`` is UTC.
    """

    kind: str
    mmsi: int
    other_mmsi: int | None
    start: dt.datetime
    zone_kind: str | None


def parse_event_id(text: str) -> EventId | None:
    """The parts of an event id, or None when ``text`` is not one.

    Examples
    --------
    >>> parse_event_id("zone_entry-413555001-20240104T060312345Z-territorial_sea").start
    datetime.datetime(2024, 1, 4, 6, 3, 12, 345000, tzinfo=datetime.timezone.utc)
    >>> parse_event_id("TS-20240104T0603Z-2573a0") is None
    True
    """
    match = _ID_PATTERN.match(text.strip())
    if match is None or match["kind"] not in EVENT_KINDS:
        return None
    ts = match["ts"]
    start = dt.datetime.strptime(ts[:15], "%Y%m%dT%H%M%S").replace(
        microsecond=int(ts[15:18]) * 1000, tzinfo=dt.UTC
    )
    return EventId(
        kind=match["kind"],
        mmsi=int(match["mmsi"]),
        other_mmsi=int(match["other"]) if match["other"] else None,
        start=start,
        zone_kind=match["zone"],
    )
