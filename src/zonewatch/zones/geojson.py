"""Zone sets as GeoJSON files: the built-in sets and user files in the same format.

A zone set file is a GeoJSON FeatureCollection with a top-level
``properties`` member (a foreign member, allowed by RFC 7946)::

    {"type": "FeatureCollection",
     "properties": {"name": "senkaku", "timezone": "Asia/Tokyo",
                    "attribution": "...", "note": "...",
                    "zones": [{"kind": "territorial_sea", "distance_nm": 12},
                              {"kind": "contiguous_zone", "distance_nm": 24}]},
     "features": [{"type": "Feature",
                   "properties": {"name": "Uotsuri-shima", "kind": "baseline"},
                   "geometry": {"type": "MultiPolygon", "coordinates": [...]}}]}

``name`` and ``timezone`` are required; ``attribution`` and ``note`` default to
empty strings and ``zones`` to a 12 nm territorial sea and a 24 nm contiguous
zone (any distances may be given, for example an EEZ-like 200 nm). Other
top-level properties (``title``, ``source``) are kept.

Every feature needs a ``name``; its ``kind`` (default ``"baseline"``) says
what it is:

* ``"baseline"``: a Polygon or MultiPolygon outline (or a LineString /
  MultiLineString baseline) from which the zones are measured; an optional
  ``group`` property names the area it belongs to for per-zone counts;
* any other kind with a Polygon or MultiPolygon geometry: a zone given
  directly (for example ``"marine_protected_area"``);
* any kind with a LineString or MultiLineString geometry that is not
  ``"baseline"``: a line whose crossings are counted (for example
  ``"median_line"``), with optional ``left`` and ``right`` side names.

Coordinates are WGS84 lon/lat (RFC 7946). A zone set may straddle the
antimeridian (polygons split at 180 degrees, as RFC 7946 asks). Polygons must
be valid (no self-intersection); errors name the file, the feature's index
and its name. :func:`zone_set_to_geojson` writes a zone set back in this format.
"""

from __future__ import annotations

import json
import math
import os
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import shapely
import shapely.geometry

from zonewatch.errors import ZoneSetError
from zonewatch.zones.model import DEFAULT_ZONES, Feature, LineZone, PolygonZone, Zone, ZoneSet

__all__ = [
    "BASELINE",
    "builtin_zone_sets",
    "load_zone_set",
    "parse_zone_set",
    "zone_set_to_geojson",
]

BASELINE = "baseline"
"""Feature kind of a baseline feature (an island or rock outline)."""

_KIND_RE = re.compile(r"[a-z][a-z0-9_]*")
_SET_KEYS = ("name", "timezone", "attribution", "note", "zones")
_POLYGONAL = ("Polygon", "MultiPolygon")
_LINEAR = ("LineString", "MultiLineString")


def _data_dir() -> Any:
    return resources.files("zonewatch.zones").joinpath("data")


def builtin_zone_sets() -> tuple[str, ...]:
    """Names of the zone sets shipped with zonewatch.

    Examples
    --------
    >>> "senkaku" in builtin_zone_sets()
    True
    """
    names = [
        entry.name.removesuffix(".geojson")
        for entry in _data_dir().iterdir()
        if entry.name.endswith(".geojson")
    ]
    return tuple(sorted(names))


def load_zone_set(name_or_path: str | os.PathLike[str]) -> ZoneSet:
    """Load a built-in zone set by name, or a zone set GeoJSON file by path.

    Built-in zone sets are loaded once per process and shared (a
    :class:`ZoneSet` is immutable; its derived geometry is computed on first use).

    Parameters
    ----------
    name_or_path
        A built-in name (see :func:`builtin_zone_sets`) or the path of a
        GeoJSON file in the zone set format (see this module's documentation).

    Returns
    -------
    ZoneSet
        The zone set.

    Raises
    ------
    ZoneSetError
        If the name is not built in and no such file exists (the message lists
        the built-in names), or if the file is not a valid zone set (the
        message names the file and the reason).

    Examples
    --------
    >>> zs = load_zone_set("senkaku")
    >>> zs.name, zs.timezone, len(zs.features)
    ('senkaku', 'Asia/Tokyo', 8)
    """
    text = os.fspath(name_or_path)
    builtins = builtin_zone_sets()
    if text in builtins:
        return _load_builtin(text)
    path = Path(text)
    if path.is_file():
        return _load_file(path)
    looks_like_path = os.sep in text or "/" in text or path.suffix.lower() in {".json", ".geojson"}
    if looks_like_path:
        raise ZoneSetError(f"zone set file not found: {text}")
    raise ZoneSetError(
        f"unknown zone set {text!r}: built-in zone sets are {', '.join(builtins)}; "
        "or give the path of a zone set GeoJSON file"
    )


@cache
def _load_builtin(name: str) -> ZoneSet:
    entry = _data_dir().joinpath(f"{name}.geojson")
    return parse_zone_set(entry.read_text(encoding="utf-8"), source=f"<built-in {name}>")


def _load_file(path: Path) -> ZoneSet:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ZoneSetError(f"{path}: cannot read zone set file: {err}") from err
    return parse_zone_set(text, source=str(path))


def parse_zone_set(text: str, source: str = "<string>") -> ZoneSet:
    """Parse the text of a zone set GeoJSON file.

    Parameters
    ----------
    text
        The file's content.
    source
        Where it came from, for error messages (usually the file path).

    Returns
    -------
    ZoneSet
        The zone set.

    Raises
    ------
    ZoneSetError
        If the text is not JSON or not a valid zone set; the message starts
        with ``source`` and says what is wrong.

    Examples
    --------
    >>> zs = parse_zone_set('''{"type": "FeatureCollection",
    ...   "properties": {"name": "reef", "timezone": "UTC"},
    ...   "features": [{"type": "Feature", "properties": {"name": "Reef"},
    ...     "geometry": {"type": "Polygon",
    ...                  "coordinates": [[[0, 0], [0.01, 0], [0.01, 0.01], [0, 0]]]}}]}''')
    >>> zs.name, [f.name for f in zs.features], [z.distance_nm for z in zs.zones]
    ('reef', ['Reef'], [12.0, 24.0])
    """
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise ZoneSetError(
            f"{source}: not JSON (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from err
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise ZoneSetError(f"{source}: not a GeoJSON FeatureCollection")
    props = doc.get("properties")
    if not isinstance(props, dict):
        raise ZoneSetError(
            f"{source}: missing top-level 'properties' object "
            "(it holds the zone set's name and timezone)"
        )
    name = _required_str(props, "name", f"{source}: properties")
    timezone = _required_str(props, "timezone", f"{source}: properties")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ZoneSetError(
            f"{source}: properties.timezone {timezone!r} is not a known time zone"
        ) from err
    attribution = _optional_str(props, "attribution", f"{source}: properties")
    note = _optional_str(props, "note", f"{source}: properties")
    zones = _parse_zones(props.get("zones"), source)
    features, polygon_zones, lines = _parse_features(doc.get("features"), source)
    if not features and props.get("zones") is not None:
        raise ZoneSetError(
            f"{source}: properties.zones are measured from baseline features, "
            "but the file has none (features of kind 'baseline')"
        )
    extra = {k: v for k, v in props.items() if k not in _SET_KEYS}
    try:
        return ZoneSet(
            name=name,
            timezone=timezone,
            features=features,
            zones=zones if features else (),
            attribution=attribution,
            note=note,
            polygon_zones=polygon_zones,
            lines=lines,
            properties=extra,
        )
    except ZoneSetError as err:
        raise ZoneSetError(f"{source}: {err}") from err


def _required_str(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ZoneSetError(f"{where}.{key} is missing or not a non-empty string (got {value!r})")
    return value


def _optional_str(obj: dict[str, Any], key: str, where: str) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str):
        raise ZoneSetError(f"{where}.{key} must be a string (got {value!r})")
    return value


def _parse_zones(raw: Any, source: str) -> tuple[Zone, ...]:
    if raw is None:
        return DEFAULT_ZONES
    if not isinstance(raw, list) or not raw:
        raise ZoneSetError(f"{source}: properties.zones must be a non-empty list (got {raw!r})")
    zones: list[Zone] = []
    for i, item in enumerate(raw):
        where = f"{source}: properties.zones[{i}]"
        if not isinstance(item, dict):
            raise ZoneSetError(f"{where} must be an object (got {item!r})")
        kind = _required_str(item, "kind", where)
        dist = item.get("distance_nm")
        if (
            isinstance(dist, bool)
            or not isinstance(dist, int | float)
            or not math.isfinite(dist)
            or dist <= 0
        ):
            raise ZoneSetError(f"{where}.distance_nm must be a positive number (got {dist!r})")
        zones.append(Zone(kind, float(dist)))
    kinds = [z.kind for z in zones]
    if len(set(kinds)) != len(kinds):
        raise ZoneSetError(f"{source}: properties.zones repeats a kind: {kinds}")
    return tuple(sorted(zones, key=lambda z: z.distance_nm))


def _parse_features(
    raw: Any, source: str
) -> tuple[tuple[Feature, ...], tuple[PolygonZone, ...], tuple[LineZone, ...]]:
    if not isinstance(raw, list) or not raw:
        raise ZoneSetError(f"{source}: 'features' must be a non-empty list of GeoJSON Features")
    features: list[Feature] = []
    polygon_zones: list[PolygonZone] = []
    lines: list[LineZone] = []
    for i, item in enumerate(raw):
        where = f"{source}: features[{i}]"
        if not isinstance(item, dict) or item.get("type") != "Feature":
            raise ZoneSetError(f"{where} is not a GeoJSON Feature")
        props = item.get("properties")
        if not isinstance(props, dict):
            raise ZoneSetError(f"{where} has no 'properties' object (it needs a name and a kind)")
        name = _required_str(props, "name", f"{where}.properties")
        label = f"{where} ({name})"
        kind = props.get("kind", BASELINE)
        if not isinstance(kind, str) or not _KIND_RE.fullmatch(kind):
            raise ZoneSetError(
                f"{label}: kind {kind!r} must be a word of lower-case letters, digits and "
                "underscores (for example 'baseline', 'marine_protected_area', 'median_line')"
            )
        extra = {k: v for k, v in props.items() if k not in ("name", "kind", "group")}
        geometry = _parse_geometry(item.get("geometry"), label, lines_ok=True)
        if isinstance(geometry, shapely.LineString | shapely.MultiLineString):
            if kind == BASELINE:
                features.append(Feature(name, geometry, _group(props, label), extra))
            else:
                left = _optional_str(props, "left", f"{label}.properties") or "left"
                right = _optional_str(props, "right", f"{label}.properties") or "right"
                if left == right:
                    raise ZoneSetError(f"{label}: the sides 'left' and 'right' need two names")
                extra = {k: v for k, v in extra.items() if k not in ("left", "right")}
                lines.append(LineZone(name, kind, geometry, left, right, extra))
        elif kind == BASELINE:
            features.append(Feature(name, geometry, _group(props, label), extra))
        else:
            polygon_zones.append(PolygonZone(name, kind, geometry, extra))
    names = [f.name for f in features] + [p.name for p in polygon_zones] + [x.name for x in lines]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ZoneSetError(f"{source}: feature names must be unique; repeated: {', '.join(dupes)}")
    return tuple(features), tuple(polygon_zones), tuple(lines)


def _group(props: dict[str, Any], label: str) -> str:
    group = props.get("group", "")
    if not isinstance(group, str):
        raise ZoneSetError(f"{label}: group must be a string (got {group!r})")
    return group.strip()


def _parse_geometry(
    raw: Any, where: str, *, lines_ok: bool = False
) -> shapely.Polygon | shapely.MultiPolygon | shapely.LineString | shapely.MultiLineString:
    allowed = _POLYGONAL + (_LINEAR if lines_ok else ())
    if not isinstance(raw, dict) or raw.get("type") not in allowed:
        got = raw.get("type") if isinstance(raw, dict) else raw
        raise ZoneSetError(f"{where}: geometry must be a {' or '.join(allowed)} (got {got!r})")
    try:
        geom = shapely.geometry.shape(raw)
    except (ValueError, TypeError, KeyError, IndexError, shapely.errors.ShapelyError) as err:
        raise ZoneSetError(f"{where}: invalid {raw['type']} coordinates: {err}") from err
    if geom.is_empty:
        raise ZoneSetError(f"{where}: geometry is empty")
    coords = shapely.get_coordinates(geom)
    if not bool(np.isfinite(coords).all()):
        raise ZoneSetError(f"{where}: coordinates must be finite numbers")
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        bad = coords[(np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)][0]
        raise ZoneSetError(
            f"{where}: coordinates out of lon/lat range (bounds {minx}, {miny}, {maxx}, {maxy}; "
            f"first bad point {bad[0]!r}, {bad[1]!r}); zone set files are in WGS84 degrees, "
            "lon first"
        )
    if isinstance(geom, shapely.Polygon | shapely.MultiPolygon) and not geom.is_valid:
        raise ZoneSetError(
            f"{where}: invalid polygon: {shapely.is_valid_reason(geom)} "
            "(a ring must not cross itself or another ring of the feature)"
        )
    if not isinstance(
        geom, shapely.Polygon | shapely.MultiPolygon | shapely.LineString | shapely.MultiLineString
    ):
        raise ZoneSetError(f"{where}: geometry must be a {' or '.join(allowed)}")
    return geom


def _geometry_json(geometry: Any) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(shapely.to_geojson(geometry))
    return out


def zone_set_to_geojson(zone_set: ZoneSet, *, indent: int | None = None) -> str:
    """Write a zone set as a zone set GeoJSON file (the format :func:`parse_zone_set` reads).

    Parameters
    ----------
    zone_set
        The zone set.
    indent
        JSON indentation (None: compact).

    Returns
    -------
    str
        The GeoJSON text; parsing it gives back an equal zone set.

    Examples
    --------
    >>> zs = load_zone_set("taiwan-strait")
    >>> parse_zone_set(zone_set_to_geojson(zs)) == zs
    True
    """
    props: dict[str, Any] = {"name": zone_set.name, "timezone": zone_set.timezone}
    if zone_set.attribution:
        props["attribution"] = zone_set.attribution
    if zone_set.note:
        props["note"] = zone_set.note
    if zone_set.features:
        props["zones"] = [{"kind": z.kind, "distance_nm": z.distance_nm} for z in zone_set.zones]
    props.update(zone_set.properties)
    features: list[dict[str, Any]] = []
    for f in zone_set.features:
        fprops: dict[str, Any] = {"name": f.name, "kind": BASELINE}
        if f.group:
            fprops["group"] = f.group
        fprops.update(f.properties)
        features.append(
            {"type": "Feature", "properties": fprops, "geometry": _geometry_json(f.geometry)}
        )
    for p in zone_set.polygon_zones:
        features.append(
            {
                "type": "Feature",
                "properties": {"name": p.name, "kind": p.kind, **p.properties},
                "geometry": _geometry_json(p.geometry),
            }
        )
    for line in zone_set.lines:
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": line.name,
                    "kind": line.kind,
                    "left": line.left,
                    "right": line.right,
                    **line.properties,
                },
                "geometry": _geometry_json(line.geometry),
            }
        )
    doc = {"type": "FeatureCollection", "properties": props, "features": features}
    return json.dumps(doc, indent=indent, ensure_ascii=False) + "\n"
