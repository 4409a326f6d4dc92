"""``zonewatch evidence EVENT_ID --out DIR``: the files behind one event or intrusion incident."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import polars as pl
import typer

from zonewatch.cli.common import open_store, out_console
from zonewatch.cli.events import events_to_records
from zonewatch.engine.local import land_test, run_events, run_report
from zonewatch.errors import ParameterError
from zonewatch.events.detect import EventParams
from zonewatch.events.evidence import Evidence, write_evidence
from zonewatch.events.integrity import is_null_island
from zonewatch.events.records import parse_event_id
from zonewatch.store import Store
from zonewatch.tracks import clean_tracks
from zonewatch.vessels.fleets import Fleet, load_fleet
from zonewatch.vessels.identity import vessel_identities
from zonewatch.zones import ZoneSet, load_zone_set

__all__ = ["evidence_command", "locate_evidence"]

_INCIDENT_ID = re.compile(r"^TS-(?P<ts>\d{8}T\d{4})Z-[0-9a-f]{6}$")
_CLEAN_MARGIN = dt.timedelta(hours=6)


def _positions_with_status(
    store: Store, zone_set: ZoneSet, mmsis: list[int], lo: dt.datetime, hi: dt.datetime
) -> pl.DataFrame:
    """Raw positions of ``mmsis`` in ``[lo, hi]`` with what track cleaning did to each."""
    raw = store.positions(lo - _CLEAN_MARGIN, hi + _CLEAN_MARGIN, mmsis=mmsis)
    raw = raw.with_row_index("_row")
    null = is_null_island(raw["lon"].to_numpy(), raw["lat"].to_numpy())
    tracks = clean_tracks(raw.filter(~pl.Series(null)), on_land=land_test(zone_set))
    kept = tracks.fixes.select("_row", "segment")
    reasons = tracks.dropped.select("mmsi", "ts", "lon", "lat", "reason").unique(
        subset=["mmsi", "ts", "lon", "lat"], keep="first"
    )
    frame = (
        raw.with_columns(pl.Series("_null", null))
        .join(kept, on="_row", how="left")
        .join(reasons, on=["mmsi", "ts", "lon", "lat"], how="left")
        .with_columns(
            pl.when(pl.col("_null"))
            .then(pl.lit("null_island"))
            .when(pl.col("segment").is_not_null())
            .then(pl.lit("kept"))
            .otherwise(pl.concat_str([pl.lit("dropped: "), pl.col("reason").fill_null("?")]))
            .alias("status")
        )
    )
    lo_l = pl.lit(lo).cast(pl.Datetime("ms", "UTC"))
    hi_l = pl.lit(hi).cast(pl.Datetime("ms", "UTC"))
    return (
        frame.filter((pl.col("ts") >= lo_l) & (pl.col("ts") <= hi_l))
        .drop("_row", "_null", "reason")
        .sort("ts", "mmsi")
    )


def _names(store: Store, mmsis: list[int]) -> dict[int, str]:
    identities = vessel_identities(store.statics())
    if identities.height == 0:
        return {}
    rows = identities.filter(pl.col("mmsi").is_in(pl.Series(mmsis, dtype=pl.UInt32).implode()))
    return {int(r["mmsi"]): r["name"] for r in rows.iter_rows(named=True) if r["name"]}


def locate_evidence(
    store: Store,
    zone_set: ZoneSet,
    fleet: Fleet,
    event_id: str,
    *,
    margin_h: float = 3.0,
    fleet_label: str | None = None,
) -> Evidence:
    """Find an event (or a report's intrusion incident) by id and gather its data.

    Parameters
    ----------
    store, zone_set, fleet
        Where to look, and the fleet (for incidents, shadowing and approaches).
    event_id
        An id from ``zonewatch events`` or an incident id from ``zonewatch report``
        (``TS-YYYYMMDDTHHMMZ-xxxxxx``).
    margin_h
        Positions from this long before the event to this long after it.
    fleet_label
        How the fleet is named in the evidence.

    Raises
    ------
    ParameterError
        When the id is malformed or no such event is in the store.
    """
    tz = ZoneInfo(zone_set.timezone)
    margin = dt.timedelta(hours=margin_h)
    incident = _INCIDENT_ID.match(event_id.strip())
    parts = parse_event_id(event_id)
    record: dict[str, Any]
    if incident is not None:
        start_utc = dt.datetime.strptime(incident["ts"], "%Y%m%dT%H%M").replace(tzinfo=dt.UTC)
        day = start_utc.astimezone(tz).date()
        run = run_report(store, zone_set, fleet, day, day, fleet_label=fleet_label)
        found = [inc for inc in run.report.incidents if inc.id == event_id.strip()]
        if not found:
            raise ParameterError(f"no intrusion incident {event_id} in the store (looked at {day})")
        inc = found[0]
        mmsis = list(inc.vessels)
        record = inc.to_dict()
        evidence = Evidence(
            event_id=inc.id,
            kind="intrusion_incident",
            start=inc.start.astimezone(dt.UTC),
            end=inc.end.astimezone(dt.UTC),
            mmsis=tuple(mmsis),
            lon=inc.closest_lon,
            lat=inc.closest_lat,
            zone=f"territorial_sea:{zone_set.name}",
            record=record,
            positions=_positions_with_status(
                store, zone_set, mmsis, inc.start - margin, inc.end + margin
            ),
            names=_names(store, mmsis),
            parameters=run.report.parameters,
        )
        return evidence
    if parts is None:
        raise ParameterError(
            f"{event_id!r} is not an event id (from zonewatch events) or an incident id "
            "(TS-YYYYMMDDTHHMMZ-xxxxxx, from zonewatch report)"
        )
    day = parts.start.astimezone(tz).date()
    params = EventParams()
    events = run_events(
        store,
        zone_set,
        day,
        day,
        params,
        mmsis=[parts.mmsi],
        kinds=[parts.kind],
        fleet=fleet,
    )
    match = events.filter(pl.col("event_id") == event_id.strip())
    if match.height == 0:
        raise ParameterError(f"no event {event_id} in the store (looked at {day})")
    (record,) = events_to_records(match, zone_set.timezone)
    row = match.row(0, named=True)
    mmsis = [int(row["mmsi"])] + ([int(row["other_mmsi"])] if row["other_mmsi"] else [])
    return Evidence(
        event_id=row["event_id"],
        kind=row["kind"],
        start=row["start"],
        end=row["end"],
        mmsis=tuple(mmsis),
        lon=record["lon"],
        lat=record["lat"],
        zone=row["zone"],
        record=record,
        positions=_positions_with_status(
            store, zone_set, mmsis, row["start"] - margin, row["end"] + margin
        ),
        names=_names(store, mmsis),
        parameters={**params.to_dict(zone_set), "zone_set": zone_set.name},
    )


def evidence_command(
    event_id: Annotated[
        str, typer.Argument(help="Event id (zonewatch events) or incident id (zonewatch report).")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder for the evidence files.")],
    zones: Annotated[
        str, typer.Option("--zones", help="Zone set name or GeoJSON file.")
    ] = "senkaku",
    fleet: Annotated[
        str, typer.Option("--fleet", help="Built-in fleet name or fleet CSV.")
    ] = "china-government",
    margin_h: Annotated[
        float, typer.Option("--margin-h", help="Positions this many hours before and after.")
    ] = 3.0,
    db: Annotated[Path | None, typer.Option("--db", help="Store file.")] = None,
) -> None:
    """Write the positions (CSV), track (GeoJSON), map (PNG) and a summary of one event."""
    if margin_h < 0:
        raise ParameterError(f"--margin-h {margin_h} must not be negative")
    zone_set = load_zone_set(zones)
    fleet_def = load_fleet(fleet)
    with open_store(db, []) as store:
        evidence = locate_evidence(
            store, zone_set, fleet_def, event_id, margin_h=margin_h, fleet_label=fleet
        )
    paths = write_evidence(evidence, zone_set, out)
    console = out_console()
    console.print(f"Evidence of {evidence.event_id} ({evidence.kind}):")
    for path in paths:
        console.print(f"  {path}")
