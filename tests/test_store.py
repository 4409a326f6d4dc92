"""The store: day-partitioned Parquet parts under a DuckDB catalogue, atomic and idempotent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from nmea_builder import position, static
from zonewatch.errors import StoreError
from zonewatch.sources.nmea_file import read_nmea
from zonewatch.store import Store

T0 = dt.datetime(2024, 5, 1, 22, 0, tzinfo=dt.UTC)


@pytest.fixture
def nmea(tmp_path: Path) -> Path:
    lines = static(413555001, T0, "CHINA COAST GUARD", "BCG1", 55)
    lines += [
        position(413555001, T0 + dt.timedelta(hours=h), 123.0 + h / 100, 25.5) for h in range(5)
    ]
    lines.append("garbage line")
    path = tmp_path / "in.nmea"
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def test_positions_are_partitioned_by_utc_day(tmp_path: Path, nmea: Path) -> None:
    with Store(tmp_path / "zw.duckdb") as store:
        assert store.add(read_nmea(nmea))
        parts = sorted(
            p.relative_to(store.parts).as_posix() for p in store.parts.rglob("*.parquet")
        )
        assert [p.split("/")[1] for p in parts] == ["day=2024-05-01", "day=2024-05-02"]
        assert store.positions().height == 5
        one_day = store.positions(
            dt.datetime(2024, 5, 2, tzinfo=dt.UTC), dt.datetime(2024, 5, 3, tzinfo=dt.UTC)
        )
        assert one_day.height == 3
        assert one_day["ts"].dtype == store.positions()["ts"].dtype
        span = store.time_span()
        assert span == (T0, T0 + dt.timedelta(hours=4))
        # the catalogue exposes the parts to SQL users
        con = store._con
        assert con.execute("SELECT count(*) FROM positions").fetchall() == [(5,)]


def test_same_file_twice_changes_nothing(tmp_path: Path, nmea: Path) -> None:
    with Store(tmp_path / "zw.duckdb") as store:
        assert store.add(read_nmea(nmea))
        before = (
            store.positions().height,
            store.statics().height,
            store.rejects().height,
            store.input_summary(),
        )
        assert not store.add(read_nmea(nmea))
        after = (
            store.positions().height,
            store.statics().height,
            store.rejects().height,
            store.input_summary(),
        )
        assert before == after
        assert after[3].rejected_by_reason == {"not_ais": 1}


def test_interrupted_ingest_leaves_nothing_visible_and_can_be_rerun(
    tmp_path: Path, nmea: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "zw.duckdb"
    with Store(db) as store:
        original = store._run

        def failing(sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
            if sql.startswith("INSERT INTO ingest_log"):
                raise duckdb.IOException("disk full (simulated)")
            return original(sql, params)

        monkeypatch.setattr(store, "_run", failing)
        with pytest.raises(StoreError, match=r"in\.nmea"):
            store.add(read_nmea(nmea))
        monkeypatch.undo()
        assert store.positions().height == 0
        assert store.statics().height == 0
        assert store.input_summary().files == 0
        assert store.add(read_nmea(nmea))
        assert store.positions().height == 5


def test_store_reopens_with_its_data(tmp_path: Path, nmea: Path) -> None:
    db = tmp_path / "zw.duckdb"
    with Store(db) as store:
        store.add(read_nmea(nmea))
    with Store(db, read_only=True) as store:
        assert store.positions().height == 5
        assert store.input_summary().files == 1
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "missing.duckdb", read_only=True)
