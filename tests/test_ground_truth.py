"""The whole pipeline against the simulator's ground truth, exactly, for several seeds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from zonewatch.engine.local import run_report
from zonewatch.sim import SimConfig, simulate
from zonewatch.sources.nmea_file import read_nmea
from zonewatch.store import Store
from zonewatch.vessels.fleets import load_fleet
from zonewatch.zones import load_zone_set


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "start", "days"),
    [(1, dt.date(2024, 1, 1), 45), (2, dt.date(2024, 6, 20), 45), (3, dt.date(2023, 11, 15), 60)],
)
def test_counts_equal_ground_truth(tmp_path: Path, seed: int, start: dt.date, days: int) -> None:
    sim = simulate(SimConfig(start=start, days=days, seed=seed), tmp_path / "sim")
    truth = sim.truth
    end = start + dt.timedelta(days=days - 1)
    with Store(tmp_path / "zw.duckdb") as store:
        decoded = read_nmea(sim.nmea_path)
        store.add(decoded)
        run = run_report(
            store, load_zone_set("senkaku"), load_fleet("china-government"), start, end
        )
    report = run.report

    # every corrupted line is counted by its reason, and the accounting adds up
    acc = decoded.accounting
    assert acc.lines == sim.n_lines
    assert acc.lines == acc.decoded + acc.rejected + acc.pending
    assert dict(acc.rejected_by_reason) == {k: v for k, v in truth.corrupted_lines.items() if v}

    # the fleet is exactly the simulated fleet vessels that were seen
    assert {v.mmsi for v in report.vessels} <= truth.fleet_mmsis
    assert all(v.flag == "CN" for v in report.vessels)

    # days, day by day, with the vessels
    expected_days = {
        day: (tuple(sorted(cz)), tuple(sorted(ts))) for day, (cz, ts) in truth.days.items() if cz
    }
    got_days = {d.date: (d.contiguous_zone_vessels, d.territorial_sea_vessels) for d in report.days}
    assert got_days == expected_days
    assert report.totals.contiguous_zone_days == truth.contiguous_zone_days
    assert report.totals.territorial_sea_days == truth.territorial_sea_days

    # incidents: count, vessels, start and end within a minute
    assert len(report.incidents) == len(truth.incidents)
    assert report.totals.territorial_sea_intrusions == len(truth.incidents)
    for got, want in zip(report.incidents, truth.incidents, strict=True):
        assert set(got.vessels) == set(want.vessels)
        assert abs((got.start - want.start).total_seconds()) < 60
        assert abs((got.end - want.end).total_seconds()) < 60
        if want.fishing_nearby is not None:
            assert got.fishing_vessel_nearby == want.fishing_nearby
    assert truth.contiguous_zone_days > days // 2  # the scenario really exercises the counts
    assert len(truth.incidents) >= 2
