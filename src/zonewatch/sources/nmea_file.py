"""Reading NMEA (AIVDM/AIVDO) files into positions, statics and rejects.

Two engines give the same tables:

- ``"fast"`` (default): the input is read in byte batches of about
  :data:`BATCH_BYTES` and each batch is framed, assembled and decoded
  columnarly by :class:`zonewatch.nmea.bulk.BulkDecoder`, which hands the
  unusual lines to the reference steps below; memory is bounded by the batch
  size plus the output tables, and :func:`iter_nmea` streams batch by batch;
- ``"reference"``: per line, frame (:mod:`zonewatch.nmea.framing`) ->
  assemble multipart messages (:mod:`zonewatch.nmea.multipart`) -> decode
  batches of payloads (:mod:`zonewatch.nmea.decode`, pyais by default; a
  ``decoder`` parameter swaps it). It is the definition the fast engine is
  tested against.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol, get_args

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from zonewatch.errors import (
    InputFileError,
    ParameterError,
)
from zonewatch.nmea.bulk import (
    MAX_RAW_CHARS,
    BatchResult,
    BulkDecoder,
    PreparedBatch,
    RejectEvent,
)
from zonewatch.nmea.bulkframe import LEAD, TAIL
from zonewatch.nmea.decode import PayloadDecoder, decode_with_pyais
from zonewatch.nmea.multipart import DEFAULT_MAX_SPAN_LINES
from zonewatch.nmea.spans import line_spans
from zonewatch.schema import POSITIONS, REJECT_REASONS, REJECTS, STATICS
from zonewatch.sources.accounting import Accounting, Decoded
from zonewatch.sources.compression import (
    DECOMPRESSION_ERRORS,
    compression_of,
    open_decompressed,
)
from zonewatch.sources.files import check_input_file, file_id, open_text_lines
from zonewatch.sources.nmea_reference import (
    BATCH_MESSAGES,
    Errors,
    read_reference,
    reject_error,
)

__all__ = [
    "BATCH_BYTES",
    "BATCH_MESSAGES",
    "DECODE_THREADS",
    "MAX_RAW_CHARS",
    "Engine",
    "Errors",
    "NMEABatch",
    "NMEAStream",
    "Readable",
    "iter_nmea",
    "line_chunks",
    "read_nmea",
    "read_nmea_lines",
]


Engine = Literal["fast", "reference"]
"""Columnar bulk decoding (default), or the per-line reference it is tested against."""


BATCH_BYTES = 1 << 21
"""Bytes of input framed and decoded at a time by the fast engine (about 30,000 lines).

Small enough for the working arrays to stay in the processor's cache."""

DECODE_THREADS = 1
"""Worker threads that prepare batches ahead (the batch-local part of the fast engine).

One by default: on the 2-vCPU machines measured, a second thread gave no gain
(see BENCHMARKS.md). Results are the same for any number of threads."""

_LIST_BATCH_LINES = 16384


# -- the fast engine: byte batches -------------------------------------------------------

_I64 = NDArray[np.int64]


@dataclass(frozen=True)
class _LineBatch:
    """Lines of one batch: spans of a padded buffer (see :mod:`zonewatch.nmea.bulkframe`)."""

    buf: NDArray[np.uint8]
    starts: _I64
    ends: _I64


@dataclass(frozen=True)
class _Chunk:
    """Input for one batch: raw text ending at a line break, or given lines.

    Splitting into lines is left to :meth:`split`, which may run in a
    worker thread; :meth:`count` tells the number of lines beforehand.
    """

    data: bytes = b""
    final: bool = False
    lines: list[bytes] | None = None

    def count(self) -> int:
        """Number of lines."""
        if self.lines is not None:
            return len(self.lines)
        n = self.data.count(b"\n")
        return n + 1 if self.final and not self.data.endswith(b"\n") else n

    def split(self) -> _LineBatch:
        if self.lines is not None:
            return _join_lines(self.lines)
        return _split_lines(self.data, final=self.final)


def _padded(data: bytes) -> NDArray[np.uint8]:
    """``data`` with the padding the bulk kernels read around lines, 8-byte aligned."""
    size = LEAD + len(data) + TAIL
    size += (-size) % 8
    buf = np.zeros(size, dtype=np.uint8)
    buf[LEAD : LEAD + len(data)] = np.frombuffer(data, dtype=np.uint8)
    return buf


def _split_lines(data: bytes, *, final: bool) -> _LineBatch:
    r"""Lines of ``data`` as ``open_text_lines`` sees them (``\n`` or ``\r\n`` end a line).

    ``data`` ends with a newline unless it is the end of the input (``final``).
    """
    buf = _padded(data)
    starts, ends = line_spans(buf, LEAD, LEAD + len(data), final=final, count=data.count(b"\n"))
    return _LineBatch(buf, starts, ends)


class Readable(Protocol):
    """A binary stream: what :func:`line_chunks` reads from."""

    def read(self, size: int, /) -> bytes:
        """Read up to ``size`` bytes."""
        ...


def line_chunks(stream: Readable, *, path: str, batch_bytes: int = BATCH_BYTES) -> Iterator[_Chunk]:
    """Read ``stream`` in chunks of about ``batch_bytes`` that end at a line break.

    Raises
    ------
    InputFileError
        If decompression fails or the stream cannot be read.
    """
    carry = b""
    done = 0
    while True:
        try:
            chunk = stream.read(batch_bytes)
        except DECOMPRESSION_ERRORS as err:
            raise InputFileError(
                f"{path}: corrupt compressed data after {done:,} bytes: {err}"
            ) from err
        except OSError as err:
            raise InputFileError(
                f"{path}: read error after {done:,} bytes: {err.strerror or err}"
            ) from err
        if not chunk:
            break
        done += len(chunk)
        data = carry + chunk if carry else chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            continue
        carry = data[cut + 1 :]
        yield _Chunk(data[: cut + 1])
    if carry:
        yield _Chunk(carry, final=True)


def _list_chunks(lines: Iterable[bytes]) -> Iterator[_Chunk]:
    """Chunks of given lines (which may hold any bytes, line breaks included)."""
    chunk: list[bytes] = []
    for raw in lines:
        chunk.append(raw)
        if len(chunk) >= _LIST_BATCH_LINES:
            yield _Chunk(lines=chunk)
            chunk = []
    if chunk:
        yield _Chunk(lines=chunk)


def _join_lines(lines: list[bytes]) -> _LineBatch:
    lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    buf = _padded(b"\n".join(lines))
    starts = np.empty(len(lines), dtype=np.int64)
    starts[:1] = LEAD
    np.cumsum(lengths[:-1] + 1, out=starts[1:])
    starts[1:] += LEAD
    return _LineBatch(buf, starts, starts + lengths)


@dataclass(frozen=True)
class NMEABatch:
    """One batch of a streamed input: tables of the ``zonewatch.schema`` schemas.

    Rows of ``positions`` and ``statics`` are messages completed within the
    batch, in input order; ``rejects`` are lines rejected within it (an orphan
    fragment is rejected when its time runs out, which may be a later batch).
    ``messages`` (only from :class:`NMEAStream` with ``with_messages``) has one
    row per decoded message (:data:`zonewatch.nmea.bulk.MESSAGES`).
    """

    first_line: int
    last_line: int
    positions: pa.Table
    statics: pa.Table
    rejects: pa.Table
    messages: pa.Table | None = None


class NMEAStream:
    r"""Iterator over the batches of one NMEA input; the accounting once it is exhausted.

    Use :func:`iter_nmea` to make one. After the last batch, ``accounting``
    holds the whole input's line accounting (None before). While it runs,
    ``bytes_read`` counts the (decompressed) bytes taken from the input so far
    and ``size_bytes`` is the input's size when known (a plain file), for
    progress bars.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> line = rb"\c:1709251200*00\!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30"
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "a.nmea"
    ...     _ = p.write_bytes(b"\n".join([line] * 3) + b"\n")
    ...     stream = iter_nmea(p, batch_lines=2)
    ...     sizes = [batch.rejects.num_rows for batch in stream]
    >>> stream.accounting.lines, stream.accounting.rejected_by_reason
    (3, {'bad_tag_block': 3})
    """

    def __init__(
        self,
        chunks: Iterable[_Chunk],
        *,
        path: str,
        file_id: str,
        errors: Errors = "collect",
        max_span_lines: int = DEFAULT_MAX_SPAN_LINES,
        batch_lines: int = 100_000,
        require_position_time: bool = True,
        with_messages: bool = False,
        threads: int | None = None,
        size_bytes: int | None = None,
    ) -> None:
        if errors not in get_args(Errors):
            raise ParameterError(f"errors must be 'collect' or 'raise', got {errors!r}")
        if batch_lines < 1:
            raise ParameterError(f"batch_lines must be at least 1, got {batch_lines}")
        self.path = path
        self.file_id = file_id
        self.errors = errors
        self.batch_lines = batch_lines
        self.accounting: Accounting | None = None
        self.bytes_read = 0
        self.size_bytes = size_bytes
        self._chunks = chunks
        self.threads = DECODE_THREADS if threads is None else max(1, threads)
        self._decoder = BulkDecoder(
            path,
            file_id,
            max_span_lines=max_span_lines,
            require_position_time=require_position_time,
            with_messages=with_messages,
        )
        self._with_messages = with_messages

    def __iter__(self) -> Iterator[NMEABatch]:
        return self._run()

    def _prepare(self, chunk: _Chunk, first_line: int) -> PreparedBatch:
        lines = chunk.split()
        return self._decoder.prepare(lines.buf, lines.starts, lines.ends, first_line)

    def _prepared(self) -> Iterator[PreparedBatch]:
        """Prepared batches in input order; with threads, a few are prepared ahead."""
        first_line = 1
        if self.threads <= 1:
            for chunk in self._chunks:
                self.bytes_read += len(chunk.data)
                lines = chunk.split()
                yield self._decoder.prepare(lines.buf, lines.starts, lines.ends, first_line)
                first_line += len(lines.starts)
            return
        with ThreadPoolExecutor(self.threads, thread_name_prefix="zonewatch-nmea") as pool:
            ahead: deque[Future[PreparedBatch]] = deque()
            try:
                for chunk in self._chunks:
                    self.bytes_read += len(chunk.data)
                    ahead.append(pool.submit(self._prepare, chunk, first_line))
                    first_line += chunk.count()
                    if len(ahead) > self.threads:
                        yield ahead.popleft().result()
                while ahead:
                    yield ahead.popleft().result()
            finally:
                for future in ahead:
                    future.cancel()

    def _run(self) -> Iterator[NMEABatch]:
        decoder = self._decoder
        counts = _Counts()
        parts: list[BatchResult] = []
        first_line = 1
        for prepared in self._prepared():
            result = decoder.complete(prepared)
            if self.errors == "raise" and result.first_reject is not None:
                first: RejectEvent = result.first_reject
                raise reject_error(self.path, first.line_no, first.raw, first.reason, first.detail)
            counts.add(result)
            parts.append(result)
            if sum(p.lines for p in parts) >= self.batch_lines:
                yield self._emit(parts, first_line)
                first_line = decoder.lines_read + 1
                parts = []
        if parts or first_line == 1:
            yield self._emit(parts, first_line)
        self.accounting = counts.accounting(decoder.lines_read, decoder.pending_line_count())

    def _emit(self, parts: list[BatchResult], first_line: int) -> NMEABatch:
        def table(batches: list[pa.RecordBatch], schema: pa.Schema) -> pa.Table:
            return pa.Table.from_batches(batches, schema=schema)

        rejects = table([p.rejects for p in parts], REJECTS)
        if len(parts) > 1 and rejects.num_rows:
            rejects = rejects.sort_by("line_no")
        messages = None
        if self._with_messages:
            from zonewatch.nmea.bulk import MESSAGES

            messages = table([p.messages for p in parts if p.messages is not None], MESSAGES)
        return NMEABatch(
            first_line=first_line,
            last_line=self._decoder.lines_read,
            positions=table([p.positions for p in parts], POSITIONS),
            statics=table([p.statics for p in parts], STATICS),
            rejects=rejects,
            messages=messages,
        )


class _Counts:
    """Running totals of a stream's batches."""

    def __init__(self) -> None:
        self.decoded = 0
        self.rejected = 0
        self.messages = 0
        self.positions = 0
        self.statics = 0
        self.by_reason: Counter[str] = Counter()
        self.other_types: Counter[int] = Counter()

    def add(self, result: BatchResult) -> None:
        self.decoded += result.decoded_lines
        self.rejected += result.rejects.num_rows
        self.messages += result.n_messages
        self.positions += result.positions.num_rows
        self.statics += result.statics.num_rows
        self.by_reason.update(result.rejected_by_reason)
        self.other_types.update(result.other_types)

    def accounting(self, lines: int, pending: int) -> Accounting:
        return Accounting(
            lines=lines,
            decoded=self.decoded,
            rejected=self.rejected,
            pending=pending,
            messages=self.messages,
            positions=self.positions,
            statics=self.statics,
            other_messages=sum(self.other_types.values()),
            rejected_by_reason={r: self.by_reason[r] for r in REJECT_REASONS if self.by_reason[r]},
            other_types=dict(sorted(self.other_types.items())),
        )


def _collect(stream: NMEAStream) -> Decoded:
    """Read a whole stream into one :class:`Decoded`."""
    positions: list[pa.Table] = []
    statics: list[pa.Table] = []
    rejects: list[pa.Table] = []
    for batch in stream:
        positions.append(batch.positions)
        statics.append(batch.statics)
        rejects.append(batch.rejects)
    reject_table = pa.concat_tables(rejects) if rejects else REJECTS.empty_table()
    if len(rejects) > 1 and reject_table.num_rows:
        reject_table = reject_table.sort_by("line_no")
    assert stream.accounting is not None
    return Decoded(
        file_id=stream.file_id,
        path=stream.path,
        positions=pa.concat_tables(positions) if positions else POSITIONS.empty_table(),
        statics=pa.concat_tables(statics) if statics else STATICS.empty_table(),
        rejects=reject_table,
        accounting=stream.accounting,
    )


def read_nmea_lines(
    lines: Iterable[bytes],
    *,
    path: str,
    file_id: str,
    errors: Errors = "collect",
    max_span_lines: int = DEFAULT_MAX_SPAN_LINES,
    decoder: PayloadDecoder | None = None,
    engine: Engine = "fast",
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
        raise on the first rejected line (the first a line-by-line reader meets).
    max_span_lines
        A multipart message must be complete within this many lines after its
        first fragment, else its fragments are rejected as ``fragment_orphan``.
    decoder
        A payload decode step for the reference engine (default: pyais);
        giving one selects that engine.
    engine
        ``"fast"`` (columnar, default) or ``"reference"`` (per line); both give
        the same tables and accounting.

    Returns
    -------
    Decoded
        Tables of schema ``POSITIONS``, ``STATICS`` and ``REJECTS`` (rows in
        input order) and the line accounting (``lines == decoded + rejected +
        pending``).

    Raises
    ------
    ChecksumError, FragmentError, NMEAError
        With ``errors="raise"``, on the first rejected line (the message names
        ``path``, the line number and the reason code).
    ParameterError
        If ``errors`` or ``engine`` is not one of the allowed values.

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
    if engine not in get_args(Engine):
        raise ParameterError(f"engine must be 'fast' or 'reference', got {engine!r}")
    if engine == "reference" or decoder is not None:
        return read_reference(
            lines,
            path=path,
            file_id=file_id,
            errors=errors,
            max_span_lines=max_span_lines,
            decoder=decoder or decode_with_pyais,
        )
    stream = NMEAStream(
        _list_chunks(lines),
        path=path,
        file_id=file_id,
        errors=errors,
        max_span_lines=max_span_lines,
        batch_lines=1 << 62,
    )
    return _collect(stream)


def iter_nmea(
    path: Path | str,
    *,
    batch_lines: int = 100_000,
    errors: Errors = "collect",
    max_span_lines: int = DEFAULT_MAX_SPAN_LINES,
) -> NMEAStream:
    r"""Stream an NMEA file (plain or compressed) in batches of about ``batch_lines`` lines.

    Memory stays bounded by the batch size: the file is read in byte batches,
    and multipart fragments waiting for the rest of their message carry over
    from one batch to the next.

    Parameters
    ----------
    path
        The file. Checked first with :func:`~zonewatch.sources.files.check_input_file`.
    batch_lines
        Lines per yielded batch (at least; batches end at a byte batch's end).
    errors, max_span_lines
        As for :func:`read_nmea_lines`.

    Returns
    -------
    NMEAStream
        Iterate it for :class:`NMEABatch` es; its ``accounting`` is set at the end.

    Raises
    ------
    InputFileError
        If the file is missing, not a regular file, empty, binary or corrupt.
    """
    path = Path(path)
    check_input_file(path)
    fid = file_id(path)

    batch_bytes = min(BATCH_BYTES, max(1 << 16, batch_lines * 64))

    def chunks() -> Iterator[_Chunk]:
        with open_decompressed(path) as handle:
            yield from line_chunks(handle, path=str(path), batch_bytes=batch_bytes)

    return NMEAStream(
        chunks(),
        path=str(path),
        file_id=fid,
        errors=errors,
        max_span_lines=max_span_lines,
        batch_lines=batch_lines,
        size_bytes=path.stat().st_size if compression_of(path) is None else None,
    )


def read_nmea(
    path: Path | str,
    *,
    errors: Errors = "collect",
    max_span_lines: int = DEFAULT_MAX_SPAN_LINES,
    decoder: PayloadDecoder | None = None,
    engine: Engine = "fast",
) -> Decoded:
    r"""Read an NMEA file (plain or compressed) into positions, statics and rejects.

    Parameters
    ----------
    path
        The file. Checked first with :func:`~zonewatch.sources.files.check_input_file`.
    errors
        ``"collect"`` (default) or ``"raise"`` (see :func:`read_nmea_lines`).
    max_span_lines
        Bound for multipart assembly (see :func:`read_nmea_lines`).
    decoder, engine
        The engine (``"fast"`` by default, or ``"reference"``) and, for the
        reference engine, the payload decode step (see :func:`read_nmea_lines`).

    Returns
    -------
    Decoded
        Tables and accounting; ``file_id`` is the sha256 of the file's bytes.

    Raises
    ------
    InputFileError
        If the file is missing, not a regular file, empty, binary or corrupt.
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
    if engine not in get_args(Engine):
        raise ParameterError(f"engine must be 'fast' or 'reference', got {engine!r}")
    path = Path(path)
    if engine == "reference" or decoder is not None:
        check_input_file(path)
        return read_nmea_lines(
            open_text_lines(path),
            path=str(path),
            file_id=file_id(path),
            errors=errors,
            max_span_lines=max_span_lines,
            decoder=decoder or decode_with_pyais,
        )
    return _collect(
        iter_nmea(path, errors=errors, max_span_lines=max_span_lines, batch_lines=1 << 62)
    )
