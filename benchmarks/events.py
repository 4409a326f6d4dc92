"""Encounter detection at scale: 1 to 10 million positions from synthetic random-walk tracks.

Run:  .venv/bin/python benchmarks/events.py            (1, 2, 5, 10 million positions)
      .venv/bin/python benchmarks/events.py --sizes 1,2 --check

Every vessel sends 500 positions, one every 2-4 minutes (about 25 hours), as
a random walk at 0-14 kn; 2,000 vessels per million positions, spread at a
constant density (one vessel per ~40 square nautical miles, so the area grows
with the fleet) around 25 N. One vessel in 100 is half of a planted pair: two
slow drifters 200 m apart for their whole track. The timed work is
:func:`zonewatch.events.encounters.encounter_events` (resampling on the 5-minute
grid, the spatial-hash pair search, episodes, the GFW thresholds) with no
land mask (shore distance is looked up per episode, not per position).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np
import polars as pl

from zonewatch.events.encounters import EncounterParams, encounter_events
from zonewatch.events.pairs import close_pairs
from zonewatch.events.resample import resample_tracks
from zonewatch.events.shore import Shore
from zonewatch.geo import METERS_PER_NM

FIXES_PER_VESSEL = 500
VESSELS_PER_MILLION = 2_000
NM2_PER_VESSEL = 40.0
T0 = int(dt.datetime(2024, 6, 1, tzinfo=dt.UTC).timestamp() * 1000)


def synthetic_positions(
    n_positions: int, seed: int = 0
) -> tuple[pl.DataFrame, list[tuple[int, int]]]:
    """Random-walk tracks with planted encounters; returns the fixes and the planted pairs."""
    rng = np.random.default_rng(seed)
    n_vessels = max(2, n_positions // FIXES_PER_VESSEL)
    k = FIXES_PER_VESSEL
    side_nm = np.sqrt(n_vessels * NM2_PER_VESSEL)
    lat0 = 25.0 + (rng.random(n_vessels) - 0.5) * side_nm / 60.0
    lon0 = 125.0 + (rng.random(n_vessels) - 0.5) * side_nm / 60.0 / np.cos(np.radians(25.0))
    dt_s = rng.uniform(120.0, 240.0, (n_vessels, k))
    dt_s[:, 0] = rng.uniform(0.0, 6 * 3600.0, n_vessels)  # staggered starts
    t_ms = T0 + np.cumsum(dt_s, axis=1).astype(np.int64) * 1000
    speed = np.clip(
        rng.uniform(0.0, 14.0, (n_vessels, 1)) + rng.normal(0, 1.0, (n_vessels, k)), 0, None
    )
    heading = np.radians(
        rng.uniform(0, 360, (n_vessels, 1)) + np.cumsum(rng.normal(0, 8.0, (n_vessels, k)), axis=1)
    )
    # planted pairs: vessel 2i drifts slowly, vessel 2i + 1 stays 200 m east of it
    n_pairs = n_vessels // 200
    a = (np.arange(n_pairs) * 200).astype(np.int64)  # spread over the fleet
    b = a + 1
    speed[a] = rng.uniform(0.1, 0.6, (n_pairs, 1))
    step_nm = speed * dt_s / 3600.0
    step_nm[:, 0] = 0.0
    lat = lat0[:, None] + np.cumsum(step_nm * np.cos(heading), axis=1) / 60.0
    lon = lon0[:, None] + np.cumsum(step_nm * np.sin(heading), axis=1) / 60.0 / np.cos(
        np.radians(lat)
    )
    t_ms[b] = t_ms[a] + 30_000
    lat[b] = lat[a]
    lon[b] = lon[a] + 200.0 / METERS_PER_NM / 60.0 / np.cos(np.radians(lat[a]))
    speed[b] = speed[a]
    mmsi = (412_000_000 + np.arange(n_vessels)).astype(np.uint32)
    frame = pl.DataFrame(
        {
            "mmsi": np.repeat(mmsi, k),
            "ts": t_ms.ravel(),
            "lon": lon.ravel(),
            "lat": lat.ravel(),
            "sog": speed.ravel().astype(np.float32),
            "segment": np.zeros(n_vessels * k, dtype=np.uint32),
        }
    ).with_columns(pl.col("ts").cast(pl.Datetime("ms", "UTC")))
    planted = [(int(mmsi[i]), int(mmsi[j])) for i, j in zip(a, b, strict=True)]
    return frame.head(n_positions), planted


def run_once(n_positions: int, seed: int) -> dict[str, float | int]:
    t = time.perf_counter()
    fixes, planted = synthetic_positions(n_positions, seed)
    generated = time.perf_counter() - t
    params = EncounterParams()
    shore = Shore()
    t0 = time.perf_counter()
    points = resample_tracks(fixes, params.grid_step_s)
    t1 = time.perf_counter()
    pairs = close_pairs(points, params.distance_m / METERS_PER_NM)
    t2 = time.perf_counter()
    events = encounter_events(fixes, shore, params, points=points, pairs=pairs)
    t3 = time.perf_counter()
    found = set(zip(events["mmsi"].to_list(), events["other_mmsi"].to_list(), strict=True))
    return {
        "positions": fixes.height,
        "vessels": fixes["mmsi"].n_unique(),
        "grid_points": points.height,
        "close_pairs": pairs.height,
        "encounters": events.height,
        "planted": len(planted),
        "planted_found": sum(1 for p in planted if p in found),
        "generate_s": generated,
        "detect_s": t3 - t0,
        "resample_s": t1 - t0,
        "pairs_s": t2 - t1,
        "episodes_s": t3 - t2,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1,2,5,10", help="millions of positions, comma-separated"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--check", action="store_true", help="fail unless every planted pair is found"
    )
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    header = (
        f"{'positions':>11} {'vessels':>8} {'grid pts':>10} {'pairs':>8} {'enc':>5} "
        f"{'planted':>9} {'detect s':>9} {'s/Mpos':>7} {'resample':>9} {'pairs s':>8} "
        f"{'episodes+':>9}"
    )
    print(header)
    rows = []
    for size in sizes:
        r = run_once(int(size * 1_000_000), args.seed)
        rows.append(r)
        print(
            f"{r['positions']:>11,} {r['vessels']:>8,} {r['grid_points']:>10,} "
            f"{r['close_pairs']:>8,} {r['encounters']:>5} "
            f"{r['planted_found']:>4}/{r['planted']:<4} {r['detect_s']:>9.2f} "
            f"{r['detect_s'] / (r['positions'] / 1e6):>7.2f} {r['resample_s']:>9.2f} "
            f"{r['pairs_s']:>8.2f} {r['episodes_s']:>9.2f}",
            flush=True,
        )
    if args.check and any(r["planted_found"] != r["planted"] for r in rows):
        raise SystemExit("some planted encounters were not found")


if __name__ == "__main__":
    main()
