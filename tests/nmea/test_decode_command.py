"""``zonewatch decode``: the decode contract in JSON lines, CSV and Parquet."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from zonewatch.cli import main
from zonewatch.cli.decode import DECODE_FIELDS
from zonewatch.nmea.testing import encode_lines, sentence

T0 = 1709251200
LINES = [
    *encode_lines({"type": 5, "mmsi": 413000001, "shipname": "HAIJING 2301@@", "callsign": "BAAA",
                   "ship_type": 55, "destination": "SENKAKU"}, tags={"c": T0, "s": "rx1"},
                  seq_id=1),
    *encode_lines({"type": 1, "mmsi": 412000001, "lon": -70.5, "lat": 25.75, "speed": 102.3,
                   "heading": 511, "second": 12}, tags={"c": T0 + 1}),
    "# not ais",
    *encode_lines({"type": 24, "mmsi": 412000005, "partno": 0, "shipname": "FISHER"},
                  tags={"c": 1709251200123}),
    *encode_lines({"type": 24, "mmsi": 412000005, "partno": 1, "callsign": "BZZZ",
                   "ship_type": 30}, tags={"c": T0 + 3}),
    sentence("15N1u<PP1FJuvSRHOE6QIwwh0HQ6"),  # no time: decoded, ts null
    *encode_lines({"type": 4, "mmsi": 4310001, "lon": 123.0, "lat": 25.0}, tags={"c": T0}),
]  # fmt: skip


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.nmea"
    path.write_text("\n".join(LINES) + "\n")
    return path


def test_jsonl_records_in_input_order(
    feed: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["decode", str(feed)]) == 0
    out, err = capsysbinary.readouterr()
    records = [json.loads(line) for line in out.decode().splitlines()]
    assert [r["msg_type"] for r in records] == [5, 1, 24, 24, 1, 4]
    assert all(list(r) == list(DECODE_FIELDS) for r in records)
    static, position, part_a, part_b, untimed, base = records
    assert static["ts"] == "2024-03-01T00:00:00.000Z"
    assert (static["name"], static["callsign"], static["ship_type"], static["part"]) == (
        "HAIJING 2301", "BAAA", 55, None,
    )  # fmt: skip
    assert static["destination"] == "SENKAKU"
    assert static["lon"] is None
    assert (position["lon"], position["lat"], position["second"]) == (-70.5, 25.75, 12)
    assert (position["sog"], position["heading"], position["nav_status"]) == (None, None, 15)
    assert position["accuracy"] is False
    assert (part_a["part"], part_a["name"], part_a["ts"]) == (
        "A",
        "FISHER",
        "2024-03-01T00:00:00.123Z",
    )
    assert (part_b["part"], part_b["callsign"], part_b["ship_type"]) == ("B", "BZZZ", 30)
    assert (untimed["mmsi"], untimed["ts"]) == (367033650, None)
    assert (base["mmsi"], base["lon"]) == (4310001, None)
    assert b"1 line(s) rejected (not_ais 1)" in err


def test_csv_from_stdin_strict_and_rejects(
    feed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(feed.read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    out = tmp_path / "out.csv"
    rejects = tmp_path / "rejects.csv"
    code = main(["decode", "-", "--format", "csv", "-o", str(out), "--rejects", str(rejects),
                 "--strict"])  # fmt: skip
    assert code == 2
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [r["msg_type"] for r in rows] == ["5", "1", "24", "24", "1", "4"]
    assert rows[4]["ts"] == ""
    (reject,) = list(csv.DictReader(io.StringIO(rejects.read_text())))
    assert (reject["path"], reject["line_no"], reject["raw"], reject["reason"]) == (
        "<stdin>", "4", "# not ais", "not_ais",
    )  # fmt: skip


def test_parquet_keeps_timestamps(feed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    assert main(["decode", str(feed), "-f", "parquet", "-o", str(out)]) == 0
    table = pq.read_table(out)
    assert table.column_names == list(DECODE_FIELDS)
    assert str(table.schema.field("ts").type) == "timestamp[ms, tz=UTC]"
    assert table.num_rows == 6


def test_missing_file_is_a_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["decode", str(tmp_path / "absent.nmea")]) == 1
    assert "no such file" in capsys.readouterr().err
