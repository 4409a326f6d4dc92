"""Arrow record batches out of bulk-decoded columns (the output side of :mod:`zonewatch.nmea.bulk`).

Columns go from NumPy arrays (values plus validity) to Arrow arrays without a
Python object per row: strings are gathered from byte spans of the input
buffer, constant columns repeat one value, nulls come from validity masks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from zonewatch.nmea.fastdecode import BulkDecoded, BulkPositions
from zonewatch.nmea.sixbit import I64, U8, BoolArray
from zonewatch.nmea.spans import gather
from zonewatch.schema import POSITIONS, STATICS, TS

__all__ = [
    "MAX_RAW_CHARS",
    "MESSAGES",
    "Group",
    "constant_strings",
    "messages_batch",
    "nullable",
    "positions_batch",
    "raw_text",
    "statics_batch",
    "string_spans",
    "timestamps",
]

MAX_RAW_CHARS = 4096
"""The ``raw`` column of rejects keeps at most this many characters of a line."""

MESSAGES = pa.schema(
    [
        pa.field("line_no", pa.uint64(), nullable=False),
        pa.field("msg_type", pa.uint8(), nullable=False),
        pa.field("mmsi", pa.uint32(), nullable=False),
        pa.field("ts", TS),
        pa.field("source", pa.string()),
        pa.field("lon", pa.float64()),
        pa.field("lat", pa.float64()),
        pa.field("sog", pa.float32()),
        pa.field("cog", pa.float32()),
        pa.field("heading", pa.uint16()),
        pa.field("nav_status", pa.uint8()),
        pa.field("accuracy", pa.bool_()),
        pa.field("second", pa.uint8()),
        pa.field("name", pa.string()),
        pa.field("callsign", pa.string()),
        pa.field("imo", pa.uint32()),
        pa.field("ship_type", pa.uint8()),
        pa.field("to_bow", pa.uint16()),
        pa.field("to_stern", pa.uint16()),
        pa.field("to_port", pa.uint16()),
        pa.field("to_starboard", pa.uint16()),
        pa.field("destination", pa.string()),
        pa.field("part", pa.string()),
    ]
)
"""One row per decoded message, in input order (what ``zonewatch decode`` writes)."""


def raw_text(raw: bytes) -> str:
    """A line as stored in the ``raw`` column of rejects (cut at :data:`MAX_RAW_CHARS`)."""
    text = raw.decode("utf-8", "backslashreplace")
    return text if len(text) <= MAX_RAW_CHARS else text[:MAX_RAW_CHARS] + "..."


@dataclass
class Group:
    """Messages decoded together: where their payloads are and what comes with them.

    ``line_no`` is where each message completes; ``lines_of(k)`` gives the
    ``(line_no, raw)`` of every line of message ``k`` (to reject them).
    """

    buf: U8
    start: I64
    length: I64
    fill: I64
    ts: I64
    ts_valid: BoolArray
    source_of: Callable[[I64], pa.Array]
    """The ``source`` strings of the given messages."""
    line_no: I64
    n_lines: I64
    lines_of: Callable[[int], list[tuple[int, bytes]]]


def string_spans(buf: U8, start: I64, length: I64) -> pa.Array:
    """Arrow strings of the byte spans ``buf[start:start+length]`` (null where length is 0)."""
    n = len(start)
    data, offsets = gather(buf, start, length)
    valid = length > 0
    validity = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.StringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(data), validity, int(n - valid.sum())
    )


_CONSTANT_ROWS = 1 << 16
_constants: dict[str, pa.Array] = {}


def constant_strings(value: str, n: int) -> pa.Array:
    """A string column of ``n`` copies of ``value``.

    Columns of up to 65,536 rows are zero-copy slices of one cached array per
    value, so the ``file_id`` of millions of rows costs one buffer, not a copy
    per row.
    """
    if n > _CONSTANT_ROWS:
        data = value.encode()
        if (n + 1) * len(data) < 2**31:
            offsets = np.arange(n + 1, dtype=np.int32) * np.int32(len(data))
            return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data * n))
        return pa.array([value] * n, pa.string())
    cached = _constants.get(value)
    if cached is None:
        if len(_constants) > 8:
            _constants.clear()
        data = value.encode()
        offsets = np.arange(_CONSTANT_ROWS + 1, dtype=np.int32) * len(data)
        cached = pa.StringArray.from_buffers(
            _CONSTANT_ROWS, pa.py_buffer(offsets), pa.py_buffer(data * _CONSTANT_ROWS)
        )
        _constants[value] = cached
    return cached.slice(0, n)


def nullable(values: NDArray[np.generic], valid: BoolArray | None, dtype: pa.DataType) -> pa.Array:
    """Arrow array of ``values`` with nulls where not ``valid``."""
    if valid is None or valid.all():
        return pa.array(values, dtype)
    return pa.array(values, dtype, mask=~valid)


def timestamps(ts: I64, valid: BoolArray) -> pa.Array:
    """Arrow ``timestamp[ms, UTC]`` array from epoch ms (null where not valid)."""
    return nullable(ts, valid, pa.int64()).cast(TS)


def positions_batch(
    group: Group, decoded: BulkDecoded, failed: BoolArray, file_id: str
) -> pa.RecordBatch:
    """Record batch of the group's decoded positions (not failed), by line."""
    p = decoded.positions
    keep = ~failed[p.index]
    if not keep.all():
        rows = np.flatnonzero(keep)
        p = BulkPositions(*(getattr(p, name)[rows] for name in BulkPositions.__slots__))
    index = p.index
    n = len(index)
    return pa.record_batch(
        [
            pa.array(p.mmsi, pa.uint32()),
            timestamps(group.ts[index], group.ts_valid[index]),
            pa.array(p.lon, pa.float64()),
            pa.array(p.lat, pa.float64()),
            nullable(p.sog.astype(np.float32), p.sog_valid, pa.float32()),
            nullable(p.cog.astype(np.float32), p.cog_valid, pa.float32()),
            nullable(p.heading, p.heading_valid, pa.uint16()),
            nullable(p.nav_status, p.nav_status_valid, pa.uint8()),
            pa.array(p.msg_type, pa.uint8()),
            group.source_of(index),
            constant_strings(file_id, n),
            pa.array(group.line_no[index].astype(np.uint64), pa.uint64()),
        ],
        schema=POSITIONS,
    )


def statics_batch(
    group: Group, decoded: BulkDecoded, failed: BoolArray, file_id: str
) -> pa.RecordBatch:
    """Record batch of the group's decoded statics (not failed), by line."""
    s = decoded.statics
    k = np.flatnonzero(~failed[s.index])
    take = pa.array(k)
    index = s.index[k]
    return pa.record_batch(
        [
            pa.array(s.mmsi[k], pa.uint32()),
            timestamps(group.ts[index], group.ts_valid[index]),
            pa.array(s.msg_type[k], pa.uint8()),
            s.part.take(take),
            nullable(s.imo[k], s.imo_valid[k], pa.uint32()),
            s.callsign.take(take),
            s.name.take(take),
            nullable(s.ship_type[k], s.ship_type_valid[k], pa.uint8()),
            nullable(s.to_bow[k], s.dims_valid[k], pa.uint16()),
            nullable(s.to_stern[k], s.dims_valid[k], pa.uint16()),
            nullable(s.to_port[k], s.dims_valid[k], pa.uint16()),
            nullable(s.to_starboard[k], s.dims_valid[k], pa.uint16()),
            s.destination.take(take),
            group.source_of(index),
            constant_strings(file_id, len(k)),
            pa.array(group.line_no[index].astype(np.uint64), pa.uint64()),
        ],
        schema=STATICS,
    )


def messages_batch(group: Group, decoded: BulkDecoded, usable: BoolArray) -> pa.RecordBatch:
    """Record batch of :data:`MESSAGES`: every decoded message of the group, by line."""
    n = decoded.n
    p, s = decoded.positions, decoded.statics
    msg_type = np.zeros(n, dtype=np.uint8)
    mmsi = np.zeros(n, dtype=np.uint32)
    for index, types, mmsis in (
        (p.index, p.msg_type, p.mmsi),
        (s.index, s.msg_type, s.mmsi),
        (decoded.other_index, decoded.other_type, decoded.other_mmsi),
    ):
        msg_type[index] = types
        mmsi[index] = mmsis
    rows = np.flatnonzero(usable)
    pos_row = np.full(n, -1, dtype=np.int64)
    pos_row[p.index] = np.arange(len(p.index))
    sta_row = np.full(n, -1, dtype=np.int64)
    sta_row[s.index] = np.arange(len(s.index))
    pr, sr = pos_row[rows], sta_row[rows]
    has_p, has_s = pr >= 0, sr >= 0
    prc, src = np.maximum(pr, 0), np.maximum(sr, 0)

    def pcol(values: NDArray[np.generic], valid: BoolArray | None, dtype: pa.DataType) -> pa.Array:
        if not len(p.index):
            return pa.nulls(len(rows), dtype)
        ok = has_p if valid is None else has_p & valid[prc]
        return nullable(values[prc], ok, dtype)

    def scol(values: NDArray[np.generic], valid: BoolArray | None, dtype: pa.DataType) -> pa.Array:
        if not len(s.index):
            return pa.nulls(len(rows), dtype)
        ok = has_s if valid is None else has_s & valid[src]
        return nullable(values[src], ok, dtype)

    def stext(values: pa.Array) -> pa.Array:
        return values.take(pa.array(sr, mask=~has_s))

    return pa.record_batch(
        [
            pa.array(group.line_no[rows].astype(np.uint64), pa.uint64()),
            pa.array(msg_type[rows], pa.uint8()),
            pa.array(mmsi[rows], pa.uint32()),
            timestamps(group.ts[rows], group.ts_valid[rows]),
            group.source_of(rows),
            pcol(p.lon, None, pa.float64()),
            pcol(p.lat, None, pa.float64()),
            pcol(p.sog.astype(np.float32), p.sog_valid, pa.float32()),
            pcol(p.cog.astype(np.float32), p.cog_valid, pa.float32()),
            pcol(p.heading, p.heading_valid, pa.uint16()),
            pcol(p.nav_status, p.nav_status_valid, pa.uint8()),
            pcol(p.accuracy, None, pa.bool_()),
            pcol(p.second, p.second_valid, pa.uint8()),
            stext(s.name),
            stext(s.callsign),
            scol(s.imo, s.imo_valid, pa.uint32()),
            scol(s.ship_type, s.ship_type_valid, pa.uint8()),
            scol(s.to_bow, s.dims_valid, pa.uint16()),
            scol(s.to_stern, s.dims_valid, pa.uint16()),
            scol(s.to_port, s.dims_valid, pa.uint16()),
            scol(s.to_starboard, s.dims_valid, pa.uint16()),
            stext(s.destination),
            stext(s.part),
        ],
        schema=MESSAGES,
    )
