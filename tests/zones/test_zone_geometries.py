"""Zone polygons for maps: where they start and stop, and agreement with the kernel."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from zone_oracle import GEOD

from zonewatch.zones import CONTIGUOUS_ZONE, TERRITORIAL_SEA, ZoneSet

NM = 1852.0


def _extreme_vertex(zone_set: ZoneSet, name: str, side: str) -> tuple[float, float]:
    coords = shapely.get_coordinates(next(f.geometry for f in zone_set.features if f.name == name))
    i = {"west": np.argmin(coords[:, 0]), "east": np.argmax(coords[:, 0])}.get(side)
    if i is None:
        i = {"south": np.argmin(coords[:, 1]), "north": np.argmax(coords[:, 1])}[side]
    return float(coords[i, 0]), float(coords[i, 1])


# Rays pointing away from every other feature, so the distance along them is the
# distance to the baseline.
RAYS = [
    ("Uotsuri-shima", "west", 270.0),
    ("Minami-kojima", "south", 180.0),
    ("Taisho-jima", "east", 90.0),
    ("Kuba-shima", "north", 0.0),
]


@pytest.mark.parametrize(("name", "side", "azimuth"), RAYS)
@pytest.mark.parametrize(("kind", "limit_nm"), [(TERRITORIAL_SEA, 12.0), (CONTIGUOUS_ZONE, 24.0)])
def test_zone_edge_along_a_ray(
    senkaku: ZoneSet, name: str, side: str, azimuth: float, kind: str, limit_nm: float
) -> None:
    zone = senkaku.zone_geometries()[kind]
    lon0, lat0 = _extreme_vertex(senkaku, name, side)
    inside_nm, outside_nm = limit_nm - 0.1, limit_nm + 0.1
    lon, lat, _ = GEOD.fwd(
        [lon0, lon0], [lat0, lat0], [azimuth, azimuth], [inside_nm * NM, outside_nm * NM]
    )
    d = senkaku.distance_nm(lon, lat)
    np.testing.assert_allclose(d, [inside_nm, outside_nm], atol=0.005)
    assert shapely.contains_xy(zone, lon[0], lat[0])
    assert not shapely.contains_xy(zone, lon[1], lat[1])


def test_zone_polygons_agree_with_the_kernel(senkaku: ZoneSet) -> None:
    rng = np.random.default_rng(7)
    minx, miny, maxx, maxy = senkaku.bounds()
    lon = rng.uniform(minx, maxx, 4000)
    lat = rng.uniform(miny, maxy, 4000)
    d = senkaku.distance_nm(lon, lat)
    for kind, limit in ((TERRITORIAL_SEA, 12.0), (CONTIGUOUS_ZONE, 24.0)):
        inside = shapely.contains_xy(senkaku.zone_geometries()[kind], lon, lat)
        clear = np.abs(d - limit) > 0.01  # the drawn edge is within 0.01 nm (18.5 m)
        np.testing.assert_array_equal(inside[clear], d[clear] < limit)


def test_zone_geometries_are_cached_and_valid(senkaku: ZoneSet) -> None:
    first = senkaku.zone_geometries()
    second = senkaku.zone_geometries()
    assert first is not second  # a fresh dict: callers may change it
    assert first[TERRITORIAL_SEA] is second[TERRITORIAL_SEA]
    assert set(first) == {TERRITORIAL_SEA, CONTIGUOUS_ZONE}
    for geometry in first.values():
        assert geometry.is_valid
        assert geometry.geom_type in ("Polygon", "MultiPolygon")
    assert first[CONTIGUOUS_ZONE].contains(first[TERRITORIAL_SEA])
    land = shapely.union_all([f.geometry for f in senkaku.features])
    assert first[TERRITORIAL_SEA].contains(land)


def test_bounds_of_the_outermost_zone(senkaku: ZoneSet) -> None:
    bounds = senkaku.bounds()
    assert bounds == senkaku.zone_geometries()[CONTIGUOUS_ZONE].bounds
    minx, miny, maxx, maxy = bounds
    # 24 nm west of Uotsuri's west tip (123.458 E) and east of Taisho's east tip (124.561 E)
    lon_w, _, _ = GEOD.fwd(123.4578, 25.74, 270.0, 24 * NM)
    lon_e, _, _ = GEOD.fwd(124.5609, 25.92, 90.0, 24 * NM)
    assert minx == pytest.approx(lon_w, abs=0.005)
    assert maxx == pytest.approx(lon_e, abs=0.005)
    assert miny < 25.72 - 0.39 < 25.93 + 0.39 < maxy
