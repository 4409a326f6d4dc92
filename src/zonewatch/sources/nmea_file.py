"""Reading NMEA (AIVDM/AIVDO) files into positions, statics and rejects.

The pipeline per line is: frame (:mod:`zonewatch.nmea.framing`) -> assemble
multipart messages (:mod:`zonewatch.nmea.multipart`) -> decode batches of
payloads (:mod:`zonewatch.nmea.decode`, pyais by default; the decoder is a
parameter so a faster one can replace it). Output columns are gathered per
batch into Arrow record batches, so memory stays proportional to the output,
not to Python objects per row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal, get_args

import pyarrow as pa

from zonewatch.errors import ChecksumError, FragmentError, NMEAError, ParameterError
from zonewatch.nmea.decode import DecodedBatch, PayloadDecoder, decode_with_pyais
from zonewatch.nmea.framing import FrameReject, frame_line
from zonewatch.nmea.multipart import DEFAULT_MAX_SPAN_LINES, Assembler, FragmentReject, Message
from zonewatch.schema import POSITIONS, REJECT_REASONS, REJECTS, STATICS
from zonewatch.sources.accounting import Accounting, Decoded
from zonewatch.sources.files import check_input_file, file_id, open_text_lines

__all__ = ["BATCH_MESSAGES", "MAX_RAW_CHARS", "Errors", "read_nmea", "read_nmea_lines"]

Errors = Literal["collect", "raise"]
"""What a reader does with a rejected line: collect it into ``rejects``, or raise."""

BATCH_MESSAGES = 8192
"""Messages decoded and turned into Arrow columns at a time."""

MAX_RAW_CHARS = 4096
"""The ``raw`` column of rejects keeps at most this many characters of a line."""

_REJECT_BATCH = 8192


def _raw_text(raw: bytes) -> str:
    text = raw.decode("utf-8", "backslashreplace")
    return text if len(text) <= MAX_RAW_CHARS else text[:MAX_RAW_CHARS] + "..."


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
        shown = raw[:80].decode("utf-8", "backslashreplace")
        message = f"{self.path}, line {line_no}: {reason} ({detail}): {shown!r}"
        if reason == "bad_checksum":
            raise ChecksumError(message, reason)
        if reason.startswith("fragment_"):
            raise FragmentError(message, reason)
        raise NMEAError(message, reason)

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


def read_nmea_lines(
    lines: Iterable[bytes],
    *,
    path: str,
    file_id: str,
    errors: Errors = "collect",
    max_span_lines: int = DEFAULT_MAX_SPAN_LINES,
    decoder: PayloadDecoder = decode_with_pyais,
) -> Decoded:
    r"""Decode NMEA lines (raw bytes without newlines) into positions, statics and rejects.

    Parameters
    ----------
    lines
        The input's physical lines in order; line numbers start at 1.
    path
        Where the lines come from (recorded in rejects and error messages).
    file_id
        Content hash of the input (recorded in every output row).
    errors
        ``"collect"`` (default): rejected lines go to ``rejects``. ``"raise"``:
        raise on the first rejected line.
    max_span_lines
        A multipart message must be complete within this many lines after its
        first fragment, else its fragments are rejected as ``fragment_orphan``.
    decoder
        The payload decode step (default: pyais).

    Returns
    -------
    Decoded
        Tables of schema ``POSITIONS``, ``STATICS`` and ``REJECTS`` and the
        line accounting (``lines == decoded + rejected + pending``).

    Raises
    ------
    ChecksumError, FragmentError, NMEAError
        With ``errors="raise"``, on the first rejected line (the message names
        ``path``, the line number and the reason code).
    ParameterError
        If ``errors`` is not ``"collect"`` or ``"raise"``.

    Examples
    --------
    >>> lines = [
    ...     b"\\c:1709251200,s:rx1*0C\\!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30",
    ...     b"# comment",
    ... ]
    >>> out = read_nmea_lines(lines, path="demo.nmea", file_id="x")
    >>> out.positions.column("mmsi").to_pylist(), out.accounting.rejected_by_reason
    ([367033650], {'not_ais': 1})
    """
    if errors not in get_args(Errors):
        raise ParameterError(f"errors must be 'collect' or 'raise', got {errors!r}")
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


def read_nmea(
    path: Path | str,
    *,
    errors: Errors = "collect",
    max_span_lines: int = DEFAULT_MAX_SPAN_LINES,
    decoder: PayloadDecoder = decode_with_pyais,
) -> Decoded:
    r"""Read an NMEA file (plain or ``.gz``) into positions, statics and rejects.

    Parameters
    ----------
    path
        The file. Checked first with :func:`~zonewatch.sources.files.check_input_file`.
    errors
        ``"collect"`` (default) or ``"raise"`` (see :func:`read_nmea_lines`).
    max_span_lines
        Bound for multipart assembly (see :func:`read_nmea_lines`).
    decoder
        The payload decode step (default: pyais).

    Returns
    -------
    Decoded
        Tables and accounting; ``file_id`` is the sha256 of the file's bytes.

    Raises
    ------
    InputFileError
        If the file is missing, not a regular file, empty, binary or corrupt gzip.
    ChecksumError, FragmentError, NMEAError
        With ``errors="raise"``, on the first rejected line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "one.nmea"
    ...     _ = p.write_bytes(b"!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30\n")
    ...     read_nmea(p).accounting.rejected_by_reason
    {'no_timestamp': 1}
    """
    path = Path(path)
    check_input_file(path)
    return read_nmea_lines(
        open_text_lines(path),
        path=str(path),
        file_id=file_id(path),
        errors=errors,
        max_span_lines=max_span_lines,
        decoder=decoder,
    )
