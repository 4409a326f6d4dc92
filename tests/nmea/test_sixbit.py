"""Six-bit de-armouring and field reads agree with pyais's bit vector, short payloads included."""

from __future__ import annotations

import numpy as np
import pytest
from pyais.bit_vector import int_bit_vector

from zonewatch.nmea.jit import python_kernel
from zonewatch.nmea.sixbit import (
    _words_kernel,
    bit_field,
    check_payloads,
    payload_words,
    six_bit_codes,
    text_field,
)

ALPHABET = np.frombuffer(
    b"0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw", dtype=np.uint8
)


Payloads = tuple[np.ndarray, np.ndarray, np.ndarray, list[bytes], np.ndarray]


@pytest.fixture(scope="module")
def payloads() -> Payloads:
    rng = np.random.default_rng(5)
    lengths = rng.integers(1, 80, 3000)
    texts = [ALPHABET[rng.integers(0, 64, n)].tobytes() for n in lengths]
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    buf = np.frombuffer(b"".join(texts) + bytes(200), dtype=np.uint8)
    fills = rng.integers(0, 6, len(texts))
    return buf, starts, lengths, texts, fills


@pytest.mark.parametrize(
    ("offset", "width"),
    [(0, 6), (8, 30), (61, 28), (89, 27), (137, 6), (38, 2), (143, 20), (300, 9), (415, 6)],
)
def test_bit_field_matches_pyais(payloads: Payloads, offset: int, width: int) -> None:
    buf, starts, lengths, texts, fills = payloads
    words = payload_words(buf, starts, lengths, 80)
    nbits = lengths * 6 - fills
    for signed in (False, True):
        values, present = bit_field(words, offset, width, signed=signed, nbits=nbits)
        for k, text in enumerate(texts):
            bv = int_bit_vector(text, int(fills[k]))
            if offset >= len(bv):
                assert present is not None
                assert not present[k]
            else:
                assert values[k] == bv.get_num(offset, width, signed), (k, text)


def test_text_matches_pyais(payloads: Payloads) -> None:
    buf, starts, lengths, texts, fills = payloads
    words = payload_words(buf, starts, lengths, 80)
    nbits = lengths * 6 - fills
    codes = six_bit_codes(words, 40, 20, nbits)
    names = text_field(words, 40, 20, nbits).to_pylist()
    for k, text in enumerate(texts):
        bv = int_bit_vector(text, int(fills[k]))
        expected = [bv.get(40 + 6 * j, 6) for j in range(20)]
        assert codes[k].tolist() == expected
        if 40 < len(bv):
            assert names[k] == (bv.get_str(40, 120).rstrip("@ ").lstrip(" ") or None)


def test_check_payloads_flags_bad_characters() -> None:
    good = b"15N1u<PP1FJuvSRHOE6QIwwh0HQ6"
    texts = [good, good[:20] + b"x" + good[21:], good + b"0" * 8 + b",", b"8", b"@5N1"]
    lengths = np.array([len(t) for t in texts])
    starts = np.zeros(len(texts), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    buf = np.frombuffer(b"".join(texts) + bytes(200), dtype=np.uint8)
    msg_type, bad, mmsi = check_payloads(buf, starts, lengths)
    assert bad.tolist() == [False, True, True, False, False]
    assert msg_type.tolist() == [1, 0, 0, 8, 16]
    assert int(mmsi[0]) == 367033650
    assert int(bit_field(payload_words(buf, starts, lengths, 24), 8, 30)[0][0]) == 367033650


def test_uncompiled_kernel_gives_the_same_words(payloads: Payloads) -> None:
    buf, starts, lengths, _, _ = payloads
    words = payload_words(buf, starts[:200], lengths[:200], 80)
    again = np.zeros_like(words)
    python_kernel(_words_kernel)(buf, starts[:200], lengths[:200], 80, again)
    assert np.array_equal(words, again)
