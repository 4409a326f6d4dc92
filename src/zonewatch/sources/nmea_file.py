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

import hashlib
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
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
from zonewatch.nmea.bulktables import constant_strings
from zonewatch.nmea.decode import PayloadDecoder, decode_with_pyais
from zonewatch.nmea.multipart import DEFAULT_MAX_SPAN_LINES
from zonewatch.nmea.spans import count_byte, last_byte, line_spans
from zonewatch.schema import POSITIONS, REJECT_REASONS, REJECTS, STATICS
from zonewatch.sources import files
from zonewatch.sources.accounting import Accounting, Decoded
from zonewatch.sources.compression import (
    DECOMPRESSION_ERRORS,
    compression_of,
    open_decompressed,
)
from zonewatch.sources.files import check_input_file, open_text_lines
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
    "Hasher",
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
_HASH_AHEAD = 4
"""Chunks read but not hashed yet, at most (their buffers stay in memory until then)."""


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
    """Input for one batch: text of a padded buffer ending at a line break, or given lines.

    The text is ``buf[begin:end]``, with :data:`~zonewatch.nmea.bulkframe.LEAD`
    bytes before it and :data:`~zonewatch.nmea.bulkframe.TAIL` after it.
    Splitting into lines is left to :meth:`split`, which may run in a worker
    thread; :meth:`count` tells the number of lines beforehand.
    """

    buf: NDArray[np.uint8] | None = None
    begin: int = 0
    end: int = 0
    final: bool = False
    lines: list[bytes] | None = None

    @property
    def size(self) -> int:
        """Bytes of input text (0 for given lines)."""
        return self.end - self.begin

    def count(self) -> int:
        """Number of lines."""
        if self.lines is not None:
            return len(self.lines)
        assert self.buf is not None
        n = count_byte(self.buf, self.begin, self.end, 10)
        return n + 1 if self.final and self.end > self.begin and self.buf[self.end - 1] != 10 else n

    def split(self) -> _LineBatch:
        r"""Lines of the text as ``open_text_lines`` sees them (``\n`` or ``\r\n`` end a line)."""
        if self.lines is not None:
            return _join_lines(self.lines)
        assert self.buf is not None
        starts, ends = line_spans(self.buf, self.begin, self.end, final=self.final)
        return _LineBatch(self.buf, starts, ends)


def _buffer(text_bytes: int) -> NDArray[np.uint8]:
    """An uninitialised buffer for ``text_bytes`` of text and the padding around it.

    Its size is a multiple of 8; the padding before the text is zeroed.
    """
    size = LEAD + text_bytes + TAIL
    size += (-size) % 8
    buf = np.empty(size, dtype=np.uint8)
    buf[:LEAD] = 0
    return buf


def _padded(data: bytes) -> NDArray[np.uint8]:
    """``data`` with the padding the bulk kernels read around lines (zeros), 8-byte aligned."""
    buf = _buffer(len(data))
    buf[LEAD : LEAD + len(data)] = np.frombuffer(data, dtype=np.uint8)
    buf[LEAD + len(data) :] = 0
    return buf


class Readable(Protocol):
    """A binary stream: what :func:`line_chunks` reads from."""

    def read(self, size: int, /) -> bytes:
        """Read up to ``size`` bytes."""
        ...


class Hasher(Protocol):
    """A hash being computed (``hashlib.sha256()``): :func:`line_chunks` feeds it the input."""

    def update(self, data: memoryview, /) -> None:
        """Hash ``data`` next."""
        ...

    def hexdigest(self) -> str:
        """The hash of everything so far, in hexadecimal."""
        ...


def _fill(stream: Readable, view: memoryview) -> int:
    """Read into ``view`` until it is full or the input ends; the number of bytes read."""
    readinto = getattr(stream, "readinto", None)
    got = 0
    while got < len(view):
        if readinto is not None:
            n = readinto(view[got:])
        else:
            data = stream.read(len(view) - got)
            n = len(data)
            view[got : got + n] = data
        if not n:
            break
        got += n
    return got


def line_chunks(
    stream: Readable,
    *,
    path: str,
    batch_bytes: int = BATCH_BYTES,
    hasher: Hasher | None = None,
) -> Iterator[_Chunk]:
    """Read ``stream`` in chunks of about ``batch_bytes`` that end at a line break.

    Each chunk is read straight into a buffer with the padding the bulk kernels
    need (no copy but the unfinished last line, carried over to the next
    chunk). ``hasher``, when given, is updated with every byte read, in order,
    by a helper thread while the chunks are decoded (hashlib releases the GIL);
    it is complete when the iteration ends.

    Raises
    ------
    InputFileError
        If decompression fails or the stream cannot be read.
    """
    if hasher is None:
        yield from _read_chunks(stream, path, batch_bytes, None)
        return
    with ThreadPoolExecutor(1, thread_name_prefix="zonewatch-hash") as pool:
        pending: deque[Future[None]] = deque()

        def update(data: memoryview) -> None:
            while pending and (pending[0].done() or len(pending) >= _HASH_AHEAD):
                pending.popleft().result()  # raises what the hasher raised
            pending.append(pool.submit(hasher.update, data))

        yield from _read_chunks(stream, path, batch_bytes, update)
        for future in pending:
            future.result()


def _read_chunks(
    stream: Readable,
    path: str,
    batch_bytes: int,
    update: Callable[[memoryview], None] | None,
) -> Iterator[_Chunk]:
    """The chunks of :func:`line_chunks`; ``update`` is given every byte read, in order."""
    carry = np.zeros(0, dtype=np.uint8)
    done = 0
    while True:
        room = max(batch_bytes, 1)
        buf = _buffer(len(carry) + room)
        at = LEAD + len(carry)
        buf[LEAD:at] = carry
        try:
            n = _fill(stream, buf.data[at : at + room])
        except DECOMPRESSION_ERRORS as err:
            raise InputFileError(
                f"{path}: corrupt compressed data after {done:,} bytes: {err}"
            ) from err
        except OSError as err:
            raise InputFileError(
                f"{path}: read error after {done:,} bytes: {err.strerror or err}"
            ) from err
        end = at + n
        buf[end:] = 0
        if not n:
            if len(carry):
                yield _Chunk(buf, LEAD, end, final=True)
            return
        if update is not None:
            update(buf.data[at:end])  # the buffer is not written to again
        done += n
        cut = last_byte(buf, at, end, 10)  # the carried text has no line break
        if cut < 0:
            carry = buf[LEAD:end].copy()
            continue
        carry = buf[cut + 1 : end].copy()
        yield _Chunk(buf, LEAD, cut + 1)


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
                self.bytes_read += chunk.size
                lines = chunk.split()
                yield self._decoder.prepare(lines.buf, lines.starts, lines.ends, first_line)
                first_line += len(lines.starts)
            return
        with ThreadPoolExecutor(self.threads, thread_name_prefix="zonewatch-nmea") as pool:
            ahead: deque[Future[PreparedBatch]] = deque()
            try:
                for chunk in self._chunks:
                    self.bytes_read += chunk.size
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


def _with_file_id(table: pa.Table, file_id: str) -> pa.Table:
    """``table`` with every row's ``file_id`` set to ``file_id`` (one constant per chunk)."""
    index = table.schema.get_field_index("file_id")
    column = table.column(index)
    chunks = [constant_strings(file_id, len(chunk)) for chunk in column.chunks]
    return table.set_column(index, table.schema.field(index), pa.chunked_array(chunks, pa.string()))


def _collect(stream: NMEAStream, hasher: Hasher | None = None) -> Decoded:
    """Read a whole stream into one :class:`Decoded`.

    ``hasher``, when given, was fed the input while the stream read it: its
    digest, known only then, replaces the stream's ``file_id`` in every row.
    """
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
    position_table = pa.concat_tables(positions) if positions else POSITIONS.empty_table()
    static_table = pa.concat_tables(statics) if statics else STATICS.empty_table()
    file_id = None if hasher is None else hasher.hexdigest()
    if file_id is not None:
        position_table = _with_file_id(position_table, file_id)
        static_table = _with_file_id(static_table, file_id)
        reject_table = _with_file_id(reject_table, file_id)
    assert stream.accounting is not None
    return Decoded(
        file_id=stream.file_id if file_id is None else file_id,
        path=stream.path,
        positions=position_table,
        statics=static_table,
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
    file_id: str | None = None,
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
    file_id
        The file's :func:`~zonewatch.sources.files.file_id`, when the caller
        has it already (the file is then not hashed again); computed here
        otherwise, before the first batch (every row carries it).

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
    return _file_stream(
        path,
        file_id=file_id if file_id is not None else files.file_id(path),
        hasher=None,
        errors=errors,
        max_span_lines=max_span_lines,
        batch_lines=batch_lines,
    )


def _file_stream(
    path: Path,
    *,
    file_id: str,
    hasher: Hasher | None,
    errors: Errors,
    max_span_lines: int,
    batch_lines: int,
) -> NMEAStream:
    """The stream of a checked file; ``hasher`` is fed the bytes read (of a plain file)."""
    batch_bytes = min(BATCH_BYTES, max(1 << 16, batch_lines * 64))

    def chunks() -> Iterator[_Chunk]:
        with open_decompressed(path) as handle:
            yield from line_chunks(handle, path=str(path), batch_bytes=batch_bytes, hasher=hasher)

    return NMEAStream(
        chunks(),
        path=str(path),
        file_id=file_id,
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
        Tables and accounting; ``file_id`` is the sha256 of the file's bytes
        (for a plain file with the fast engine, computed on the bytes as they
        are read for decoding: the file is read once).

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
    check_input_file(path)
    if engine == "reference" or decoder is not None:
        return read_nmea_lines(
            open_text_lines(path),
            path=str(path),
            file_id=files.file_id(path),
            errors=errors,
            max_span_lines=max_span_lines,
            decoder=decoder or decode_with_pyais,
        )
    plain = compression_of(path) is None
    hasher = hashlib.sha256() if plain else None  # a compressed file's id hashes its raw bytes
    stream = _file_stream(
        path,
        file_id="" if plain else files.file_id(path),
        hasher=hasher,
        errors=errors,
        max_span_lines=max_span_lines,
        batch_lines=1 << 62,
    )
    return _collect(stream, hasher)
