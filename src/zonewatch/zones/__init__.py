"""Zone sets: baseline features, the zones measured from them, and distance to the baseline.

Built-in sets: ``senkaku`` (the eight Senkaku features, outlines from
OpenStreetMap land polygons, approximations of the low-water line; 12 nm
territorial sea, 24 nm contiguous zone), ``south-china-sea`` (six features
analysts watch, approximate outlines, per-feature areas) and ``taiwan-strait``
(the median line, crossings counted by direction). A user can supply another
zone set as a GeoJSON file in the same format (see :mod:`zonewatch.zones.geojson`):
baseline features, zones at any distance, polygon zones and lines.
:meth:`ZoneSet.distance_nm` is the exact geodesic distance;
:meth:`ZoneSet.locate` the fast zone kernel (:mod:`zonewatch.zones.raster`).

Examples
--------
>>> from zonewatch.zones import load_zone_set
>>> senkaku = load_zone_set("senkaku")
>>> d = senkaku.distance_nm([123.476, 123.6, 125.5], [25.744, 25.5, 25.8])
>>> [round(float(v), 1) for v in d]
[0.0, 13.4, 51.3]
"""

from __future__ import annotations

from zonewatch.zones.geojson import (
    BASELINE,
    builtin_zone_sets,
    load_zone_set,
    parse_zone_set,
    zone_set_to_geojson,
)
from zonewatch.zones.model import (
    CONTIGUOUS_ZONE,
    DEFAULT_ZONES,
    TERRITORIAL_SEA,
    Feature,
    LineZone,
    PolygonZone,
    Zone,
    ZoneSet,
    distance_to_baseline_nm,
)
from zonewatch.zones.raster import ZoneLocation

__all__ = [
    "BASELINE",
    "CONTIGUOUS_ZONE",
    "DEFAULT_ZONES",
    "TERRITORIAL_SEA",
    "Feature",
    "LineZone",
    "PolygonZone",
    "Zone",
    "ZoneLocation",
    "ZoneSet",
    "builtin_zone_sets",
    "distance_to_baseline_nm",
    "load_zone_set",
    "parse_zone_set",
    "zone_set_to_geojson",
]
