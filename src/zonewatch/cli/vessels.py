"""``zonewatch vessels``: the vessels seen, with identity and fleet membership."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import numpy.typing as npt
import polars as pl
import shapely
import typer
from rich.table import Table

from zonewatch.cli.common import Format, ingest_files, open_store, out_console
from zonewatch.store import Store
from zonewatch.vessels.fleets import load_fleet
from zonewatch.vessels.identity import vessel_identities
from zonewatch.vessels.membership import membership_text
from zonewatch.vessels.mmsi import mmsi_kinds
from zonewatch.vessels.shiptypes import ship_type_category, ship_type_name
from zonewatch.zones import ZoneSet, load_zone_set

__all__ = ["VESSEL_COLUMNS", "vessel_table", "vessels_command", "within_zone_set"]

VESSEL_COLUMNS = (
    "mmsi",
    "name",
    "callsign",
    "imo",
    "flag",
    "mmsi_kind",
    "ship_type",
    "ship_type_name",
    "ship_category",
    "first_seen",
    "last_seen",
    "positions",
    "fleet_member",
    "matched_by",
)


def within_zone_set(
    zone_set: ZoneSet, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
) -> npt.NDArray[np.bool_]:
    """Positions within the outermost baseline zone, in a polygon zone, or near a line.

    "Near a line": within the line's bounding box widened by 0.5 degree.
    """
    inside = zone_set.locate(lon, lat).zone_index >= 0
    for pz in zone_set.polygon_zones:
        inside |= shapely.contains_xy(pz.geometry, lon, lat)
    for line in zone_set.lines:
        x0, y0, x1, y1 = line.geometry.bounds
        inside |= (lon >= x0 - 0.5) & (lon <= x1 + 0.5) & (lat >= y0 - 0.5) & (lat <= y1 + 0.5)
    return np.asarray(inside, dtype=np.bool_)


def vessel_table(store: Store, zones: str | None, fleet: str | None) -> list[dict[str, Any]]:
    """One record per vessel with positions in the store (within the zone set, if given)."""
    positions = store.positions()
    if zones is not None:
        zone_set = load_zone_set(zones)
        lon = positions["lon"].to_numpy().astype(np.float64)
        lat = positions["lat"].to_numpy().astype(np.float64)
        positions = positions.filter(pl.Series(within_zone_set(zone_set, lon, lat)))
    seen = (
        positions.group_by(pl.col("mmsi").cast(pl.UInt32))
        .agg(
            pl.col("ts").min().alias("first_seen"),
            pl.col("ts").max().alias("last_seen"),
            pl.len().alias("positions"),
        )
        .sort("mmsi")
    )
    statics = store.statics()
    ident = vessel_identities(statics).select(
        "mmsi", "name", "callsign", "imo", "ship_type", "flag"
    )
    frame = seen.join(ident, on="mmsi", how="left")
    membership = load_fleet(fleet).membership(statics) if fleet else None
    kinds = mmsi_kinds(frame["mmsi"].to_numpy().astype(np.int64))
    records = []
    for row, kind in zip(frame.iter_rows(named=True), kinds, strict=True):
        code = row["ship_type"]
        rule = None
        if membership is not None:
            rows = membership.filter(pl.col("mmsi") == row["mmsi"])
            rule = membership_text(rows) if rows.height else None
        records.append(
            {
                "mmsi": int(row["mmsi"]),
                "name": row["name"],
                "callsign": row["callsign"],
                "imo": row["imo"],
                "flag": row["flag"],
                "mmsi_kind": str(kind),
                "ship_type": code,
                "ship_type_name": ship_type_name(code) if code is not None else None,
                "ship_category": ship_type_category(code) if code is not None else None,
                "first_seen": row["first_seen"].isoformat(),
                "last_seen": row["last_seen"].isoformat(),
                "positions": int(row["positions"]),
                "fleet_member": None if membership is None else rule is not None,
                "matched_by": rule,
            }
        )
    return records


def vessels_command(
    inputs: Annotated[
        list[Path] | None, typer.Argument(help="NMEA files to ingest first (plain or .gz).")
    ] = None,
    db: Annotated[Path | None, typer.Option("--db", help="Store file.")] = None,
    zones: Annotated[
        str | None,
        typer.Option("--zones", help="Only vessels seen within this zone set's outermost zone."),
    ] = None,
    fleet: Annotated[
        str | None, typer.Option("--fleet", help="Fleet (name, CSV or YAML): show membership.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output on stdout.")] = Format.table,
) -> None:
    """List the vessels seen: identity, ship type, first/last seen, fleet membership and rule."""
    inputs = list(inputs or [])
    with open_store(db, inputs) as store:
        if inputs:
            ingest_files(store, inputs)
        records = vessel_table(store, zones, fleet)
    if fmt is Format.json:
        sys.stdout.write(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    elif fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(VESSEL_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        sys.stdout.write(buffer.getvalue())
    else:
        table = Table(title=f"{len(records)} vessels")
        for column in (
            "mmsi",
            "name",
            "callsign",
            "flag",
            "mmsi_kind",
            "ship_category",
            "positions",
            "last_seen",
            "matched_by",
        ):
            table.add_column(column)
        for r in records:
            table.add_row(
                *(
                    ("" if r[c] is None else str(r[c]))
                    for c in (
                        "mmsi",
                        "name",
                        "callsign",
                        "flag",
                        "mmsi_kind",
                        "ship_category",
                        "positions",
                        "last_seen",
                        "matched_by",
                    )
                )
            )
        out_console().print(table)
