"""The vectorized type 1/18 encoder against pyais, and the line framing."""

from __future__ import annotations

import numpy as np
import pyais
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonewatch.sim.encode import (
    PositionColumns,
    frame_sentence,
    nmea_checksum,
    position_lines,
    position_payloads,
    static_payloads,
    tag_block,
)

_report = st.fixed_dictionaries(
    {
        "msg_type": st.sampled_from([1, 18]),
        "mmsi": st.integers(0, 999_999_999),
        "lon": st.one_of(st.integers(-108_000_000, 108_000_000), st.just(181 * 600_000)),
        "lat": st.one_of(st.integers(-54_000_000, 54_000_000), st.just(91 * 600_000)),
        "sog": st.integers(0, 1023),
        "cog": st.integers(0, 3600),
        "heading": st.one_of(st.integers(0, 359), st.just(511)),
        "second": st.integers(0, 63),
        "nav_status": st.integers(0, 15),
    }
)


def _columns(rows: list[dict[str, int]]) -> PositionColumns:
    return PositionColumns(**{k: np.array([r[k] for r in rows], dtype=np.int64) for k in rows[0]})


@settings(max_examples=60, deadline=None)
@given(st.lists(_report, min_size=1, max_size=20))
def test_pyais_decodes_every_field_of_type_1_and_18(rows: list[dict[str, int]]) -> None:
    payloads = position_payloads(_columns(rows))
    assert payloads.shape == (len(rows), 28)
    for row, payload in zip(rows, payloads, strict=True):
        msg = pyais.decode(frame_sentence(payload.tobytes().decode(), 0)).asdict()
        assert msg["msg_type"] == row["msg_type"]
        assert msg["mmsi"] == row["mmsi"]
        assert msg["lon"] == pytest.approx(row["lon"] / 600_000, abs=1e-6)
        assert msg["lat"] == pytest.approx(row["lat"] / 600_000, abs=1e-6)
        assert msg["speed"] == pytest.approx(row["sog"] / 10)
        assert msg["course"] == pytest.approx(row["cog"] / 10)
        assert msg["heading"] == row["heading"]
        assert msg["second"] == row["second"]
        if row["msg_type"] == 1:
            assert msg["status"] == row["nav_status"]
            assert msg["turn"] == -128  # not available
        else:
            assert msg["cs"] is True


def test_position_lines_are_fixed_width_with_valid_checksums() -> None:
    rows = [
        {"msg_type": 1, "mmsi": 413520230, "lon": 74_100_000, "lat": 15_480_000, "sog": 103,
         "cog": 1234, "heading": 123, "second": 12, "nav_status": 0},
        {"msg_type": 18, "mmsi": 431000123, "lon": 74_200_000, "lat": 15_420_000, "sog": 5,
         "cog": 3600, "heading": 511, "second": 59, "nav_status": 0},
    ]  # fmt: skip
    ts = np.array([1709251200, 1709251259])
    lines = position_lines(
        position_payloads(_columns(rows)), ts, np.array([1, 2]), np.array([False, True])
    )
    assert lines.shape == (2, 70)
    for line, source, t, channel in zip(lines, ("rx1", "rx2"), ts, "AB", strict=True):
        text = line.tobytes().decode()
        tag, sentence = text[1:].split("\\", 1)
        body, check = tag.split("*")
        assert body == f"s:{source},c:{t}"
        assert int(check, 16) == nmea_checksum(body.encode())
        assert sentence.startswith(f"!AIVDM,1,1,,{channel},")
        assert int(sentence[-2:], 16) == nmea_checksum(sentence[1:-3].encode())
        assert text.startswith(tag_block(source, int(t)))


def test_tag_block_times_must_have_ten_digits() -> None:
    one = np.zeros((1, 28), dtype=np.uint8) + ord("0")
    with pytest.raises(ValueError, match="ten digits"):
        position_lines(one, np.array([99]), np.array([1]), np.array([False]))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"type": 5, "mmsi": 413520230, "shipname": "CHINACOASTGUARD2301",
             "callsign": "BOCG231", "ship_type": 55, "to_bow": 66, "to_stern": 33},
            {"shipname": "CHINACOASTGUARD2301", "callsign": "BOCG231", "ship_type": 55},
        ),
        (
            {"type": 24, "mmsi": 431000123, "partno": 0, "shipname": "ZUIHO MARU"},
            {"shipname": "ZUIHO MARU", "partno": 0},
        ),
        (
            {"type": 24, "mmsi": 431000123, "partno": 1, "ship_type": 30, "callsign": "JD2000"},
            {"ship_type": 30, "callsign": "JD2000", "partno": 1},
        ),
    ],
)  # fmt: skip
def test_static_payloads_reframed_decode_with_pyais(
    fields: dict[str, str | int], expected: dict[str, object]
) -> None:
    encoded = static_payloads(dict(fields))
    count = len(encoded.parts)
    assert count == (2 if fields["type"] == 5 else 1)
    sentences = [
        frame_sentence(p, fill, count, n, "3" if count > 1 else "", "B")
        for n, (p, fill) in enumerate(encoded.parts, start=1)
    ]
    msg = pyais.decode(*sentences).asdict()
    assert msg["mmsi"] == fields["mmsi"]
    for key, value in expected.items():
        assert msg[key] == value
