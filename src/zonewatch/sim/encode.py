"""Vectorized AIVDM encoding of position reports (types 1 and 18) and tag-blocked lines.

Position reports are the bulk of the simulator's output, so they are packed
column-wise: every field of every message goes into one ``(n, 168)`` bit array,
which is armoured to six-bit ASCII and framed into fixed-width NMEA lines with
vectorized checksums. Static messages (types 5 and 24) are few distinct
payloads; they are encoded once per vessel with :func:`pyais.encode_dict` and
reframed per emission by :func:`frame_sentence`.

All field values are AIS raw units: longitude and latitude in 1/10000 minute
(degrees x 600000), speed in 0.1 knot (1023 = not available), course in 0.1
degree (3600 = not available), heading in degrees (511 = not available).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import xor

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyais import encode_dict

__all__ = [
    "PositionColumns",
    "StaticPayload",
    "armour",
    "frame_sentence",
    "nmea_checksum",
    "position_lines",
    "position_payloads",
    "static_payloads",
    "tag_block",
]

_HEX = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)
_WEIGHTS6 = np.array([32, 16, 8, 4, 2, 1], dtype=np.uint8)
PAYLOAD_CHARS = 28
"""Six-bit characters in a 168-bit type 1 or 18 payload (no fill bits)."""


@dataclass(frozen=True)
class PositionColumns:
    """Columns of position reports in AIS raw units (one entry per message).

    ``msg_type`` is 1 (class A) or 18 (class B). ``second`` is the UTC second
    field (0-59). ``nav_status`` is used by type 1 only.
    """

    msg_type: NDArray[np.int64]
    mmsi: NDArray[np.int64]
    lon: NDArray[np.int64]
    lat: NDArray[np.int64]
    sog: NDArray[np.int64]
    cog: NDArray[np.int64]
    heading: NDArray[np.int64]
    second: NDArray[np.int64]
    nav_status: NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.mmsi)


def _put(bits: NDArray[np.uint8], offset: int, width: int, values: ArrayLike) -> int:
    """Write ``values`` (two's complement, MSB first) into ``bits[:, offset:offset+width]``."""
    v = np.asarray(values, dtype=np.int64)
    if v.ndim == 0:
        v = np.full(bits.shape[0], int(v), dtype=np.int64)
    v = v & ((1 << width) - 1)
    shifts = np.arange(width - 1, -1, -1, dtype=np.int64)
    bits[:, offset : offset + width] = ((v[:, None] >> shifts) & 1).astype(np.uint8)
    return offset + width


def armour(bits: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Armour an ``(n, 6k)`` bit array into ``(n, k)`` six-bit ASCII characters.

    Examples
    --------
    >>> armour(np.zeros((1, 12), dtype=np.uint8)).tobytes()
    b'00'
    """
    n, width = bits.shape
    six = bits.reshape(n, width // 6, 6) @ _WEIGHTS6
    chars = six.astype(np.uint8) + 48
    chars[chars > 87] += 8
    return np.asarray(chars, dtype=np.uint8)


def position_payloads(cols: PositionColumns) -> NDArray[np.uint8]:
    """Six-bit payloads ``(n, 28)`` of type 1 / type 18 position reports.

    Type 1 rows carry ROT "not available", no maneuver indicator, RAIM off and a
    zero SOTDMA radio state; type 18 rows are class B "CS" units with no
    display, DSC, band or message 22 capability.

    Examples
    --------
    >>> one = lambda v: np.array([v])
    >>> cols = PositionColumns(one(1), one(413500001), one(74_100_000), one(15_480_000),
    ...                        one(103), one(1234), one(123), one(12), one(0))
    >>> position_payloads(cols).tobytes()
    b'16:F2H@P1W8mEa0>hlh4lSnH0000'
    """
    n = len(cols)
    bits = np.zeros((n, 168), dtype=np.uint8)
    is_b = np.asarray(cols.msg_type) == 18
    if not np.all(is_b | (np.asarray(cols.msg_type) == 1)):
        raise ValueError("position_payloads encodes message types 1 and 18 only")
    for rows, pack in ((~is_b, _pack_type1), (is_b, _pack_type18)):
        if rows.any():
            sub = np.zeros((int(rows.sum()), 168), dtype=np.uint8)
            pack(sub, cols, rows)
            bits[rows] = sub
    return armour(bits)


def _pack_common_tail(
    bits: NDArray[np.uint8], o: int, cols: PositionColumns, rows: NDArray[np.bool_]
) -> int:
    o = _put(bits, o, 10, cols.sog[rows])
    o = _put(bits, o, 1, 0)  # position accuracy
    o = _put(bits, o, 28, cols.lon[rows])
    o = _put(bits, o, 27, cols.lat[rows])
    o = _put(bits, o, 12, cols.cog[rows])
    o = _put(bits, o, 9, cols.heading[rows])
    return _put(bits, o, 6, cols.second[rows])


def _pack_type1(bits: NDArray[np.uint8], cols: PositionColumns, rows: NDArray[np.bool_]) -> None:
    """Type 1: nav status and ROT (not available) after the MMSI; zero tail."""
    o = _put(bits, 0, 6, 1)
    o = _put(bits, o, 2, 0)  # repeat
    o = _put(bits, o, 30, cols.mmsi[rows])
    o = _put(bits, o, 4, cols.nav_status[rows])
    o = _put(bits, o, 8, -128)  # ROT not available
    _pack_common_tail(bits, o, cols, rows)
    # maneuver (2), spare (3), RAIM (1), SOTDMA radio state (19): zero


def _pack_type18(bits: NDArray[np.uint8], cols: PositionColumns, rows: NDArray[np.bool_]) -> None:
    """Type 18: 8 reserved bits after the MMSI; class B "CS" unit flag set."""
    o = _put(bits, 0, 6, 18)
    o = _put(bits, o, 2, 0)
    o = _put(bits, o, 30, cols.mmsi[rows])
    o = _put(bits, o, 8, 0)  # reserved
    o = _pack_common_tail(bits, o, cols, rows)
    o = _put(bits, o, 2, 0)  # reserved
    _put(bits, o, 1, 1)  # CS unit
    # display, DSC, band, msg22, assigned, RAIM, radio status (20): zero


def _digits(values: NDArray[np.int64], width: int) -> NDArray[np.uint8]:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers) % 10 + 48).astype(np.uint8)


def _const(text: bytes, n: int) -> NDArray[np.uint8]:
    return np.broadcast_to(np.frombuffer(text, dtype=np.uint8), (n, len(text)))


def _hex2(values: NDArray[np.uint8]) -> NDArray[np.uint8]:
    return np.stack([_HEX[values >> 4], _HEX[values & 15]], axis=1)


def position_lines(
    payloads: NDArray[np.uint8],
    ts_s: NDArray[np.int64],
    source: NDArray[np.int64],
    channel_b: NDArray[np.bool_],
) -> NDArray[np.uint8]:
    r"""Fixed-width tag-blocked lines ``(n, 70)`` for single-sentence 28-character payloads.

    Each row reads ``\s:rx<k>,c:<unix s>*hh\!AIVDM,1,1,,<A|B>,<payload>,0*hh``
    with both checksums computed (``source`` holds receiver numbers 1-9).

    Examples
    --------
    >>> p = np.frombuffer(b"16:F2H@P1W8mEa0>hlh4lSnH0000", dtype=np.uint8)[None, :]
    >>> row = position_lines(p, np.array([1709251200]), np.array([1]), np.array([False]))
    >>> row.tobytes().decode()
    '\\s:rx1,c:1709251200*0C\\!AIVDM,1,1,,A,16:F2H@P1W8mEa0>hlh4lSnH0000,0*6F'
    """
    n = payloads.shape[0]
    if np.any((ts_s < 1_000_000_000) | (ts_s > 9_999_999_999)):
        raise ValueError("tag-block times must have ten digits")
    tag = np.concatenate(
        [
            _const(b"s:rx", n),
            (np.asarray(source, dtype=np.int64)[:, None] + 48).astype(np.uint8),
            _const(b",c:", n),
            _digits(np.asarray(ts_s, dtype=np.int64), 10),
        ],
        axis=1,
    )
    tag_cs = np.bitwise_xor.reduce(tag, axis=1)
    channel = np.where(channel_b, ord("B"), ord("A")).astype(np.uint8)[:, None]
    body = np.concatenate(
        [_const(b"AIVDM,1,1,,", n), channel, _const(b",", n), payloads, _const(b",0", n)],
        axis=1,
    )
    body_cs = np.bitwise_xor.reduce(body, axis=1)
    return np.ascontiguousarray(
        np.concatenate(
            [
                _const(b"\\", n),
                tag,
                _const(b"*", n),
                _hex2(tag_cs),
                _const(b"\\!", n),
                body,
                _const(b"*", n),
                _hex2(body_cs),
            ],
            axis=1,
        )
    )


def nmea_checksum(text: bytes) -> int:
    """XOR of the bytes between the leading ``!`` or ``$`` (or tag-block backslash) and ``*``.

    Examples
    --------
    >>> f"{nmea_checksum(b'AIVDM,1,1,,A,16:F2H@P1W8mEa0>hlh4lSnH0000,0'):02X}"
    '6F'
    """
    return reduce(xor, text, 0)


def tag_block(source: str, ts_s: int) -> str:
    r"""NMEA 4 tag block ``\s:<source>,c:<ts_s>*hh\``.

    Examples
    --------
    >>> tag_block("rx1", 1709251200)
    '\\s:rx1,c:1709251200*0C\\'
    """
    body = f"s:{source},c:{ts_s}"
    return f"\\{body}*{nmea_checksum(body.encode()):02X}\\"


def frame_sentence(
    payload: str,
    fill_bits: int,
    count: int = 1,
    number: int = 1,
    seq_id: str = "",
    channel: str = "A",
) -> str:
    """A complete ``!AIVDM`` sentence with its checksum.

    Examples
    --------
    >>> frame_sentence("16:F2H@P1W8mEa0>hlh4lSnH0000", 0)
    '!AIVDM,1,1,,A,16:F2H@P1W8mEa0>hlh4lSnH0000,0*6F'
    """
    body = f"AIVDM,{count},{number},{seq_id},{channel},{payload},{fill_bits}"
    return f"!{body}*{nmea_checksum(body.encode()):02X}"


@dataclass(frozen=True)
class StaticPayload:
    """One encoded static message: its sentences' payloads and fill bits, in order."""

    parts: tuple[tuple[str, int], ...]


def static_payloads(fields: dict[str, str | int | float | bytes | bool]) -> StaticPayload:
    """Encode one static message (type 5, or type 24 part A/B) with pyais.

    Parameters
    ----------
    fields
        pyais field names, including ``type`` (5 or 24) and, for type 24, ``partno``.

    Returns
    -------
    StaticPayload
        The payload and fill bits of each sentence (two for type 5).
    """
    sentences = encode_dict(fields, talker_id="AI", sentence_type="VDM", radio_channel="A")
    parts = []
    for sentence in sentences:
        body = sentence[1 : sentence.index("*")].split(",")
        parts.append((body[5], int(body[6])))
    return StaticPayload(tuple(parts))
