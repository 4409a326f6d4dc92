from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from pathlib import Path

import pyarrow as pa
import pytest

from zonewatch.errors import (
    ChecksumError,
    FragmentError,
    InputFileError,
    NMEAError,
    ParameterError,
)
from zonewatch.nmea.testing import encode_lines, sentence, tag_block
from zonewatch.schema import POSITIONS, REJECT_REASONS, REJECTS, STATICS
from zonewatch.sources.accounting import Accounting, Decoded
from zonewatch.sources.nmea_file import read_nmea, read_nmea_lines

T0 = 1709251200  # 2024-03-01 00:00:00 UTC


def pos_line(
    mmsi: int = 412000001, ts: int | None = T0, source: str = "rx1", **fields: object
) -> str:
    data = {"type": 1, "mmsi": mmsi, "lon": 123.5, "lat": 25.75, "speed": 10.0, "course": 90.0,
            "heading": 91, **fields}  # fmt: skip
    tags = None if ts is None else {"s": source, "c": ts}
    (line,) = encode_lines(data, tags=tags)
    return line


def static_lines(mmsi: int = 413000001, seq: int = 1, ts: int | None = T0) -> list[str]:
    data = {"type": 5, "mmsi": mmsi, "shipname": "HAIJING 2301", "callsign": "BAAA",
            "ship_type": 55}  # fmt: skip
    return encode_lines(data, tags=None if ts is None else {"s": "rx1", "c": ts}, seq_id=seq)


def read(lines: list[str] | list[bytes], **kwargs: object) -> Decoded:
    raw = [line.encode() if isinstance(line, str) else line for line in lines]
    return read_nmea_lines(raw, path="test.nmea", file_id="fid", **kwargs)  # type: ignore[arg-type]


def check_accounting(out: Decoded, lines: int) -> Accounting:
    acc = out.accounting
    assert acc.lines == lines == acc.decoded + acc.rejected + acc.pending
    assert acc.rejected == out.rejects.num_rows
    assert acc.positions == out.positions.num_rows
    assert acc.statics == out.statics.num_rows
    assert out.positions.schema == POSITIONS
    assert out.statics.schema == STATICS
    assert out.rejects.schema == REJECTS
    line_nos = out.rejects.column("line_no").to_pylist()
    assert len(set(line_nos)) == len(line_nos)
    assert line_nos == sorted(line_nos)
    return acc


def test_positions_table_values() -> None:
    out = read([pos_line(), pos_line(412000002, T0 + 61, "rx2", heading=511, speed=102.3)])
    check_accounting(out, 2)
    rows = out.positions.to_pylist()
    assert [r["mmsi"] for r in rows] == [412000001, 412000002]
    assert rows[0]["ts"] == dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    assert rows[1]["ts"] == dt.datetime(2024, 3, 1, 0, 1, 1, tzinfo=dt.UTC)
    assert rows[0]["lon"] == pytest.approx(123.5)
    assert rows[0]["lat"] == pytest.approx(25.75)
    assert rows[0]["sog"] == pytest.approx(10.0)
    assert rows[0]["heading"] == 91
    assert (rows[1]["sog"], rows[1]["heading"]) == (None, None)
    assert [r["source"] for r in rows] == ["rx1", "rx2"]
    assert [r["line_no"] for r in rows] == [1, 2]
    assert {r["file_id"] for r in rows} == {"fid"}
    assert out.positions.schema.field("ts").type == pa.timestamp("ms", tz="UTC")


def test_multipart_static_counts_two_decoded_lines() -> None:
    out = read([*static_lines(), pos_line()])
    acc = check_accounting(out, 3)
    assert (acc.decoded, acc.messages, acc.positions, acc.statics) == (3, 2, 1, 1)
    (row,) = out.statics.to_pylist()
    assert (row["name"], row["callsign"], row["ship_type"], row["line_no"]) == (
        "HAIJING 2301", "BAAA", 55, 2,
    )  # fmt: skip
    assert row["ts"] == dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    assert row["source"] == "rx1"


def test_static_without_time_keeps_null_ts() -> None:
    out = read(static_lines(ts=None))
    check_accounting(out, 2)
    assert out.statics.column("ts").to_pylist() == [None]
    assert out.statics.column("source").to_pylist() == [None]


def test_other_types_counted() -> None:
    (base,) = encode_lines({"type": 4, "mmsi": 4310001, "lon": 123.0, "lat": 25.0},
                           tags={"c": T0})  # fmt: skip
    (aton,) = encode_lines({"type": 21, "mmsi": 993100001, "lon": 123.0, "lat": 25.0,
                            "name": "BUOY"}, tags={"c": T0})  # fmt: skip
    out = read([base, base, aton, pos_line()])
    acc = check_accounting(out, 4)
    assert (acc.messages, acc.other_messages, acc.positions) == (4, 3, 1)
    assert dict(acc.other_types) == {4: 2, 21: 1}


def test_type_24_parts_and_type_19() -> None:
    lines = [
        *encode_lines({"type": 24, "mmsi": 412000005, "partno": 0, "shipname": "HAI JING"},
                      tags={"c": T0}),
        *encode_lines({"type": 24, "mmsi": 412000005, "partno": 1, "ship_type": 55,
                       "callsign": "BZZZ"}, tags={"c": T0}),
        *encode_lines({"type": 19, "mmsi": 412000006, "lon": 123.1, "lat": 25.2,
                       "shipname": "FISHER"}, tags={"c": T0}),
    ]  # fmt: skip
    out = read(lines)
    acc = check_accounting(out, 3)
    assert (acc.messages, acc.positions, acc.statics) == (3, 1, 3)
    assert out.statics.column("part").to_pylist() == ["A", "B", None]
    assert out.statics.column("name").to_pylist() == ["HAI JING", None, "FISHER"]


def test_pending_at_end_of_input() -> None:
    first, _ = static_lines()
    out = read([pos_line(), first])
    acc = check_accounting(out, 2)
    assert (acc.decoded, acc.rejected, acc.pending) == (1, 0, 1)


def test_trailing_blank_line_counts_but_final_newline_does_not(tmp_path: Path) -> None:
    path = tmp_path / "a.nmea"
    path.write_text(pos_line() + "\n" + pos_line() + "\n")
    assert read_nmea(path).accounting.lines == 2
    path.write_text(pos_line() + "\n\n")
    acc = read_nmea(path).accounting
    assert (acc.lines, dict(acc.rejected_by_reason)) == (2, {"empty_line": 1})


# -- one hand-written case per reject reason -------------------------------------------

PLAIN = sentence("15N1u<PP1FJuvSRHOE6QIwwh0HQ6")
ORPHAN_FIRST = static_lines(seq=7)[0]

REJECT_CASES: dict[str, list[bytes]] = {
    "empty_line": [b"   "],
    "not_text": [b"\xc3\x28 !AIVDM"],
    "not_ais": [b"$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*17"],
    "bad_format": [sentence("15N1u<PP1FJuvSRHOE6QIwwh0HQ6", fill_bits=7).encode()],
    "bad_checksum": [PLAIN.replace("*30", "*31").encode()],
    "bad_tag_block": [(tag_block({"c": T0}, checksum="00") + PLAIN).encode()],
    "bad_payload": [(tag_block({"c": T0}) + sentence("w" + "0" * 27)).encode()],
    "fragment_orphan": [ORPHAN_FIRST.encode(), *[pos_line().encode()] * 51],
    "fragment_mismatch": [sentence("1" * 28, count=2, number=3).encode()],
    "no_timestamp": [PLAIN.encode()],
    "bad_position": [pos_line(lon=181.0, lat=91.0).encode()],
}


def test_every_reason_has_a_case() -> None:
    assert set(REJECT_CASES) == set(REJECT_REASONS)


@pytest.mark.parametrize("reason", sorted(REJECT_REASONS))
def test_reject_reason(reason: str) -> None:
    lines = REJECT_CASES[reason]
    out = read(lines)
    acc = check_accounting(out, len(lines))
    assert dict(acc.rejected_by_reason) == {reason: 1}
    (row,) = out.rejects.to_pylist()
    assert (row["reason"], row["line_no"], row["path"], row["file_id"]) == (
        reason, 1, "test.nmea", "fid",
    )  # fmt: skip
    assert row["raw"] == lines[0].decode("utf-8", "backslashreplace")
    assert row["detail"]


def test_bad_payload_rejects_every_line_of_the_message() -> None:
    lines = [
        tag_block({"c": T0}) + sentence("5" + "0" * 59, count=2, seq_id="1"),
        sentence("0" * 5, fill_bits=2, count=2, number=2, seq_id="1"),
    ]  # a 388-bit type 5: too short
    out = read(lines)
    acc = check_accounting(out, 2)
    assert acc.rejected_by_reason == {"bad_payload": 2}
    assert out.rejects.column("line_no").to_pylist() == [1, 2]


def test_type_19_without_time_rejected_as_a_whole() -> None:
    lines = encode_lines({"type": 19, "mmsi": 412000006, "lon": 123.1, "lat": 25.2,
                          "shipname": "FISHER"})  # fmt: skip
    out = read(lines)
    acc = check_accounting(out, 1)
    assert acc.rejected_by_reason == {"no_timestamp": 1}
    assert out.statics.num_rows == 0


def test_long_raw_lines_are_truncated_in_rejects() -> None:
    out = read([b"x" * 10_000])
    raw = out.rejects.column("raw")[0].as_py()
    assert len(raw) == 4096 + 3
    assert raw.endswith("...")


# -- errors="raise" ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("bad_checksum", ChecksumError),
        ("fragment_orphan", FragmentError),
        ("fragment_mismatch", FragmentError),
        ("not_ais", NMEAError),
        ("bad_payload", NMEAError),
        ("no_timestamp", NMEAError),
    ],
)
def test_raise_on_first_reject(reason: str, error: type[NMEAError]) -> None:
    lines = [pos_line().encode(), *REJECT_CASES[reason]]
    with pytest.raises(error, match=rf"test\.nmea, line 2: {reason}") as info:
        read(lines, errors="raise")
    assert info.value.reason == reason


def test_raise_mode_reads_clean_input() -> None:
    out = read([pos_line(), *static_lines()], errors="raise")
    assert out.accounting.rejected == 0
    assert out.accounting.messages == 2


def test_raise_reports_earliest_line_first() -> None:
    lines = [pos_line(), PLAIN.replace("*30", "*31"), b"# later"]
    with pytest.raises(ChecksumError, match="line 2"):
        read(lines, errors="raise")  # type: ignore[arg-type]


def test_bad_errors_argument() -> None:
    with pytest.raises(ParameterError, match="errors must be"):
        read([pos_line()], errors="ignore")


def test_custom_fragment_span() -> None:
    first, second = static_lines()
    lines = [first, pos_line(), pos_line(), second]
    assert read(lines).accounting.decoded == 4
    assert read(lines, max_span_lines=2).accounting.rejected_by_reason == {"fragment_orphan": 1}


# -- files --------------------------------------------------------------------------------


def test_read_nmea_plain_and_gzip_agree(tmp_path: Path) -> None:
    text = "\n".join([pos_line(), *static_lines(), "# comment", pos_line(412000009)]) + "\n"
    plain = tmp_path / "feed.nmea"
    plain.write_text(text)
    packed = tmp_path / "feed.nmea.gz"
    packed.write_bytes(gzip.compress(text.encode()))
    a, b = read_nmea(plain), read_nmea(str(packed))
    assert a.file_id == hashlib.sha256(plain.read_bytes()).hexdigest()
    assert b.file_id == hashlib.sha256(packed.read_bytes()).hexdigest()
    assert (a.path, b.path) == (str(plain), str(packed))
    assert a.accounting == b.accounting
    assert a.positions.drop(["file_id"]).equals(b.positions.drop(["file_id"]))
    assert a.statics.drop(["file_id"]).equals(b.statics.drop(["file_id"]))
    assert set(a.positions.column("file_id").to_pylist()) == {a.file_id}
    check_accounting(a, 5)


def test_read_nmea_crlf(tmp_path: Path) -> None:
    path = tmp_path / "crlf.nmea"
    path.write_bytes(("\r\n".join([pos_line(), *static_lines()]) + "\r\n").encode())
    acc = read_nmea(path).accounting
    assert (acc.lines, acc.decoded) == (3, 3)


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02binary"])
def test_read_nmea_rejects_bad_files(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bad.nmea"
    path.write_bytes(data)
    with pytest.raises(InputFileError, match=r"bad\.nmea"):
        read_nmea(path)


def test_read_nmea_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_nmea(tmp_path / "absent.nmea")


def test_batches_larger_than_one_arrow_batch() -> None:
    lines = [pos_line(412000000 + i % 50, T0 + i) for i in range(9000)]
    out = read(lines)
    acc = check_accounting(out, 9000)
    assert acc.positions == 9000
    assert out.positions.column("line_no").to_pylist() == list(range(1, 9001))
