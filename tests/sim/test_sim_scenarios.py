"""Planned scenarios over several seeds, and a full default year."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import numpy as np
import pytest

from zonewatch.events.records import EVENT_KINDS
from zonewatch.sim import SimConfig, simulate
from zonewatch.sim.run import Scenario, plan_scenario
from zonewatch.zones import load_zone_set

ZS = load_zone_set("senkaku")


def _legs(sc: Scenario, mmsi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fix times, gaps to the next fix, and baseline distances at both ends of each leg."""
    tr = sc.track(mmsi)
    d = ZS.distance_nm(tr.lon, tr.lat)
    return tr.t[:-1], np.diff(tr.t), np.stack([d[:-1], d[1:]], axis=1)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_planned_month_is_consistent(seed: int) -> None:
    sc = plan_scenario(SimConfig(start=dt.date(2024, 8, 1), days=30, seed=seed))
    fleet = {m for m, i in sc.identities.items() if i.role == "ccg"}
    assert len(sc.days) == 30
    for cz, ts in sc.days.values():
        assert ts <= cz <= fleet
    assert sum(1 for cz, _ in sc.days.values() if cz) >= 20
    assert sc.incidents
    for inc in sc.incidents:
        assert inc.vessels <= fleet
        assert inc.start <= inc.end
        local = inc.start.astimezone(dt.timezone(dt.timedelta(hours=9))).date()
        assert inc.vessels & sc.days[local][1]
    dark_crossing = in_zone_gap = 0
    for m in fleet & set(sc.mmsi.tolist()):
        t0, gap, d = _legs(sc, m)
        assert not np.any((gap > 5.5 * 3600) & (gap < 6.5 * 3600))
        long = gap > 6 * 3600
        assert np.all(d[long] > 24.0)  # gaps over 6 h only outside the zones
        in_cz = (
            (gap > 3600) & (gap < 5.5 * 3600) & np.all(d < 23.0, axis=1) & np.all(d > 13.0, axis=1)
        )
        in_zone_gap += int(in_cz.sum())
        chords = (gap >= 2 * 3600) & (gap <= 3 * 3600) & np.all(d > 12.5, axis=1)
        for start, g in zip(t0[chords], gap[chords], strict=True):
            dark_crossing += any(
                start < inc.start.timestamp() and inc.end.timestamp() < start + g
                for inc in sc.incidents
                if m in inc.vessels
            )
    assert dark_crossing >= 1  # fixes outside the TS, the line between them inside
    assert in_zone_gap >= 1  # a CCG ship silent for hours well inside the zone


@pytest.mark.slow
def test_a_default_year(tmp_path: Path) -> None:
    began = time.perf_counter()
    result = simulate(SimConfig(), tmp_path)
    elapsed = time.perf_counter() - began
    truth = result.truth
    assert len(truth.days) == 366
    assert 330 <= truth.contiguous_zone_days <= 366
    assert 30 <= len(truth.incidents) <= 50
    assert 500_000 <= result.n_lines <= 1_500_000
    approached = sum(1 for i in truth.incidents if i.fishing_nearby)
    assert 0.2 * len(truth.incidents) <= approached <= 0.7 * len(truth.incidents)
    longest = max(i.end - i.start for i in truth.incidents)
    assert longest > dt.timedelta(hours=20)
    kinds = {e.kind for e in truth.events}
    assert kinds == set(EVENT_KINDS)  # every kind of the events contract is planted
    assert elapsed < 60
