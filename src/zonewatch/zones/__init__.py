"""Zone sets: baseline features, the zones measured from them, and distance to the baseline.

The built-in ``senkaku`` set holds the eight Senkaku features (outlines from
OpenStreetMap land polygons, approximations of the low-water line) with a
12 nm territorial sea and a 24 nm contiguous zone. A user can supply another
zone set as a GeoJSON file in the same format (see :mod:`zonewatch.zones.geojson`).

Examples
--------
>>> from zonewatch.zones import load_zone_set
>>> senkaku = load_zone_set("senkaku")
>>> d = senkaku.distance_nm([123.476, 123.6, 125.5], [25.744, 25.5, 25.8])
>>> [round(float(v), 1) for v in d]
[0.0, 13.4, 51.3]
"""

from __future__ import annotations

from zonewatch.zones.geojson import BASELINE, builtin_zone_sets, load_zone_set, parse_zone_set
from zonewatch.zones.model import (
    CONTIGUOUS_ZONE,
    DEFAULT_ZONES,
    TERRITORIAL_SEA,
    Feature,
    Zone,
    ZoneSet,
    distance_to_baseline_nm,
)

__all__ = [
    "BASELINE",
    "CONTIGUOUS_ZONE",
    "DEFAULT_ZONES",
    "TERRITORIAL_SEA",
    "Feature",
    "Zone",
    "ZoneSet",
    "builtin_zone_sets",
    "distance_to_baseline_nm",
    "load_zone_set",
    "parse_zone_set",
]
