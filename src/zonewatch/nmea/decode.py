"""Decoding of assembled AIS payloads into position and static columns.

The decode step is separate from framing and assembly so that it can be
swapped: any callable with the :class:`PayloadDecoder` signature turns a batch
of six-bit payloads into :class:`DecodedBatch` columns. :func:`decode_with_pyais`
is the reference implementation (pyais is the oracle a faster decoder must
agree with, field for field).

Rules at this boundary (see ``zonewatch.schema``):

- positions from types 1, 2, 3, 18, 19, 27; statics from 5, 19, 24 (type 19
  gives one row of each; type 24 part A and part B are separate rows); other
  types are counted, not stored;
- "not available" sentinels become ``None``: SOG 102.3 kn (type 27: 63),
  COG 360 and above (type 27: 511), heading 360 and above (511 = n/a);
- a position whose lon/lat is not available (181/91) or out of range fails
  with ``bad_position``; for type 19 the whole message fails (no static row);
- text fields lose their ``@`` padding and surrounding spaces; empty text,
  IMO 0 and ship type 0 become ``None``;
- a payload pyais cannot decode, of an unknown type, or too short for the
  fields read fails with ``bad_payload``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pyais.exceptions import AISBaseException
from pyais.messages import NMEAMessage

__all__ = [
    "MIN_BITS",
    "POSITION_TYPES",
    "STATIC_TYPES",
    "DecodeFailure",
    "DecodedBatch",
    "PayloadDecoder",
    "PositionColumns",
    "StaticColumns",
    "decode_with_pyais",
    "payload_bits",
]

POSITION_TYPES = frozenset({1, 2, 3, 18, 19, 27})
"""Message types that give a position row."""

STATIC_TYPES = frozenset({5, 19, 24})
"""Message types that give a static row."""

MIN_BITS: dict[int | tuple[int, str], int] = {
    1: 137,
    2: 137,
    3: 137,
    18: 133,
    19: 301,
    27: 94,
    5: 420,
    24: 40,
    (24, "A"): 160,
    (24, "B"): 162,
}
"""Fewest payload bits that hold every field read from a message type (up to the last one used).

Type 5 is accepted from 420 bits: many transponders send 420 or 422 instead of 424.
Types not listed need 38 bits (type, repeat indicator and MMSI).
"""

_MIN_ANY_BITS = 38
"""Every AIS message starts with type (6), repeat indicator (2) and MMSI (30)."""
_PAYLOAD = re.compile(rb"[0-W`-w]+")
_FILL = [b"0", b"1", b"2", b"3", b"4", b"5"]
_KNOWN_TYPES = frozenset(range(1, 28))


@dataclass(frozen=True, slots=True)
class PositionColumns:
    """Columns of decoded positions; ``index`` is the message's place in the batch."""

    index: list[int] = field(default_factory=list)
    mmsi: list[int] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    sog: list[float | None] = field(default_factory=list)
    cog: list[float | None] = field(default_factory=list)
    heading: list[int | None] = field(default_factory=list)
    nav_status: list[int | None] = field(default_factory=list)
    msg_type: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StaticColumns:
    """Columns of decoded static data; ``index`` is the message's place in the batch."""

    index: list[int] = field(default_factory=list)
    mmsi: list[int] = field(default_factory=list)
    msg_type: list[int] = field(default_factory=list)
    part: list[str | None] = field(default_factory=list)
    imo: list[int | None] = field(default_factory=list)
    callsign: list[str | None] = field(default_factory=list)
    name: list[str | None] = field(default_factory=list)
    ship_type: list[int | None] = field(default_factory=list)
    to_bow: list[int | None] = field(default_factory=list)
    to_stern: list[int | None] = field(default_factory=list)
    to_port: list[int | None] = field(default_factory=list)
    to_starboard: list[int | None] = field(default_factory=list)
    destination: list[str | None] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DecodeFailure:
    """A message of the batch that could not be used: reason code and short detail."""

    index: int
    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class DecodedBatch:
    """What a batch of payloads decoded to.

    Every message index of the batch appears in exactly one of: ``failures``,
    ``other`` (decoded, type neither position nor static), or the ``index``
    of ``positions`` and/or ``statics`` (type 19 appears in both).
    """

    positions: PositionColumns = field(default_factory=PositionColumns)
    statics: StaticColumns = field(default_factory=StaticColumns)
    failures: list[DecodeFailure] = field(default_factory=list)
    other: list[tuple[int, int]] = field(default_factory=list)
    """``(index, msg_type)`` of decoded messages that are neither positions nor statics."""


class PayloadDecoder(Protocol):
    """Signature of a payload decoder (the swappable decode step)."""

    def __call__(self, payloads: Sequence[bytes], fill_bits: Sequence[int]) -> DecodedBatch:
        """Decode ``payloads[i]`` with ``fill_bits[i]`` for every ``i`` of the batch."""
        ...


def payload_bits(payload: bytes, fill_bits: int) -> int:
    """Return the number of data bits in a six-bit payload.

    Examples
    --------
    >>> payload_bits(b"15N1u<PP1FJuvSRHOE6QIwwh0HQ6", 0)
    168
    """
    return len(payload) * 6 - fill_bits


def _text(value: str | None) -> str | None:
    """Strip ``@`` padding and spaces; empty text is None."""
    if value is None:
        return None
    return value.rstrip("@ ").lstrip(" ") or None


def _nonzero(value: int) -> int | None:
    """Return an integer code, None where 0 means "not available"."""
    return int(value) or None


def _sog_kn(speed: float) -> float | None:
    """Speed over ground in knots; 102.3 (raw 1023) means not available."""
    return None if speed > 102.25 else speed


def _cog_deg(course: float) -> float | None:
    """Course over ground in degrees; 360 (raw 3600) means not available, above is invalid."""
    return None if course > 359.95 else course


def _heading_deg(heading: int) -> int | None:
    """Return the true heading in degrees; 511 means not available, 360..510 invalid."""
    return None if heading >= 360 else heading


def _position_problem(lon: float, lat: float) -> str | None:
    """Why lon/lat are unusable, or None when they are fine."""
    if abs(lon - 181.0) < 1e-6:
        return "lon not available (181)"
    if abs(lat - 91.0) < 1e-6:
        return "lat not available (91)"
    if not -180.0 <= lon <= 180.0:
        return f"lon {lon} out of range"
    if not -90.0 <= lat <= 90.0:
        return f"lat {lat} out of range"
    return None


def _first_type(payload: bytes) -> int:
    """Return the message type: the first six-bit character of the payload."""
    value = payload[0] - 48
    return value - 8 if value > 40 else value


def decode_with_pyais(payloads: Sequence[bytes], fill_bits: Sequence[int]) -> DecodedBatch:
    """Decode a batch of assembled payloads with pyais.

    Parameters
    ----------
    payloads
        Six-bit armoured payloads (all fragments of a message joined).
    fill_bits
        Fill bits of each payload (those of its last fragment).

    Returns
    -------
    DecodedBatch
        Position and static columns, failures and other decoded types, keyed by
        the message's index in the batch.

    Examples
    --------
    >>> batch = decode_with_pyais([b"15N1u<PP1FJuvSRHOE6QIwwh0HQ6", b"8"], [0, 0])
    >>> batch.positions.mmsi, batch.positions.lon, batch.positions.heading
    ([367033650], [-70.346905], [None])
    >>> batch.failures[0].reason
    'bad_payload'
    """
    out = DecodedBatch()
    for index, (payload, fill) in enumerate(zip(payloads, fill_bits, strict=True)):
        problem = _decode_one(index, payload, fill, out)
        if problem is not None:
            out.failures.append(DecodeFailure(index, problem[0], problem[1]))
    return out


def _decode_one(index: int, payload: bytes, fill: int, out: DecodedBatch) -> tuple[str, str] | None:
    """Decode one payload into ``out``; return ``(reason, detail)`` when it fails."""
    if not payload:
        return "bad_payload", "empty payload"
    if _PAYLOAD.fullmatch(payload) is None or not 0 <= fill <= 5:
        return "bad_payload", "payload is not six-bit text or fill bits not in 0..5"
    msg_type = _first_type(payload)
    if msg_type not in _KNOWN_TYPES:
        return "bad_payload", f"unknown message type {msg_type}"
    nbits = payload_bits(payload, fill)
    need = MIN_BITS.get(msg_type, _MIN_ANY_BITS)
    if nbits < need:
        return "bad_payload", f"type {msg_type} payload too short: {nbits} bits, needs {need}"
    try:
        msg = NMEAMessage(b"".join((b"!AIVDM,1,1,,A,", payload, b",", _FILL[fill], b"*00")))
        # pyais returns one of ~30 message classes; the fields read below are
        # guarded by msg_type, so the union is handled dynamically.
        decoded: Any = msg.decode()
    except AISBaseException as err:
        return "bad_payload", f"pyais: {type(err).__name__}: {str(err)[:80]}"

    if msg_type in POSITION_TYPES:
        lon, lat = float(decoded.lon), float(decoded.lat)
        problem = _position_problem(lon, lat)
        if problem is not None:
            return "bad_position", f"type {msg_type}: {problem}"
        pos = out.positions
        pos.index.append(index)
        pos.mmsi.append(int(decoded.mmsi))
        pos.lon.append(lon)
        pos.lat.append(lat)
        pos.msg_type.append(msg_type)
        if msg_type == 27:
            speed, course = int(decoded.speed), int(decoded.course)
            pos.sog.append(None if speed == 63 else float(speed))
            pos.cog.append(None if course >= 360 else float(course))
            pos.heading.append(None)
        else:
            pos.sog.append(_sog_kn(float(decoded.speed)))
            pos.cog.append(_cog_deg(float(decoded.course)))
            pos.heading.append(_heading_deg(int(decoded.heading)))
        pos.nav_status.append(None if msg_type in (18, 19) else int(decoded.status))
        if msg_type != 19:
            return None
    elif msg_type not in STATIC_TYPES:
        out.other.append((index, msg_type))
        return None

    part: str | None = None
    if msg_type == 24:
        part = "A" if int(decoded.partno) == 0 else "B"
        need = MIN_BITS[(24, part)]
        if nbits < need:
            return "bad_payload", f"type 24{part} payload too short: {nbits} bits, needs {need}"
    sta = out.statics
    sta.index.append(index)
    sta.mmsi.append(int(decoded.mmsi))
    sta.msg_type.append(msg_type)
    sta.part.append(part)
    sta.imo.append(_nonzero(decoded.imo) if msg_type == 5 else None)
    sta.callsign.append(_text(decoded.callsign) if part != "A" and msg_type != 19 else None)
    sta.name.append(_text(decoded.shipname) if part != "B" else None)
    sta.ship_type.append(_nonzero(decoded.ship_type) if part != "A" else None)
    has_dims = part != "A" and hasattr(decoded, "to_bow")
    sta.to_bow.append(int(decoded.to_bow) if has_dims else None)
    sta.to_stern.append(int(decoded.to_stern) if has_dims else None)
    sta.to_port.append(int(decoded.to_port) if has_dims else None)
    sta.to_starboard.append(int(decoded.to_starboard) if has_dims else None)
    sta.destination.append(_text(decoded.destination) if msg_type == 5 else None)
    return None
