"""Zone kernel benchmark: zonewatch vs shapely vs a GeoPandas spatial join, in one process.

Run (needs the ``bench`` extra for GeoPandas; numba makes zonewatch's lookup compiled)::

    .venv/bin/python benchmarks/zones.py            # both cases
    .venv/bin/python benchmarks/zones.py --quick    # 10x fewer positions

Cases, on the built-in ``senkaku`` zone set (territorial sea 12 nm, contiguous
zone 24 nm):

(a) 10,000,000 positions spread uniformly over the East China Sea
    (117.5-131.5 E, 21-35 N), 99% of them outside the zones' bounding box;
(b) 2,000,000 positions uniformly within the zones' bounding box.

Methods, each giving every position its zone (territorial sea, contiguous
zone only, outside):

* zonewatch: ``ZoneSet.locate`` (zone, and the exact geodesic distance for
  positions near a zone limit; bounds for the others). Also timed: with the
  dense bounds materialised, and with ``distances="near"`` (the exact distance
  for every position within the raster).
* shapely: ``shapely.contains_xy`` on prepared polygons of the same zones
  (the contiguous zone first, then the territorial sea for the positions in
  it). The polygons are drawn to 0.25 m of the geodesic limits
  (``zone_geometries(accuracy_m=0.25)``), so that both must agree.
* GeoPandas: building the GeoDataFrame of points, then ``geopandas.sjoin``
  (predicate ``within``) with the territorial sea and the contiguous-zone ring.

Agreement is checked on every position farther than 1 m from a zone limit
(positions whose distance bounds come within 1 m of a limit get an exact
distance for the check).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import shapely

from zonewatch.geo import METERS_PER_NM
from zonewatch.zones import load_zone_set

ECS = (117.5, 21.0, 131.5, 35.0)


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def shapely_zones(ts: Any, cz: Any, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    in_cz = shapely.contains_xy(cz, lon, lat)
    idx = np.flatnonzero(in_cz)
    zone = np.full(lon.shape, -1, dtype=np.int8)
    zone[idx] = 1
    in_ts = shapely.contains_xy(ts, lon[idx], lat[idx])
    zone[idx[in_ts]] = 0
    return zone


def geopandas_zones(ts: Any, cz: Any, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    import geopandas as gpd

    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    zones = gpd.GeoDataFrame(
        {"zone": [0, 1]}, geometry=[ts, shapely.difference(cz, ts)], crs="EPSG:4326"
    )
    joined = gpd.sjoin(points, zones, how="left", predicate="within")
    zone = np.full(lon.shape, -1, dtype=np.int8)
    hit = joined["zone"].notna().to_numpy()
    zone[joined.index.to_numpy()[hit]] = joined["zone"].to_numpy()[hit].astype(np.int8)
    return zone


def reference_check(zs: Any, loc: Any, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, int]:
    """Mask of positions farther than 1 m from every limit, and how many needed exact checks."""
    limits = np.array([z.distance_nm for z in zs.zones])
    one_m = 1.0 / METERS_PER_NM
    lo = loc.lower_nm.astype(np.float64)
    hi = loc.upper_nm.astype(np.float64)
    doubtful = np.zeros(lon.shape, dtype=bool)
    for limit in limits:
        doubtful |= (lo - one_m <= limit) & (hi + one_m >= limit)
    idx = np.flatnonzero(doubtful)
    d = zs.distance_nm(lon[idx], lat[idx])
    near = np.zeros(lon.shape, dtype=bool)
    near[idx] = np.min(np.abs(d[:, None] - limits[None, :]), axis=1) <= one_m
    return ~near, int(idx.size)


def line(label: str, seconds: float, n: int) -> None:
    print(f"{label:<54} {seconds:8.3f} s {n / seconds / 1e6:8.1f} M/s")


def run_case(
    label: str, zs: Any, ts: Any, cz: Any, lon: np.ndarray, lat: np.ndarray, skip_gpd: bool
) -> dict[str, float]:
    n = lon.size
    print(f"\n## case {label}: {n:,} positions")
    rates: dict[str, float] = {}
    t_zw, loc = timed(lambda: zs.locate(lon, lat), 3)
    rates["zonewatch"] = n / t_zw
    exact = loc.exact_index.size
    print(
        f"zonewatch locate (zone + exact distance near limits): {t_zw:8.3f} s "
        f"{n / t_zw / 1e6:8.1f} M/s  ({exact:,} exact distances, {exact / n:.2%})"
    )

    def with_bounds() -> Any:
        located = zs.locate(lon, lat)
        _ = located.lower_nm
        return located

    t_b, _ = timed(with_bounds, 2)
    rates["zonewatch+bounds"] = n / t_b
    line("zonewatch locate + dense distance bounds:", t_b, n)
    t_sh, zone_sh = timed(lambda: shapely_zones(ts, cz, lon, lat), 3)
    rates["shapely"] = n / t_sh
    line("shapely.contains_xy (prepared, CZ then TS):", t_sh, n)
    zone_gp = None
    if not skip_gpd:
        t_gp, zone_gp = timed(lambda: geopandas_zones(ts, cz, lon, lat), 1)
        rates["geopandas"] = n / t_gp
        line("GeoPandas GeoDataFrame + sjoin:", t_gp, n)
    if n <= 2_000_000:
        t_near, _ = timed(lambda: zs.locate(lon, lat, distances="near"), 1)
        rates["zonewatch near"] = n / t_near
        print(
            f"zonewatch locate, exact distance for every position:  {t_near:8.3f} s "
            f"{n / t_near / 1e6:8.1f} M/s"
        )
    clear, checked = reference_check(zs, loc, lon, lat)
    zw = loc.zone_index
    print(
        f"agreement on {int(clear.sum()):,} positions farther than 1 m from a limit "
        f"({checked:,} needed an exact check):"
    )
    print(f"  zonewatch vs shapely:   {int(np.sum(zw[clear] != zone_sh[clear]))} disagreements")
    if zone_gp is not None:
        print(f"  zonewatch vs GeoPandas: {int(np.sum(zw[clear] != zone_gp[clear]))} disagreements")
    print(f"  ratio zonewatch / shapely:   {rates['zonewatch'] / rates['shapely']:.1f}x")
    if "geopandas" in rates:
        print(f"  ratio zonewatch / GeoPandas: {rates['zonewatch'] / rates['geopandas']:.0f}x")
    return rates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10x fewer positions")
    parser.add_argument("--no-geopandas", action="store_true", help="skip the GeoPandas join")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    zs = load_zone_set("senkaku")
    t0 = time.perf_counter()
    zs.locate(np.array([124.0]), np.array([25.8]))  # builds the raster, compiles the lookup
    print(f"zonewatch set-up (index, raster, compile): {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    polys = zs.zone_geometries(accuracy_m=0.25)
    ts, cz = polys["territorial_sea"], polys["contiguous_zone"]
    shapely.prepare(ts)
    shapely.prepare(cz)
    print(
        f"zone polygons to 0.25 m: {time.perf_counter() - t0:.1f} s, "
        f"{shapely.get_num_coordinates(ts):,} + {shapely.get_num_coordinates(cz):,} vertices"
    )
    try:
        import geopandas
    except ImportError:
        print("GeoPandas is not installed (pip install -e '.[bench]'): skipping it")
        skip_gpd = True
    else:
        print(f"geopandas {geopandas.__version__}, shapely {shapely.__version__}")
        skip_gpd = args.no_geopandas
    try:
        import numba
    except ImportError:
        print("numba is not installed: zonewatch uses its NumPy lookup")
    else:
        print(f"numba {numba.__version__}")
    rng = np.random.default_rng(args.seed)
    n_a = 10_000_000 // scale
    lon_a = rng.uniform(ECS[0], ECS[2], n_a)
    lat_a = rng.uniform(ECS[1], ECS[3], n_a)
    minx, miny, maxx, maxy = zs.bounds()
    in_box = (lon_a >= minx) & (lon_a <= maxx) & (lat_a >= miny) & (lat_a <= maxy)
    print(f"case (a): {1 - in_box.mean():.1%} of positions outside the zones' bounding box")
    run_case("(a) East China Sea", zs, ts, cz, lon_a, lat_a, skip_gpd)
    del lon_a, lat_a
    n_b = 2_000_000 // scale
    lon_b = rng.uniform(minx, maxx, n_b)
    lat_b = rng.uniform(miny, maxy, n_b)
    run_case("(b) zones' bounding box", zs, ts, cz, lon_b, lat_b, skip_gpd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
