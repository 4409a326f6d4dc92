"""The report is the same whatever runs it: 1 or 16 buckets, local workers, Dask; and re-runs."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from zonewatch.engine.executors import DaskExecutor, LocalExecutor
from zonewatch.engine.report import run_report
from zonewatch.report.export import to_json
from zonewatch.sim import SimConfig, simulate
from zonewatch.sources.nmea_file import read_nmea
from zonewatch.store import Store
from zonewatch.vessels.fleets import load_fleet
from zonewatch.zones import load_zone_set

START = dt.date(2024, 1, 12)
DAYS = 40
END = START + dt.timedelta(days=DAYS - 1)
CUT = dt.datetime(2024, 2, 16, tzinfo=dt.UTC)  # the "new day(s)" arrive after this


@dataclass(frozen=True)
class Data:
    early: Path  # sentences before CUT
    late: Path  # sentences from CUT on
    full_store: Path


def _split(nmea: Path, folder: Path) -> tuple[Path, Path]:
    """Split a tag-blocked NMEA file at CUT (lines without a time follow the previous line)."""
    early, late = folder / "early.nmea", folder / "late.nmea"
    cut = int(CUT.timestamp())
    current = early
    with (
        nmea.open("rb") as src,
        early.open("wb") as a,
        late.open("wb") as b,
    ):
        for line in src:
            head = line.split(b"*", 1)[0]
            if head.startswith(b"\\") and b"c:" in head:
                value = head.split(b"c:", 1)[1].split(b",", 1)[0]
                if value.isdigit():
                    current = early if int(value) < cut else late
            (a if current == early else b).write(line)
    return early, late


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    folder = tmp_path_factory.mktemp("engine")
    sim = simulate(SimConfig(start=START, days=DAYS, seed=4), folder / "sim")
    early, late = _split(sim.nmea_path, folder)
    full = folder / "full.duckdb"
    with Store(full) as store:
        store.add(read_nmea(early))
        store.add(read_nmea(late))
    return Data(early, late, full)


def _report(store: Store, **kwargs: Any) -> dict[str, Any]:
    run = run_report(
        store, load_zone_set("senkaku"), load_fleet("china-government"), START, END, **kwargs
    )
    return json.loads(to_json(run.report))  # type: ignore[no-any-return]


def _results(report: dict[str, Any]) -> dict[str, Any]:
    """The report without its run record (engine, tiles, timings)."""
    return {k: v for k, v in report.items() if k != "run"}


@pytest.fixture(scope="module")
def baseline(data: Data) -> dict[str, Any]:
    with Store(data.full_store, read_only=True) as store:
        return _report(store, buckets=1, cache=False)


def test_baseline_has_counts_and_zone_events(baseline: dict[str, Any]) -> None:
    assert baseline["totals"]["contiguous_zone_days"] > 20
    assert baseline["totals"]["territorial_sea_intrusions"] > 0
    zones = {z["zone"]: z for z in baseline["zone_events"]}
    assert zones["territorial_sea:senkaku"]["entries"] > 0
    assert (
        zones["contiguous_zone:senkaku"]["entries"] >= zones["territorial_sea:senkaku"]["entries"]
    )
    run = baseline["run"]
    assert run["buckets"] == 1
    assert run["tiles_reused"] == 0
    assert run["tiles"] == run["tiles_computed"] >= 3  # three months: Dec margin, Jan, Feb


@pytest.mark.parametrize("buckets", [2, 3, 16, 32])
def test_any_bucket_count_gives_the_same_report(
    data: Data, baseline: dict[str, Any], buckets: int
) -> None:
    with Store(data.full_store, read_only=True) as store:
        report = _report(store, buckets=buckets, cache=False)
    assert report["run"]["buckets"] == buckets
    assert report["run"]["positions"] == baseline["run"]["positions"]
    assert _results(report) == _results(baseline)


@pytest.mark.parametrize("threads", [False, True, None])
def test_local_workers_give_the_same_report(
    data: Data, baseline: dict[str, Any], threads: bool | None
) -> None:
    executor = LocalExecutor(workers=2, threads=threads)
    try:
        with Store(data.full_store, read_only=True) as store:
            report = _report(store, buckets=16, cache=False, executor=executor)
        # worker processes when asked for; threads by default for data this small
        assert (executor._pool is not None) == (threads is False)
    finally:
        executor.close()
    assert report["run"]["workers"] == 2
    assert _results(report) == _results(baseline)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_dask_local_cluster_gives_the_same_report(data: Data, baseline: dict[str, Any]) -> None:
    executor = DaskExecutor(workers=2)
    try:
        with Store(data.full_store, read_only=True) as store:
            report = _report(store, buckets=16, cache=False, executor=executor)
    finally:
        executor.close()
    assert report["run"]["engine"] == "dask"
    assert report["run"]["workers"] == 2
    assert _results(report) == _results(baseline)


def test_incremental_rerun_reuses_untouched_tiles_and_equals_a_full_run(
    data: Data, baseline: dict[str, Any], tmp_path: Path
) -> None:
    with Store(tmp_path / "inc.duckdb") as store:
        store.add(read_nmea(data.early))
        first = _report(store, buckets=4)
        assert first["run"]["tiles_reused"] == 0
        again = _report(store, buckets=4)
        assert again["run"]["tiles_reused"] == again["run"]["tiles"]
        assert _results(again) == _results(first)

        store.add(read_nmea(data.late))  # the new days
        rerun = _report(store, buckets=4)
    run = rerun["run"]
    # December's margin and January's tiles read nothing new: reused; February's recomputed
    assert 0 < run["tiles_reused"] < run["tiles"]
    assert run["tiles_computed"] >= 4
    assert _results(rerun) == _results(baseline)


def test_cached_tiles_are_not_reused_after_a_parameter_change(data: Data, tmp_path: Path) -> None:
    from zonewatch.engine.report import ReportParams
    from zonewatch.tracks import TrackParams

    with Store(tmp_path / "p.duckdb") as store:
        store.add(read_nmea(data.early))
        _report(store, buckets=2)
        changed = _report(store, buckets=2, params=ReportParams(track=TrackParams(max_gap_h=3.0)))
    assert changed["run"]["tiles_reused"] == 0
