"""Tiles in threads share one zone set: its lazily built GEOS state must survive that.

Before :data:`zonewatch.zones.shared.GEOS_LOCK`, six threads testing points
against a new zone set's prepared land crashed the interpreter in most runs of
15 rounds ("double free or corruption"); the race runs in a child process so
that a crash fails this test instead of killing the test run.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from zonewatch.engine.land import land_test
from zonewatch.zones import load_zone_set

RACE = textwrap.dedent(
    """
    import threading
    import numpy as np
    from zonewatch.engine.land import land_test
    from zonewatch.zones import load_zone_set

    rng = np.random.default_rng(7)
    lon = 123.5 + rng.uniform(-0.3, 0.3, 4000)
    lat = 25.75 + rng.uniform(-0.3, 0.3, 4000)
    for _ in range(15):
        zs = load_zone_set("senkaku")  # new: nothing prepared before the threads start
        land = land_test(zs)
        zs.distance_nm(lon[:1], lat[:1])
        barrier = threading.Barrier(6)

        def work():
            barrier.wait()
            for _ in range(3):
                land(lon, lat)
                zs.distance_nm(lon, lat)

        threads = [threading.Thread(target=work) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    print("survived")
    """
)


def test_threads_on_a_new_zone_set_do_not_corrupt_memory() -> None:
    done = subprocess.run(
        [sys.executable, "-c", RACE], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "survived"


def test_threads_measure_a_new_zone_set_as_one_thread_does() -> None:
    rng = np.random.default_rng(7)
    lon = 123.5 + rng.uniform(-0.6, 0.6, 20_000)
    lat = 25.75 + rng.uniform(-0.5, 0.5, 20_000)
    lon[:50], lat[:50] = 123.476, 25.744  # on Uotsuri-shima
    want = load_zone_set("senkaku").distance_nm(lon, lat)
    zone_set = load_zone_set("senkaku")
    on_land = land_test(zone_set)

    def work(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return zone_set.distance_nm(lon[idx], lat[idx]), on_land(lon[idx], lat[idx])

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(work, np.array_split(np.arange(lon.size), 8)))
    got = np.concatenate([d for d, _ in results])
    land = np.concatenate([f for _, f in results])
    np.testing.assert_array_equal(got, want)
    assert land[:50].all()
    np.testing.assert_array_equal(land, got == 0.0)  # on a feature: at distance 0
