"""The per-line reference NMEA reader: frame, assemble, decode one line at a time.

This is the definition the fast engine of :mod:`zonewatch.sources.nmea_file`
is tested against (same tables, same reasons, same accounting). Per line:
:func:`~zonewatch.nmea.framing.frame_line`, then the
:class:`~zonewatch.nmea.multipart.Assembler`, then batches of payloads through
a :class:`~zonewatch.nmea.decode.PayloadDecoder` (pyais by default).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

import pyarrow as pa

from zonewatch.errors import ChecksumError, FragmentError, NMEAError
from zonewatch.nmea.bulk import raw_text as _raw_text
from zonewatch.nmea.decode import DecodedBatch, PayloadDecoder
from zonewatch.nmea.framing import FrameReject, frame_line
from zonewatch.nmea.multipart import Assembler, FragmentReject, Message
from zonewatch.schema import POSITIONS, REJECT_REASONS, REJECTS, STATICS
from zonewatch.sources.accounting import Accounting, Decoded

__all__ = ["BATCH_MESSAGES", "Errors", "read_reference", "reject_error"]

Errors = Literal["collect", "raise"]
"""What a reader does with a rejected line: collect it into ``rejects``, or raise."""

BATCH_MESSAGES = 8192
"""Messages decoded and turned into Arrow columns at a time."""

_REJECT_BATCH = 8192


class _Collector:
    """Accumulates output of one input: Arrow batches and counts."""

    def __init__(self, path: str, file_id: str, errors: Errors, decoder: PayloadDecoder) -> None:
        self.path = path
        self.file_id = file_id
        self.raise_on_reject = errors == "raise"
        self.decoder = decoder
        self.positions: list[pa.RecordBatch] = []
        self.statics: list[pa.RecordBatch] = []
        self.rejects: list[pa.RecordBatch] = []
        self.reject_rows: tuple[list[int], list[str], list[str], list[str | None]] = (
            [],
            [],
            [],
            [],
        )
        self.by_reason: Counter[str] = Counter()
        self.other_types: Counter[int] = Counter()
        self.decoded_lines = 0
        self.messages = 0
        self.n_positions = 0
        self.n_statics = 0

    # -- rejects -----------------------------------------------------------------
    def reject(self, line_no: int, raw: bytes, reason: str, detail: str) -> None:
        if self.raise_on_reject:
            self._raise(line_no, raw, reason, detail)
        line_nos, raws, reasons, details = self.reject_rows
        line_nos.append(line_no)
        raws.append(_raw_text(raw))
        reasons.append(reason)
        details.append(detail)
        self.by_reason[reason] += 1
        if len(line_nos) >= _REJECT_BATCH:
            self._flush_rejects()

    def _raise(self, line_no: int, raw: bytes, reason: str, detail: str) -> None:
        raise reject_error(self.path, line_no, raw, reason, detail)

    def _flush_rejects(self) -> None:
        line_nos, raws, reasons, details = self.reject_rows
        if not line_nos:
            return
        n = len(line_nos)
        self.rejects.append(
            pa.record_batch(
                [
                    pa.array([self.file_id] * n, pa.string()),
                    pa.array([self.path] * n, pa.string()),
                    pa.array(line_nos, pa.uint64()),
                    pa.array(raws, pa.string()),
                    pa.array(reasons, pa.string()),
                    pa.array(details, pa.string()),
                ],
                schema=REJECTS,
            )
        )
        self.reject_rows = ([], [], [], [])

    def fragment_rejects(self, rejects: list[FragmentReject]) -> None:
        for item in rejects:
            self.reject(item.line_no, item.raw, item.reason, item.detail)
        rejects.clear()

    # -- decoded messages ---------------------------------------------------------
    def decode(self, messages: list[Message]) -> None:
        """Decode a batch of complete messages, then clear the list."""
        if not messages:
            return
        batch = self.decoder([m.payload for m in messages], [m.fill_bits for m in messages])
        failed: dict[int, tuple[str, str]] = {f.index: (f.reason, f.detail) for f in batch.failures}
        pos = batch.positions
        ts_all = [m.ts_ms for m in messages]
        pos_ts = [ts_all[i] for i in pos.index]
        if None in pos_ts:
            for i, ts, msg_type in zip(pos.index, pos_ts, pos.msg_type, strict=True):
                if ts is None:
                    failed[i] = ("no_timestamp", f"type {msg_type} position without a receive time")
        if failed:
            for i in sorted(failed, key=lambda k: messages[k].line_no):
                reason, detail = failed[i]
                for line_no, raw in zip(messages[i].line_nos, messages[i].raws, strict=True):
                    self.reject(line_no, raw, reason, detail)
        self._add_positions(messages, batch, failed, ts_all)
        self._add_statics(messages, batch, failed, ts_all)
        for _, msg_type in batch.other:
            self.other_types[msg_type] += 1
        for i, message in enumerate(messages):
            if i not in failed:
                self.messages += 1
                self.decoded_lines += len(message.line_nos)
        messages.clear()

    def _keep(self, index: Sequence[int], failed: dict[int, tuple[str, str]]) -> list[int] | None:
        """Row positions to keep when some messages failed, else None (keep all)."""
        if not failed:
            return None
        return [k for k, i in enumerate(index) if i not in failed]

    def _add_positions(
        self,
        messages: list[Message],
        batch: DecodedBatch,
        failed: dict[int, tuple[str, str]],
        ts_all: list[int | None],
    ) -> None:
        pos = batch.positions
        if not pos.index:
            return
        columns: dict[str, tuple[Sequence[object], pa.DataType]] = {
            "mmsi": (pos.mmsi, pa.uint32()),
            "ts": ([ts_all[i] for i in pos.index], pa.int64()),
            "lon": (pos.lon, pa.float64()),
            "lat": (pos.lat, pa.float64()),
            "sog": (pos.sog, pa.float32()),
            "cog": (pos.cog, pa.float32()),
            "heading": (pos.heading, pa.uint16()),
            "nav_status": (pos.nav_status, pa.uint8()),
            "msg_type": (pos.msg_type, pa.uint8()),
            "source": ([messages[i].source for i in pos.index], pa.string()),
            "line_no": ([messages[i].line_nos[-1] for i in pos.index], pa.uint64()),
        }
        record = self._record(columns, pos.index, failed, POSITIONS)
        self.n_positions += record.num_rows
        self.positions.append(record)

    def _add_statics(
        self,
        messages: list[Message],
        batch: DecodedBatch,
        failed: dict[int, tuple[str, str]],
        ts_all: list[int | None],
    ) -> None:
        sta = batch.statics
        if not sta.index:
            return
        columns: dict[str, tuple[Sequence[object], pa.DataType]] = {
            "mmsi": (sta.mmsi, pa.uint32()),
            "ts": ([ts_all[i] for i in sta.index], pa.int64()),
            "msg_type": (sta.msg_type, pa.uint8()),
            "part": (sta.part, pa.string()),
            "imo": (sta.imo, pa.uint32()),
            "callsign": (sta.callsign, pa.string()),
            "name": (sta.name, pa.string()),
            "ship_type": (sta.ship_type, pa.uint8()),
            "to_bow": (sta.to_bow, pa.uint16()),
            "to_stern": (sta.to_stern, pa.uint16()),
            "to_port": (sta.to_port, pa.uint16()),
            "to_starboard": (sta.to_starboard, pa.uint16()),
            "destination": (sta.destination, pa.string()),
            "source": ([messages[i].source for i in sta.index], pa.string()),
            "line_no": ([messages[i].line_nos[-1] for i in sta.index], pa.uint64()),
        }
        record = self._record(columns, sta.index, failed, STATICS)
        self.n_statics += record.num_rows
        self.statics.append(record)

    def _record(
        self,
        columns: dict[str, tuple[Sequence[object], pa.DataType]],
        index: Sequence[int],
        failed: dict[int, tuple[str, str]],
        schema: pa.Schema,
    ) -> pa.RecordBatch:
        keep = self._keep(index, failed)
        arrays = []
        n = len(index) if keep is None else len(keep)
        for name in schema.names:
            if name == "file_id":
                arrays.append(pa.array([self.file_id] * n, pa.string()))
                continue
            values, dtype = columns[name]
            if keep is not None:
                values = [values[k] for k in keep]
            array = pa.array(values, dtype)
            if name == "ts":
                array = array.cast(schema.field("ts").type)
            arrays.append(array)
        return pa.record_batch(arrays, schema=schema)

    # -- result -------------------------------------------------------------------
    def result(self, lines: int, pending: int) -> Decoded:
        self._flush_rejects()
        rejects = pa.Table.from_batches(self.rejects, schema=REJECTS)
        if rejects.num_rows:
            rejects = rejects.sort_by("line_no")
        accounting = Accounting(
            lines=lines,
            decoded=self.decoded_lines,
            rejected=rejects.num_rows,
            pending=pending,
            messages=self.messages,
            positions=self.n_positions,
            statics=self.n_statics,
            other_messages=sum(self.other_types.values()),
            rejected_by_reason={r: self.by_reason[r] for r in REJECT_REASONS if self.by_reason[r]},
            other_types=dict(sorted(self.other_types.items())),
        )
        return Decoded(
            file_id=self.file_id,
            path=self.path,
            positions=pa.Table.from_batches(self.positions, schema=POSITIONS),
            statics=pa.Table.from_batches(self.statics, schema=STATICS),
            rejects=rejects,
            accounting=accounting,
        )


def reject_error(path: str, line_no: int, raw: bytes, reason: str, detail: str) -> NMEAError:
    """The error ``errors="raise"`` raises for a rejected line.

    Examples
    --------
    >>> reject_error("a.nmea", 3, b"!AIVDM", "bad_checksum", "checksum 00 != computed 01")
    ChecksumError("a.nmea, line 3: bad_checksum (checksum 00 != computed 01): '!AIVDM'")
    """
    shown = raw[:80].decode("utf-8", "backslashreplace")
    message = f"{path}, line {line_no}: {reason} ({detail}): {shown!r}"
    if reason == "bad_checksum":
        return ChecksumError(message, reason)
    if reason.startswith("fragment_"):
        return FragmentError(message, reason)
    return NMEAError(message, reason)


def read_reference(
    lines: Iterable[bytes],
    *,
    path: str,
    file_id: str,
    errors: Errors,
    max_span_lines: int,
    decoder: PayloadDecoder,
) -> Decoded:
    """Read ``lines`` with the per-line reference steps (see the module docstring).

    Parameters and result are those of
    :func:`zonewatch.sources.nmea_file.read_nmea_lines` with ``engine="reference"``.
    """
    collector = _Collector(path, file_id, errors, decoder)
    messages: list[Message] = []
    frag_rejects: list[FragmentReject] = []
    assembler = Assembler(messages, frag_rejects, max_span_lines=max_span_lines)
    batch_size = 1 if errors == "raise" else BATCH_MESSAGES
    reject = collector.reject
    line_no = 0
    for line_no, raw in enumerate(lines, start=1):
        if assembler.has_pending():
            assembler.expire(line_no)
            if frag_rejects:
                collector.fragment_rejects(frag_rejects)
        framed = frame_line(raw)
        if isinstance(framed, FrameReject):
            reject(line_no, raw, framed.reason, framed.detail)
            continue
        assembler.push(line_no, raw, framed)
        if frag_rejects:
            collector.fragment_rejects(frag_rejects)
        if len(messages) >= batch_size:
            collector.decode(messages)
    collector.decode(messages)
    return collector.result(line_no, assembler.pending_line_count())
