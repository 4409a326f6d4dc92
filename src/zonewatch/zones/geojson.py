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
zone. Every feature needs a ``name`` and a Polygon or MultiPolygon geometry in
lon/lat degrees; ``kind`` defaults to ``"baseline"`` (the only kind so far).
"""

from __future__ import annotations

import json
import math
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import shapely
import shapely.geometry

from zonewatch.errors import ZoneSetError
from zonewatch.zones.model import DEFAULT_ZONES, Feature, Zone, ZoneSet

__all__ = ["BASELINE", "builtin_zone_sets", "load_zone_set", "parse_zone_set"]

BASELINE = "baseline"
"""Feature kind of a baseline feature (an island or rock outline)."""

_FEATURE_KINDS = (BASELINE,)


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
    features = _parse_features(doc.get("features"), source)
    return ZoneSet(
        name=name,
        timezone=timezone,
        features=features,
        zones=zones,
        attribution=attribution,
        note=note,
    )


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


def _parse_features(raw: Any, source: str) -> tuple[Feature, ...]:
    if not isinstance(raw, list) or not raw:
        raise ZoneSetError(f"{source}: 'features' must be a non-empty list of GeoJSON Features")
    features: list[Feature] = []
    for i, item in enumerate(raw):
        where = f"{source}: features[{i}]"
        if not isinstance(item, dict) or item.get("type") != "Feature":
            raise ZoneSetError(f"{where} is not a GeoJSON Feature")
        props = item.get("properties")
        if not isinstance(props, dict):
            raise ZoneSetError(f"{where} has no 'properties' object (it needs a name)")
        name = _required_str(props, "name", f"{where}.properties")
        kind = props.get("kind", BASELINE)
        if kind not in _FEATURE_KINDS:
            raise ZoneSetError(
                f"{where} ({name}): unknown kind {kind!r}; known kinds: {', '.join(_FEATURE_KINDS)}"
            )
        features.append(Feature(name, _parse_geometry(item.get("geometry"), f"{where} ({name})")))
    names = [f.name for f in features]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ZoneSetError(f"{source}: feature names must be unique; repeated: {', '.join(dupes)}")
    return tuple(features)


def _parse_geometry(raw: Any, where: str) -> shapely.Polygon | shapely.MultiPolygon:
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        got = raw.get("type") if isinstance(raw, dict) else raw
        raise ZoneSetError(f"{where}: geometry must be a Polygon or MultiPolygon (got {got!r})")
    try:
        geom = shapely.geometry.shape(raw)
    except (ValueError, TypeError, KeyError, IndexError, shapely.errors.ShapelyError) as err:
        raise ZoneSetError(f"{where}: invalid {raw['type']} coordinates: {err}") from err
    if geom.is_empty:
        raise ZoneSetError(f"{where}: geometry is empty")
    minx, miny, maxx, maxy = geom.bounds
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise ZoneSetError(f"{where}: coordinates must be finite numbers")
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise ZoneSetError(
            f"{where}: coordinates out of lon/lat range (bounds {minx}, {miny}, {maxx}, {maxy}); "
            "zone set files are in WGS84 degrees, lon first"
        )
    if not geom.is_valid:
        fixed = shapely.make_valid(geom)
        polys = [g for g in shapely.get_parts(fixed) if isinstance(g, shapely.Polygon)]
        if not polys:
            raise ZoneSetError(f"{where}: geometry is invalid: {shapely.is_valid_reason(geom)}")
        geom = shapely.MultiPolygon(polys) if len(polys) > 1 else polys[0]
    if not isinstance(geom, shapely.Polygon | shapely.MultiPolygon):
        raise ZoneSetError(f"{where}: geometry must be a Polygon or MultiPolygon")
    return geom
