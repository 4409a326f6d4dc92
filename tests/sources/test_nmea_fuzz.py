"""Property tests: no line makes the reader raise in collect mode; every line is accounted."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonewatch.errors import NMEAError
from zonewatch.nmea.testing import encode_lines
from zonewatch.sources.accounting import Decoded
from zonewatch.sources.nmea_file import read_nmea_lines

REAL_FILES = [
    "aisdb/test_data_20211101.nm4",
    "gfw_ais_tools/multi-part.nmea",
    "gfw_ais_tools/bad-type5.nmea",
    "libais/typeexamples.nmea",
    "libais/tagblock.nmea",
    "pyais/sample.ais",
]

BUILT = [
    *encode_lines({"type": 1, "mmsi": 412000001, "lon": 123.5, "lat": 25.7}, tags={"c": 17e8}),
    *encode_lines({"type": 5, "mmsi": 413000001, "shipname": "HJ"}, tags={"s": "a"}, seq_id=2),
    *encode_lines({"type": 24, "mmsi": 413000001, "partno": 1, "callsign": "B"}),
]


@pytest.fixture(scope="module")
def real_lines(shared_data: Path) -> list[bytes]:
    lines: list[bytes] = []
    for name in REAL_FILES:
        lines.extend((shared_data / name).read_bytes().splitlines()[:200])
    return [line for line in lines if line.strip()] + [line.encode() for line in BUILT]


def mutate(draw: st.DrawFn, line: bytes) -> bytes:
    data = bytearray(line)
    for _ in range(draw(st.integers(0, 3))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete", "byte"]))
        if op == "flip":
            data[at] = draw(st.integers(0x20, 0x7E))
        elif op == "cut":
            del data[at:]
        elif op == "insert":
            data.insert(at, draw(st.sampled_from(b",*\\!:0123456789AB`w@ ")))
        elif op == "delete":
            del data[at]
        else:
            data[at] = draw(st.integers(0, 255))
    return bytes(data)


def check(out: Decoded, n_lines: int) -> None:
    acc = out.accounting
    assert acc.lines == n_lines == acc.decoded + acc.rejected + acc.pending
    assert acc.rejected == out.rejects.num_rows
    line_nos = out.rejects.column("line_no").to_pylist()
    assert len(set(line_nos)) == len(line_nos)
    assert all(1 <= n <= n_lines for n in line_nos)
    assert out.positions.num_rows == acc.positions
    assert out.statics.num_rows == acc.statics
    assert out.positions.column("ts").null_count == 0
    positions_lines = out.positions.column("line_no").to_pylist()
    assert not set(positions_lines) & set(line_nos)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.binary(max_size=100), max_size=30))
def test_random_byte_lines(lines: list[bytes]) -> None:
    check(read_nmea_lines(lines, path="fuzz", file_id="f"), len(lines))


# examples drawn from ../shared/data: not stored, since that data differs between machines
@settings(max_examples=150, deadline=None, database=None)
@given(data=st.data())
def test_mutated_real_sentences(real_lines: list[bytes], data: st.DataObject) -> None:
    picks = data.draw(st.lists(st.sampled_from(real_lines), min_size=1, max_size=40))
    lines = [mutate(data.draw, line) if data.draw(st.booleans()) else line for line in picks]
    span = data.draw(st.integers(1, 6))
    out = read_nmea_lines(lines, path="fuzz", file_id="f", max_span_lines=span)
    check(out, len(lines))
    if out.accounting.rejected:
        with pytest.raises(NMEAError) as info:
            read_nmea_lines(lines, path="fuzz", file_id="f", errors="raise", max_span_lines=span)
        assert info.value.reason in out.accounting.rejected_by_reason
    else:
        strict = read_nmea_lines(
            lines, path="fuzz", file_id="f", errors="raise", max_span_lines=span
        )
        assert strict.accounting == out.accounting


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_shuffled_fragments(real_lines: list[bytes], data: st.DataObject) -> None:
    multipart = [line for line in real_lines if b",2,1," in line or b",2,2," in line]
    lines = data.draw(st.permutations(multipart[:30]))
    out = read_nmea_lines(list(lines), path="fuzz", file_id="f")
    check(out, len(lines))
