"""Columnar decoding of AIS payloads: the common message types without a Python loop.

:func:`decode_spans` decodes a batch of payloads that lie in one byte buffer
(the lines of an input file, or joined fragments) with NumPy: positions from
types 1, 2, 3, 18, 19 and 27, statics from types 5, 19 and 24, the MMSI of
every other message. Message types it does not decode itself (6, 8, 21, ...)
and type 24 messages with an undefined part number go through
:func:`zonewatch.nmea.decode.decode_with_pyais`, so that every value, null,
failure reason and failure detail is the same as the reference decoder's
(pyais); the tests check this field for field.

:func:`decode_fast` has the :class:`~zonewatch.nmea.decode.PayloadDecoder`
signature, so it can replace ``decode_with_pyais`` wherever that is used.

Beyond the columns of ``zonewatch.schema``, positions carry ``accuracy`` and
``second`` (the UTC second of the fix; null when the payload ends before it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray
from pyais.constants import ShipType

from zonewatch.nmea.decode import (
    MIN_BITS,
    DecodedBatch,
    DecodeFailure,
    PositionColumns,
    StaticColumns,
    decode_with_pyais,
)
from zonewatch.nmea.jit import njit
from zonewatch.nmea.sixbit import (
    I64,
    U8,
    BoolArray,
    check_payloads,
    payload_field,
)

__all__ = [
    "BulkDecoded",
    "BulkPositions",
    "BulkStatics",
    "decode_fast",
    "decode_spans",
]

F64 = NDArray[np.float64]
F32 = NDArray[np.float32]
U16 = NDArray[np.uint16]
U32 = NDArray[np.uint32]

SPAN_PAD = 128
"""Bytes a buffer must extend past the last payload start (widest row gathered)."""

_DECODED_HERE = frozenset({1, 2, 3, 4, 5, 18, 19, 24, 27})
_POSITION_CODES = (1, 2, 3, 18, 19, 27)
_IS_POSITION = np.isin(np.arange(64), _POSITION_CODES)
_IS_DECODED_HERE = np.isin(np.arange(64), sorted(_DECODED_HERE))
_IS_STATIC = np.isin(np.arange(64), (5, 19, 24))
_MIN_BITS_LUT = np.full(64, 38, dtype=np.int64)
for _key, _bits in MIN_BITS.items():
    if isinstance(_key, int):
        _MIN_BITS_LUT[_key] = _bits
_PAYLOAD = re.compile(rb"[0-W`-w]+")


@cache
def _ship_type_lut() -> NDArray[np.int64]:
    """Pyais maps unknown type 5/19 ship type codes (e.g. 1-19, 100+) to other values."""
    return np.array([int(ShipType.from_value(v) or 0) for v in range(256)], dtype=np.int64)


@dataclass(frozen=True, slots=True)
class BulkPositions:
    """Decoded position reports; ``index`` is the message's place in the batch.

    Value arrays hold 0 where the matching ``*_valid`` array is False (null).
    """

    index: I64
    mmsi: U32
    lon: F64
    lat: F64
    sog: F64
    sog_valid: BoolArray
    cog: F64
    cog_valid: BoolArray
    heading: U16
    heading_valid: BoolArray
    nav_status: U8
    nav_status_valid: BoolArray
    msg_type: U8
    accuracy: BoolArray
    second: U8
    second_valid: BoolArray


@dataclass(frozen=True, slots=True)
class BulkStatics:
    """Decoded static data (types 5, 19, 24 A and B); ``index`` is the message's place.

    Text columns are Arrow string arrays (null for empty text); numbers are
    NumPy arrays with a validity array.
    """

    index: I64
    mmsi: U32
    msg_type: U8
    part: pa.Array
    imo: U32
    imo_valid: BoolArray
    callsign: pa.Array
    name: pa.Array
    ship_type: U8
    ship_type_valid: BoolArray
    to_bow: U16
    to_stern: U16
    to_port: U16
    to_starboard: U16
    dims_valid: BoolArray
    destination: pa.Array


@dataclass(frozen=True, slots=True)
class BulkDecoded:
    """What :func:`decode_spans` made of a batch of ``n`` payloads.

    Every message index appears in exactly one of ``failures``, ``other_index``,
    or the ``index`` of ``positions`` and/or ``statics`` (type 19 in both).
    """

    n: int
    positions: BulkPositions
    statics: BulkStatics
    other_index: I64
    other_type: U8
    other_mmsi: U32
    failures: list[DecodeFailure]
    """Sorted by message index."""
    bad_alphabet: I64
    """Messages with characters outside the six-bit alphabet (not decoded)."""


def _empty_positions() -> BulkPositions:
    z = np.zeros(0, dtype=np.int64)
    b = np.zeros(0, dtype=np.bool_)
    return BulkPositions(
        z, z.astype(np.uint32), z.astype(np.float64), z.astype(np.float64),
        z.astype(np.float64), b, z.astype(np.float64), b, z.astype(np.uint16), b,
        z.astype(np.uint8), b, z.astype(np.uint8), b, z.astype(np.uint8), b,
    )  # fmt: skip


@njit
def _signed(value: int, width: int) -> int:  # pragma: no cover - compiled
    """Two's complement value of a ``width``-bit field."""
    return value - (1 << width) if value >> (width - 1) else value


@njit
def _chunk(buf: U8, start: int, length: int, first: int) -> int:  # pragma: no cover - compiled
    """Characters ``first`` to ``first + 9`` of a payload as 60 bits (past its end: zeros)."""
    acc = 0
    for c in range(first, first + 10):
        v = 0
        if c < length:
            v = int(buf[start + c]) - 48
            if v > 40:
                v -= 8
        acc = (acc << 6) | v
    return acc


@njit
def _chunk_bits(
    c0: int, c1: int, c2: int, offset: int, width: int
) -> int:  # pragma: no cover - compiled
    """Bits ``offset`` to ``offset + width`` (< 180, width <= 30) of three 60-bit chunks."""
    j = offset // 60
    p = offset - 60 * j
    here = c0 if j == 0 else (c1 if j == 1 else c2)
    if p + width <= 60:
        return (here >> (60 - p - width)) & ((1 << width) - 1)
    rest = p + width - 60
    after = c1 if j == 0 else c2
    return ((here & ((1 << (60 - p)) - 1)) << rest) | (after >> (60 - rest))


@njit
def _position_kernel(  # pragma: no cover - compiled
    buf: U8,
    starts: I64,
    lengths: I64,
    nbits: I64,
    index: I64,
    types: U8,
    lon: F64,
    lat: F64,
    speed: F64,
    sog_valid: BoolArray,
    course: F64,
    cog_valid: BoolArray,
    heading: U16,
    heading_valid: BoolArray,
    nav: U8,
    nav_valid: BoolArray,
    accuracy: BoolArray,
    second: U8,
    second_valid: BoolArray,
) -> None:
    """Fields of position reports (types 1-3, 18, 19, 27), "not available" values as invalid."""
    for k in range(index.size):
        i = index[k]
        s = starts[i]
        n = lengths[i]
        t = types[k]
        c0 = _chunk(buf, s, n, 0)
        c1 = _chunk(buf, s, n, 10)
        if t == 27:  # long-range: low resolution, no heading nor second
            accuracy[k] = _chunk_bits(c0, c1, 0, 38, 1) == 1
            nav[k] = _chunk_bits(c0, c1, 0, 40, 4)
            nav_valid[k] = True
            x = _signed(_chunk_bits(c0, c1, 0, 44, 18), 18)
            y = _signed(_chunk_bits(c0, c1, 0, 62, 17), 17)
            lon[k] = ((10000 * x + 3) // 6) / 1e6
            lat[k] = ((10000 * y + 3) // 6) / 1e6
            sp = _chunk_bits(c0, c1, 0, 79, 6)
            co = _chunk_bits(c0, c1, 0, 85, 9)
            sog_valid[k] = sp != 63
            speed[k] = sp if sp != 63 else 0.0
            cog_valid[k] = co < 360
            course[k] = co if co < 360 else 0.0
            continue
        c2 = _chunk(buf, s, n, 20)
        d = 4 if t == 18 or t == 19 else 0  # class B fields lie 4 bits earlier
        if d == 0:
            nav[k] = _chunk_bits(c0, c1, c2, 38, 4)
            nav_valid[k] = True
        v = _chunk_bits(c0, c1, c2, 50 - d, 10) / 10.0
        sog_valid[k] = not v > 102.25
        speed[k] = v if sog_valid[k] else 0.0
        accuracy[k] = _chunk_bits(c0, c1, c2, 60 - d, 1) == 1
        x = _signed(_chunk_bits(c0, c1, c2, 61 - d, 28), 28)
        y = _signed(_chunk_bits(c0, c1, c2, 89 - d, 27), 27)
        lon[k] = ((10 * x + 3) // 6) / 1e6
        lat[k] = ((10 * y + 3) // 6) / 1e6
        v = _chunk_bits(c0, c1, c2, 116 - d, 12) / 10.0
        cog_valid[k] = not v > 359.95
        course[k] = v if cog_valid[k] else 0.0
        h = _chunk_bits(c0, c1, c2, 128 - d, 9)
        heading_valid[k] = h < 360
        heading[k] = h if h < 360 else 0
        # the second may be cut short (pyais: the bits there are, right-aligned)
        avail = nbits[i] - (137 - d)
        if avail > 0:
            second[k] = _chunk_bits(c0, c1, c2, 137 - d, 6) >> max(6 - avail, 0)
            second_valid[k] = True


def decode_spans(
    buf: U8,
    starts: I64,
    lengths: I64,
    fill_bits: I64,
    *,
    checked: bool = False,
) -> BulkDecoded:
    """Decode payloads that lie in ``buf`` into position and static columns.

    Parameters
    ----------
    buf
        Bytes holding the payloads, padded so that at least :data:`SPAN_PAD`
        bytes follow every start.
    starts, lengths
        Start and number of characters of each payload (at least 1 each).
    fill_bits
        Fill bits of each payload, 0 to 5.
    checked
        Every payload character is known to be of the six-bit alphabet (framed
        payloads): the alphabet is not checked again.

    Returns
    -------
    BulkDecoded
        Columns keyed by message index, decoded other types and failures; equal,
        value for value, to what :func:`~zonewatch.nmea.decode.decode_with_pyais`
        gives for the same payloads. Payloads with characters outside the six-bit
        alphabet are in ``bad_alphabet`` and nowhere else.
    """
    n = len(starts)
    starts = np.ascontiguousarray(starts, dtype=np.int64)
    lengths = np.ascontiguousarray(lengths, dtype=np.int64)
    nbits = lengths * 6 - fill_bits
    msg_type, bad, mmsi_all = check_payloads(buf, starts, lengths, checked=checked)

    failures: list[DecodeFailure] = []
    unknown = ~bad & ((msg_type == 0) | (msg_type > 27))
    for i in np.flatnonzero(unknown).tolist():
        failures.append(DecodeFailure(i, "bad_payload", f"unknown message type {msg_type[i]}"))
    need = _MIN_BITS_LUT[msg_type]
    short = ~bad & ~unknown & (nbits < need)
    for i in np.flatnonzero(short).tolist():
        failures.append(
            DecodeFailure(
                i,
                "bad_payload",
                f"type {msg_type[i]} payload too short: {nbits[i]} bits, needs {need[i]}",
            )
        )
    ok = ~(bad | unknown | short)

    is_pos = _IS_POSITION[msg_type] & ok
    positions, pos_fail = _decode_positions(buf, starts, lengths, nbits, msg_type, mmsi_all, is_pos)
    failures.extend(pos_fail)
    failed_pos = np.zeros(n, dtype=np.bool_)
    failed_pos[[f.index for f in pos_fail]] = True

    statics, sta_fail, fallback = _decode_statics(
        buf, starts, lengths, nbits, msg_type, mmsi_all, ok & ~failed_pos
    )
    failures.extend(sta_fail)

    handled = _IS_DECODED_HERE[msg_type]
    other = ok & ~handled
    other[fallback] = True
    other_index = np.flatnonzero(other)
    other_type = msg_type[other_index]
    if other_index.size:
        other_index, other_type, more_fail = _decode_with_pyais(
            buf, starts, lengths, fill_bits, other_index, other_type
        )
        failures.extend(more_fail)
    type4 = np.flatnonzero(ok & (msg_type == 4))
    if type4.size:
        other_index = np.concatenate([other_index, type4])
        other_type = np.concatenate([other_type, msg_type[type4]])
        order = np.argsort(other_index, kind="stable")
        other_index, other_type = other_index[order], other_type[order]
    failures.sort(key=lambda f: f.index)
    return BulkDecoded(
        n=n,
        positions=positions,
        statics=statics,
        other_index=other_index,
        other_type=other_type,
        other_mmsi=mmsi_all[other_index],
        failures=failures,
        bad_alphabet=np.flatnonzero(bad),
    )


def _decode_with_pyais(
    buf: U8, starts: I64, lengths: I64, fill_bits: I64, index: I64, msg_type: U8
) -> tuple[I64, U8, list[DecodeFailure]]:
    """Decode the rare messages left to pyais: returns decoded others and failures."""
    payloads = [
        buf[s : s + n].tobytes()
        for s, n in zip(starts[index].tolist(), lengths[index].tolist(), strict=True)
    ]
    batch = decode_with_pyais(payloads, fill_bits[index].tolist())
    if batch.positions.index or batch.statics.index:  # cannot happen: types are not decoded here
        raise AssertionError("pyais fallback decoded a position or static type")
    failures = [DecodeFailure(int(index[f.index]), f.reason, f.detail) for f in batch.failures]
    kept = np.array([i for i, _ in batch.other], dtype=np.int64)
    return index[kept], msg_type[kept], failures


def _decode_positions(
    buf: U8,
    starts: I64,
    lengths: I64,
    nbits: I64,
    msg_type: U8,
    mmsi_all: U32,
    is_pos: BoolArray,
) -> tuple[BulkPositions, list[DecodeFailure]]:
    """Positions of types 1, 2, 3, 18, 19 and 27 (one compiled pass)."""
    index = np.flatnonzero(is_pos)
    if index.size == 0:
        return _empty_positions(), []
    t = msg_type[index]
    m = index.size

    def f64() -> F64:
        return np.zeros(m, dtype=np.float64)

    def flags() -> BoolArray:
        return np.zeros(m, dtype=np.bool_)

    lon, lat, speed, course = f64(), f64(), f64(), f64()
    sog_valid, cog_valid, heading_valid, nav_valid = flags(), flags(), flags(), flags()
    accuracy, second_valid = flags(), flags()
    heading = np.zeros(m, dtype=np.uint16)
    nav = np.zeros(m, dtype=np.uint8)
    second = np.zeros(m, dtype=np.uint8)
    _position_kernel(
        buf, starts, lengths, nbits, index, t, lon, lat, speed, sog_valid, course, cog_valid,
        heading, heading_valid, nav, nav_valid, accuracy, second, second_valid,
    )  # fmt: skip

    problem = (
        (np.abs(lon - 181.0) < 1e-6)
        | (np.abs(lat - 91.0) < 1e-6)
        | ~((lon >= -180.0) & (lon <= 180.0))
        | ~((lat >= -90.0) & (lat <= 90.0))
    )
    failures: list[DecodeFailure] = []
    if problem.any():
        for row in np.flatnonzero(problem).tolist():
            failures.append(
                DecodeFailure(
                    int(index[row]),
                    "bad_position",
                    f"type {t[row]}: {_position_problem(float(lon[row]), float(lat[row]))}",
                )
            )
    positions = BulkPositions(
        index=index,
        mmsi=mmsi_all[index],
        lon=lon,
        lat=lat,
        sog=speed,
        sog_valid=sog_valid,
        cog=course,
        cog_valid=cog_valid,
        heading=heading,
        heading_valid=heading_valid,
        nav_status=nav,
        nav_status_valid=nav_valid,
        msg_type=t,
        accuracy=accuracy,
        second=second,
        second_valid=second_valid,
    )
    if problem.any():
        keep = np.flatnonzero(~problem)
        positions = BulkPositions(
            *(getattr(positions, name)[keep] for name in BulkPositions.__slots__)
        )
    return positions, failures


def _position_problem(lon: float, lat: float) -> str:
    """The reference decoder's words for an unusable position."""
    if abs(lon - 181.0) < 1e-6:
        return "lon not available (181)"
    if abs(lat - 91.0) < 1e-6:
        return "lat not available (91)"
    if not -180.0 <= lon <= 180.0:
        return f"lon {lon} out of range"
    return f"lat {lat} out of range"


_TEXT_ASCII = np.array([v + 64 if v < 32 else v for v in range(64)], dtype=np.uint8)
"""ASCII code of each six-bit text value (``@``, ``A``-``Z``, ... then space to ``?``)."""
_NO_TEXT = -1
_MMSI_AUX_FIRST, _MMSI_AUX_LAST = 980_000_000, 989_999_999
"""Auxiliary craft (MMSI 98xxxxxxx): a type 24 B gives their mothership, not dimensions."""
_FATE_STATIC, _FATE_PYAIS, _FATE_SHORT = 0, 1, 2


def _part_strings(part: NDArray[np.int8]) -> pa.Array:
    """The ``part`` column: null for 0, ``"A"`` for 1, ``"B"`` for 2."""
    n = len(part)
    has = part > 0
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(has, out=offsets[1:])
    data = (part[has] + 64).astype(np.uint8)  # 1 -> 'A', 2 -> 'B'
    null_count = int(n - offsets[-1])
    validity = pa.py_buffer(np.packbits(has, bitorder="little")) if null_count else None
    return pa.StringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(data), validity, null_count
    )


@njit
def _text(  # pragma: no cover - compiled
    buf: U8,
    start: int,
    length: int,
    nbits: int,
    offset: int,
    n_chars: int,
    data: U8,
    offsets: NDArray[np.int32],
    row: int,
    scratch: I64,
) -> None:
    """Append a six-bit text field as stored (spaces and ``@`` padding trimmed) to a column.

    Characters past the end of a short payload follow pyais: missing ones are
    ``@``, a cut one keeps its available bits right-aligned. ``offset`` -1
    leaves the row empty (null). ``scratch`` holds at least ``n_chars`` values.
    """
    at = offsets[row]
    if offset >= 0:
        first = -1
        last = -1
        for j in range(n_chars):  # trimmed span: first non-space to last non-space non-'@'
            bit = offset + 6 * j
            c = 0
            if nbits - bit > 0:
                c = payload_field(buf, start, length, bit, 6) >> max(6 - (nbits - bit), 0)
            scratch[j] = c
            if first < 0 and c != 32:
                first = j
            if c != 0 and c != 32:
                last = j
        for j in range(max(first, 0), last + 1):
            data[at] = _TEXT_ASCII[scratch[j]]
            at += 1
    offsets[row + 1] = at


@njit
def _statics_kernel(  # pragma: no cover - compiled
    buf: U8,
    starts: I64,
    lengths: I64,
    nbits: I64,
    mmsi_all: U32,
    index: I64,
    types: U8,
    ship_lut: I64,
    fate: U8,
    out_index: I64,
    part: NDArray[np.int8],
    numbers: I64,
    valid: BoolArray,
    callsign: U8,
    callsign_offsets: NDArray[np.int32],
    name: U8,
    name_offsets: NDArray[np.int32],
    destination: U8,
    destination_offsets: NDArray[np.int32],
    scratch: I64,
) -> int:
    """Statics of types 5, 19 and 24 A/B; returns the number of rows.

    ``numbers`` columns: imo, ship type, to_bow, to_stern, to_port,
    to_starboard; ``valid`` columns: imo, ship type, dimensions. ``fate`` of
    each message: a row, left to pyais (type 24 of another part), or too short.
    """
    r = 0
    for k in range(index.size):
        i = index[k]
        s = starts[i]
        n = lengths[i]
        nb = nbits[i]
        t = types[k]
        dims = -1
        callsign_at = _NO_TEXT
        name_at = _NO_TEXT
        destination_at = _NO_TEXT
        for col in range(6):
            numbers[r, col] = 0
        for col in range(3):
            valid[r, col] = False
        if t == 5:
            part[r] = 0
            numbers[r, 0] = payload_field(buf, s, n, 40, 30)
            valid[r, 0] = numbers[r, 0] != 0
            numbers[r, 1] = ship_lut[payload_field(buf, s, n, 232, 8)]
            callsign_at, name_at, destination_at, dims = 70, 112, 302, 240
        elif t == 19:
            part[r] = 0
            numbers[r, 1] = ship_lut[payload_field(buf, s, n, 263, 8)]
            name_at, dims = 143, 271
        else:
            partno = payload_field(buf, s, n, 38, 2)
            if partno >= 2:
                fate[k] = _FATE_PYAIS
                continue
            if nb < (160 if partno == 0 else 162):
                fate[k] = _FATE_SHORT
                continue
            part[r] = partno + 1
            if partno == 0:
                name_at = 40
            else:
                numbers[r, 1] = payload_field(buf, s, n, 40, 8)
                callsign_at, dims = 90, 132
        valid[r, 1] = numbers[r, 1] != 0
        if dims >= 0:
            numbers[r, 2] = payload_field(buf, s, n, dims, 9)
            numbers[r, 3] = payload_field(buf, s, n, dims + 9, 9)
            numbers[r, 4] = payload_field(buf, s, n, dims + 18, 6)
            numbers[r, 5] = payload_field(buf, s, n, dims + 24, 6)
            aux = t == 24 and _MMSI_AUX_FIRST <= mmsi_all[i] <= _MMSI_AUX_LAST
            valid[r, 2] = not aux
            if aux:
                for col in range(2, 6):
                    numbers[r, col] = 0
        _text(buf, s, n, nb, callsign_at, 7, callsign, callsign_offsets, r, scratch)
        _text(buf, s, n, nb, name_at, 20, name, name_offsets, r, scratch)
        _text(buf, s, n, nb, destination_at, 20, destination, destination_offsets, r, scratch)
        fate[k] = _FATE_STATIC
        out_index[r] = i
        r += 1
    return r


def _strings(data: U8, offsets: NDArray[np.int32], n: int) -> pa.Array:
    """Arrow strings of the first ``n`` rows of a text column (null where empty)."""
    offsets = offsets[: n + 1]
    valid = offsets[1:] > offsets[:-1]
    null_count = int(n - valid.sum())
    validity = pa.py_buffer(np.packbits(valid, bitorder="little")) if null_count else None
    return pa.StringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(data[: int(offsets[-1])]), validity, null_count
    )


def _decode_statics(
    buf: U8,
    starts: I64,
    lengths: I64,
    nbits: I64,
    msg_type: U8,
    mmsi_all: U32,
    ok: BoolArray,
) -> tuple[BulkStatics, list[DecodeFailure], I64]:
    """Statics of types 5, 19 and 24; returns also type 24 messages left to pyais."""
    index = np.flatnonzero(ok & _IS_STATIC[msg_type])
    m = index.size
    types = msg_type[index]
    fate = np.zeros(m, dtype=np.uint8)
    out_index = np.zeros(m, dtype=np.int64)
    part = np.zeros(m, dtype=np.int8)
    numbers = np.zeros((m, 6), dtype=np.int64)
    valid = np.zeros((m, 3), dtype=np.bool_)
    texts = {
        name: (np.zeros(m * chars, dtype=np.uint8), np.zeros(m + 1, dtype=np.int32))
        for name, chars in (("callsign", 7), ("name", 20), ("destination", 20))
    }
    rows = _statics_kernel(
        buf, starts, lengths, nbits, mmsi_all, index, types, _ship_type_lut(), fate, out_index,
        part, numbers, valid, *texts["callsign"], *texts["name"], *texts["destination"],
        np.zeros(20, dtype=np.int64),
    )  # fmt: skip
    failures = []
    for k in np.flatnonzero(fate == _FATE_SHORT).tolist():
        i = int(index[k])
        which = "A" if _part_of(buf, starts, lengths, i) == 0 else "B"
        need = MIN_BITS[(24, which)]
        failures.append(
            DecodeFailure(
                i, "bad_payload", f"type 24{which} payload too short: {nbits[i]} bits, needs {need}"
            )
        )
    out = out_index[:rows]
    kept = valid[:rows]
    statics = BulkStatics(
        index=out,
        mmsi=mmsi_all[out],
        msg_type=msg_type[out],
        part=_part_strings(part[:rows]),
        imo=numbers[:rows, 0].astype(np.uint32),
        imo_valid=np.ascontiguousarray(kept[:, 0]),
        callsign=_strings(*texts["callsign"], rows),
        name=_strings(*texts["name"], rows),
        ship_type=np.where(kept[:, 1], numbers[:rows, 1], 0).astype(np.uint8),
        ship_type_valid=np.ascontiguousarray(kept[:, 1]),
        to_bow=numbers[:rows, 2].astype(np.uint16),
        to_stern=numbers[:rows, 3].astype(np.uint16),
        to_port=numbers[:rows, 4].astype(np.uint16),
        to_starboard=numbers[:rows, 5].astype(np.uint16),
        dims_valid=np.ascontiguousarray(kept[:, 2]),
        destination=_strings(*texts["destination"], rows),
    )
    return statics, failures, index[fate == _FATE_PYAIS]


def _part_of(buf: U8, starts: I64, lengths: I64, i: int) -> int:
    """Part number of type 24 message ``i``."""
    return int(payload_field(buf, int(starts[i]), int(lengths[i]), 38, 2))


def _nullable(values: NDArray[np.generic], valid: BoolArray) -> list[object]:
    """Python values with None where not valid."""
    out: list[object] = values.tolist()
    for k in np.flatnonzero(~valid).tolist():
        out[k] = None
    return out


def decode_fast(payloads: Sequence[bytes], fill_bits: Sequence[int]) -> DecodedBatch:
    """Decode a batch of assembled payloads with the columnar decoder.

    Same signature and result as :func:`~zonewatch.nmea.decode.decode_with_pyais`
    (the :class:`~zonewatch.nmea.decode.PayloadDecoder` protocol).

    Examples
    --------
    >>> batch = decode_fast([b"15N1u<PP1FJuvSRHOE6QIwwh0HQ6", b"8"], [0, 0])
    >>> batch.positions.mmsi, batch.positions.lon, batch.positions.heading
    ([367033650], [-70.346905], [None])
    >>> batch.failures[0].reason
    'bad_payload'
    """
    out = DecodedBatch()
    usable: list[int] = []
    for i, (payload, fill) in enumerate(zip(payloads, fill_bits, strict=True)):
        if not payload:
            out.failures.append(DecodeFailure(i, "bad_payload", "empty payload"))
        elif _PAYLOAD.fullmatch(payload) is None or not 0 <= fill <= 5:
            out.failures.append(
                DecodeFailure(
                    i, "bad_payload", "payload is not six-bit text or fill bits not in 0..5"
                )
            )
        else:
            usable.append(i)
    if not usable:
        return out
    chunks = [payloads[i] for i in usable]
    lengths = np.array([len(c) for c in chunks], dtype=np.int64)
    starts = np.zeros(len(chunks), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    buf = np.frombuffer(b"".join(chunks) + bytes(SPAN_PAD), dtype=np.uint8)
    fills = np.array([fill_bits[i] for i in usable], dtype=np.int64)
    bulk = decode_spans(buf, starts, lengths, fills)
    if bulk.bad_alphabet.size:  # cannot happen: checked above
        raise AssertionError("payload outside the six-bit alphabet")
    back = np.array(usable, dtype=np.int64)
    _fill_batch(out, bulk, back)
    out.failures.sort(key=lambda f: f.index)
    return out


def _fill_batch(out: DecodedBatch, bulk: BulkDecoded, back: I64) -> None:
    """Copy columnar results into the list-based :class:`DecodedBatch` of the protocol."""
    p = bulk.positions
    pos = PositionColumns(
        index=back[p.index].tolist(),
        mmsi=p.mmsi.tolist(),
        lon=p.lon.tolist(),
        lat=p.lat.tolist(),
        sog=_nullable(p.sog, p.sog_valid),  # type: ignore[arg-type]
        cog=_nullable(p.cog, p.cog_valid),  # type: ignore[arg-type]
        heading=_nullable(p.heading, p.heading_valid),  # type: ignore[arg-type]
        nav_status=_nullable(p.nav_status, p.nav_status_valid),  # type: ignore[arg-type]
        msg_type=p.msg_type.tolist(),
    )
    s = bulk.statics
    sta = StaticColumns(
        index=back[s.index].tolist(),
        mmsi=s.mmsi.tolist(),
        msg_type=s.msg_type.tolist(),
        part=s.part.to_pylist(),
        imo=_nullable(s.imo, s.imo_valid),  # type: ignore[arg-type]
        callsign=s.callsign.to_pylist(),
        name=s.name.to_pylist(),
        ship_type=_nullable(s.ship_type, s.ship_type_valid),  # type: ignore[arg-type]
        to_bow=_nullable(s.to_bow, s.dims_valid),  # type: ignore[arg-type]
        to_stern=_nullable(s.to_stern, s.dims_valid),  # type: ignore[arg-type]
        to_port=_nullable(s.to_port, s.dims_valid),  # type: ignore[arg-type]
        to_starboard=_nullable(s.to_starboard, s.dims_valid),  # type: ignore[arg-type]
        destination=s.destination.to_pylist(),
    )
    for name in pos.__slots__:
        getattr(out.positions, name).extend(getattr(pos, name))
    for name in sta.__slots__:
        getattr(out.statics, name).extend(getattr(sta, name))
    out.failures.extend(
        DecodeFailure(int(back[f.index]), f.reason, f.detail) for f in bulk.failures
    )
    out.other.extend(zip(back[bulk.other_index].tolist(), bulk.other_type.tolist(), strict=True))
