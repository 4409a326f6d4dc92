"""The shipped Senkaku outlines: names, places, sizes, metadata."""

from __future__ import annotations

import json
from importlib import resources

import pytest
import shapely
import shapely.ops
from zone_oracle import GEOD

from zonewatch.zones import CONTIGUOUS_ZONE, TERRITORIAL_SEA, Zone, ZoneSet, builtin_zone_sets

NAMES = (
    "Uotsuri-shima",
    "Kita-kojima",
    "Minami-kojima",
    "Kuba-shima",
    "Taisho-jima",
    "Okino-kitaiwa",
    "Okino-minamiiwa",
    "Tobise",
)


def _data_file() -> str:
    return resources.files("zonewatch.zones").joinpath("data/senkaku.geojson").read_text("utf-8")


def test_builtin_names() -> None:
    assert builtin_zone_sets() == ("senkaku", "south-china-sea", "taiwan-strait")


def test_metadata(senkaku: ZoneSet) -> None:
    assert senkaku.name == "senkaku"
    assert senkaku.timezone == "Asia/Tokyo"
    assert senkaku.attribution == "© OpenStreetMap contributors, ODbL"
    assert "approximation" in senkaku.note
    assert "low-water line" in senkaku.note
    assert senkaku.zones == (Zone(TERRITORIAL_SEA, 12.0), Zone(CONTIGUOUS_ZONE, 24.0))


def test_file_is_small_and_rounded() -> None:
    text = _data_file()
    assert len(text.encode()) < 200_000
    doc = json.loads(text)
    coords = shapely.get_coordinates(
        [shapely.geometry.shape(f["geometry"]) for f in doc["features"]]
    )
    assert (abs(coords * 1e6 - (coords * 1e6).round()) < 1e-3).all()
    for feature in doc["features"]:
        assert feature["properties"]["kind"] == "baseline"
        assert feature["properties"]["source"] == "OpenStreetMap land polygons"


def test_eight_named_valid_features(senkaku: ZoneSet) -> None:
    assert tuple(f.name for f in senkaku.features) == NAMES
    for feature in senkaku.features:
        assert feature.geometry.geom_type in ("Polygon", "MultiPolygon")
        assert feature.geometry.is_valid
        assert not feature.geometry.is_empty


def test_uotsuri_outline_where_osm_puts_it(senkaku: ZoneSet) -> None:
    uotsuri = senkaku.features[0].geometry
    minx, miny, maxx, maxy = uotsuri.bounds
    assert minx == pytest.approx(123.458, abs=0.002)
    assert maxx == pytest.approx(123.494, abs=0.002)
    assert miny == pytest.approx(25.735, abs=0.002)
    assert maxy == pytest.approx(25.752, abs=0.002)
    # about 3.8 km2 (the published area is 3.82 km2); measured on the ellipsoid
    area_m2, _ = GEOD.geometry_area_perimeter(uotsuri)
    assert abs(area_m2) == pytest.approx(3.8e6, rel=0.05)


@pytest.mark.parametrize("name", NAMES)
def test_each_feature_near_its_listed_position(senkaku: ZoneSet, name: str) -> None:
    """DOMAIN.md lists each feature to the whole minute (up to ~1.3 km off)."""
    listed = {
        "Uotsuri-shima": (25 + 44 / 60, 123 + 28 / 60),
        "Kita-kojima": (25 + 43 / 60, 123 + 32 / 60),
        "Minami-kojima": (25 + 43 / 60, 123 + 33 / 60),
        "Kuba-shima": (25 + 55 / 60, 123 + 40 / 60),
        "Taisho-jima": (25 + 55 / 60, 124 + 33 / 60),
        "Okino-kitaiwa": (25 + 46 / 60, 123 + 32 / 60),
        "Okino-minamiiwa": (25 + 45 / 60, 123 + 34 / 60),
        "Tobise": (25 + 44 / 60, 123 + 30 / 60),
    }[name]
    geometry = next(f.geometry for f in senkaku.features if f.name == name)
    lat, lon = listed
    nearest = shapely.ops.nearest_points(geometry, shapely.Point(lon, lat))[0]
    _, _, dist_m = GEOD.inv(lon, lat, nearest.x, nearest.y)
    assert dist_m < 2500.0


@pytest.mark.parametrize(
    ("name", "distance_km", "azimuth_deg"),
    [
        # From the positions DOMAIN.md lists (whole minutes): Kuba 28.6 km at 44 deg,
        # Taisho 110.6 km at 79 deg from Uotsuri. (DOMAIN.md's prose says "about 22 km"
        # and "about 103 km", which its own table and the OSM outlines contradict.)
        ("Kuba-shima", 28.6, 44.0),
        ("Taisho-jima", 110.6, 79.0),
    ],
)
def test_distances_between_islands(
    senkaku: ZoneSet, name: str, distance_km: float, azimuth_deg: float
) -> None:
    uotsuri = senkaku.features[0].geometry.centroid
    other = next(f.geometry for f in senkaku.features if f.name == name).centroid
    azimuth, _, dist_m = GEOD.inv(uotsuri.x, uotsuri.y, other.x, other.y)
    assert dist_m / 1000 == pytest.approx(distance_km, abs=3.0)
    assert azimuth == pytest.approx(azimuth_deg, abs=5.0)
