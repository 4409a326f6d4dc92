"""``zonewatch zones``: list, show and export zone sets."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from zonewatch.cli.common import out_console
from zonewatch.zones import builtin_zone_sets, load_zone_set
from zonewatch.zones.geojson import zone_set_to_geojson

__all__ = ["ExportFormat", "app", "describe"]

app = typer.Typer(
    name="zones",
    help="List, show and export zone sets (built-in names or GeoJSON files).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ExportFormat(StrEnum):
    """Formats of ``zones export``."""

    geojson = "geojson"


class ShowFormat(StrEnum):
    """Formats of ``zones show``."""

    table = "table"
    json = "json"


def describe(name: str) -> dict[str, Any]:
    """A zone set's summary: name, time zone, zones, areas, features, polygon zones, lines."""
    zs = load_zone_set(name)
    return {
        "name": zs.name,
        "title": zs.title,
        "timezone": zs.timezone,
        "zones": [{"kind": z.kind, "distance_nm": z.distance_nm} for z in zs.zones],
        "areas": list(zs.areas()) if zs.features else [],
        "features": [
            {"name": f.name, "area": f.group or zs.title, "geometry": f.geometry.geom_type}
            for f in zs.features
        ],
        "polygon_zones": [{"name": p.name, "kind": p.kind} for p in zs.polygon_zones],
        "lines": [
            {"name": x.name, "kind": x.kind, "left": x.left, "right": x.right} for x in zs.lines
        ],
        "bounds": [round(v, 6) for v in zs.bounds()]
        if zs.features or zs.lines or zs.polygon_zones
        else None,
        "attribution": zs.attribution,
        "note": zs.note,
    }


@app.command("list")
def list_command() -> None:
    """List the built-in zone sets."""
    console = out_console()
    for name in builtin_zone_sets():
        zs = load_zone_set(name)
        parts = [f"{z.kind} {z.distance_nm:g} nm" for z in zs.zones]
        parts += [f"{p.kind} {p.name}" for p in zs.polygon_zones]
        parts += [f"{x.kind} {x.name}" for x in zs.lines]
        console.print(
            f"{name:<16} {zs.timezone:<14} {len(zs.features):>2} features  {'; '.join(parts)}",
            markup=False,
        )


@app.command("show")
def show_command(
    name: Annotated[str, typer.Argument(help="Built-in zone set name or GeoJSON file.")],
    fmt: Annotated[
        ShowFormat, typer.Option("--format", help="Output on stdout.")
    ] = ShowFormat.table,
) -> None:
    """Show a zone set: time zone, zones, areas, features, lines, sources."""
    info = describe(name)
    if fmt is ShowFormat.json:
        sys.stdout.write(json.dumps(info, indent=2, ensure_ascii=False) + "\n")
        return
    console = out_console()
    console.print(f"{info['name']} ({info['title']}), time zone {info['timezone']}", markup=False)
    for z in info["zones"]:
        console.print(
            f"  zone {z['kind']}: {z['distance_nm']:g} nm from the baseline", markup=False
        )
    for f in info["features"]:
        console.print(f"  feature {f['name']} [{f['area']}] {f['geometry']}", markup=False)
    for p in info["polygon_zones"]:
        console.print(f"  polygon zone {p['name']} ({p['kind']})", markup=False)
    for x in info["lines"]:
        console.print(
            f"  line {x['name']} ({x['kind']}), sides {x['left']} / {x['right']}", markup=False
        )
    if info["note"]:
        console.print(f"  note: {info['note']}", markup=False)
    if info["attribution"]:
        console.print(f"  attribution: {info['attribution']}", markup=False)


@app.command("export")
def export_command(
    name: Annotated[str, typer.Argument(help="Built-in zone set name or GeoJSON file.")],
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="Output format.")
    ] = ExportFormat.geojson,
) -> None:
    """Write a zone set as a zone set GeoJSON file on stdout (loadable with --zones)."""
    sys.stdout.write(zone_set_to_geojson(load_zone_set(name), indent=1))
