"""Loading zone sets: built-in names, user GeoJSON files, and the errors for bad ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from zonewatch.errors import ZoneSetError, ZonewatchError
from zonewatch.zones import (
    CONTIGUOUS_ZONE,
    TERRITORIAL_SEA,
    Feature,
    Zone,
    ZoneSet,
    load_zone_set,
    parse_zone_set,
)

SQUARE = [[[10.0, 0.0], [10.1, 0.0], [10.1, 0.1], [10.0, 0.1], [10.0, 0.0]]]


def _doc(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "type": "FeatureCollection",
        "properties": {
            "name": "reef",
            "timezone": "Asia/Manila",
            "attribution": "survey 2020",
            "note": "test outline",
        },
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Reef", "kind": "baseline"},
                "geometry": {"type": "Polygon", "coordinates": SQUARE},
            }
        ],
    }
    doc.update(changes)
    return doc


def _write(tmp_path: Path, doc: Any, name: str = "zones.geojson") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def test_builtin_is_loaded_once(senkaku: ZoneSet) -> None:
    assert load_zone_set("senkaku") is senkaku


def test_user_file(tmp_path: Path) -> None:
    path = _write(tmp_path, _doc())
    for arg in (str(path), path):
        zs = load_zone_set(arg)
        assert zs.name == "reef"
        assert zs.timezone == "Asia/Manila"
        assert zs.attribution == "survey 2020"
        assert zs.note == "test outline"
        assert [f.name for f in zs.features] == ["Reef"]
        assert zs.features[0].geometry.bounds == (10.0, 0.0, 10.1, 0.1)
        assert zs.zones == (Zone(TERRITORIAL_SEA, 12.0), Zone(CONTIGUOUS_ZONE, 24.0))


def test_user_zones_sorted_outward(tmp_path: Path) -> None:
    zones = [{"kind": "buffer", "distance_nm": 3}, {"kind": "mpa", "distance_nm": 0.5}]
    doc = _doc()
    doc["properties"]["zones"] = zones
    zs = load_zone_set(_write(tmp_path, doc))
    assert zs.zones == (Zone("mpa", 0.5), Zone("buffer", 3.0))
    assert zs.zone("buffer").distance_nm == 3.0
    with pytest.raises(ZoneSetError, match="no 'territorial_sea' zone"):
        zs.zone(TERRITORIAL_SEA)


def test_unknown_name_lists_builtins() -> None:
    with pytest.raises(ZoneSetError, match=r"unknown zone set 'paracel'.*senkaku") as info:
        load_zone_set("paracel")
    assert isinstance(info.value, ZonewatchError)
    assert isinstance(info.value, ValueError)


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.geojson"
    with pytest.raises(ZoneSetError, match=f"not found: {missing}"):
        load_zone_set(missing)


def test_not_json(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"type": "FeatureCollection",\n  "features": [}')
    with pytest.raises(ZoneSetError, match=rf"{path}: not JSON \(line 2, column 16"):
        load_zone_set(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.geojson"
    path.write_bytes(b'{"name": "\xe9"}')
    with pytest.raises(ZoneSetError, match=f"{path}: cannot read"):
        load_zone_set(path)


def _edit(doc: dict[str, Any], where: str, value: Any) -> dict[str, Any]:
    """Set (or with value None delete) a dotted key such as ``properties.name``."""
    target: Any = doc
    *path, last = where.split(".")
    for key in path:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is None:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return doc


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        ("type", "Feature", "not a GeoJSON FeatureCollection"),
        ("properties", None, "missing top-level 'properties'"),
        ("properties", ["reef"], "missing top-level 'properties'"),
        ("properties.name", None, r"properties\.name is missing"),
        ("properties.name", "  ", r"properties\.name is missing"),
        ("properties.timezone", None, r"properties\.timezone is missing"),
        ("properties.timezone", "Mars/Olympus", "'Mars/Olympus' is not a known time zone"),
        ("properties.attribution", 3, r"properties\.attribution must be a string"),
        ("properties.zones", [], r"properties\.zones must be a non-empty list"),
        ("properties.zones", [{"kind": "ts"}], r"zones\[0\]\.distance_nm must be a positive"),
        ("properties.zones", [{"kind": "ts", "distance_nm": -1}], "must be a positive"),
        ("properties.zones", [{"kind": "ts", "distance_nm": True}], "must be a positive"),
        (
            "properties.zones",
            [{"kind": "ts", "distance_nm": 1}, {"kind": "ts", "distance_nm": 2}],
            "repeats a kind",
        ),
        ("features", [], "'features' must be a non-empty list"),
        ("features.0.type", "Point", r"features\[0\] is not a GeoJSON Feature"),
        ("features.0.properties", None, r"features\[0\] has no 'properties'"),
        ("features.0.properties.name", None, r"features\[0\]\.properties\.name is missing"),
        ("features.0.properties.kind", "Light House!", "kind 'Light House!' must be a word"),
        ("features.0.properties.kind", 3, "kind 3 must be a word"),
        ("features.0.geometry", None, "must be a Polygon or MultiPolygon"),
        (
            "features.0.geometry",
            {"type": "Point", "coordinates": [10, 0]},
            r"features\[0\] \(Reef\): geometry must be a Polygon or MultiPolygon or LineString "
            r"or MultiLineString \(got 'Point'\)",
        ),
        (
            "features.0.geometry",
            {"type": "Polygon", "coordinates": [[[10, 0], [10.1]]]},
            "invalid Polygon coordinates",
        ),
        ("features.0.geometry", {"type": "Polygon", "coordinates": []}, "geometry is empty"),
        (
            "features.0.geometry",
            {"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [200, 1], [0, 0]]]},
            "out of lon/lat range",
        ),
    ],
)
def test_bad_files_name_the_file_and_reason(
    tmp_path: Path, where: str, value: Any, message: str
) -> None:
    path = _write(tmp_path, _edit(_doc(), where, value))
    with pytest.raises(ZoneSetError, match=message) as info:
        load_zone_set(path)
    assert str(info.value).startswith(f"{path}: ")


def test_duplicate_feature_names(tmp_path: Path) -> None:
    doc = _doc()
    doc["features"].append(json.loads(json.dumps(doc["features"][0])))
    with pytest.raises(ZoneSetError, match="repeated: Reef"):
        load_zone_set(_write(tmp_path, doc))


def test_self_intersecting_polygon_is_an_error_naming_the_feature(tmp_path: Path) -> None:
    bowtie = [[[0, 0], [0.1, 0.1], [0.1, 0], [0, 0.1], [0, 0]]]
    doc = _doc()
    doc["features"].insert(0, json.loads(json.dumps(doc["features"][0])))
    doc["features"][0]["properties"]["name"] = "Good"
    doc["features"][1]["properties"]["name"] = "Bowtie Reef"
    doc["features"][1]["geometry"]["coordinates"] = bowtie
    path = _write(tmp_path, doc)
    with pytest.raises(ZoneSetError, match=r"features\[1\] \(Bowtie Reef\): invalid polygon: "):
        load_zone_set(path)
    with pytest.raises(ZoneSetError, match="Self-intersection"):
        parse_zone_set(json.dumps(doc))


def test_zone_set_checks_its_fields() -> None:
    feature = Feature("Reef", load_zone_set("senkaku").features[0].geometry)
    with pytest.raises(ZoneSetError, match="has no features"):
        ZoneSet("x", "UTC", ())
    with pytest.raises(ZoneSetError, match="has no zones"):
        ZoneSet("x", "UTC", (feature,), zones=())
    with pytest.raises(ZoneSetError, match="must be a positive number"):
        ZoneSet("x", "UTC", (feature,), zones=(Zone("ts", float("nan")),))
