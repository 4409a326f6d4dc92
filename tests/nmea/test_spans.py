"""Line spans and gathered spans of a batch buffer, against plain Python."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from zonewatch.nmea.spans import gather, line_spans


def python_lines(data: bytes, *, final: bool) -> list[bytes]:
    r"""Lines ended by \n (a \r before it dropped); the rest is a line when final."""
    *ended, rest = data.split(b"\n")
    lines = [line[:-1] if line.endswith(b"\r") else line for line in ended]
    return [*lines, rest] if final and rest else lines


PIECES = st.lists(st.sampled_from([b"ab", b"\r", b"\n", b"\r\n", b"!"])).map(b"".join)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | PIECES, st.booleans(), st.integers(0, 16))
def test_line_spans(data: bytes, final: bool, lead: int) -> None:
    buf = np.frombuffer(bytes(lead) + data + bytes(8), dtype=np.uint8)
    starts, ends = line_spans(buf, lead, lead + len(data), final=final)
    got = [buf[s:e].tobytes() for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
    assert got == python_lines(data, final=final)


@settings(max_examples=200, deadline=None)
@given(st.binary(min_size=1, max_size=100), st.data())
def test_gather(data: bytes, draw: st.DataObject) -> None:
    buf = np.frombuffer(data, dtype=np.uint8)
    spans = draw.draw(
        st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 10)), max_size=20)
    )
    spans = [(s, min(n, len(data) - s)) for s, n in spans]
    start = np.array([s for s, _ in spans], dtype=np.int64)
    length = np.array([n for _, n in spans], dtype=np.int64)
    out, offsets = gather(buf, start, length)
    assert out.tobytes() == b"".join(data[s : s + n] for s, n in spans)
    assert offsets.tolist() == np.concatenate([[0], np.cumsum(length)]).astype(int).tolist()
