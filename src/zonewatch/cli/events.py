"""``zonewatch events``: list detected events with filters."""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import polars as pl
import typer

from zonewatch.cli.common import ingest_files, open_store, resolve_period
from zonewatch.cli.report import local_span
from zonewatch.engine.local import run_events
from zonewatch.errors import ParameterError
from zonewatch.events.detect import EventParams
from zonewatch.events.encounters import ENCOUNTER_PRESETS
from zonewatch.events.pairtiles import PairTiles
from zonewatch.events.records import EVENT_KINDS
from zonewatch.vessels.fleets import load_fleet
from zonewatch.vessels.identity import vessel_identities
from zonewatch.zones import load_zone_set

__all__ = [
    "EventFormat",
    "events_command",
    "events_to_records",
    "filter_zone",
    "write_events",
]


class EventFormat(StrEnum):
    """Output formats of ``events``."""

    json = "json"
    csv = "csv"
    geojson = "geojson"


def _finite(value: float | None, digits: int | None = None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, digits) if digits is not None else value


def events_to_records(events: pl.DataFrame, timezone: str) -> list[dict[str, Any]]:
    """Events as JSON-ready records (times ISO 8601 with the zone set's offset)."""
    tz = ZoneInfo(timezone)
    records = []
    for row in events.iter_rows(named=True):
        records.append(
            {
                "id": row["event_id"],
                "kind": row["kind"],
                "mmsi": row["mmsi"],
                "other_mmsi": row["other_mmsi"],
                "zone": row["zone"],
                "start": row["start"].astimezone(tz).isoformat(),
                "end": row["end"].astimezone(tz).isoformat(),
                "lon": _finite(row["lon"]),
                "lat": _finite(row["lat"]),
                "min_distance_nm": _finite(row["min_distance_nm"], 3),
                "detail": json.loads(row["detail"]) if row["detail"] else {},
            }
        )
    return records


def events_command(
    inputs: Annotated[
        list[Path] | None, typer.Argument(help="NMEA files to ingest first (plain or .gz).")
    ] = None,
    zones: Annotated[
        str, typer.Option("--zones", help="Zone set name or GeoJSON file.")
    ] = "senkaku",
    fleet: Annotated[
        str | None,
        typer.Option(
            "--fleet",
            help="Only events of this fleet's vessels (name or CSV); also the fleet that "
            "shadowing and fishing approaches are about (default china-government).",
        ),
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", help=f"Only these kinds: {', '.join(EVENT_KINDS)}."),
    ] = None,
    mmsi: Annotated[
        list[int] | None, typer.Option("--mmsi", help="Only events involving these vessels.")
    ] = None,
    zone: Annotated[
        list[str] | None,
        typer.Option(
            "--zone", help="Only events in this zone (kind, e.g. territorial_sea, or kind:set)."
        ),
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First local date.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last local date, inclusive.")] = None,
    preset: Annotated[
        str, typer.Option("--preset", help="Encounter rule: gfw (500 m, 2 h) or skylight.")
    ] = "gfw",
    fmt: Annotated[
        EventFormat, typer.Option("--format", help="Output on stdout.")
    ] = EventFormat.json,
    db: Annotated[Path | None, typer.Option("--db", help="Store file.")] = None,
    tile_deg: Annotated[
        float | None,
        typer.Option(
            "--tile-deg",
            help="Find cross-vessel pairs in space-time tiles of this size (degrees, divides"
            " 360; same events, bounded work per tile).",
        ),
    ] = None,
) -> None:
    """List events with evidence: zone entries/exits, gaps, loitering, encounters, spoofing."""
    zone_set = load_zone_set(zones)
    for k in kind or []:
        if k not in EVENT_KINDS:
            raise ParameterError(f"--kind {k!r} is not one of {', '.join(EVENT_KINDS)}")
    if preset not in ENCOUNTER_PRESETS:
        raise ParameterError(f"--preset {preset!r} is not one of {', '.join(ENCOUNTER_PRESETS)}")
    inputs = list(inputs or [])
    try:
        tiles = None if tile_deg is None else PairTiles(tile_deg=tile_deg)
    except ValueError as err:
        raise ParameterError(f"--tile-deg: {err}") from err
    params = EventParams(encounter=ENCOUNTER_PRESETS[preset], pair_tiles=tiles)
    fleet_def = load_fleet(fleet or "china-government")
    with open_store(db, inputs) as store:
        if inputs:
            ingest_files(store, inputs)
        start, end = resolve_period(None, date_from, date_to, local_span(store, zone_set.timezone))
        wanted = list(mmsi) if mmsi else None
        if fleet is not None:
            members = fleet_def.members(vessel_identities(store.statics()))
            ids = [int(v) for v in members["mmsi"].to_list()]
            wanted = [m for m in ids if wanted is None or m in wanted]
        events = run_events(
            store,
            zone_set,
            start,
            end,
            params,
            mmsis=wanted,
            kinds=list(kind) if kind else None,
            fleet=fleet_def,
        )
    if zone:
        events = filter_zone(events, zone)
    records = events_to_records(events, zone_set.timezone)
    parameters = {
        **params.to_dict(zone_set),
        "zone_set": zone_set.name,
        "fleet": fleet or "china-government",
        "period": {"start": start.isoformat(), "end": end.isoformat()},
    }
    write_events(records, parameters, fmt)


def filter_zone(events: pl.DataFrame, zones: list[str]) -> pl.DataFrame:
    """Events whose ``zone`` is one of ``zones`` (a zone kind, or ``kind:set``)."""
    kinds = [z for z in zones if ":" not in z]
    labels = [z for z in zones if ":" in z]
    zone_kind = pl.col("zone").str.split(":").list.first()
    return events.filter(zone_kind.is_in(kinds) | pl.col("zone").is_in(labels))


def write_events(
    records: list[dict[str, Any]], parameters: dict[str, Any], fmt: EventFormat
) -> None:
    """Print events on stdout in ``fmt``."""
    if fmt is EventFormat.json:
        sys.stdout.write(
            json.dumps({"parameters": parameters, "events": records}, indent=2, ensure_ascii=False)
            + "\n"
        )
    elif fmt is EventFormat.geojson:
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                "properties": {k: v for k, v in r.items() if k not in ("lon", "lat")},
            }
            for r in records
        ]
        sys.stdout.write(
            json.dumps(
                {"type": "FeatureCollection", "parameters": parameters, "features": features},
                ensure_ascii=False,
            )
            + "\n"
        )
    else:
        buffer = io.StringIO()
        columns = ["id", "kind", "mmsi", "other_mmsi", "zone", "start", "end", "lon", "lat"]
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([*columns, "min_distance_nm", "detail"])
        for r in records:
            writer.writerow(
                [*(r[c] for c in columns), r["min_distance_nm"], json.dumps(r["detail"])]
            )
        sys.stdout.write(buffer.getvalue())
