"""Built-in zone sets, polygon zones, lines, GeoJSON round trips, antimeridian and high latitude."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import shapely
import shapely.ops
from hypothesis import given, settings
from hypothesis import strategies as st
from zone_oracle import GEOD, BruteForce

from zonewatch.errors import ZoneSetError
from zonewatch.zones import builtin_zone_sets, load_zone_set, parse_zone_set
from zonewatch.zones.geojson import zone_set_to_geojson
from zonewatch.zones.lines import line_crossings

NM = 1852.0


def _square(lon: float, lat: float, half: float) -> list[list[list[float]]]:
    return [
        [
            [lon - half, lat - half],
            [lon + half, lat - half],
            [lon + half, lat + half],
            [lon - half, lat + half],
            [lon - half, lat - half],
        ]
    ]


def _doc(features: list[dict[str, Any]], **props: Any) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "properties": {"name": "test", "timezone": "UTC", **props},
        "features": features,
    }


def _feature(name: str, geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"name": name, **props}, "geometry": geometry}


# --- antimeridian and far north ---------------------------------------------

# An island split at 180 degrees (RFC 7946), and a reef just east of it.
ANTIMERIDIAN = _doc(
    [
        _feature(
            "Split Island",
            {
                "type": "MultiPolygon",
                "coordinates": [
                    [
                        [
                            [179.95, -16.8],
                            [180.0, -16.8],
                            [180.0, -16.7],
                            [179.95, -16.7],
                            [179.95, -16.8],
                        ]
                    ],
                    [
                        [
                            [-180.0, -16.8],
                            [-179.97, -16.8],
                            [-179.97, -16.7],
                            [-180.0, -16.7],
                            [-180.0, -16.8],
                        ]
                    ],
                ],
            },
        ),
        _feature("East Reef", {"type": "Polygon", "coordinates": _square(-179.8, -16.9, 0.01)}),
    ],
    zones=[{"kind": "territorial_sea", "distance_nm": 12}, {"kind": "eez", "distance_nm": 200}],
)
FAR_NORTH = _doc(
    [
        _feature("Polar Rock", {"type": "Polygon", "coordinates": _square(20.0, 70.0, 0.02)}),
        _feature("Polar Skerry", {"type": "Polygon", "coordinates": _square(20.6, 70.1, 0.01)}),
    ]
)
SETS = {
    "antimeridian": parse_zone_set(json.dumps(ANTIMERIDIAN)),
    "70N": parse_zone_set(json.dumps(FAR_NORTH)),
}
ORACLES = {name: BruteForce(zs, spacing_deg=5e-6) for name, zs in SETS.items()}
VERTICES = {
    name: shapely.get_coordinates(shapely.union_all([f.geometry for f in zs.features]))
    for name, zs in SETS.items()
}


@st.composite
def _case(draw: st.DrawFn) -> tuple[str, float, float]:
    name = draw(st.sampled_from(sorted(SETS)))
    v = VERTICES[name]
    i = draw(st.integers(0, len(v) - 1))
    azimuth = draw(st.floats(-180.0, 180.0))
    distance_nm = draw(st.one_of(st.floats(0.0, 1.0), st.floats(0.0, 40.0)))
    lon, lat, _ = GEOD.fwd(v[i, 0], v[i, 1], azimuth, distance_nm * NM)
    return name, float(lon), float(lat)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(_case(), min_size=1, max_size=3))
def test_distance_within_1_m_of_pyproj_across_the_antimeridian_and_at_70n(
    cases: list[tuple[str, float, float]],
) -> None:
    for name, lon, lat in cases:
        got_m = float(SETS[name].distance_nm(lon, lat)) * NM
        want_m = ORACLES[name].distance_m(lon, lat)
        assert abs(got_m - want_m) <= 1.0, (name, lon, lat, got_m, want_m)


def test_antimeridian_set_is_one_island_across_180() -> None:
    zs = SETS["antimeridian"]
    # points on both halves of the split island are on land; the gap between the halves is none
    assert zs.distance_nm([179.99, -179.99, 180.0], [-16.75, -16.75, -16.75]).tolist() == [0, 0, 0]
    # due east of the island, in degrees west
    lon, lat, _ = GEOD.fwd(-179.97, -16.75, 90.0, 5 * NM)
    assert float(zs.distance_nm(lon, lat)) == pytest.approx(5.0, abs=0.01)
    loc = zs.locate([lon, 0.0, 179.0], [lat, 0.0, -16.75])
    assert loc.zone_index.tolist() == [0, -1, 1]


def test_eez_like_200_nm_zone_is_located_with_the_raster() -> None:
    zs = SETS["antimeridian"]
    rng = np.random.default_rng(3)
    lon = rng.uniform(175.0, 185.0, 3000)
    lon = np.where(lon > 180.0, lon - 360.0, lon)
    lat = rng.uniform(-21.0, -12.0, 3000)
    loc = zs.locate(lon, lat)
    d = zs.distance_nm(lon, lat)
    want = np.where(d <= 12, 0, np.where(d <= 200, 1, -1))
    np.testing.assert_array_equal(loc.zone_index, want)
    assert np.all(loc.lower_nm <= d + 1e-4)
    assert np.all(d <= loc.upper_nm + 1e-4)


# --- the built-in sets ------------------------------------------------------


def test_builtins_round_trip_through_geojson() -> None:
    for name in builtin_zone_sets():
        zs = load_zone_set(name)
        assert parse_zone_set(zone_set_to_geojson(zs), source=name) == zs


def test_user_file_round_trip_with_polygon_zones_lines_and_groups(tmp_path: Path) -> None:
    doc = _doc(
        [
            _feature("A", {"type": "Polygon", "coordinates": _square(10, 10, 0.01)}, group="North"),
            _feature(
                "B", {"type": "Polygon", "coordinates": _square(10.5, 10, 0.01)}, group="North"
            ),
            _feature(
                "C", {"type": "Polygon", "coordinates": _square(10, 12, 0.01)}, source="survey"
            ),
            _feature("Park", {"type": "Polygon", "coordinates": _square(11, 11, 0.2)}, kind="mpa"),
            _feature(
                "Line",
                {"type": "LineString", "coordinates": [[9, 9], [12, 12]]},
                kind="median_line",
                left="north",
                right="south",
            ),
        ],
        zones=[{"kind": "territorial_sea", "distance_nm": 12}, {"kind": "eez", "distance_nm": 200}],
        title="Test Sea",
    )
    path = tmp_path / "my.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    zs = load_zone_set(path)
    assert zs.areas() == ("North", "Test Sea")
    assert [p.kind for p in zs.polygon_zones] == ["mpa"]
    assert (zs.lines[0].left, zs.lines[0].right) == ("north", "south")
    assert zs.features[2].properties == {"source": "survey"}
    again = parse_zone_set(zone_set_to_geojson(zs))
    assert again == zs
    assert sorted(zs.zone_geometries()) == ["eez", "mpa", "territorial_sea"]
    assert float(zs.polygon_distance_nm("mpa", 11.0, 11.0)) == 0.0
    assert float(zs.area_distance_nm("North", 10.0, 12.0)) > 100


def test_south_china_sea_features_where_published() -> None:
    zs = load_zone_set("south-china-sea")
    assert zs.timezone == "Asia/Manila"
    assert "approximate" in zs.note.lower()
    published = {
        "Scarborough Shoal": (117.767, 15.183),
        "Thitu Island": (114.284, 11.053),
        "Second Thomas Shoal": (115.864, 9.733),
        "Sabina Shoal": (116.467, 9.75),
        "Vanguard Bank": (109.733, 7.533),
    }
    for name, (lon, lat) in published.items():
        feature = next(f for f in zs.features if f.name == name)
        assert feature.properties["source"]
        nearest = shapely.ops.nearest_points(feature.geometry, shapely.Point(lon, lat))[0]
        _, _, d = GEOD.inv(lon, lat, nearest.x, nearest.y)
        assert d < 12_000, name
    assert zs.areas() == (
        "Scarborough Shoal",
        "Thitu Island",
        "Second Thomas Shoal",
        "Sabina Shoal",
        "Luconia Shoals",
        "Vanguard Bank",
    )
    assert [f.name for f in zs.area_features("Luconia Shoals")] == [
        "North Luconia Shoals",
        "South Luconia Shoals",
    ]
    # Second Thomas and Sabina Shoals are about 35 nm apart: their 24 nm zones overlap
    lon, lat = (115.864 + 116.467) / 2, 9.74
    assert float(zs.area_distance_nm("Second Thomas Shoal", lon, lat)) < 24
    assert float(zs.area_distance_nm("Sabina Shoal", lon, lat)) < 24


def test_taiwan_strait_median_line() -> None:
    zs = load_zone_set("taiwan-strait")
    assert zs.timezone == "Asia/Taipei"
    assert zs.features == ()
    assert zs.zones == ()
    line = zs.lines[0]
    coords = shapely.get_coordinates(line.geometry)
    assert coords[0].tolist() == [122.0, 27.0]
    assert coords[-1].tolist() == [118.0, 23.0]
    # the vertices lie on the geodesic between the end points
    az, _, _ = GEOD.inv(122.0, 27.0, 118.0, 23.0)
    az_mid, _, _ = GEOD.inv(122.0, 27.0, coords[len(coords) // 2, 0], coords[len(coords) // 2, 1])
    assert az_mid == pytest.approx(az, abs=1e-4)  # vertices rounded to 1e-6 deg
    # no baseline: the distance to nothing, and no zone
    assert zs.distance_nm([120.0, np.nan], [24.0, 24.0]).tolist()[0] == np.inf
    assert zs.locate([120.0], [24.0]).zone_index.tolist() == [-1]
    assert zs.locate([120.0], [24.0]).lower_nm.tolist() == [np.inf]


T0 = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)


def _fixes(rows: list[tuple[int, float, float, float, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "mmsi": [r[0] for r in rows],
            "ts": [T0 + dt.timedelta(hours=r[1]) for r in rows],
            "lon": [r[2] for r in rows],
            "lat": [r[3] for r in rows],
            "segment": [r[4] for r in rows],
        }
    ).with_columns(pl.col("mmsi").cast(pl.UInt32), pl.col("ts").cast(pl.Datetime("ms", "UTC")))


def test_line_crossings_by_direction() -> None:
    line = load_zone_set("taiwan-strait").lines[0]
    on_line = shapely.get_coordinates(line.geometry)[20]
    fixes = _fixes(
        [
            # west -> east -> west: two crossings
            (1, 0, 119.6, 24.8, 0),
            (1, 2, 120.2, 24.8, 0),
            (1, 4, 119.5, 24.9, 0),
            # touches the line from the west and turns back: none
            (2, 0, on_line[0] - 0.1, on_line[1], 0),
            (2, 1, on_line[0], on_line[1], 0),
            (2, 2, on_line[0] - 0.1, on_line[1], 0),
            # a gap between segments: not a leg, no crossing
            (3, 0, 119.6, 24.8, 0),
            (3, 9, 120.2, 24.8, 1),
            # beyond the line's southern end (23 N): no crossing
            (4, 0, 117.0, 22.0, 0),
            (4, 1, 119.0, 22.0, 0),
        ]
    )
    got = line_crossings(fixes, line)
    assert got["mmsi"].to_list() == [1, 1]
    assert got["direction"].to_list() == ["to_east", "to_west"]
    # the crossing point is on the line, and its time between the fixes
    assert (
        float(shapely.distance(line.geometry, shapely.Point(got["lon"][0], got["lat"][0]))) < 1e-9
    )
    assert T0 < got["ts"][0] < T0 + dt.timedelta(hours=2)


def test_exact_zone_polygons_follow_the_geodesic_limit() -> None:
    zs = load_zone_set("senkaku")
    polys = zs.zone_geometries(accuracy_m=0.5)
    rng = np.random.default_rng(11)
    minx, miny, maxx, maxy = zs.bounds()
    lon = rng.uniform(minx, maxx, 20_000)
    lat = rng.uniform(miny, maxy, 20_000)
    d = zs.distance_nm(lon, lat)
    for kind, limit in (("territorial_sea", 12.0), ("contiguous_zone", 24.0)):
        clear = np.abs(d - limit) * NM > 1.0
        inside = shapely.contains_xy(polys[kind], lon, lat)
        np.testing.assert_array_equal(inside[clear], d[clear] <= limit)
    with pytest.raises(ZoneSetError, match="accuracy_m"):
        zs.zone_geometries(accuracy_m=0.01)


def test_locate_agrees_with_the_exact_distance(senkaku: Any) -> None:
    rng = np.random.default_rng(5)
    minx, miny, maxx, maxy = senkaku.bounds()
    lon = np.r_[rng.uniform(minx - 1, maxx + 1, 30_000), np.nan, 124.0]
    lat = np.r_[rng.uniform(miny - 1, maxy + 1, 30_000), 25.0, np.nan]
    loc = senkaku.locate(lon, lat)
    d = senkaku.distance_nm(lon, lat)
    want = np.where(np.isnan(d), -1, np.where(d <= 12, 0, np.where(d <= 24, 1, -1)))
    np.testing.assert_array_equal(loc.zone_index, want)
    ok = np.isfinite(d)
    assert np.all(loc.lower_nm[ok] <= d[ok] + 1e-4)
    assert np.all(d[ok] <= loc.upper_nm[ok] + 1e-4)
    assert np.isnan(loc.lower_nm[~ok]).all()
    given = np.isfinite(loc.distance_nm)
    assert given.any()
    np.testing.assert_allclose(loc.distance_nm[given], d[given], atol=1.0 / NM)
    near = senkaku.locate(lon, lat, distances="near")
    inside_raster = ok & (d < 24)
    assert np.isfinite(near.distance_nm[inside_raster]).all()
    everything = senkaku.locate(lon[:50], lat[:50], distances="all")
    np.testing.assert_allclose(everything.distance_nm, d[:50])
    assert loc.in_zone("territorial_sea").sum() == (want == 0).sum()


def test_locate_numpy_fallback_matches_numba(senkaku: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from zonewatch.zones import raster

    rng = np.random.default_rng(8)
    lon = rng.uniform(122.5, 125.5, 20_000)
    lat = rng.uniform(25.0, 26.6, 20_000)
    fast = senkaku.locate(lon, lat)
    lo, hi = fast.lower_nm.copy(), fast.upper_nm.copy()
    monkeypatch.setattr(raster, "_NUMBA", None)
    slow = senkaku.locate(lon, lat)
    np.testing.assert_array_equal(fast.zone_index, slow.zone_index)
    np.testing.assert_array_equal(lo, slow.lower_nm)
    np.testing.assert_array_equal(hi, slow.upper_nm)


@pytest.mark.parametrize(
    ("feature", "message"),
    [
        (
            _feature("Reef", {"type": "Polygon", "coordinates": _square(10, 95, 0.1)}),
            r"features\[0\] \(Reef\): coordinates out of lon/lat range",
        ),
        (
            {"type": "Feature", "properties": {"kind": "baseline"}, "geometry": None},
            r"features\[0\]\.properties\.name is missing",
        ),
        (
            _feature("Dot", {"type": "Point", "coordinates": [10, 10]}),
            r"features\[0\] \(Dot\): geometry must be",
        ),
        (
            _feature(
                "Line",
                {"type": "LineString", "coordinates": [[1, 1], [2, 2]]},
                kind="x",
                left="a",
                right="a",
            ),
            r"features\[0\] \(Line\): the sides",
        ),
    ],
)
def test_bad_features_name_index_and_name(
    tmp_path: Path, feature: dict[str, Any], message: str
) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(_doc([feature])), encoding="utf-8")
    with pytest.raises(ZoneSetError, match=message) as info:
        load_zone_set(path)
    assert str(info.value).startswith(str(path))


def test_zones_without_baseline_features_are_an_error() -> None:
    doc = _doc(
        [_feature("Park", {"type": "Polygon", "coordinates": _square(1, 1, 0.1)}, kind="mpa")],
        zones=[{"kind": "territorial_sea", "distance_nm": 12}],
    )
    with pytest.raises(ZoneSetError, match="but the file has none"):
        parse_zone_set(json.dumps(doc))
    doc = _doc(
        [
            _feature("Isle", {"type": "Polygon", "coordinates": _square(1, 1, 0.01)}),
            _feature(
                "TS", {"type": "Polygon", "coordinates": _square(1, 1, 0.2)}, kind="territorial_sea"
            ),
        ]
    )
    with pytest.raises(ZoneSetError, match="both measured from the baseline and given as polygons"):
        parse_zone_set(json.dumps(doc))
