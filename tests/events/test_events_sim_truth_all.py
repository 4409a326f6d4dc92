"""Every event kind of the events contract against the simulator's ground truth, exactly.

For each simulated month, ``run_events`` on the ingested NMEA must find the
events the simulator planted and computed (``Truth.events``): the same number
of each kind, the same vessels (and zone, and "likely intentional" flag for
gaps), and the same start and end within a stated tolerance:

- exactly (to the millisecond) for events at fixes: gaps, loitering, position
  jumps, identity conflicts, fixes at (0, 0) and fixes inland;
- 2 s for zone entries and exits: the truth bisects each crossing exactly, the
  detector interpolates between samples 0.05 nm apart, which can move a
  crossing made at a glancing angle or at a corner of the zone line (where
  the nearest island changes) by a second or more; the simulator leaves out
  non-fleet trips with such crossings, and the differences seen are a few
  hundredths of a second;
- one step of the rule's time grid for encounters and shadowing (300 s) and
  approaches to fishing vessels (60 s).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import polars as pl
import pytest

from zonewatch.engine.local import run_events
from zonewatch.events.records import EVENT_KINDS
from zonewatch.sim import SimConfig, Truth, simulate
from zonewatch.sources.nmea_file import read_nmea
from zonewatch.store import Store
from zonewatch.zones import load_zone_set

SENKAKU = load_zone_set("senkaku")
TOLERANCE_S = {
    "zone_entry": 2.0,
    "zone_exit": 2.0,
    "encounter": 300.0,
    "shadowing": 300.0,
    "fishing_approach": 60.0,
}
CASES = [
    (21, dt.date(2024, 10, 5), 35),
    (15, dt.date(2024, 4, 5), 35),
    (7, dt.date(2023, 12, 20), 25),
]

Key = tuple[str, int, int | None, str | None]
Span = tuple[float, float, bool | None]


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"seed{c[0]}-{c[1]}")
def simulated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[SimConfig, Truth, pl.DataFrame]:
    seed, start, days = request.param
    folder = tmp_path_factory.mktemp(f"all{seed}")
    config = SimConfig(
        start=start,
        days=days,
        seed=seed,
        intrusions_per_year=120,
        fishing_approach_share=0.6,
        dark_outside_rate=1.0,
    )
    sim = simulate(config, folder / "sim")
    with Store(folder / "zw.duckdb") as store:
        store.add(read_nmea(sim.nmea_path))
        events = run_events(
            store, SENKAKU, config.start, config.start + dt.timedelta(days=config.days - 1)
        )
    return config, Truth.from_json(sim.truth_path.read_text()), events


def _detected(events: pl.DataFrame) -> dict[Key, list[Span]]:
    out: dict[Key, list[Span]] = defaultdict(list)
    for e in events.iter_rows(named=True):
        zone = e["zone"] if e["kind"] in ("zone_entry", "zone_exit") else None
        flag = json.loads(e["detail"])["likely_intentional"] if e["kind"] == "ais_gap" else None
        out[(e["kind"], e["mmsi"], e["other_mmsi"], zone)].append(
            (e["start"].timestamp(), e["end"].timestamp(), flag)
        )
    return out


def _planned(truth: Truth) -> dict[Key, list[Span]]:
    out: dict[Key, list[Span]] = defaultdict(list)
    for e in truth.events:
        out[(e.kind, e.mmsi, e.other_mmsi, e.zone)].append(
            (e.start.timestamp(), e.end.timestamp(), e.likely_intentional)
        )
    return out


@pytest.mark.parametrize("kind", EVENT_KINDS)
def test_each_kind_matches_the_truth(
    simulated: tuple[SimConfig, Truth, pl.DataFrame], kind: str
) -> None:
    _, truth, events = simulated
    got = {k: sorted(v) for k, v in _detected(events).items() if k[0] == kind}
    want = {k: sorted(v) for k, v in _planned(truth).items() if k[0] == kind}
    assert sum(map(len, got.values())) == sum(map(len, want.values()))
    assert got.keys() == want.keys()  # the same vessels (and zones)
    tolerance = TOLERANCE_S.get(kind, 0.0) + 1e-3
    for key, spans in want.items():
        assert len(got[key]) == len(spans), key
        for (g0, g1, g_flag), (w0, w1, w_flag) in zip(got[key], spans, strict=True):
            assert abs(g0 - w0) <= tolerance, (key, g0, w0)
            assert abs(g1 - w1) <= tolerance, (key, g1, w1)
            assert g_flag == w_flag, key


def test_the_month_plants_every_kind(simulated: tuple[SimConfig, Truth, pl.DataFrame]) -> None:
    _, truth, _ = simulated
    counts: dict[str, int] = defaultdict(int)
    for e in truth.events:
        counts[e.kind] += 1
    assert set(counts) == set(EVENT_KINDS)
    assert counts["identity_conflict"] >= 1
    assert counts["position_jump"] > truth.noise["spoofed_fixes"]  # the second transmitters too
    gaps = [e for e in truth.events if e.kind == "ais_gap"]
    assert {e.likely_intentional for e in gaps} == {True, False}
    shadows = {e.other_mmsi for e in truth.events if e.kind == "shadowing"}
    assert any(str(m).startswith("4310005") for m in shadows)  # a JCG ship


def test_meetings_run_across_midnight(simulated: tuple[SimConfig, Truth, pl.DataFrame]) -> None:
    config, truth, events = simulated
    tokyo = dt.timezone(dt.timedelta(hours=9))
    found = events.filter(pl.col("kind") == "encounter")
    spans = [(e.start, e.end) for e in truth.events if e.kind == "encounter"]
    assert found.height == len(spans) >= 2
    assert any(a.date() != b.date() for a, b in spans)  # across midnight UTC
    assert any(a.astimezone(tokyo).date() != b.astimezone(tokyo).date() for a, b in spans)
    for row in found.iter_rows(named=True):
        detail = json.loads(row["detail"])
        assert detail["duration_h"] >= 2.0
        assert detail["median_speed_kn"] < 1.0
        assert detail["min_separation_m"] < 500.0
        assert config.start <= row["start"].astimezone(tokyo).date()
