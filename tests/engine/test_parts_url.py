"""Parts kept at a URL (any fsspec filesystem): the same positions and the same report."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import pytest

from zonewatch.engine.report import run_report
from zonewatch.errors import StoreError
from zonewatch.report.export import to_json
from zonewatch.sim import SimConfig, simulate
from zonewatch.sources.accounting import Decoded
from zonewatch.sources.nmea_file import read_nmea
from zonewatch.store import Store
from zonewatch.vessels.fleets import load_fleet
from zonewatch.zones import load_zone_set

START = dt.date(2024, 1, 1)
END = dt.date(2024, 1, 10)


@pytest.fixture(scope="module")
def decoded(tmp_path_factory: pytest.TempPathFactory) -> Decoded:
    sim = simulate(SimConfig(start=START, days=10, seed=6), tmp_path_factory.mktemp("sim"))
    return read_nmea(sim.nmea_path)


def _report(store: Store) -> dict[str, object]:
    run = run_report(
        store, load_zone_set("senkaku"), load_fleet("china-government"), START, END, cache=False
    )
    data = json.loads(to_json(run.report))
    data.pop("run")
    return data  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", ["file", "memory"])
def test_parts_at_a_url_give_the_same_positions_and_report(
    decoded: Decoded, tmp_path: Path, kind: str
) -> None:
    url = (
        (tmp_path / "remote").as_uri()
        if kind == "file"
        else f"memory://zonewatch-test-{uuid.uuid4().hex}"
    )
    with Store(tmp_path / "local.duckdb") as local:
        local.add(decoded)
        want_positions = local.positions().sort("mmsi", "ts")
        want = _report(local)
    with Store(tmp_path / "remote.duckdb", parts_url=url) as remote:
        remote.add(decoded)
        assert all(p.path.startswith(url) for p in remote.part_files())
        assert not (tmp_path / "remote.duckdb.parts" / "positions").exists()
        assert remote.positions().sort("mmsi", "ts").equals(want_positions)
        assert _report(remote) == want
    # the URL is remembered by the catalogue
    with Store(tmp_path / "remote.duckdb", read_only=True) as again:
        assert again.parts_url == url
        assert again.positions().height == want_positions.height


def test_a_parts_url_is_fixed_when_the_store_is_created(decoded: Decoded, tmp_path: Path) -> None:
    url = (tmp_path / "remote").as_uri()
    with Store(tmp_path / "a.duckdb", parts_url=url):
        pass
    with pytest.raises(StoreError, match="parts are at"):
        Store(tmp_path / "a.duckdb", parts_url=(tmp_path / "elsewhere").as_uri())
    with Store(tmp_path / "b.duckdb") as store:
        store.add(decoded)
    with pytest.raises(StoreError, match="set when a store is created"):
        Store(tmp_path / "b.duckdb", parts_url=url)
