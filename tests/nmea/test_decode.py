from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from zonewatch.nmea.decode import DecodedBatch, decode_with_pyais, payload_bits
from zonewatch.nmea.framing import frame_line
from zonewatch.nmea.multipart import Assembler, FragmentReject, Message
from zonewatch.nmea.testing import encode_sentences


def payload_of(lines: list[str] | list[bytes]) -> tuple[bytes, int]:
    """Frame and assemble the sentences of one message."""
    messages: list[Message] = []
    rejects: list[FragmentReject] = []
    assembler = Assembler(messages, rejects)
    for n, line in enumerate(lines, start=1):
        raw = line.encode() if isinstance(line, str) else line
        framed = frame_line(raw)
        assert isinstance(framed, tuple), framed
        assembler.push(n, raw, framed)
    assert not rejects
    (message,) = messages
    return message.payload, message.fill_bits


def decode_one(data: dict[str, Any]) -> DecodedBatch:
    payload, fill = payload_of(encode_sentences(data, seq_id=1))
    return decode_with_pyais([payload], [fill])


def position_row(batch: DecodedBatch) -> dict[str, Any]:
    pos = batch.positions
    assert batch.failures == []
    assert len(pos.index) == 1
    return {
        name: getattr(pos, name)[0]
        for name in ("mmsi", "lon", "lat", "sog", "cog", "heading", "nav_status", "msg_type")
    }


def static_row(batch: DecodedBatch, k: int = 0) -> dict[str, Any]:
    sta = batch.statics
    names = (
        "mmsi msg_type part imo callsign name ship_type to_bow to_stern to_port "
        "to_starboard destination"
    ).split()
    return {name: getattr(sta, name)[k] for name in names}


# -- spot checks against libais's decodes of real messages ------------------------------


def _typeexamples(shared_data: Path) -> list[tuple[bytes, dict[str, Any]]]:
    folder = shared_data / "libais"
    lines = (folder / "typeexamples.nmea").read_bytes().splitlines()
    expected = [
        json.loads(line) for line in (folder / "typeexamples.json").read_text().splitlines()
    ]
    assert len(lines) == len(expected) == 26
    return list(zip(lines, expected, strict=True))


def _expect_sentinel(value: float, sentinel: float) -> float | None:
    return None if abs(value - sentinel) < 1e-3 else value


def test_positions_match_libais(shared_data: Path) -> None:
    checked = 0
    for line, exp in _typeexamples(shared_data):
        if exp["type"] not in (1, 2, 3, 18, 19, 27):
            continue
        payload, fill = payload_of([line])
        batch = decode_with_pyais([payload], [fill])
        if not (-180 <= exp["lon"] <= 180 and -90 <= exp["lat"] <= 90):
            assert [f.reason for f in batch.failures] == ["bad_position"], exp
            continue
        row = position_row(batch)
        assert row["mmsi"] == exp["mmsi"]
        assert row["msg_type"] == exp["type"]
        assert row["lon"] == pytest.approx(exp["lon"], abs=5e-5)
        assert row["lat"] == pytest.approx(exp["lat"], abs=5e-5)
        sog = _expect_sentinel(exp["speed"], 102.3)
        cog = _expect_sentinel(exp["course"], 360.0)
        heading = None if exp["heading"] == 511 else exp["heading"]
        assert row["sog"] == (None if sog is None else pytest.approx(sog, abs=1e-4))
        assert row["cog"] == (None if cog is None else pytest.approx(cog, abs=1e-4))
        assert row["heading"] == heading
        checked += 1
    assert checked == 3  # types 1, 3 and 18; type 27 and type 2 there are out of range


def test_statics_match_libais(shared_data: Path) -> None:
    checked = 0
    for line, exp in _typeexamples(shared_data):
        if exp["type"] not in (5, 19, 24):
            continue
        payload, fill = payload_of([line])
        row = static_row(decode_with_pyais([payload], [fill]))
        assert row["mmsi"] == exp["mmsi"]
        assert row["name"] == (exp.get("shipname") or None)
        assert row["callsign"] == (exp.get("callsign") or None)
        assert row["ship_type"] == (exp.get("shiptype") or None)
        if exp["type"] == 5:
            assert row["imo"] == int(exp["imo"])
            assert row["destination"] == exp["destination"]
            assert (row["to_bow"], row["to_stern"]) == (exp["to_bow"], exp["to_stern"])
        else:
            assert row["part"] == "AB"[exp["part_num"]]
        checked += 1
    assert checked == 2


# -- sentinels and field rules --------------------------------------------------------


def test_sentinels_become_null() -> None:
    row = position_row(
        decode_one(
            {"type": 1, "mmsi": 412000001, "lon": 123.5, "lat": 25.75, "speed": 102.3,
             "course": 360.0, "heading": 511, "status": 15}
        )
    )  # fmt: skip
    assert row["lon"] == pytest.approx(123.5)
    assert row["lat"] == pytest.approx(25.75)
    assert (row["sog"], row["cog"], row["heading"]) == (None, None, None)
    assert row["nav_status"] == 15


def test_values_just_below_sentinels_are_kept() -> None:
    row = position_row(
        decode_one(
            {"type": 1, "mmsi": 412000001, "lon": 180.0, "lat": -90.0, "speed": 102.2,
             "course": 359.9, "heading": 359, "status": 5}
        )
    )  # fmt: skip
    assert row["lon"] == pytest.approx(180.0)
    assert row["lat"] == pytest.approx(-90.0)
    assert row["sog"] == pytest.approx(102.2)
    assert row["cog"] == pytest.approx(359.9)
    assert (row["heading"], row["nav_status"]) == (359, 5)


def test_invalid_heading_and_course_are_null() -> None:
    row = position_row(
        decode_one({"type": 1, "mmsi": 1, "lon": 1.0, "lat": 1.0, "course": 400.0, "heading": 400})
    )
    assert (row["cog"], row["heading"]) == (None, None)


@pytest.mark.parametrize(
    ("lon", "lat", "detail"),
    [(181.0, 91.0, "lon not available"), (10.0, 91.0, "lat not available"),
     (181.0, 10.0, "lon not available"), (-190.0, 10.0, "out of range")],
)  # fmt: skip
def test_position_not_available_is_bad_position(lon: float, lat: float, detail: str) -> None:
    batch = decode_one({"type": 1, "mmsi": 412000001, "lon": lon, "lat": lat})
    (failure,) = batch.failures
    assert failure.reason == "bad_position"
    assert detail in failure.detail
    assert batch.positions.index == []


def test_class_b_type_18() -> None:
    row = position_row(
        decode_one({"type": 18, "mmsi": 412000002, "lon": 123.4, "lat": 25.6, "speed": 12.3,
                    "course": 45.6, "heading": 46})
    )  # fmt: skip
    assert row["msg_type"] == 18
    assert row["nav_status"] is None
    assert row["sog"] == pytest.approx(12.3)
    assert row["heading"] == 46


def test_type_27_sentinels() -> None:
    row = position_row(
        decode_one({"type": 27, "mmsi": 412000003, "lon": 123.5, "lat": 25.5, "speed": 63,
                    "course": 511, "status": 0})
    )  # fmt: skip
    assert row["lon"] == pytest.approx(123.5, abs=1 / 600)
    assert (row["sog"], row["cog"], row["heading"]) == (None, None, None)
    row = position_row(
        decode_one({"type": 27, "mmsi": 412000003, "lon": 123.5, "lat": 25.5, "speed": 14,
                    "course": 270})
    )  # fmt: skip
    assert (row["sog"], row["cog"]) == (14.0, 270.0)


def test_type_19_gives_position_and_static() -> None:
    batch = decode_one(
        {"type": 19, "mmsi": 412000004, "lon": 123.1, "lat": 25.2, "speed": 3.4,
         "course": 12.0, "heading": 13, "shipname": "ZHONG GUO HAI JING", "ship_type": 55,
         "to_bow": 10, "to_stern": 20, "to_port": 3, "to_starboard": 4}
    )  # fmt: skip
    assert position_row(batch)["msg_type"] == 19
    assert static_row(batch) == {
        "mmsi": 412000004, "msg_type": 19, "part": None, "imo": None, "callsign": None,
        "name": "ZHONG GUO HAI JING", "ship_type": 55, "to_bow": 10, "to_stern": 20,
        "to_port": 3, "to_starboard": 4, "destination": None,
    }  # fmt: skip


def test_type_19_without_position_fails_whole_message() -> None:
    batch = decode_one({"type": 19, "mmsi": 412000004, "lon": 181.0, "lat": 91.0, "shipname": "X"})
    assert [f.reason for f in batch.failures] == ["bad_position"]
    assert batch.statics.index == []


def test_type_5_text_padding_and_zero_codes() -> None:
    batch = decode_one(
        {"type": 5, "mmsi": 413000001, "shipname": "HAIJING 2301", "callsign": "BAAA",
         "imo": 0, "ship_type": 0, "destination": "", "to_bow": 50, "to_stern": 60,
         "to_port": 7, "to_starboard": 8}
    )  # fmt: skip
    assert static_row(batch) == {
        "mmsi": 413000001, "msg_type": 5, "part": None, "imo": None, "callsign": "BAAA",
        "name": "HAIJING 2301", "ship_type": None, "to_bow": 50, "to_stern": 60,
        "to_port": 7, "to_starboard": 8, "destination": None,
    }  # fmt: skip
    assert batch.positions.index == []
    assert batch.other == []


def test_text_with_inner_padding_is_cut() -> None:
    batch = decode_one(
        {"type": 5, "mmsi": 413000001, "shipname": "CHINA COAST GUARD @@ @", "imo": 9999999,
         "ship_type": 55}
    )  # fmt: skip
    row = static_row(batch)
    assert (row["name"], row["imo"], row["ship_type"], row["callsign"]) == (
        "CHINA COAST GUARD",
        9999999,
        55,
        None,
    )


def test_type_24_parts_are_separate_rows() -> None:
    a = decode_one({"type": 24, "mmsi": 412000005, "partno": 0, "shipname": "HAI JING 1"})
    b = decode_one(
        {"type": 24, "mmsi": 412000005, "partno": 1, "ship_type": 55, "callsign": "BZZZ",
         "to_bow": 5, "to_stern": 6, "to_port": 1, "to_starboard": 2}
    )  # fmt: skip
    assert static_row(a) == {
        "mmsi": 412000005, "msg_type": 24, "part": "A", "imo": None, "callsign": None,
        "name": "HAI JING 1", "ship_type": None, "to_bow": None, "to_stern": None,
        "to_port": None, "to_starboard": None, "destination": None,
    }  # fmt: skip
    assert static_row(b) == {
        "mmsi": 412000005, "msg_type": 24, "part": "B", "imo": None, "callsign": "BZZZ",
        "name": None, "ship_type": 55, "to_bow": 5, "to_stern": 6, "to_port": 1,
        "to_starboard": 2, "destination": None,
    }  # fmt: skip


def test_type_24_auxiliary_craft_has_no_dimensions() -> None:
    b = decode_one(
        {"type": 24, "mmsi": 984120001, "partno": 1, "ship_type": 55, "callsign": "AUX",
         "mothership_mmsi": 412000005}
    )  # fmt: skip
    row = static_row(b)
    assert (row["callsign"], row["to_bow"], row["to_starboard"]) == ("AUX", None, None)


def test_other_types_are_counted_not_stored() -> None:
    batch = decode_one({"type": 4, "mmsi": 4310001, "lon": 123.0, "lat": 25.0, "year": 2024})
    assert batch.other == [(0, 4)]
    assert batch.positions.index == []
    assert batch.statics.index == []


@pytest.mark.parametrize(
    ("payload", "fill", "detail"),
    [
        (b"", 0, "empty payload"),
        (b"w" + b"0" * 27, 0, "unknown message type 63"),
        (b"0" * 28, 0, "unknown message type 0"),
        (b"L" + b"0" * 27, 0, "unknown message type 28"),
        (b"15N1u<PP1FJuvSRHOE6QIw", 0, "too short: 132 bits"),
        (b"8", 0, "too short: 6 bits"),
        (b"15N1u<PP1FJuvSRHOE6QIwwh0HQ6", 7, "fill bits"),
        (b"15N1u<PP1FJuvSRHOE6QIwwh0HQ{", 0, "six-bit"),
        (b"H" + b"0" * 5 + b"8" + b"0" * 21, 0, "UnknownPartNo"),
        (b"H" + b"0" * 25, 0, "type 24A payload too short: 156 bits"),
        (b"15N1u<PP1FJuvSRHOE6QIwwh0HQ6" * 8, 0, "pyais"),
    ],
)
def test_bad_payloads(payload: bytes, fill: int, detail: str) -> None:
    batch = decode_with_pyais([payload], [fill])
    (failure,) = batch.failures
    assert failure.reason == "bad_payload"
    assert detail in failure.detail


def test_every_index_has_exactly_one_outcome() -> None:
    payloads = [b"15N1u<PP1FJuvSRHOE6QIwwh0HQ6", b"8", b"403Ovl@000Htt<tSF0l4Q@100`Pq"]
    batch = decode_with_pyais(payloads, [0, 0, 0])
    outcomes = sorted(
        [*batch.positions.index, *(f.index for f in batch.failures), *(i for i, _ in batch.other)]
    )
    assert outcomes == [0, 1, 2]


def test_payload_bits() -> None:
    assert payload_bits(b"88888888880", 2) == 64
