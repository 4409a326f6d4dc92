"""CSV readers on small files written in the published MarineCadastre and DMA layouts."""

from __future__ import annotations

import bz2
import datetime as dt
import gzip
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from zonewatch.errors import InputFileError, ParameterError
from zonewatch.schema import POSITIONS, REJECTS, STATICS
from zonewatch.sources.accounting import Decoded
from zonewatch.sources.csv_dialects import (
    DMA,
    MARINECADASTRE,
    custom_dialect,
    detect_dialect,
    parse_column_mapping,
    split_header,
)
from zonewatch.sources.csv_file import read_csv

UTC = dt.UTC

MC_HEADER = (
    "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,"
    "Length,Width,Draft,Cargo,TransceiverClass"
)
MC_ROWS = [
    # 2: plain class A row with statics
    "367155120,2023-01-01T00:00:06,29.31231,-94.79303,12.3,205.4,204,SEA HAWK,IMO9184005,"
    "WDF8764,70,0,180,30,9.1,70,A",
    # 3: sentinels: SOG 102.3, COG 360, heading 511, status 15; same statics -> no new statics row
    "367155120,2023-01-01T00:01:06,29.31300,-94.79400,102.3,360.0,511,SEA HAWK,IMO9184005,"
    "WDF8764,70,15,180,30,9.1,70,A",
    # 4: lat 91 / lon 181: not available
    "367155120,2023-01-01T00:02:06,91.0,181.0,0.0,0.0,511,SEA HAWK,IMO9184005,WDF8764,70,0,"
    "180,30,9.1,70,A",
    # 5: unparseable time
    "367155120,2023-13-01T00:02:06,29.3,-94.7,0.0,0.0,511,,,,,,,,,,A",
    # 6: MMSI not an integer
    "36715X120,2023-01-01T00:03:06,29.3,-94.7,0.0,0.0,511,,,,,,,,,,A",
    # 7: too few fields
    "367155120,2023-01-01T00:04:06,29.3",
    # 8: class B vessel, empty optional fields, name with padding, IMO0000000
    "338123456,2023-01-01T00:05:00,29.5,-94.5,,,,NEMO@@ ,IMO0000000,,37,,,,,,B",
    # 9: renamed: a statics row again
    "367155120,2023-01-01T00:06:06,29.31400,-94.79500,11.0,200.0,200,SEA HAWK II,IMO9184005,"
    "WDF8764,70,0,180,30,9.1,70,A",
    # 10: SOG not a number
    "338123456,2023-01-01T00:07:00,29.5,-94.5,fast,,,,,,,,,,,,B",
    # 11: blank line
    "",
    # 12: latitude out of range
    "338123456,2023-01-01T00:08:00,95.5,-94.5,,,,,,,,,,,,,B",
]


def mc_text() -> str:
    return "\n".join([MC_HEADER, *MC_ROWS]) + "\n"


DMA_HEADER = (
    "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,"
    "Heading,IMO,Callsign,Name,Ship type,Cargo type,Width,Length,Type of position fixing device,"
    "Draught,Destination,ETA,Data source type,A,B,C,D"
)
DMA_ROWS = [
    # 2
    "01/01/2023 00:00:00,Class A,219000873,56.990910,10.304543,Under way using engine,0.0,"
    "10.1,30.2,31,Unknown,Unknown,,Undefined,,,,Undefined,,Unknown,,AIS,,,,",
    # 3: statics, a quoted name holding the delimiter
    "01/01/2023 00:00:01,Class A,219000873,56.991,10.305,Engaged in fishing,,10.2,30.3,32,"
    '9241061,OXAB2,"SEA, STAR",Fishing,,8,40,GPS,4.5,AARHUS,01/01/2023 12:00:00,AIS,30,10,4,4',
    # 4: a base station: counted as another message type, not a position
    "01/01/2023 00:00:02,Base Station,2190064,56.0,10.0,Unknown value,,,,,Unknown,Unknown,,"
    "Undefined,,,,GPS,,Unknown,,AIS,,,,",
    # 5: class B, law enforcement, SOG sentinel, heading 511
    "01/01/2023 00:00:03,Class B,219000874,55.5,11.5,Unknown value,,102.3,360.0,511,Unknown,"
    "OW2345,KYSTVAGT,Law enforcement,,,,GPS,,Unknown,,AIS,20,5,3,3",
    # 6: day 32
    "32/01/2023 00:00:04,Class A,219000873,56.9,10.3,Moored,,0,0,0,Unknown,Unknown,,Undefined,"
    ",,,GPS,,Unknown,,AIS,,,,",
    # 7: unbalanced quotes
    '01/01/2023 00:00:05,Class A,219000873,56.9,10.3,Moored,,0,0,0,Unknown,Unknown,"SEA STAR,'
    "Undefined,,,,GPS,,Unknown,,AIS,,,,",
    # 8: same statics as line 3: no statics row
    "01/01/2023 00:00:06,Class A,219000873,56.992,10.306,Moored,,0.0,30.3,32,"
    '9241061,OXAB2,"SEA, STAR",Fishing,,8,40,GPS,4.5,AARHUS,01/01/2023 12:00:00,AIS,30,10,4,4',
]


def dma_text() -> str:
    return "\n".join([DMA_HEADER, *DMA_ROWS]) + "\n"


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def frame(table: Any) -> pl.DataFrame:
    out = pl.from_arrow(table)
    assert isinstance(out, pl.DataFrame)
    return out


def check_tables(out: Decoded) -> None:
    assert out.positions.schema == POSITIONS
    assert out.statics.schema == STATICS
    assert out.rejects.schema == REJECTS
    acc = out.accounting
    assert acc.lines == acc.decoded + acc.rejected
    assert acc.pending == 0
    assert acc.positions == out.positions.num_rows
    assert acc.statics == out.statics.num_rows
    assert acc.rejected == out.rejects.num_rows


def test_detection_of_published_headers() -> None:
    mc = detect_dialect(split_header(MC_HEADER))
    dma = detect_dialect(split_header(DMA_HEADER))
    assert mc is MARINECADASTRE
    assert dma is DMA
    snake = "mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,imo,call_sign"
    assert detect_dialect(split_header(snake)) is MARINECADASTRE
    canonical = detect_dialect(split_header("mmsi,ts,lon,lat,sog"))
    assert canonical is not None
    assert canonical.name == "canonical"
    assert detect_dialect(split_header("ShipID,Time,X,Y")) is None


def test_marinecadastre_rows(tmp_path: Path) -> None:
    out = read_csv(write(tmp_path, "AIS_2023_01_01.csv", mc_text()))
    check_tables(out)
    acc = out.accounting
    assert acc.lines == len(MC_ROWS)
    assert acc.rejected_by_reason == {
        "empty_line": 1,
        "bad_position": 2,
        "bad_row": 1,
        "bad_mmsi": 1,
        "bad_time": 1,
        "bad_value": 1,
    }
    rejects = frame(out.rejects)
    assert dict(zip(rejects["line_no"], rejects["reason"], strict=True)) == {
        4: "bad_position",
        5: "bad_time",
        6: "bad_mmsi",
        7: "bad_row",
        10: "bad_value",
        11: "empty_line",
        12: "bad_position",
    }
    assert rejects.filter(pl.col("line_no") == 6)["raw"][0] == MC_ROWS[4]
    assert "36715X120" in rejects.filter(pl.col("line_no") == 6)["detail"][0]
    assert rejects.filter(pl.col("line_no") == 7)["detail"][0] == "3 fields, the header has 17"

    pos = frame(out.positions)
    assert pos["line_no"].to_list() == [2, 3, 8, 9]
    first = pos.row(0, named=True)
    assert first["mmsi"] == 367155120
    assert first["ts"] == dt.datetime(2023, 1, 1, 0, 0, 6, tzinfo=UTC)
    assert (first["lon"], first["lat"]) == (-94.79303, 29.31231)
    assert first["sog"] == pytest.approx(12.3)
    assert first["cog"] == pytest.approx(205.4)
    assert (first["heading"], first["nav_status"], first["msg_type"]) == (204, 0, 1)
    sentinels = pos.row(1, named=True)
    assert (sentinels["sog"], sentinels["cog"], sentinels["heading"]) == (None, None, None)
    assert sentinels["nav_status"] == 15
    class_b = pos.row(2, named=True)
    assert class_b["msg_type"] == 18
    assert (class_b["sog"], class_b["cog"], class_b["heading"], class_b["nav_status"]) == (
        None,
        None,
        None,
        None,
    )

    statics = frame(out.statics)
    assert statics["line_no"].to_list() == [2, 8, 9]
    assert statics["name"].to_list() == ["SEA HAWK", "NEMO", "SEA HAWK II"]
    assert statics["imo"].to_list() == [9184005, None, 9184005]
    assert statics["callsign"].to_list() == ["WDF8764", None, "WDF8764"]
    assert statics["ship_type"].to_list() == [70, 37, 70]
    assert statics["msg_type"].to_list() == [5, 24, 5]
    assert statics["to_bow"].null_count() == 3  # Length/Width are not antenna distances


def test_dma_rows(tmp_path: Path) -> None:
    out = read_csv(write(tmp_path, "aisdk-2023-01-01.csv", dma_text()))
    check_tables(out)
    acc = out.accounting
    assert (acc.lines, acc.decoded, acc.rejected) == (7, 5, 2)
    assert acc.other_types == {4: 1}
    assert acc.positions == 4
    rejects = frame(out.rejects)
    assert rejects["line_no"].to_list() == [6, 7]
    assert rejects["reason"].to_list() == ["bad_time", "bad_row"]
    assert rejects["detail"][1] == "unbalanced quotes"

    pos = frame(out.positions)
    assert pos["line_no"].to_list() == [2, 3, 5, 8]
    assert pos["nav_status"].to_list() == [0, 7, 15, 5]
    assert pos["msg_type"].to_list() == [1, 1, 18, 1]
    assert pos["ts"][1] == dt.datetime(2023, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert pos["heading"].to_list() == [31, 32, None, 32]
    assert pos["sog"][2] is None
    assert pos["cog"][2] is None

    statics = frame(out.statics)
    assert statics["line_no"].to_list() == [3, 5]
    row = statics.row(0, named=True)
    assert row["name"] == "SEA, STAR"
    assert row["imo"] == 9241061
    assert row["callsign"] == "OXAB2"
    assert row["ship_type"] == 30
    assert row["destination"] == "AARHUS"
    assert (row["to_bow"], row["to_stern"], row["to_port"], row["to_starboard"]) == (30, 10, 4, 4)
    assert statics.row(1, named=True)["ship_type"] == 55
    assert statics["msg_type"].to_list() == [5, 24]


@pytest.mark.parametrize(
    ("suffix", "compress"),
    [(".gz", gzip.compress), (".bz2", bz2.compress), (".zst", None)],
)
def test_compressed_variants_read_the_same(tmp_path: Path, suffix: str, compress: Any) -> None:
    if compress is None:
        zstandard = pytest.importorskip("zstandard")
        compress = zstandard.ZstdCompressor().compress
    plain = read_csv(write(tmp_path, "day.csv", mc_text()))
    packed = read_csv(write(tmp_path, "day.csv" + suffix, compress(mc_text().encode())))
    assert packed.accounting == plain.accounting
    assert packed.file_id != plain.file_id
    for name in ("positions", "statics", "rejects"):
        ours = frame(getattr(packed, name)).drop("file_id", "path", strict=False)
        theirs = frame(getattr(plain, name)).drop("file_id", "path", strict=False)
        assert ours.equals(theirs)


@pytest.mark.parametrize("chunk_bytes", [1, 37, 200, 1 << 20])
def test_block_size_does_not_change_the_result(tmp_path: Path, chunk_bytes: int) -> None:
    path = write(tmp_path, "dma.csv", dma_text())
    reference = read_csv(path)
    out = read_csv(path, chunk_bytes=chunk_bytes)
    assert out.accounting == reference.accounting
    assert out.positions.equals(reference.positions)
    assert out.statics.equals(reference.statics)
    assert out.rejects.equals(reference.rejects)


def test_statics_change_detection_spans_blocks(tmp_path: Path) -> None:
    rows = [DMA_ROWS[1], DMA_ROWS[6], DMA_ROWS[1].replace("SEA, STAR", "SEA STAR 2")]
    path = write(tmp_path, "dma.csv", "\n".join([DMA_HEADER, *rows]))
    for chunk_bytes in (1, 1 << 20):
        statics = frame(read_csv(path, chunk_bytes=chunk_bytes).statics)
        assert statics["line_no"].to_list() == [2, 4]
        assert statics["name"].to_list() == ["SEA, STAR", "SEA STAR 2"]


def test_custom_mapping_with_time_formats(tmp_path: Path) -> None:
    text = (
        "ShipID;Time;X;Y;Speed;Name\n"
        "413000001;2024-05-01 12:00:00;123.5;25.7;9.5;HAI JING 2502\n"
        '413000002;"2024-05-01 12:00:30";123.6;25.8;;\n'
        "413000003;yesterday;123.6;25.8;;\n"
    )
    path = write(tmp_path, "ships.txt", text)
    mapping = parse_column_mapping("mmsi=ShipID,ts=Time,lon=X,lat=Y,sog=Speed,name=Name")
    out = read_csv(path, columns=mapping, delimiter=";", time_zone="Asia/Tokyo")
    check_tables(out)
    pos = frame(out.positions)
    assert pos["mmsi"].to_list() == [413000001, 413000002]
    assert pos["ts"].to_list() == [
        dt.datetime(2024, 5, 1, 3, 0, tzinfo=UTC),
        dt.datetime(2024, 5, 1, 3, 0, 30, tzinfo=UTC),
    ]
    assert pos["msg_type"].to_list() == [0, 0]
    assert frame(out.statics)["name"].to_list() == ["HAI JING 2502"]
    assert frame(out.rejects)["reason"].to_list() == ["bad_time"]


@pytest.mark.parametrize(
    ("time_format", "written", "expected"),
    [
        ("unix", "1714564800", dt.datetime(2024, 5, 1, 12, tzinfo=UTC)),
        ("unix", "1714564800.25", dt.datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=UTC)),
        ("unix_ms", "1714564800123", dt.datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=UTC)),
        ("%d.%m.%Y %H:%M", "01.05.2024 12:00", dt.datetime(2024, 5, 1, 12, tzinfo=UTC)),
        ("iso", "2024-05-01T21:00:00+09:00", dt.datetime(2024, 5, 1, 12, tzinfo=UTC)),
        ("iso", "2024-05-01T12:00:00Z", dt.datetime(2024, 5, 1, 12, tzinfo=UTC)),
        ("iso", "2024-05-01T12:00:00.5", dt.datetime(2024, 5, 1, 12, 0, 0, 500000, tzinfo=UTC)),
    ],
)
def test_time_formats(
    tmp_path: Path, time_format: str, written: str, expected: dt.datetime
) -> None:
    path = write(tmp_path, "t.csv", f"id,t,x,y\n1,{written},1.0,2.0\n")
    mapping = {"mmsi": "id", "ts": "t", "lon": "x", "lat": "y"}
    out = read_csv(path, columns=mapping, time_format=time_format)
    assert frame(out.positions)["ts"].to_list() == [expected]


def test_canonical_csv(tmp_path: Path) -> None:
    text = (
        "msg_type,mmsi,ts,lon,lat,sog,heading,name,callsign\n"
        "1,413000001,2024-05-01T12:00:00Z,123.5,25.7,9.5,90,,\n"
        "5,413000001,2024-05-01T12:00:01Z,,,,,HAI JING 2502,BXYZ\n"
        "4,413000099,2024-05-01T12:00:02Z,123.0,25.0,,,,\n"
        "99,413000001,2024-05-01T12:00:03Z,123.5,25.7,,,,\n"
    )
    out = read_csv(write(tmp_path, "decoded.csv", text))
    check_tables(out)
    assert out.accounting.positions == 1
    assert out.accounting.other_types == {4: 1}
    assert frame(out.statics)["name"].to_list() == ["HAI JING 2502"]
    assert frame(out.statics)["msg_type"].to_list() == [5]
    rejects = frame(out.rejects)
    assert rejects["reason"].to_list() == ["bad_value"]
    assert "msg_type" in rejects["detail"][0]


def test_header_only_file(tmp_path: Path) -> None:
    out = read_csv(write(tmp_path, "empty_day.csv", MC_HEADER + "\n"))
    check_tables(out)
    assert out.accounting.lines == 0


def test_bom_and_crlf(tmp_path: Path) -> None:
    text = "\ufeff" + MC_HEADER + "\r\n" + MC_ROWS[0] + "\r\n"
    out = read_csv(write(tmp_path, "bom.csv", text))
    assert out.accounting.positions == 1
    assert frame(out.positions)["msg_type"].to_list() == [1]


def test_invalid_utf8_is_replaced_not_fatal(tmp_path: Path) -> None:
    row = MC_ROWS[0].replace("SEA HAWK", "S\xf8LVI").encode("latin-1")
    out = read_csv(write(tmp_path, "latin1.csv", MC_HEADER.encode() + b"\n" + row + b"\n"))
    assert frame(out.statics)["name"].to_list() == ["S\ufffdLVI"]


def test_unknown_header_needs_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "other.csv", "ShipID,Time,X,Y\n1,2,3,4\n")
    with pytest.raises(InputFileError, match=r"other\.csv: the CSV header is not a known layout"):
        read_csv(path)
    with pytest.raises(InputFileError, match=r"no column for lat \(Lat\)"):
        read_csv(path, columns={"mmsi": "ShipID", "ts": "Time", "lon": "X", "lat": "Lat"})


def test_errors_raise_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "mc.csv", mc_text())
    with pytest.raises(InputFileError, match=r"mc\.csv, line 4: bad_position"):
        read_csv(path, errors="raise")


def test_parameter_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "mc.csv", mc_text())
    with pytest.raises(ParameterError, match="unknown canonical column"):
        read_csv(path, columns={"mmsi": "a", "ts": "b", "lon": "c", "lat": "d", "speed": "e"})
    with pytest.raises(ParameterError, match="lacks lat"):
        custom_dialect({"mmsi": "a", "ts": "b", "lon": "c"})
    with pytest.raises(ParameterError, match="unknown CSV dialect"):
        read_csv(path, dialect="ais-hub")
    with pytest.raises(ParameterError, match="not canonical=header"):
        parse_column_mapping("mmsi=ShipID,ts")
    with pytest.raises(ParameterError, match="errors must be"):
        read_csv(path, errors="ignore")  # type: ignore[arg-type]
