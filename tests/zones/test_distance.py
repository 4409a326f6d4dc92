"""Distance to the baseline: exactness against brute force, NaN handling, shapes, speed paths."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from zone_oracle import GEOD, BruteForce, all_segments_m

from zonewatch.zones import ZoneSet, distance_to_baseline_nm, load_zone_set

NM = 1852.0


def _write_zone_set(path: Path, polygons: dict[str, list[list[list[float]]]]) -> Path:
    doc = {
        "type": "FeatureCollection",
        "properties": {"name": "test", "timezone": "UTC"},
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name},
                "geometry": {"type": "Polygon", "coordinates": rings},
            }
            for name, rings in polygons.items()
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_inside_features_is_zero(senkaku: ZoneSet) -> None:
    points = [shapely.Point(123.476, 25.744)] + [
        max(shapely.get_parts(f.geometry), key=lambda p: p.area).representative_point()
        for f in senkaku.features
    ]
    lon = [p.x for p in points]
    lat = [p.y for p in points]
    assert senkaku.distance_nm(lon, lat).tolist() == [0.0] * len(points)


def test_outline_vertices_are_at_zero(senkaku: ZoneSet) -> None:
    coords = shapely.get_coordinates(senkaku.features[0].geometry)[::7]
    d = senkaku.distance_nm(coords[:, 0], coords[:, 1])
    assert np.all(d * NM < 1e-6)


def test_nan_and_out_of_range_give_nan(senkaku: ZoneSet) -> None:
    lon = np.array([np.nan, 123.4, np.inf, 123.4, 123.4, 123.3])
    lat = np.array([25.7, np.nan, 25.7, 91.0, -np.inf, 25.7])
    d = senkaku.distance_nm(lon, lat)
    assert d.dtype == np.float64
    assert np.isnan(d[:5]).all()
    assert d[5] == pytest.approx(float(senkaku.distance_nm(123.3, 25.7)))
    assert 8.0 < d[5] < 10.0


def test_shapes_and_broadcasting(senkaku: ZoneSet) -> None:
    scalar = senkaku.distance_nm(123.3, 25.7)
    assert isinstance(scalar, np.ndarray)
    assert scalar.shape == ()
    assert scalar.dtype == np.float64
    grid = senkaku.distance_nm(np.array([[123.3], [123.4]]), np.array([25.6, 25.7, 25.8]))
    assert grid.shape == (2, 3)
    assert grid[0, 1] == pytest.approx(float(scalar))
    empty = senkaku.distance_nm(np.array([]), np.array([]))
    assert empty.shape == (0,)
    assert empty.dtype == np.float64


def test_functional_form_matches_method(senkaku: ZoneSet) -> None:
    lon = np.linspace(122.5, 125.5, 7)
    lat = np.linspace(25.2, 26.4, 7)
    np.testing.assert_array_equal(
        distance_to_baseline_nm(lon, lat, senkaku), senkaku.distance_nm(lon, lat)
    )


@st.composite
def _near_points(draw: st.DrawFn, vertices: np.ndarray) -> tuple[float, float]:
    """A point up to 60 nm from a random outline vertex, in any direction."""
    i = draw(st.integers(0, len(vertices) - 1))
    azimuth = draw(st.floats(-180.0, 180.0))
    distance_nm = draw(st.one_of(st.floats(0.0, 0.05), st.floats(0.0, 2.0), st.floats(0.0, 60.0)))
    lon, lat, _ = GEOD.fwd(vertices[i, 0], vertices[i, 1], azimuth, distance_nm * NM)
    return float(lon), float(lat)


_SENKAKU_VERTICES = shapely.get_coordinates(
    shapely.union_all([f.geometry for f in load_zone_set("senkaku").features])
)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(_near_points(_SENKAKU_VERTICES), min_size=1, max_size=4))
def test_matches_brute_force_within_60_nm(
    senkaku: ZoneSet, brute: BruteForce, points: list[tuple[float, float]]
) -> None:
    lon = np.array([p[0] for p in points])
    lat = np.array([p[1] for p in points])
    got_m = senkaku.distance_nm(lon, lat) * NM
    want_m = brute.many_m(lon, lat)
    # the oracle measures to vertices 1 m apart: it can only overestimate, by < 0.5 m
    assert np.all(got_m <= want_m + 1e-3)
    assert np.all(want_m - got_m <= 1.0)


def test_matches_brute_force_across_the_east_china_sea(senkaku: ZoneSet, brute: BruteForce) -> None:
    rng = np.random.default_rng(20240101)
    lon = rng.uniform(120.0, 130.0, 12)
    lat = rng.uniform(22.0, 32.0, 12)
    got_m = senkaku.distance_nm(lon, lat) * NM
    want_m = brute.many_m(lon, lat)
    np.testing.assert_allclose(got_m, want_m, atol=0.01)


def test_square_island_with_a_lake(tmp_path: Path) -> None:
    """Analytic cases: straight edges at the equator, and a hole (sea) inside the island."""
    outer = [[10.0, 0.0], [10.1, 0.0], [10.1, 0.1], [10.0, 0.1], [10.0, 0.0]]
    lake = [[10.04, 0.04], [10.04, 0.06], [10.06, 0.06], [10.06, 0.04], [10.04, 0.04]]
    zs = load_zone_set(_write_zone_set(tmp_path / "square.geojson", {"Square": [outer, lake]}))
    lon = np.array([10.05, 10.05, 10.3, 10.05, 10.02, 10.05])
    lat = np.array([0.3, -0.2, 0.05, 0.05, 0.05, 0.041])
    d_m = zs.distance_nm(lon, lat) * NM
    _, _, north = GEOD.inv(10.05, 0.3, 10.05, 0.1)
    _, _, south = GEOD.inv(10.05, -0.2, 10.05, 0.0)
    _, _, east = GEOD.inv(10.3, 0.05, 10.1, 0.05)
    _, _, to_lake_edge = GEOD.inv(10.05, 0.05, 10.05, 0.04)
    _, _, lake_shore = GEOD.inv(10.05, 0.041, 10.05, 0.04)
    np.testing.assert_allclose(
        d_m, [north, south, east, to_lake_edge, 0.0, lake_shore], rtol=1e-9, atol=1e-6
    )


def test_equidistant_between_far_islands(tmp_path: Path) -> None:
    """Near the bisector of two islands 100 km apart, the nearer one on the ellipsoid wins."""
    west = [[124.0, 25.8], [124.01, 25.8], [124.01, 25.81], [124.0, 25.81], [124.0, 25.8]]
    east = [[125.0, 25.8], [125.01, 25.8], [125.01, 25.81], [125.0, 25.81], [125.0, 25.8]]
    zs = load_zone_set(_write_zone_set(tmp_path / "pair.geojson", {"W": [west], "E": [east]}))
    oracle = BruteForce(zs)
    lat = np.linspace(24.3, 27.3, 31)
    lon = np.full(lat.shape, 124.505)
    lon = lon + np.linspace(-0.0005, 0.0005, 31)
    np.testing.assert_allclose(zs.distance_nm(lon, lat) * NM, oracle.many_m(lon, lat), atol=0.01)


def test_far_away_and_antipodal_points(senkaku: ZoneSet, brute: BruteForce) -> None:
    """Across the globe, up to the antipode of the Senkakus (where the plane degenerates)."""
    lon = np.array([-56.0, -56.5, 0.0, 179.9, -179.9, 10.0])
    lat = np.array([-25.8, -25.75, 0.0, 60.0, -60.0, 89.9])
    got_m = senkaku.distance_nm(lon, lat) * NM
    want_m = brute.many_m(lon, lat)
    assert np.isfinite(got_m).all()
    # within 10 m out to the antipode (exact within 0.01 m to about 10,000 km)
    np.testing.assert_allclose(got_m, want_m, atol=10.0)
    assert np.all(got_m <= want_m + 1e-3)


def test_zone_set_pickles_without_its_index(senkaku: ZoneSet) -> None:
    senkaku.distance_nm(124.0, 25.0)  # build the index
    data = pickle.dumps(senkaku)
    assert len(data) < 100_000
    copy = pickle.loads(data)
    assert copy == senkaku
    assert float(copy.distance_nm(124.0, 25.0)) == float(senkaku.distance_nm(124.0, 25.0))


@st.composite
def _star_islands(draw: st.DrawFn) -> tuple[list[list[list[list[float]]]], np.ndarray]:
    """One to three star-shaped islands close together, and points around them."""
    lon0 = draw(st.floats(-170.0, 170.0))
    lat0 = draw(st.floats(-60.0, 60.0))
    islands = []
    vertices = []
    for k in range(draw(st.integers(1, 3))):
        n = draw(st.integers(3, 25))
        radii = draw(st.lists(st.floats(0.0005, 0.05), min_size=n, max_size=n))
        gaps = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n)))
        angles = np.cumsum(gaps) / gaps.sum() * 2 * np.pi * 0.999
        cx = lon0 + k * draw(st.floats(0.0, 0.1))
        cy = lat0 + k * draw(st.floats(-0.05, 0.05))
        ring = np.column_stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)])
        assume(shapely.Polygon(ring).is_valid)  # zone set files must hold valid polygons
        islands.append([np.vstack([ring, ring[:1]]).tolist()])
        vertices.append(ring)
    v = np.vstack(vertices)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    near = v[rng.integers(0, len(v), 60)] + rng.normal(0.0, 0.002, (60, 2))
    wide = np.column_stack([lon0, lat0]) + rng.uniform(-0.6, 0.6, (60, 2))
    return islands, np.vstack([near, wide])


@settings(max_examples=10, deadline=None, derandomize=True)
@given(_star_islands())
def test_index_finds_the_nearest_segment(
    tmp_path_factory: pytest.TempPathFactory,
    case: tuple[list[list[list[list[float]]]], np.ndarray],
) -> None:
    islands, points = case
    path = tmp_path_factory.mktemp("stars") / "stars.geojson"
    zs = load_zone_set(_write_zone_set(path, {f"I{i}": rings for i, rings in enumerate(islands)}))
    got_m = zs.distance_nm(points[:, 0], points[:, 1]) * NM
    np.testing.assert_allclose(got_m, all_segments_m(zs, points[:, 0], points[:, 1]), atol=1e-6)


def test_distance_bounds_hold_the_exact_distance() -> None:
    zs = load_zone_set("senkaku")
    rng = np.random.default_rng(11)
    lon = 123.5 + rng.uniform(-1.5, 1.5, 50_000)
    lat = 25.75 + rng.uniform(-1.5, 1.5, 50_000)
    lo, hi = zs.distance_bounds_nm(lon, lat, beyond_nm=25.0)
    d = zs.distance_within_nm(lon, lat, beyond_nm=25.0)
    assert np.all(lo <= d)
    assert np.all(d <= hi)
    near = d <= 25.0
    assert np.all(hi[near] - lo[near] < 0.02)  # within about 20 m near the zones
    assert np.mean(lo[near] == hi[near]) < 0.05  # bounds, not exact values, almost everywhere


def test_distance_bounds_hold_with_long_straight_edges_across_the_antimeridian(
    tmp_path: Path,
) -> None:
    """Long edges stray from their chords in the plane: the bounds must allow for it."""
    square = [[179.8, -17.0], [179.95, -17.0], [179.95, -16.8], [179.8, -16.8], [179.8, -17.0]]
    east = [[-179.95, -17.2], [-179.8, -17.2], [-179.8, -17.0], [-179.95, -17.0], [-179.95, -17.2]]
    zs = load_zone_set(_write_zone_set(tmp_path / "anti.geojson", {"A": [square], "B": [east]}))
    rng = np.random.default_rng(1)
    lon = rng.uniform(179.0, 181.0, 100_000)
    lon = np.where(lon > 180.0, lon - 360.0, lon)
    lat = rng.uniform(-18.0, -16.0, 100_000)
    lo, hi = zs.distance_bounds_nm(lon, lat, beyond_nm=25.0)
    d = zs.distance_within_nm(lon, lat, beyond_nm=25.0)
    assert np.all(lo <= d)
    assert np.all(d <= hi)
