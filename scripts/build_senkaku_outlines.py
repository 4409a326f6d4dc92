"""Build ``src/zonewatch/zones/data/senkaku.geojson`` from OpenStreetMap land polygons.

Run with the tools environment (it has ``roaring-landmask``, which zonewatch
itself does not depend on)::

    /work/toolsvenv/bin/python scripts/build_senkaku_outlines.py

The OSM land polygons come from the ``roaring-landmask`` wheel
(``roaring_landmask.Shapes.wkb(LandmaskProvider.Osm)``: one WKB MultiPolygon of
about 745k polygons). The script keeps the polygons that intersect a box
around each of the eight Senkaku features of DOMAIN.md, picks one "anchor"
polygon per feature (the largest polygon near its listed position that is not
already the anchor of another feature), assigns every other kept polygon
(rocks included) to the feature whose anchor is nearest, and writes one
GeoJSON feature per named feature. A feature with no OSM polygon falls back
to a small circle around its listed position, and says so in its properties.

The result is deterministic for a given roaring-landmask release.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyproj
import roaring_landmask
import shapely

OUT_PATH = Path(__file__).resolve().parents[1] / "src/zonewatch/zones/data/senkaku.geojson"

BOX_HALF_DEG = 0.05
"""Half-size of the search box around each listed position (about 5 km)."""

ANCHOR_RADIUS_M = 3000.0
"""How far from a listed position (whole minutes: up to ~1.3 km off) an anchor may lie."""

FALLBACK_RADIUS_M = 50.0
"""Radius of the circle used when OSM has no polygon for a feature."""

SIMPLIFY_TOLERANCE_M = 10.0
"""Simplification tolerance, applied only when the file would exceed MAX_BYTES."""

MAX_BYTES = 200_000
DECIMALS = 6


@dataclass(frozen=True)
class Listed:
    """A named feature and its listed position (DOMAIN.md, degrees and minutes)."""

    name: str
    lat_deg: int
    lat_min: int
    lon_deg: int
    lon_min: int

    @property
    def lon(self) -> float:
        return self.lon_deg + self.lon_min / 60.0

    @property
    def lat(self) -> float:
        return self.lat_deg + self.lat_min / 60.0


# MOFA's list of the eight features; positions as quoted in /work/shared/DOMAIN.md
# (Sasakawa Peace Foundation, whole minutes).
LISTED = (
    Listed("Uotsuri-shima", 25, 44, 123, 28),
    Listed("Kita-kojima", 25, 43, 123, 32),
    Listed("Minami-kojima", 25, 43, 123, 33),
    Listed("Kuba-shima", 25, 55, 123, 40),
    Listed("Taisho-jima", 25, 55, 124, 33),
    Listed("Okino-kitaiwa", 25, 46, 123, 32),
    Listed("Okino-minamiiwa", 25, 45, 123, 34),
    Listed("Tobise", 25, 44, 123, 30),
)

ZONE_SET_PROPERTIES: dict[str, Any] = {
    "name": "senkaku",
    "title": "Senkaku Islands",
    "timezone": "Asia/Tokyo",
    "attribution": "© OpenStreetMap contributors, ODbL",
    "note": (
        "Feature outlines are approximations of the low-water line, derived from "
        "OpenStreetMap land polygons (the coastline) as shipped by the roaring-landmask "
        "package; they are not the official charted low-water line. Zones are measured "
        "as geodesic distances from these outlines (normal baselines)."
    ),
    "zones": [
        {"kind": "territorial_sea", "distance_nm": 12.0},
        {"kind": "contiguous_zone", "distance_nm": 24.0},
    ],
}


def load_osm_polygons() -> np.ndarray[Any, np.dtype[np.object_]]:
    """All OSM land polygons as a shapely array."""
    t0 = time.perf_counter()
    wkb = roaring_landmask.Shapes.wkb(roaring_landmask.LandmaskProvider.Osm)
    land = shapely.from_wkb(wkb)
    parts = shapely.get_parts(land)
    print(f"loaded {len(parts)} OSM land polygons in {time.perf_counter() - t0:.1f} s")
    return parts


def select_near(polygons: np.ndarray[Any, np.dtype[np.object_]]) -> list[shapely.Polygon]:
    """Polygons intersecting a box around any listed feature."""
    boxes = shapely.union_all(
        [
            shapely.box(
                f.lon - BOX_HALF_DEG,
                f.lat - BOX_HALF_DEG,
                f.lon + BOX_HALF_DEG,
                f.lat + BOX_HALF_DEG,
            )
            for f in LISTED
        ]
    )
    minx, miny, maxx, maxy = boxes.bounds
    b = shapely.bounds(polygons)
    cand = polygons[(b[:, 0] <= maxx) & (b[:, 2] >= minx) & (b[:, 1] <= maxy) & (b[:, 3] >= miny)]
    kept = cand[shapely.intersects(cand, boxes)]
    # a continent-sized polygon whose bbox covers the boxes would be a bug here
    big = [p for p in kept if p.area > 0.01]
    if big:
        raise SystemExit(f"unexpected large polygon near the Senkakus: {big[0].bounds}")
    print(f"kept {len(kept)} polygons intersecting the search boxes")
    return list(kept)


def local_projection() -> tuple[pyproj.Transformer, pyproj.Transformer]:
    lon0 = float(np.mean([f.lon for f in LISTED]))
    lat0 = float(np.mean([f.lat for f in LISTED]))
    aeqd = pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m")
    fwd = pyproj.Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
    inv = pyproj.Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True)
    return fwd, inv


def project(geom: Any, tr: pyproj.Transformer) -> Any:
    return shapely.transform(geom, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))


def assign(polygons: list[shapely.Polygon], fwd: pyproj.Transformer) -> dict[str, list[int]]:
    """Map each listed feature to the indices of its polygons (anchor first)."""
    projected = [project(p, fwd) for p in polygons]
    areas = np.array([p.area for p in projected])
    refs = {f.name: shapely.Point(*fwd.transform(f.lon, f.lat)) for f in LISTED}
    anchors: dict[str, int] = {}
    for i in np.argsort(-areas, kind="stable"):
        free = [n for n in refs if n not in anchors]
        if not free:
            break
        dists = {n: projected[i].distance(refs[n]) for n in free}
        name = min(dists, key=lambda n: dists[n])
        if dists[name] <= ANCHOR_RADIUS_M:
            anchors[name] = int(i)
    members: dict[str, list[int]] = {f.name: [] for f in LISTED}
    for name, i in anchors.items():
        members[name].append(i)
    anchor_names = list(anchors)
    taken = set(anchors.values())
    for i, poly in enumerate(projected):
        if i in taken:
            continue
        if anchor_names:
            d = [poly.distance(projected[anchors[n]]) for n in anchor_names]
            members[anchor_names[int(np.argmin(d))]].append(i)
    return members


def fallback_polygon(f: Listed, fwd: pyproj.Transformer, inv: pyproj.Transformer) -> Any:
    centre = shapely.Point(*fwd.transform(f.lon, f.lat))
    return project(centre.buffer(FALLBACK_RADIUS_M, quad_segs=8), inv)


def rounded_coords(geom: Any) -> Any:
    """GeoJSON geometry dict with coordinates rounded to DECIMALS."""

    def rnd(obj: Any) -> Any:
        if isinstance(obj, (list, tuple)):
            if obj and isinstance(obj[0], float):
                return [round(v, DECIMALS) for v in obj]
            return [rnd(o) for o in obj]
        return obj

    mapping = shapely.geometry.mapping(geom)
    return {"type": mapping["type"], "coordinates": rnd(mapping["coordinates"])}


def build(simplify_m: float) -> dict[str, Any]:
    polygons = select_near(load_osm_polygons())
    fwd, inv = local_projection()
    members = assign(polygons, fwd)
    features = []
    for f in LISTED:
        idx = members[f.name]
        props: dict[str, Any] = {"name": f.name, "kind": "baseline"}
        if idx:
            geom = shapely.union_all([polygons[i] for i in idx])
            if simplify_m > 0:
                geom = project(shapely.simplify(project(geom, fwd), simplify_m), inv)
            geom = shapely.set_precision(geom, 10.0**-DECIMALS)
            geom = shapely.normalize(shapely.make_valid(geom))
            props["source"] = "OpenStreetMap land polygons"
            props["osm_polygons"] = len(idx)
            if simplify_m > 0:
                props["simplified_m"] = simplify_m
        else:
            geom = shapely.set_precision(fallback_polygon(f, fwd, inv), 10.0**-DECIMALS)
            props["source"] = "fallback circle around the listed position (no OSM polygon)"
            props["fallback_radius_m"] = FALLBACK_RADIUS_M
        props["listed_lon"] = round(f.lon, DECIMALS)
        props["listed_lat"] = round(f.lat, DECIMALS)
        c = geom.centroid
        area_m2 = project(geom, fwd).area
        print(
            f"{f.name:16s} polygons={len(idx):3d} bounds="
            f"{tuple(round(v, 4) for v in geom.bounds)} area={area_m2:,.0f} m2 "
            f"centroid=({c.x:.4f}, {c.y:.4f})"
        )
        features.append({"type": "Feature", "properties": props, "geometry": rounded_coords(geom)})
    properties = dict(ZONE_SET_PROPERTIES)
    properties["source"] = (
        "OpenStreetMap land polygons from roaring-landmask "
        f"{importlib.metadata.version('roaring-landmask')}, "
        "built by scripts/build_senkaku_outlines.py"
    )
    return {"type": "FeatureCollection", "properties": properties, "features": features}


def dumps(collection: dict[str, Any]) -> str:
    """Compact JSON, one feature per line (readable diffs)."""
    head = {k: v for k, v in collection.items() if k != "features"}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [']
    feats = [
        json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]
    ]
    lines.append(",\n".join(feats))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_PATH)
    args = parser.parse_args(argv)
    text = dumps(build(simplify_m=0.0))
    if len(text.encode()) > MAX_BYTES:
        print(f"{len(text.encode())} bytes: simplifying at {SIMPLIFY_TOLERANCE_M} m")
        text = dumps(build(simplify_m=SIMPLIFY_TOLERANCE_M))
    json.loads(text)  # well-formed
    if len(text.encode()) > MAX_BYTES:
        print(f"output still too large: {len(text.encode())} bytes", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
