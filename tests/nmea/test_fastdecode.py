"""The columnar decoder equals pyais (through ``decode_with_pyais``) field for field."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyais.encode import data_to_payload, encode_dict

from zonewatch.nmea.decode import DecodedBatch, decode_with_pyais
from zonewatch.nmea.fastdecode import decode_fast

ALPHABET = np.frombuffer(
    b"0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw", dtype=np.uint8
)


def payload(data: dict[str, Any]) -> tuple[bytes, int]:
    """The assembled payload and fill bits pyais encodes ``data`` to."""
    sentences = encode_dict(data, seq_id=1)
    parts = [s.split(",") for s in sentences]
    return "".join(p[5] for p in parts).encode(), int(parts[-1][6][0])


def assert_same(payloads: list[bytes], fills: list[int]) -> DecodedBatch:
    fast = decode_fast(payloads, fills)
    ref = decode_with_pyais(payloads, fills)
    assert fast.positions == ref.positions
    assert fast.statics == ref.statics
    assert fast.failures == ref.failures
    assert fast.other == ref.other
    return fast


def test_docstring_example_and_sentinels() -> None:
    p1 = payload({"type": 1, "mmsi": 412000001, "lon": -70.5, "lat": -33.25, "speed": 102.3,
                  "course": 360, "heading": 511, "status": 15})  # fmt: skip
    p2 = payload({"type": 18, "mmsi": 413000002, "lon": 181, "lat": 91})
    batch = assert_same([p1[0], p2[0]], [p1[1], p2[1]])
    assert batch.positions.lon == [-70.5]
    assert (batch.positions.sog, batch.positions.cog, batch.positions.heading) == (
        [None], [None], [None],
    )  # fmt: skip
    assert [f.reason for f in batch.failures] == ["bad_position"]


def test_random_characters_every_length_and_fill() -> None:
    rng = np.random.default_rng(11)
    first = rng.choice(np.frombuffer(b"123456789:;<=>?@ABCDEFGHIJKw0", np.uint8), 40_000)
    payloads, fills = [], []
    for k in range(40_000):
        length = int(rng.integers(1, 90))
        body = ALPHABET[rng.integers(0, 64, length)]
        body[0] = first[k]
        payloads.append(body.tobytes())
        fills.append(int(rng.integers(0, 6)))
    assert_same(payloads, fills)


def test_bad_alphabet_and_empty_payloads_fail_like_pyais() -> None:
    assert_same([b"", b"15N1u<PP1FJuvSRHOE6QIwwh0HQx", b"15N1u<PP"], [0, 0, 7])


# -- hypothesis: random field values per message type ----------------------------------

MMSI = st.integers(0, 999_999_999)
LON = st.one_of(st.just(181.0), st.integers(-108_000_000, 108_000_000).map(lambda v: v / 600000))
LAT = st.one_of(st.just(91.0), st.integers(-54_000_000, 54_000_000).map(lambda v: v / 600000))
TEXT = st.text(alphabet="@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_ !\"#$%&'()*+,-./0123456789:;<=>?",
               max_size=20)  # fmt: skip


def _class_a(t: int) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({
        "type": st.just(t), "mmsi": MMSI, "status": st.integers(0, 15), "lon": LON, "lat": LAT,
        "speed": st.integers(0, 1023).map(lambda v: v / 10), "accuracy": st.booleans(),
        "course": st.integers(0, 4095).map(lambda v: v / 10), "heading": st.integers(0, 511),
        "second": st.integers(0, 63),
    })  # fmt: skip


MESSAGES = st.one_of(
    _class_a(1),
    _class_a(2),
    _class_a(3),
    st.fixed_dictionaries(
        {
            "type": st.just(18),
            "mmsi": MMSI,
            "lon": LON,
            "lat": LAT,
            "speed": st.integers(0, 1023).map(lambda v: v / 10),
            "course": st.integers(0, 4095).map(lambda v: v / 10),
            "heading": st.integers(0, 511),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just(19),
            "mmsi": MMSI,
            "lon": LON,
            "lat": LAT,
            "shipname": TEXT,
            "speed": st.integers(0, 1023).map(lambda v: v / 10),
            "ship_type": st.integers(0, 255),
            "to_bow": st.integers(0, 511),
            "to_port": st.integers(0, 63),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just(27),
            "mmsi": MMSI,
            "status": st.integers(0, 15),
            "lon": st.integers(-108_000, 108_000).map(lambda v: v / 600),
            "lat": st.integers(-54_000, 54_000).map(lambda v: v / 600),
            "speed": st.integers(0, 63),
            "course": st.integers(0, 511),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just(5),
            "mmsi": MMSI,
            "imo": st.integers(0, 2**30 - 1),
            "callsign": TEXT,
            "shipname": TEXT,
            "ship_type": st.integers(0, 255),
            "to_bow": st.integers(0, 511),
            "to_stern": st.integers(0, 511),
            "to_port": st.integers(0, 63),
            "to_starboard": st.integers(0, 63),
            "destination": TEXT,
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just(24),
            "mmsi": st.one_of(MMSI, st.integers(980_000_000, 989_999_999)),
            "partno": st.integers(0, 1),
            "shipname": TEXT,
            "callsign": TEXT,
            "ship_type": st.integers(0, 255),
            "to_bow": st.integers(0, 511),
            "mothership_mmsi": MMSI,
        }
    ),
    st.fixed_dictionaries({"type": st.just(4), "mmsi": MMSI, "lon": LON, "lat": LAT}),
    st.fixed_dictionaries({"type": st.sampled_from([9, 21]), "mmsi": MMSI}),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(MESSAGES, min_size=1, max_size=20), st.data())
def test_encoded_messages_match_pyais(messages: list[dict[str, Any]], data: st.DataObject) -> None:
    payloads, fills = [], []
    for message in messages:
        p, fill = payload(message)
        cut = data.draw(st.integers(0, 3))  # sometimes a few characters short
        payloads.append(p[: max(1, len(p) - cut)] if cut == 3 else p)
        fills.append(fill)
    assert_same(payloads, fills)


# -- a million messages from a seeded generator ------------------------------------------

SHARDS = 4
PER_SHARD = 250_000


def _generated(seed: int, n: int) -> tuple[list[bytes], list[int]]:
    """``n`` random messages encoded by pyais (mostly positions, as in real feeds).

    The payloads are what ``pyais.encode_dict`` puts into its sentences (its
    encoding step, without the sentence wrapping, which the reader tests cover).
    """
    rng = np.random.default_rng(seed)
    kinds = rng.choice([1, 2, 3, 18, 19, 27, 5, 24, 4], size=n,
                       p=[0.3, 0.05, 0.1, 0.3, 0.02, 0.03, 0.1, 0.07, 0.03])  # fmt: skip
    mmsi = rng.integers(0, 1_000_000_000, n)
    mmsi[rng.random(n) < 0.02] = rng.integers(980_000_000, 990_000_000)  # auxiliary craft
    lon = rng.integers(-108_000_000, 108_000_001, n) / 600000
    lat = rng.integers(-54_000_000, 54_000_001, n) / 600000
    lon[rng.random(n) < 0.01] = 181.0
    lat[rng.random(n) < 0.01] = 91.0
    speed = rng.integers(0, 1024, n) / 10
    course = rng.integers(0, 4096, n) / 10
    heading = rng.integers(0, 512, n)
    small = rng.integers(0, 64, (n, 4))
    letters = np.array(list("@ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789-"))
    names = ["".join(row) for row in letters[rng.integers(0, len(letters), (n % 5000 + 5000, 20))]]
    payloads: list[bytes] = []
    fills: list[int] = []
    for i in range(n):
        t = int(kinds[i])
        d: dict[str, Any] = {"type": t, "mmsi": int(mmsi[i])}
        if t in (1, 2, 3, 18, 19, 4):
            d.update(lon=float(lon[i]), lat=float(lat[i]))
        if t in (1, 2, 3, 18, 19):
            d.update(speed=float(speed[i]), course=float(course[i]), heading=int(heading[i]))
        if t in (1, 2, 3):
            d.update(status=int(small[i, 0] % 16), second=int(small[i, 1]))
        elif t == 27:
            d.update(lon=round(float(lon[i]) * 600000 / 1000) / 600,
                     lat=round(float(lat[i]) * 600000 / 1000) / 600,
                     speed=int(small[i, 0]), course=int(small[i, 1]) * 8,
                     status=int(small[i, 2] % 16))  # fmt: skip
        elif t in (5, 19, 24):
            name = names[i % len(names)]
            d.update(shipname=name, callsign=name[:7], ship_type=int(small[i, 0] * 4 % 256),
                     to_bow=int(heading[i]), to_port=int(small[i, 1]), partno=int(small[i, 2] % 2),
                     imo=int(mmsi[i] % 2**30), destination=name[::-1],
                     mothership_mmsi=int(mmsi[i]))  # fmt: skip
        armoured, fill = data_to_payload(t, d).encode()  # encode_dict without the sentences
        payloads.append(armoured.encode())
        fills.append(fill)
    return payloads, fills


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_a_million_generated_messages(shard: int) -> None:
    payloads, fills = _generated(1000 + shard, PER_SHARD)
    batch = assert_same(payloads, fills)
    assert len(batch.positions.index) > PER_SHARD // 2
    assert len(batch.statics.index) > PER_SHARD // 10
