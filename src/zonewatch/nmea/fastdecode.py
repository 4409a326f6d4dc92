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
from zonewatch.nmea.sixbit import (
    I64,
    U8,
    BoolArray,
    bit_field,
    char_matrix,
    payload_words,
    prefix_words,
)
from zonewatch.nmea.sixbit import text_field as _text_field

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


@dataclass(frozen=True, slots=True)
class _Layout:
    """Raw fields of a type 1-3 layout."""

    status: I64
    speed: I64
    accuracy: I64
    lon: I64
    lat: I64
    course: I64
    heading: I64
    second: I64
    second_ok: BoolArray | None


def _position_layout(words: NDArray[np.uint64], nbits: I64) -> _Layout:
    """Fields of types 1-3 (and 18/19 once shifted by 4 bits) from the first 144 bits."""
    return _Layout(
        status=bit_field(words, 38, 4)[0],
        speed=bit_field(words, 50, 10)[0],
        accuracy=bit_field(words, 60, 1)[0],
        lon=bit_field(words, 61, 28, signed=True)[0],
        lat=bit_field(words, 89, 27, signed=True)[0],
        course=bit_field(words, 116, 12)[0],
        heading=bit_field(words, 128, 9)[0],
        second=bit_field(words, 137, 6, nbits=nbits)[0],
        second_ok=bit_field(words, 137, 6, nbits=nbits)[1],
    )


def _shift_right_4(words: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """Move every row's bits 4 places later (type 18/19 fields onto the places of type 1's)."""
    out = words >> np.uint64(4)
    out[1:] |= words[:-1] << np.uint64(60)
    return out


def decode_spans(
    buf: U8,
    starts: I64,
    lengths: I64,
    fill_bits: I64,
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

    Returns
    -------
    BulkDecoded
        Columns keyed by message index, decoded other types and failures; equal,
        value for value, to what :func:`~zonewatch.nmea.decode.decode_with_pyais`
        gives for the same payloads. Payloads with characters outside the six-bit
        alphabet are in ``bad_alphabet`` and nowhere else.
    """
    n = len(starts)
    starts = starts.astype(np.int64, copy=False)
    lengths = lengths.astype(np.int64, copy=False)
    nbits = lengths * 6 - fill_bits
    first = buf[starts].astype(np.int64) - 48
    msg_type = (np.where(first > 40, first - 8, first) & 63).astype(np.uint8)

    # every message: the first 24 characters (MMSI, and all fields of types 1-3, 18)
    words, bad = prefix_words(buf, starts, lengths)

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
    mmsi_all = bit_field(words, 8, 30)[0].astype(np.uint32)

    is_pos = _IS_POSITION[msg_type] & ok
    positions, pos_fail = _decode_positions(buf, starts, lengths, nbits, msg_type, words, is_pos)
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
    words: NDArray[np.uint64],
    is_pos: BoolArray,
) -> tuple[BulkPositions, list[DecodeFailure]]:
    """Positions of types 1, 2, 3, 18, 19 (from ``words``) and 27 (gathered apart)."""
    index = np.flatnonzero(is_pos)
    if index.size == 0:
        return _empty_positions(), []
    t = msg_type[index]
    w = words[:, index]
    nb = nbits[index]
    class_b = (t == 18) | (t == 19)
    cb = np.flatnonzero(class_b)
    if cb.size:
        w[:, cb] = _shift_right_4(w[:, cb])
        nb = np.where(class_b, nb + 4, nb)
    f = _position_layout(w, nb)
    lon = ((10 * f.lon + 3) // 6) / 1e6
    lat = ((10 * f.lat + 3) // 6) / 1e6
    speed = f.speed / 10.0
    course = f.course / 10.0
    heading = f.heading
    sog_valid = ~(speed > 102.25)
    cog_valid = ~(course > 359.95)
    heading_valid = heading < 360
    nav_valid = ~class_b
    nav = f.status
    accuracy = f.accuracy.astype(np.bool_)
    second = f.second
    second_valid = np.ones(index.size, dtype=np.bool_) if f.second_ok is None else f.second_ok

    is27 = t == 27
    if is27.any():
        k = np.flatnonzero(is27)
        g = index[k]
        w27 = payload_words(char_matrix(buf, starts[g], lengths[g], 16))
        acc27, _ = bit_field(w27, 38, 1)
        st27, _ = bit_field(w27, 40, 4)
        lon27, _ = bit_field(w27, 44, 18, signed=True)
        lat27, _ = bit_field(w27, 62, 17, signed=True)
        sp27, _ = bit_field(w27, 79, 6)
        co27, _ = bit_field(w27, 85, 9)
        lon[k] = ((10000 * lon27 + 3) // 6) / 1e6
        lat[k] = ((10000 * lat27 + 3) // 6) / 1e6
        speed[k] = sp27
        course[k] = co27
        sog_valid[k] = sp27 != 63
        cog_valid[k] = co27 < 360
        heading_valid[k] = False
        nav[k] = st27
        accuracy[k] = acc27.astype(np.bool_)
        second_valid[k] = False

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
        mmsi=bit_field(words[:, index], 8, 30)[0].astype(np.uint32),
        lon=lon,
        lat=lat,
        sog=np.where(sog_valid, speed, 0.0),
        sog_valid=sog_valid,
        cog=np.where(cog_valid, course, 0.0),
        cog_valid=cog_valid,
        heading=np.where(heading_valid, heading, 0).astype(np.uint16),
        heading_valid=heading_valid,
        nav_status=np.where(nav_valid, nav, 0).astype(np.uint8),
        nav_status_valid=nav_valid,
        msg_type=t,
        accuracy=accuracy,
        second=np.where(second_valid, second, 0).astype(np.uint8),
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


@dataclass(frozen=True, slots=True)
class _StaticPart:
    index: I64
    msg_type: int
    part: str | None
    imo: NDArray[np.int64] | None
    callsign: pa.Array | None
    name: pa.Array | None
    ship_type: NDArray[np.int64] | None
    dims: tuple[NDArray[np.int64], ...] | None
    dims_valid: BoolArray | None
    destination: pa.Array | None


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
    parts: list[_StaticPart] = []
    failures: list[DecodeFailure] = []
    fallback = np.zeros(0, dtype=np.int64)
    lut = _ship_type_lut()

    idx5 = np.flatnonzero(ok & (msg_type == 5))
    if idx5.size:
        w = payload_words(char_matrix(buf, starts[idx5], lengths[idx5], 71))
        nb = nbits[idx5]
        dims = tuple(bit_field(w, o, k)[0] for o, k in ((240, 9), (249, 9), (258, 6), (264, 6)))
        parts.append(
            _StaticPart(
                idx5, 5, None, bit_field(w, 40, 30)[0], _text_field(w, 70, 7, nb),
                _text_field(w, 112, 20, nb), lut[bit_field(w, 232, 8)[0]], dims, None,
                _text_field(w, 302, 20, nb),
            )
        )  # fmt: skip

    idx19 = np.flatnonzero(ok & (msg_type == 19))
    if idx19.size:
        w = payload_words(char_matrix(buf, starts[idx19], lengths[idx19], 51))
        nb = nbits[idx19]
        dims = tuple(bit_field(w, o, k)[0] for o, k in ((271, 9), (280, 9), (289, 6), (295, 6)))
        parts.append(
            _StaticPart(
                idx19, 19, None, None, None, _text_field(w, 143, 20, nb),
                lut[bit_field(w, 263, 8)[0]], dims, None, None,
            )
        )  # fmt: skip

    idx24 = np.flatnonzero(ok & (msg_type == 24))
    if idx24.size:
        w = payload_words(char_matrix(buf, starts[idx24], lengths[idx24], 27))
        nb = nbits[idx24]
        partno = bit_field(w, 38, 2)[0]
        fallback = idx24[partno >= 2]
        a = np.flatnonzero(partno == 0)
        b = np.flatnonzero(partno == 1)
        for sel, part, need in ((a, "A", MIN_BITS[(24, "A")]), (b, "B", MIN_BITS[(24, "B")])):
            too_short = nb[sel] < need
            for k in sel[too_short].tolist():
                failures.append(
                    DecodeFailure(
                        int(idx24[k]),
                        "bad_payload",
                        f"type 24{part} payload too short: {nb[k]} bits, needs {need}",
                    )
                )
            sel = sel[~too_short]
            if not sel.size:
                continue
            ws = w[:, sel]
            if part == "A":
                parts.append(
                    _StaticPart(
                        idx24[sel], 24, "A", None, None, _text_field(ws, 40, 20, nb[sel]),
                        None, None, None, None,
                    )
                )  # fmt: skip
                continue
            mmsi = mmsi_all[idx24[sel]].astype(np.int64)
            auxiliary = (mmsi >= 980_000_000) & (mmsi <= 989_999_999)
            dims = tuple(
                bit_field(ws, o, k)[0] for o, k in ((132, 9), (141, 9), (150, 6), (156, 6))
            )
            parts.append(
                _StaticPart(
                    idx24[sel], 24, "B", None, _text_field(ws, 90, 7, nb[sel]), None,
                    bit_field(ws, 40, 8)[0], dims, ~auxiliary, None,
                )
            )  # fmt: skip
    return _join_statics(parts, mmsi_all), failures, fallback


_PARTS = pa.array([None, "A", "B"], pa.string())


def _join_statics(parts: list[_StaticPart], mmsi_all: U32) -> BulkStatics:
    """Concatenate the per-type static parts, ordered by message index."""
    if not parts:
        z = np.zeros(0, dtype=np.int64)
        b = np.zeros(0, dtype=np.bool_)
        s = pa.array([], pa.string())
        u16 = z.astype(np.uint16)
        return BulkStatics(
            z, z.astype(np.uint32), z.astype(np.uint8), s, z.astype(np.uint32), b, s, s,
            z.astype(np.uint8), b, u16, u16, u16, u16, b, s,
        )  # fmt: skip
    index = np.concatenate([p.index for p in parts])
    total = len(index)
    order = np.argsort(index, kind="stable")
    where = np.empty(total, dtype=np.int64)  # final row of each part row
    where[order] = np.arange(total)
    msg_type = np.empty(total, dtype=np.uint8)
    part_code = np.empty(total, dtype=np.int64)
    numbers = {
        name: np.zeros(total, dtype=np.int64) for name in ("imo", "ship", "b", "s", "p", "t")
    }
    valid = {name: np.zeros(total, dtype=np.bool_) for name in ("imo", "ship", "dims")}
    texts: dict[str, list[pa.Array]] = {"callsign": [], "name": [], "destination": []}
    offset = 0
    for p in parts:
        size = p.index.size
        rows = where[offset : offset + size]
        offset += size
        msg_type[rows] = p.msg_type
        part_code[rows] = {None: 0, "A": 1, "B": 2}[p.part]
        if p.imo is not None:
            numbers["imo"][rows] = p.imo
            valid["imo"][rows] = p.imo != 0
        if p.ship_type is not None:
            numbers["ship"][rows] = p.ship_type
            valid["ship"][rows] = p.ship_type != 0
        if p.dims is not None:
            for name, values in zip("bspt", p.dims, strict=True):
                numbers[name][rows] = values
            valid["dims"][rows] = True if p.dims_valid is None else p.dims_valid
        for name in texts:
            value = getattr(p, name)
            texts[name].append(pa.nulls(size, pa.string()) if value is None else value)
    take = pa.array(order)

    def text(name: str) -> pa.Array:
        arrays = texts[name]
        joined = arrays[0] if len(arrays) == 1 else pa.concat_arrays(arrays)
        return joined if len(arrays) == 1 else joined.take(take)

    def zero_where(values: NDArray[np.int64], ok: BoolArray) -> NDArray[np.int64]:
        return np.where(ok, values, 0)

    index = index[order]
    dims_valid = valid["dims"]
    return BulkStatics(
        index=index,
        mmsi=mmsi_all[index],
        msg_type=msg_type,
        part=_PARTS.take(pa.array(part_code)),
        imo=zero_where(numbers["imo"], valid["imo"]).astype(np.uint32),
        imo_valid=valid["imo"],
        callsign=text("callsign"),
        name=text("name"),
        ship_type=zero_where(numbers["ship"], valid["ship"]).astype(np.uint8),
        ship_type_valid=valid["ship"],
        to_bow=zero_where(numbers["b"], dims_valid).astype(np.uint16),
        to_stern=zero_where(numbers["s"], dims_valid).astype(np.uint16),
        to_port=zero_where(numbers["p"], dims_valid).astype(np.uint16),
        to_starboard=zero_where(numbers["t"], dims_valid).astype(np.uint16),
        dims_valid=dims_valid,
        destination=text("destination"),
    )


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
