"""The fast (columnar) engine gives the reference engine's tables, reasons and accounting."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonewatch.errors import NMEAError
from zonewatch.nmea.testing import encode_lines, sentence, tag_block
from zonewatch.sim import SimConfig, simulate
from zonewatch.sources import nmea_file
from zonewatch.sources.accounting import Decoded
from zonewatch.sources.nmea_file import iter_nmea, read_nmea, read_nmea_lines

SAMPLES = [
    "aisdb/test_data_20211101.nm4",
    "gfw_ais_tools/bad-tagblock-group.nmea",
    "gfw_ais_tools/bad-type5.nmea",
    "gfw_ais_tools/ee-multiline.nmea",
    "gfw_ais_tools/errors.nmea",
    "gfw_ais_tools/mixed_types.nmea",
    "gfw_ais_tools/multi-part.nmea",
    "gfw_ais_tools/type1-bad-bitcount.nmea",
    "libais/tagblock.nmea",
    "libais/test.aivdm",
    "libais/typeexamples.nmea",
    "pyais/ais_test_messages",
    "pyais/gatehouse.nmea",
    "pyais/messages.ais",
    "pyais/sample.ais",
    "pyais/timestamped.ais",
]
T0 = 1709251200


def by_line(table: pa.Table) -> pa.Table:
    return table.sort_by("line_no") if table.num_rows else table


def assert_same(fast: Decoded, ref: Decoded) -> None:
    assert fast.accounting == ref.accounting
    for name in ("positions", "statics", "rejects"):
        a, b = by_line(getattr(fast, name)), by_line(getattr(ref, name))
        assert a.schema == b.schema, name
        assert a.to_pylist() == b.to_pylist(), name


def both(lines: list[bytes], **kwargs: object) -> tuple[Decoded, Decoded]:
    fast = read_nmea_lines(lines, path="t.nmea", file_id="f", **kwargs)  # type: ignore[arg-type]
    ref = read_nmea_lines(lines, path="t.nmea", file_id="f", engine="reference", **kwargs)  # type: ignore[arg-type]
    return fast, ref


@pytest.mark.parametrize("name", SAMPLES)
def test_real_samples(shared_data: Path, name: str) -> None:
    path = shared_data / name
    fast = read_nmea(path)
    assert_same(fast, read_nmea(path, engine="reference"))
    assert fast.positions.column("line_no").to_pylist() == sorted(
        fast.positions.column("line_no").to_pylist()
    )


@functools.cache
def _simulated(seed: int, tmp: Path) -> Path:
    return simulate(SimConfig(days=5, seed=seed, corrupt_rate=0.03), tmp / f"sim{seed}").nmea_path


@pytest.mark.parametrize("seed", [1, 2])
def test_simulator_output(tmp_path: Path, seed: int) -> None:
    path = _simulated(seed, tmp_path)
    fast = read_nmea(path)
    assert fast.accounting.statics > 100
    assert fast.accounting.rejected > 100
    assert_same(fast, read_nmea(path, engine="reference"))


def test_small_batches_and_threads_give_the_same_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _simulated(3, tmp_path)
    whole = read_nmea(path)
    # fragments of one message often fall into two batches
    monkeypatch.setattr(nmea_file, "BATCH_BYTES", 4096)
    monkeypatch.setattr(nmea_file, "DECODE_THREADS", 2)
    small = read_nmea(path)
    assert_same(small, whole)


def test_iter_nmea_streams_batches(tmp_path: Path) -> None:
    path = _simulated(4, tmp_path)
    whole = read_nmea(path)
    stream = iter_nmea(path, batch_lines=2000)
    batches = list(stream)
    assert len(batches) > 3
    assert stream.accounting == whole.accounting
    assert batches[0].first_line == 1
    assert all(b.first_line == a.last_line + 1 for a, b in itertools.pairwise(batches))
    positions = pa.concat_tables([b.positions for b in batches])
    assert positions.equals(whole.positions)
    rejects = pa.concat_tables([b.rejects for b in batches]).sort_by("line_no")
    assert rejects.equals(whole.rejects)


def test_multipart_across_batch_boundary_and_pending() -> None:
    first, second = encode_lines(
        {"type": 5, "mmsi": 413000001, "shipname": "HAIJING"}, tags={"c": T0}, seq_id=3
    )
    pos = encode_lines({"type": 1, "mmsi": 412000001, "lon": 123.5, "lat": 25.7}, tags={"c": T0})
    lines = [p.encode() for p in pos] * (nmea_file._LIST_BATCH_LINES - 1) + [
        first.encode(),
        second.encode(),
        first.encode(),
    ]
    fast, ref = both(lines)
    assert_same(fast, ref)
    assert (fast.accounting.statics, fast.accounting.pending) == (1, 1)


FRAGMENTS = [
    *encode_lines({"type": 5, "mmsi": 413000001, "shipname": "A"}, tags={"s": "r1", "c": T0},
                  seq_id=1),
    *encode_lines({"type": 5, "mmsi": 413000002, "shipname": "B"}, tags={"c": T0}, seq_id=2),
    *encode_lines({"type": 5, "mmsi": 413000003, "shipname": "C"}, seq_id=1, channel="B"),
    *encode_lines({"type": 5, "mmsi": 413000004, "shipname": "D"},
                  tags={"g": "1-2-77", "c": T0}, tag_every_fragment=True),
    *encode_lines({"type": 19, "mmsi": 413000005, "lon": 1.0, "lat": 2.0}, tags={"c": T0}),
    *encode_lines({"type": 1, "mmsi": 412000001, "lon": 123.5, "lat": 25.7}, tags={"c": T0}),
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=60), st.integers(1, 8))
def test_interleaved_fragments(picks: list[str], span: int) -> None:
    fast, ref = both([p.encode() for p in picks], max_span_lines=span)
    assert_same(fast, ref)


def _mutate(draw: st.DrawFn, line: bytes) -> bytes:
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
            data.insert(at, draw(st.sampled_from(b",*\\!:0123456789AB`w@ xg-\r\t")))
        elif op == "delete":
            del data[at]
        else:
            data[at] = draw(st.integers(0, 255))
    return bytes(data)


@pytest.fixture(scope="module")
def real_lines(shared_data: Path) -> list[bytes]:
    lines: list[bytes] = []
    for name in SAMPLES:
        lines.extend((shared_data / name).read_bytes().splitlines()[:120])
    extra = [
        tag_block({"c": T0, "s": "rx1", "g": "1-2-5"}) + sentence("5" + "0" * 59, count=2,
                                                                 seq_id="4"),
        tag_block({"c": 1709251200123}) + sentence("15N1u<PP1FJuvSRHOE6QIwwh0HQ6"),
        "1709251200 " + sentence("15N1u<PP1FJuvSRHOE6QIwwh0HQ6"),
    ]  # fmt: skip
    return lines + [x.encode() for x in extra + FRAGMENTS]


# examples drawn from ../shared/data: not stored, since that data differs between machines
@settings(max_examples=250, deadline=None, database=None)
@given(data=st.data())
def test_mutated_real_lines(real_lines: list[bytes], data: st.DataObject) -> None:
    picks = data.draw(st.lists(st.sampled_from(real_lines), min_size=1, max_size=50))
    lines = [_mutate(data.draw, line) if data.draw(st.booleans()) else line for line in picks]
    span = data.draw(st.integers(1, 6))
    fast, ref = both(lines, max_span_lines=span)
    assert_same(fast, ref)
    if ref.accounting.rejected:
        with pytest.raises(NMEAError) as expected:
            read_nmea_lines(lines, path="t", file_id="f", errors="raise", engine="reference",
                            max_span_lines=span)  # fmt: skip
        with pytest.raises(NMEAError) as got:
            read_nmea_lines(lines, path="t", file_id="f", errors="raise", max_span_lines=span)
        assert type(got.value) is type(expected.value)
        assert str(got.value) == str(expected.value)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.binary(max_size=90), max_size=30))
def test_random_bytes(lines: list[bytes]) -> None:
    fast, ref = both(lines)
    assert_same(fast, ref)
