"""Build the built-in ``south-china-sea`` and ``taiwan-strait`` zone sets.

Run with the tools environment (it has ``roaring-landmask``, which zonewatch
itself does not depend on)::

    /work/toolsvenv/bin/python scripts/build_zone_sets.py

``south-china-sea``: six features analysts watch. Two of them have land (or
reef) polygons in the OpenStreetMap land polygons shipped by roaring-landmask,
which are used as they are: Scarborough Shoal (the polygon follows the reef
rim) and Thitu Island (Pag-asa). The others are submerged or drying reefs
and banks with no OSM polygon; they get a schematic outline: an ellipse of
the published size centred on the published position (sources in each
feature's properties). These outlines are approximate (kilometres off for
the schematic ones) and say so.

``taiwan-strait``: the median line, published only by its end points
(27 N 122 E to 23 N 118 E), drawn as the geodesic between them and densified
every 5 km.
"""

from __future__ import annotations

import importlib.metadata
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
import shapely

DATA = Path(__file__).resolve().parents[1] / "src/zonewatch/zones/data"
GEOD = pyproj.Geod(ellps="WGS84")
DECIMALS = 6

OSM_FEATURES = (
    # name, published position (lon, lat), source of the position
    ("Scarborough Shoal", (117.767, 15.183), "Scarborough Shoal: 15 11 N 117 46 E (Wikipedia)"),
    ("Thitu Island", (114.284, 11.053), "Thitu Island (Pag-asa): 11 03 N 114 17 E (Wikipedia)"),
)

SCHEMATIC = (
    # name, group (empty: its own), (lon, lat), semi-axis along the azimuth (m),
    # semi-axis across it (m), azimuth, source
    (
        "Second Thomas Shoal",
        "",
        (115.8642, 9.7325),
        10_000.0,
        2_750.0,
        0.0,
        "position 9 43 57 N 115 51 51 E (AMTI, CSIS); a tear-drop atoll about 11 nm "
        "(20 km) long north-south (Wikipedia); width about 5.5 km assumed",
    ),
    (
        "Sabina Shoal",
        "",
        (116.4667, 9.75),
        7_500.0,
        4_900.0,
        90.0,
        "position 9 45 N 116 28 E (Hancox and Prescott, IBRU); area about 115 km2 "
        "(Wikipedia); drawn as an ellipse of that area, long axis east-west",
    ),
    (
        "North Luconia Shoals",
        "Luconia Shoals",
        (112.55, 5.85),
        15_000.0,
        10_000.0,
        20.0,
        "around Friendship Shoal 5 57 N 112 32 E and Hardie Reef (Wikipedia); "
        "extent assumed about 30 by 20 km",
    ),
    (
        "South Luconia Shoals",
        "Luconia Shoals",
        (112.6, 5.1),
        12_000.0,
        8_000.0,
        20.0,
        "Luconia Shoals are centred near 5 36 N 112 36 E (Wikipedia), the southern group "
        "163-180 km off Sarawak (Sarawak government, 2018); position and extent assumed",
    ),
    (
        "Vanguard Bank",
        "",
        (109.7333, 7.5333),
        12_000.0,
        6_000.0,
        45.0,
        "position 7 32 N 109 44 E (Wikipedia); extent assumed about 24 by 12 km",
    ),
)


def rounded(geom: Any) -> Any:
    return shapely.set_precision(geom, 10.0**-DECIMALS)


def osm_polygons() -> dict[str, Any]:
    import roaring_landmask

    land = shapely.from_wkb(roaring_landmask.Shapes.wkb(roaring_landmask.LandmaskProvider.Osm))
    parts = shapely.get_parts(land)
    tree = shapely.STRtree(parts)
    found = {}
    for name, (lon, lat), _ in OSM_FEATURES:
        idx = tree.query(shapely.Point(lon, lat).buffer(0.05), predicate="intersects")
        if idx.size == 0:
            raise SystemExit(f"no OSM polygon near {name}")
        found[name] = max(parts[idx], key=lambda p: p.area)
    return found


def ellipse(center: tuple[float, float], a_m: float, b_m: float, azimuth_deg: float) -> Any:
    """An ellipse drawn with geodesic offsets from its centre.

    Vertices about 400 m apart (the distance index samples edges every 50 m at
    most; finer vertices would only make it larger).
    """
    perimeter = 2.0 * math.pi * math.sqrt((a_m * a_m + b_m * b_m) / 2.0)
    n = math.ceil(perimeter / 400.0)
    angles = np.linspace(0.0, 2.0 * math.pi, n, endpoint=False)
    along = a_m * np.cos(angles)
    across = b_m * np.sin(angles)
    dist = np.hypot(along, across)
    az = azimuth_deg + np.degrees(np.arctan2(across, along))
    lon, lat, _ = GEOD.fwd(np.full(n, center[0]), np.full(n, center[1]), az, dist)
    ring = np.column_stack([lon, lat])
    return shapely.Polygon(np.vstack([ring, ring[:1]]))


def feature(name: str, kind: str, geom: Any, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"name": name, "kind": kind, **props},
        "geometry": json.loads(shapely.to_geojson(rounded(geom))),
    }


def south_china_sea() -> dict[str, Any]:
    version = importlib.metadata.version("roaring-landmask")
    osm = osm_polygons()
    features = [
        feature(
            name,
            "baseline",
            osm[name],
            source=f"OpenStreetMap land polygons (roaring-landmask {version})",
            group=name,
            position_source=src,
            outline="OpenStreetMap polygon",
        )
        for name, _, src in OSM_FEATURES
    ]
    for name, group, center, a_m, b_m, az, src in SCHEMATIC:
        props: dict[str, Any] = {
            "source": src,
            "outline": "schematic ellipse (approximate, kilometres off the real reef edge)",
        }
        props["group"] = group or name
        features.append(feature(name, "baseline", ellipse(center, a_m, b_m, az), **props))
    return {
        "type": "FeatureCollection",
        "properties": {
            "name": "south-china-sea",
            "title": "South China Sea features",
            "timezone": "Asia/Manila",
            "attribution": "© OpenStreetMap contributors, ODbL (Scarborough Shoal, Thitu Island)",
            "note": (
                "Approximate outlines. Scarborough Shoal and Thitu Island come from OpenStreetMap "
                "land polygons; Second Thomas Shoal, Sabina Shoal, the Luconia Shoals and Vanguard "
                "Bank are schematic ellipses of published size around published positions, "
                "kilometres off the real reef edges. The 12 nm and 24 nm zones are a measuring "
                "convention for monitoring, not a statement of entitlement: several of these "
                "features are low-tide elevations or submerged banks, which generate no "
                "territorial sea under UNCLOS (arbitral award of 12 July 2016)."
            ),
            "zones": [
                {"kind": "territorial_sea", "distance_nm": 12.0},
                {"kind": "contiguous_zone", "distance_nm": 24.0},
            ],
            "source": "scripts/build_zone_sets.py",
        },
        "features": features,
    }


def taiwan_strait() -> dict[str, Any]:
    start, end = (122.0, 27.0), (118.0, 23.0)
    _, _, length = GEOD.inv(*start, *end)
    n = math.ceil(length / 5000.0) - 1
    inner = GEOD.npts(*start, *end, n)
    coords = [start, *inner, end]
    line = shapely.LineString(coords)
    return {
        "type": "FeatureCollection",
        "properties": {
            "name": "taiwan-strait",
            "title": "Taiwan Strait",
            "timezone": "Asia/Taipei",
            "attribution": "",
            "note": (
                "The median line is published only by its end points, 27 N 122 E and 23 N 118 E; "
                "it is drawn as the geodesic between them (densified every 5 km)."
            ),
            "source": "scripts/build_zone_sets.py",
        },
        "features": [
            feature(
                "Taiwan Strait median line",
                "median_line",
                line,
                left="east",
                right="west",
                source="end points 27 N 122 E and 23 N 118 E (as commonly published)",
            )
        ],
    }


def main() -> None:
    for name, doc in (("taiwan-strait", taiwan_strait()), ("south-china-sea", south_china_sea())):
        path = DATA / f"{name}.geojson"
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
