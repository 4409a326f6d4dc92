"""The bulk framer settles lines exactly as the per-line framer, or leaves them to it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from zonewatch.nmea import bulkframe
from zonewatch.nmea.bulkframe import (
    FALLBACK,
    LEAD,
    OK,
    REASON_NAMES,
    REJECT,
    TAIL,
    frame_lines,
    reject_detail,
)
from zonewatch.nmea.framing import FrameReject, frame_line
from zonewatch.nmea.jit import python_kernel
from zonewatch.nmea.testing import sentence, tag_block

PAYLOADS = ["15N1u<PP1FJuvSRHOE6QIwwh0HQ6", "B69La@0lTr0htpN1UF3;OWC@0000", "88888888880"]


def check(lines: list[bytes]) -> np.ndarray:
    """Frame ``lines`` both ways; return the bulk statuses."""
    data = b"\n".join(lines)
    buf = np.frombuffer(bytes(LEAD) + data + bytes(TAIL), dtype=np.uint8)
    lengths = np.array([len(line) for line in lines], dtype=np.int64)
    starts = np.zeros(len(lines), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    starts += LEAD
    framed = frame_lines(buf, starts, starts + lengths)
    for i, line in enumerate(lines):
        ref = frame_line(line)
        status = framed.status[i]
        if status == REJECT:
            assert isinstance(ref, FrameReject), line
            assert (ref.reason, ref.detail) == (
                REASON_NAMES[int(framed.reason[i])],
                reject_detail(buf, framed, i),
            ), line
        elif status == OK:
            assert not isinstance(ref, FrameReject), line
            assert len(ref) == 1, line
            (s,) = ref
            start, n = int(framed.pstart[i]), int(framed.plen[i])
            src = int(framed.src_start[i]), int(framed.src_len[i])
            got = (
                int(framed.count[i]), int(framed.number[i]),
                "" if framed.seq[i] < 0 else str(framed.seq[i]),
                "" if framed.channel[i] == 0 else chr(framed.channel[i]),
                buf[start : start + n].tobytes(), int(framed.fill[i]),
                int(framed.ts_ms[i]) if framed.ts_valid[i] else None,
                buf[src[0] : src[0] + src[1]].tobytes().decode() or None,
                int(framed.grp_size[i]),
            )  # fmt: skip
            assert got == (
                s.count, s.number, s.seq_id, s.channel, s.payload, s.fill_bits, s.ts_ms,
                s.source, 0 if s.group is None else s.group.size,
            ), line  # fmt: skip
        else:
            assert status == FALLBACK
    return framed.status


def test_real_samples(shared_data: Path) -> None:
    lines = []
    for path in sorted(shared_data.glob("*/*")):
        if path.suffix not in {".json", ".csv", ".gpkg", ".md"} and path.name != "LICENSE":
            lines.extend(path.read_bytes().splitlines())
    status = check(lines)
    assert (status == OK).sum() > 1000


KEYS = st.sampled_from(["c", "s", "g", "n", "d", "xy"])


@st.composite
def tag_blocks(draw: st.DrawFn) -> str:
    fields: dict[str, str | int] = {}
    for key in draw(st.lists(KEYS, max_size=4, unique=True)):
        if key == "c":
            fields[key] = draw(st.sampled_from([1709251200, 1709251200123, 0, 99, "17e8", "",
                                                "1709251200.5", 72581184000000]))  # fmt: skip
        elif key == "g":
            fields[key] = draw(st.sampled_from(["1-2-77", "2-2-77", "0-2-7", "1-12-9", "3-2-1",
                                                "1-2-", "12-24-abc"]))  # fmt: skip
        else:
            fields[key] = draw(st.sampled_from(["rx1", "", "r003669946", "a b", "x" * 20]))
    bad = draw(st.sampled_from([None, None, None, "00", "0g"]))
    return tag_block(fields, checksum=bad)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.lists(tag_blocks(), max_size=2), st.sampled_from(PAYLOADS),
                          st.integers(1, 3), st.integers(1, 3), st.sampled_from(["", "3"]),
                          st.sampled_from(["A", "B", ""]), st.integers(0, 6),
                          st.sampled_from([None, "00", "5a"])),
                min_size=1, max_size=30))  # fmt: skip
def test_built_lines(
    specs: list[tuple[list[str], str, int, int, str, str, int, str | None]],
) -> None:
    lines = []
    for tags, payload, count, number, seq, channel, fill, checksum in specs:
        body = sentence(payload, fill_bits=fill, count=count, number=number, seq_id=seq,
                        channel=channel, checksum=checksum)  # fmt: skip
        lines.append(("".join(tags) + body).encode())
    check(lines)


REAL = [
    rb"\s:rx1,c:1704034830*09\!AIVDM,1,1,,B,H692?Ki`PF0hTpN1UF3K?K?L0000,0*54",
    rb"\g:1-2-77,c:1709251200*4B\!AIVDM,2,1,7,A,56K2;u000000`M0kK@0`<N10j3KB0U849D00000o7HN56,0*12",
    b"!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30",
    b"!BSVDO,1,1,3,2,B692?Kh0CB<aDH3j33aEcwg40000,0*1F",
    b"1709251200 !AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30",
]


def mutate(draw: st.DrawFn, line: bytes) -> bytes:
    data = bytearray(line)
    for _ in range(draw(st.integers(0, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete", "byte"]))
        if op == "flip":
            data[at] = draw(st.integers(0x20, 0x7E))
        elif op == "cut":
            del data[at:]
        elif op == "insert":
            data.insert(at, draw(st.sampled_from(b",*\\!:0123456789AaBbcgs`w@ \r\t")))
        elif op == "delete":
            del data[at]
        else:
            data[at] = draw(st.integers(0, 255))
    return bytes(data)


@st.composite
def mutated_lines(draw: st.DrawFn) -> list[bytes]:
    return [mutate(draw, draw(st.sampled_from(REAL))) for _ in range(draw(st.integers(1, 20)))]


@settings(max_examples=500, deadline=None)
@given(mutated_lines())
def test_mutated_lines(lines: list[bytes]) -> None:
    status = check(lines)  # equal to the reference wherever settled, no exception
    assert set(status.tolist()) <= {OK, REJECT, FALLBACK}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=90), min_size=1, max_size=20) | mutated_lines())
def test_compiled_kernel_equals_its_python(lines: list[bytes]) -> None:
    data = b"\n".join(lines)
    buf = np.frombuffer(bytes(LEAD) + data + bytes(TAIL), dtype=np.uint8)
    lengths = np.array([len(line) for line in lines], dtype=np.int64)
    starts = np.zeros(len(lines), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    starts += LEAD
    compiled = frame_lines(buf, starts, starts + lengths)
    with_python = bulkframe._frame_kernel
    try:
        bulkframe._frame_kernel = python_kernel(with_python)  # type: ignore[assignment]
        interpreted = frame_lines(buf, starts, starts + lengths)
    finally:
        bulkframe._frame_kernel = with_python
    for name in compiled.__slots__:
        assert np.array_equal(getattr(compiled, name), getattr(interpreted, name)), name


def test_bad_payload_is_rejected_with_the_first_bad_character() -> None:
    lines = [sentence("15N1u<PP1FJu{SRHOE6QIwwh0HQ6").encode(), sentence("15N1u,PP1F").encode()]
    status = check(lines)
    assert status.tolist() == [REJECT, FALLBACK]
