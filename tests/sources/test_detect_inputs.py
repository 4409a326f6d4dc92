"""Format detection, dispatch, directories and standard input."""

from __future__ import annotations

import bz2
import gzip
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from zonewatch.errors import InputFileError
from zonewatch.schema import POSITIONS
from zonewatch.sources.detect import detect_format, read_source
from zonewatch.sources.inputs import STDIN_NAME, expand_inputs, stdin_copy, with_path

NMEA = b"\\c:1709251200,s:rx1*0C\\!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30\n# note\n"
MC = (
    b"MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,"
    b"Length,Width,Draft,Cargo,TransceiverClass\n"
    b"367155120,2023-01-01T00:00:06,29.31231,-94.79303,12.3,205.4,204,,,,,0,,,,,A\n"
)
DMA = (
    b"# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,"
    b"Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,"
    b"Type of position fixing device,Draught,Destination,ETA,Data source type,A,B,C,D\n"
    b"01/01/2023 00:00:00,Class A,219000873,56.99,10.30,Moored,,0,0,0,Unknown,Unknown,,"
    b"Undefined,,,,GPS,,Unknown,,AIS,,,,\n"
)
CANONICAL = b"mmsi,ts,lon,lat\n413000001,2024-05-01T12:00:00Z,123.5,25.7\n"


def parquet_bytes() -> bytes:
    table = pa.Table.from_pylist(
        [{"mmsi": 413000001, "ts": 1714564800000, "lon": 123.5, "lat": 25.7, "msg_type": 1}],
        schema=pa.schema([POSITIONS.field(n) for n in ("mmsi", "ts", "lon", "lat", "msg_type")]),
    )
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return bytes(sink.getvalue().to_pybytes())


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.nmea", NMEA, "nmea"),
        ("feed.log", NMEA, "nmea"),
        ("AIS_2023_01_01.csv", MC, "marinecadastre"),
        ("aisdk.csv", DMA, "dma"),
        ("mine.csv", CANONICAL, "canonical"),
        ("x.parquet", b"", "parquet"),
        ("x.bin", b"", "parquet"),
    ],
)
@pytest.mark.parametrize("compress", [None, "gz", "bz2"])
def test_detect_format(
    tmp_path: Path, name: str, data: bytes, expected: str, compress: str | None
) -> None:
    data = data or parquet_bytes()
    if compress == "gz":
        data, name = gzip.compress(data), name + ".gz"
    elif compress == "bz2":
        data, name = bz2.compress(data), name + ".bz2"
    path = tmp_path / name
    path.write_bytes(data)
    assert detect_format(path) == expected
    out = read_source(path)
    assert out.accounting.positions == 1
    assert out.accounting.lines == out.accounting.decoded + out.accounting.rejected


def test_detect_gpkg(shared_data: Path) -> None:
    path = shared_data / "marinecadastre" / "trajectools_sample_ais.gpkg"
    assert detect_format(path) == "gpkg"
    assert read_source(path).accounting.positions == 972


def test_detect_errors(tmp_path: Path) -> None:
    fake = tmp_path / "fake.parquet"
    fake.write_bytes(b"mmsi,ts\n")
    with pytest.raises(InputFileError, match=r"fake\.parquet: not a Parquet file"):
        detect_format(fake)
    fake_gpkg = tmp_path / "fake.gpkg"
    fake_gpkg.write_bytes(b"hello\n")
    with pytest.raises(InputFileError, match="not a GeoPackage"):
        detect_format(fake_gpkg)
    other = tmp_path / "other.csv"
    other.write_bytes(b"ShipID,Time,X,Y\n1,2,3,4\n")
    with pytest.raises(InputFileError, match="give a column mapping"):
        detect_format(other)
    mapping = {"mmsi": "ShipID", "ts": "Time", "lon": "X", "lat": "Y"}
    assert detect_format(other, columns=mapping) == "custom"
    with pytest.raises(InputFileError, match="no such file"):
        detect_format(tmp_path / "missing.csv")
    with pytest.raises(InputFileError, match="is a directory"):
        detect_format(tmp_path)


def test_custom_csv_through_read_source(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_bytes(b"ShipID,Time,X,Y\n413000001,1714564800,123.5,25.7\n")
    mapping = {"mmsi": "ShipID", "ts": "Time", "lon": "X", "lat": "Y"}
    out = read_source(path, columns=mapping, time_format="unix")
    assert out.positions.column("ts").to_pylist()[0].isoformat() == "2024-05-01T12:00:00+00:00"


def test_expand_inputs(tmp_path: Path) -> None:
    for name in ("z.nmea", "a/b.csv", "a/.cache/c.csv", ".hidden.nmea", "a/a.nmea"):
        path = tmp_path / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(NMEA)
    single = tmp_path / "single.nmea"
    out = expand_inputs([single, tmp_path / "data", "-"])
    assert [p.relative_to(tmp_path).as_posix() if p.is_absolute() else str(p) for p in out] == [
        "single.nmea",
        "data/a/a.nmea",
        "data/a/b.csv",
        "data/z.nmea",
        "-",
    ]
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputFileError, match="holds no input files"):
        expand_inputs([tmp_path / "empty"])


def test_stdin_copy_and_renaming() -> None:
    stream = io.BytesIO(gzip.compress(MC))
    with stdin_copy(stream) as path:
        assert detect_format(path) == "marinecadastre"
        decoded = read_source(path)
        folder = path.parent
    assert not folder.exists()
    renamed = with_path(decoded, STDIN_NAME)
    assert renamed.path == STDIN_NAME
    assert renamed.file_id == decoded.file_id
    assert renamed.accounting == decoded.accounting


def test_renaming_rejects() -> None:
    with stdin_copy(io.BytesIO(NMEA)) as path:
        decoded = read_source(path)
    assert decoded.accounting.rejected == 1
    renamed = with_path(decoded, STDIN_NAME)
    assert renamed.rejects.column("path").to_pylist() == [STDIN_NAME]
    assert renamed.rejects.schema == decoded.rejects.schema
