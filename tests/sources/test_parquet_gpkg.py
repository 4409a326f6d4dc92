"""Parquet (canonical schema) and GeoPackage readers."""

from __future__ import annotations

import datetime as dt
import gzip
import sqlite3
import struct
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from zonewatch.errors import InputFileError
from zonewatch.schema import POSITIONS
from zonewatch.sources.csv_file import read_csv
from zonewatch.sources.gpkg import gpkg_points, read_gpkg
from zonewatch.sources.parquet_file import read_parquet

UTC = dt.UTC
T0 = dt.datetime(2024, 5, 1, 12, tzinfo=UTC)


def frame(table: Any) -> pl.DataFrame:
    out = pl.from_arrow(table)
    assert isinstance(out, pl.DataFrame)
    return out


def positions_table(n: int = 5) -> pa.Table:
    rows = [
        {
            "mmsi": 413000000 + i,
            "ts": T0 + dt.timedelta(minutes=i),
            "lon": 123.5 + i / 100,
            "lat": 25.7 - i / 100,
            "sog": float(i),
            "cog": 10.0 * i,
            "heading": 20 * i,
            "nav_status": i % 16,
            "msg_type": [1, 2, 3, 18, 27][i % 5],
            "source": f"rx{i}",
            "file_id": "earlier",
            "line_no": 1000 + i,
        }
        for i in range(n)
    ]
    return pa.Table.from_pylist(rows, schema=POSITIONS)


def test_parquet_round_trip(tmp_path: Path) -> None:
    table = positions_table()
    path = tmp_path / "positions.parquet"
    pq.write_table(table, path)
    out = read_parquet(path)
    assert out.positions.schema == POSITIONS
    assert out.accounting.lines == out.accounting.positions == 5
    ours = frame(out.positions)
    theirs = frame(table)
    assert ours.drop("file_id", "line_no").equals(theirs.drop("file_id", "line_no"))
    assert ours["file_id"].unique().to_list() == [out.file_id]
    assert ours["line_no"].to_list() == [1, 2, 3, 4, 5]


def test_parquet_from_a_zonewatch_read_round_trips(tmp_path: Path, shared_data: Path) -> None:
    decoded = read_csv(shared_data / "marinecadastre" / "boston_2014_marinecadastre.csv")
    path = tmp_path / "boston.parquet"
    pq.write_table(decoded.positions, path)
    again = read_parquet(path, batch_rows=100)
    assert again.accounting.positions == 972
    cols = ["mmsi", "ts", "lon", "lat", "sog", "cog", "heading", "nav_status", "msg_type"]
    assert frame(again.positions).select(cols).equals(frame(decoded.positions).select(cols))


def test_parquet_minimal_columns_sentinels_and_extras(tmp_path: Path) -> None:
    table = pa.table(
        {
            "mmsi": pa.array([413000001, 413000002, 0, 413000004], pa.int64()),
            # naive timestamps (no zone): 2024-05-01 12:00:00 + i s, read in time_zone
            "ts": pa.array([1714564800_000 + 1000 * i for i in range(4)], pa.timestamp("ms")),
            "lon": [123.5, 181.0, 123.5, 123.5],
            "lat": [25.7, 91.0, 25.7, 25.7],
            "sog": [102.3, 1.0, 1.0, 1.0],
            "heading": pa.array([511, 10, 10, 10], pa.int32()),
            "name": ["HAI JING 2502", None, None, None],
            "colour": ["red", "green", "blue", "grey"],
        }
    )
    path = tmp_path / "minimal.parquet"
    pq.write_table(table, path)
    out = read_parquet(path, time_zone="Asia/Tokyo")
    pos = frame(out.positions)
    assert pos["mmsi"].to_list() == [413000001, 413000004]
    assert pos["sog"].to_list() == [None, 1.0]
    assert pos["heading"].to_list() == [None, 10]
    assert pos["msg_type"].to_list() == [0, 0]
    assert pos["ts"][0] == dt.datetime(2024, 5, 1, 3, 0, 0, tzinfo=UTC)
    assert frame(out.statics)["name"].to_list() == ["HAI JING 2502"]
    rejects = frame(out.rejects)
    assert rejects["line_no"].to_list() == [2, 3]
    assert rejects["reason"].to_list() == ["bad_position", "bad_mmsi"]
    assert rejects["raw"][1].startswith("mmsi=0,ts=2024-05-01 12:00:02")


def test_parquet_compressed_and_errors(tmp_path: Path) -> None:
    buffer = pa.BufferOutputStream()
    pq.write_table(positions_table(3), buffer)
    packed = tmp_path / "positions.parquet.gz"
    packed.write_bytes(gzip.compress(buffer.getvalue().to_pybytes()))
    assert read_parquet(packed).accounting.positions == 3

    no_lat = tmp_path / "no_lat.parquet"
    pq.write_table(positions_table(2).drop_columns(["lat"]), no_lat)
    with pytest.raises(InputFileError, match=r"no_lat\.parquet: the Parquet file lacks .*lat"):
        read_parquet(no_lat)
    fake = tmp_path / "fake.parquet"
    fake.write_bytes(b"not parquet at all")
    with pytest.raises(InputFileError, match="not a readable Parquet file"):
        read_parquet(fake)


# -- GeoPackage --------------------------------------------------------------------------


def test_gpkg_sample(shared_data: Path) -> None:
    path = shared_data / "marinecadastre" / "trajectools_sample_ais.gpkg"
    out = read_gpkg(path)
    acc = out.accounting
    assert (acc.lines, acc.positions, acc.rejected, acc.statics) == (972, 972, 0, 0)
    pos = frame(out.positions)
    assert pos["mmsi"].n_unique() == 4
    assert pos["ts"].min() >= dt.datetime(2014, 1, 1, tzinfo=UTC)
    assert pos["ts"].max() < dt.datetime(2014, 1, 8, tzinfo=UTC)
    assert pos["lon"].is_between(-71.0635, -70.8001).all()
    assert pos["lat"].is_between(42.2368, 42.4258).all()
    assert pos["line_no"].to_list() == list(range(1, 973))  # feature ids
    first = pos.row(0, named=True)
    assert first["mmsi"] == 240000208
    assert first["ts"] == dt.datetime(2014, 1, 1, 4, 43, 53, tzinfo=UTC)
    assert first["heading"] == 268
    assert first["sog"] == pytest.approx(1.3)


def test_gpkg_and_marinecadastre_csv_agree(shared_data: Path) -> None:
    folder = shared_data / "marinecadastre"
    key = ["mmsi", "ts"]
    gpkg = frame(read_gpkg(folder / "trajectools_sample_ais.gpkg").positions).sort(key)
    csv = frame(read_csv(folder / "boston_2014_marinecadastre.csv").positions).sort(key)
    assert gpkg.height == csv.height == 972
    same = ["mmsi", "ts", "sog", "cog", "heading", "nav_status", "msg_type"]
    assert gpkg.select(same).equals(csv.select(same))
    # the CSV writes coordinates with 5 decimals
    for axis in ("lon", "lat"):
        assert (gpkg[axis] - csv[axis]).abs().max() <= 5e-6 + 1e-12  # type: ignore[operator]


def point_blob(x: float, y: float, *, big_endian: bool = False, envelope: bool = False) -> bytes:
    flags = 0x01 | (0x02 if envelope else 0)
    header = b"GP\x00" + bytes([flags]) + struct.pack("<i", 4326)
    if envelope:
        header += struct.pack("<4d", x, x, y, y)
    wkb = struct.pack(">BIdd", 0, 1, x, y) if big_endian else struct.pack("<BIdd", 1, 1, x, y)
    return header + wkb


def make_gpkg(path: Path, rows: list[tuple[Any, ...]], *, srs: int = 4326) -> Path:
    con = sqlite3.connect(path)
    con.executescript(
        """
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY,
            organization TEXT, organization_coordsys_id INTEGER, definition TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT,
            geometry_type_name TEXT, srs_id INTEGER, z TINYINT, m TINYINT);
        CREATE TABLE fixes (fid INTEGER PRIMARY KEY, geom BLOB, MMSI INTEGER,
            BaseDateTime TEXT, SOG REAL, Heading REAL, VesselName TEXT);
        INSERT INTO gpkg_contents VALUES ('fixes', 'features');
        """
    )
    con.execute("INSERT INTO gpkg_spatial_ref_sys VALUES ('x', ?, 'EPSG', ?, '')", [srs, srs])
    con.execute("INSERT INTO gpkg_geometry_columns VALUES ('fixes','geom','POINT',?,0,0)", [srs])
    con.executemany("INSERT INTO fixes VALUES (?,?,?,?,?,?,?)", rows)
    con.commit()
    con.close()
    return path


def test_gpkg_geometries_and_rejects(tmp_path: Path) -> None:
    empty = b"GP\x00\x11" + struct.pack("<i", 4326) + struct.pack("<BIdd", 1, 1, 0.0, 0.0)
    line = b"GP\x00\x01" + struct.pack("<i", 4326) + struct.pack("<BII", 1, 2, 0)
    t = "2024-05-01T12:00:00Z"
    rows = [
        (1, point_blob(123.5, 25.7), 413000001, t, 5.0, 90.0, "HAI JING 2502"),
        (2, point_blob(123.6, 25.8, big_endian=True, envelope=True), 413000001, t, 5, 511, None),
        (5, None, 413000001, t, 5.0, 90.0, None),
        (7, empty, 413000001, t, 5.0, 90.0, None),
        (8, line, 413000001, t, 5.0, 90.0, None),
        (9, point_blob(123.7, 25.9), None, t, 5.0, 90.0, None),
        (10, point_blob(123.7, 25.9), 413000002, "not a time", 5.0, 90.0, None),
    ]
    out = read_gpkg(make_gpkg(tmp_path / "fixes.gpkg", rows), batch_features=3)
    pos = frame(out.positions)
    assert pos["line_no"].to_list() == [1, 2]
    assert pos["lon"].to_list() == [123.5, 123.6]
    assert pos["lat"].to_list() == [25.7, 25.8]
    assert pos["heading"].to_list() == [90, None]
    assert frame(out.statics)["name"].to_list() == ["HAI JING 2502"]
    rejects = frame(out.rejects)
    assert rejects["line_no"].to_list() == [5, 7, 8, 9, 10]
    assert rejects["reason"].to_list() == ["bad_position"] * 3 + ["bad_mmsi", "bad_time"]
    assert rejects["detail"].to_list()[:3] == [
        "geometry: no geometry",
        "geometry: empty geometry",
        "geometry: not a point geometry",
    ]
    assert out.accounting.lines == 7


def test_gpkg_points_short_and_foreign_blobs() -> None:
    x, _, problem = gpkg_points(pa.array([b"GP", b"XX\x00\x01" + b"\x00" * 30], pa.binary()))
    assert problem.tolist() == ["geometry blob too short", "not a GeoPackage geometry blob"]
    assert x.tolist() != x.tolist()  # NaN


def test_gpkg_other_srs_is_refused(tmp_path: Path) -> None:
    rows = [(1, point_blob(500000.0, 2800000.0), 413000001, "2024-05-01T12:00:00Z", 1, 1, None)]
    path = make_gpkg(tmp_path / "utm.gpkg", rows, srs=32651)
    with pytest.raises(InputFileError, match="only EPSG:4326"):
        read_gpkg(path)


def test_gpkg_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "fake.gpkg"
    path.write_bytes(b"x" * 200)
    with pytest.raises(InputFileError, match=r"fake\.gpkg"):
        read_gpkg(path)
