"""Events against the simulator's ground truth, for several seeds."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from zonewatch.engine.local import run_events
from zonewatch.events.shore import Shore
from zonewatch.sim import SimConfig, Truth, simulate
from zonewatch.sources.nmea_file import read_nmea
from zonewatch.store import Store
from zonewatch.zones import load_zone_set

SENKAKU = load_zone_set("senkaku")
KINDS = ["position_jump", "identity_conflict", "null_island", "fishing_approach", "ais_gap"]


@pytest.fixture(scope="module", params=[1, 2, 3])
def simulated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Truth, pl.DataFrame]:
    seed = int(request.param)
    folder = tmp_path_factory.mktemp(f"sim{seed}")
    config = SimConfig(
        days=12,
        seed=seed,
        fishing_approach_share=0.6,
        dark_outside_rate=1.0,
        intrusions_per_year=200,
        shared_mmsi_per_month=0.0,  # spoofed fixes only: no second transmitters ...
        null_island_per_month=0.0,  # ... and no fixes at (0, 0)
    )
    sim = simulate(config, folder / "sim")
    with Store(folder / "zw.duckdb") as store:
        store.add(read_nmea(sim.nmea_path))
        events = run_events(
            store,
            SENKAKU,
            config.start,
            config.start + dt.timedelta(days=config.days - 1),
            kinds=KINDS,
            shore=Shore(zone_set=SENKAKU),
        )
    return sim.truth, events


def test_every_spoofed_fix_is_a_position_jump_and_nothing_else(
    simulated: tuple[Truth, pl.DataFrame],
) -> None:
    truth, events = simulated
    kinds = events["kind"].value_counts().rows()
    counts = dict(kinds)
    assert counts.get("position_jump", 0) == truth.noise["spoofed_fixes"]
    assert counts.get("identity_conflict", 0) == 0
    assert counts.get("null_island", 0) == 0


def test_fishing_approaches_match_the_planned_incidents(
    simulated: tuple[Truth, pl.DataFrame],
) -> None:
    truth, events = simulated
    approaches = events.filter(pl.col("kind") == "fishing_approach")
    planned = [i for i in truth.incidents if i.fishing_nearby is not None]
    assert any(i.fishing_nearby for i in planned)
    for incident in planned:
        during = approaches.filter(
            (pl.col("start") <= incident.end)
            & (pl.col("end") >= incident.start)
            & pl.col("mmsi").is_in(sorted(incident.vessels))
        )
        assert (during.height > 0) == incident.fishing_nearby, incident


def test_lurkers_outside_the_contiguous_zone_are_gaps(
    simulated: tuple[Truth, pl.DataFrame],
) -> None:
    truth, events = simulated
    fleet = pl.Series(sorted(truth.fleet_mmsis), dtype=pl.UInt32).implode()
    gaps = events.filter((pl.col("kind") == "ais_gap") & pl.col("mmsi").is_in(fleet))
    lurks = [
        d
        for d in (json.loads(x) for x in gaps["detail"])
        if d["start"]["near_zone"] == "contiguous_zone"
        and d["end"]["near_zone"] == "contiguous_zone"
        and d["duration_h"] < 12
    ]
    assert len(lurks) == truth.noise["long_gaps_outside"]
    assert all(6.8 <= d["duration_h"] <= 9.0 for d in lurks)
