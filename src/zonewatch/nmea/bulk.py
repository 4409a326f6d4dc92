"""Bulk decoding of NMEA lines, batch by batch: columnar where lines are common, exact always.

:class:`BulkDecoder` turns batches of lines (spans of one byte buffer) into
Arrow record batches of positions, statics and rejects, with the line
accounting. Per batch:

1. :func:`~zonewatch.nmea.bulkframe.frame_lines` frames the lines of the
   common shape and rejects, with the reference's reasons and details, blank
   lines, text without any sentence, sentences with a bad checksum, cut
   short or with a payload character outside the six-bit alphabet (one
   compiled pass, see :mod:`zonewatch.nmea.jit`);
2. every other line (other shapes, bad characters, ...) is framed by the
   reference :func:`~zonewatch.nmea.framing.frame_line`, one by one;
3. multipart fragments are assembled: runs of two-fragment messages whose
   fragments follow each other are paired columnarly unless the reference
   :class:`~zonewatch.nmea.multipart.Assembler` holds a fragment they could
   meet (same channel, sequence id and count, or tag-block group); anything else
   (interleaving, out-of-order or orphan fragments, three fragments, groups
   that do not match, ...) goes through that Assembler, which keeps its state
   across batches, so pending fragments carry over;
4. every message completed in the batch (single sentences framed in step 1,
   the columnar pairs, the messages of steps 2 and 3) is put in input order
   and decoded at once (:func:`~zonewatch.nmea.fastdecode.decode_spans`), so
   the output columns come out in order, with nothing to merge.

The result equals the per-line reference reader
(:func:`zonewatch.sources.nmea_file.read_nmea_lines` with ``engine="reference"``)
row for row, reason for reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from zonewatch.nmea.bulkframe import (
    FALLBACK,
    OK,
    REASON_NAMES,
    REJECT,
    frame_lines,
    key_words,
    reject_columns,
    reject_detail,
)
from zonewatch.nmea.bulktables import (
    MAX_RAW_CHARS,
    MESSAGES,
    Group,
    constant_strings,
    messages_batch,
    positions_batch,
    raw_text,
    statics_batch,
    string_spans,
)
from zonewatch.nmea.decode import DecodeFailure
from zonewatch.nmea.fastdecode import SPAN_PAD, BulkDecoded, decode_spans
from zonewatch.nmea.framing import FrameReject, Sentence, TagGroup, frame_line
from zonewatch.nmea.multipart import DEFAULT_MAX_SPAN_LINES, Assembler, FragmentReject, Message
from zonewatch.nmea.sixbit import I64, U8, BoolArray
from zonewatch.nmea.spans import gather
from zonewatch.schema import REJECTS

__all__ = [
    "MAX_RAW_CHARS",
    "MESSAGES",
    "BatchResult",
    "BulkDecoder",
    "PreparedBatch",
    "RejectEvent",
    "raw_text",
]

_PHASE_EXPIRE, _PHASE_LINE, _PHASE_DECODE = 0, 1, 2
_MAX_KEY = 16


@dataclass(frozen=True, slots=True)
class RejectEvent:
    """A rejected line and when the reference reader would have rejected it.

    ``event`` orders rejects as a line-by-line reader meets them: an orphan
    fragment when its time runs out, a decode failure when the message
    completes (used to raise on the first one with ``errors="raise"``).
    """

    event: int
    line_no: int
    raw: bytes
    reason: str
    detail: str


@dataclass(frozen=True)
class BatchResult:
    """What one batch of lines decoded to.

    Attributes
    ----------
    positions, statics, rejects
        Record batches of the ``POSITIONS``, ``STATICS`` and ``REJECTS`` schemas,
        each in input order (rejects by line number).
    messages
        Record batch of :data:`MESSAGES` (only when the decoder was asked for it).
    lines, decoded_lines, n_messages
        Lines in the batch; lines that are part of a message decoded in this
        batch (which may include lines of earlier batches); decoded messages.
    other_types
        Decoded messages that are neither positions nor statics, by type.
    first_reject
        The reject the line-by-line reader would have met first, if any.
    """

    positions: pa.RecordBatch
    statics: pa.RecordBatch
    rejects: pa.RecordBatch
    messages: pa.RecordBatch | None
    lines: int
    decoded_lines: int
    n_messages: int
    other_types: Counter[int]
    rejected_by_reason: Counter[str]
    first_reject: RejectEvent | None


@dataclass
class _Rejects:
    """Reject rows of a batch, gathered in Python lists (rejects are rare)."""

    line_no: list[int] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    reason: list[str] = field(default_factory=list)
    detail: list[str] = field(default_factory=list)
    event: list[int] = field(default_factory=list)

    def add(self, line_no: int, raw: bytes, reason: str, detail: str, event: int) -> None:
        self.line_no.append(line_no)
        self.raw.append(raw)
        self.reason.append(reason)
        self.detail.append(detail)
        self.event.append(event)


def _event(line_no: int, phase: int) -> int:
    return line_no * 4 + phase


_WINDOW = 256
"""Fragments looked at ahead while the Assembler holds some."""


def _seq_code(channel: str, seq_id: str, count: int) -> int:
    """Integer code of (channel, sequence id, fragment count), as the bulk framer stores them."""
    ch = ord(channel) if channel else 0
    seq = int(seq_id) if seq_id else -1
    return ch * 1000 + (seq + 1) * 10 + count


def _next_false_same_parity(flags: BoolArray) -> I64:
    """For each ``j``: the first ``k >= j`` with ``k - j`` even and ``flags[k]`` False (or len)."""
    n = len(flags)
    out = np.empty(n, dtype=np.int64)
    for parity in (0, 1):
        chain = np.where(flags[parity::2], n, np.arange(parity, n, 2))
        out[parity::2] = np.minimum.accumulate(chain[::-1])[::-1]
    return out


class BulkDecoder:
    r"""Decode the lines of one input batch by batch, keeping multipart state between batches.

    Parameters
    ----------
    path, file_id
        Recorded in rejects and output rows.
    max_span_lines
        A multipart message must be complete within this many lines after its
        first fragment, else its fragments are rejected as ``fragment_orphan``.
    require_position_time
        Reject positions without a receive time as ``no_timestamp`` (the store's
        rule); False keeps them (``zonewatch decode`` writes a null time).
    with_messages
        Also build the :data:`MESSAGES` record batch of every batch.

    Examples
    --------
    >>> from zonewatch.nmea.bulkframe import LEAD, TAIL
    >>> line = rb"\c:1709251200,s:rx1*0C\!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30"
    >>> buf = np.frombuffer(bytes(LEAD) + line + bytes(TAIL), np.uint8)
    >>> end = np.array([LEAD + len(line)])
    >>> out = BulkDecoder("x.nmea", "fid").decode(buf, np.array([LEAD]), end)
    >>> out.positions.column("mmsi").to_pylist(), out.decoded_lines
    ([367033650], 1)
    """

    def __init__(
        self,
        path: str,
        file_id: str,
        *,
        max_span_lines: int = DEFAULT_MAX_SPAN_LINES,
        require_position_time: bool = True,
        with_messages: bool = False,
    ) -> None:
        self.path = path
        self.file_id = file_id
        self.max_span_lines = max_span_lines
        self.require_position_time = require_position_time
        self.with_messages = with_messages
        self._messages: list[Message] = []
        self._frag_rejects: list[FragmentReject] = []
        self._assembler = Assembler(
            self._messages, self._frag_rejects, max_span_lines=max_span_lines
        )
        self.lines_read = 0

    def pending_lines(self) -> list[tuple[int, bytes]]:
        """``(line_no, raw)`` of the fragments still waiting for the rest of their message."""
        return self._assembler.pending_lines()

    def pending_line_count(self) -> int:
        """Number of lines held by incomplete multipart messages."""
        return self._assembler.pending_line_count()

    # -- one batch -----------------------------------------------------------------------

    def decode(self, buf: U8, starts: I64, ends: I64) -> BatchResult:
        """Decode the lines ``buf[starts[i]:ends[i]]``, numbered after those already read.

        ``buf`` needs :data:`~zonewatch.nmea.bulkframe.LEAD` bytes before the
        first line and :data:`~zonewatch.nmea.bulkframe.TAIL` after the last.
        """
        return self.complete(self.prepare(buf, starts, ends, self.lines_read + 1))

    def prepare(self, buf: U8, starts: I64, ends: I64, first_line: int) -> PreparedBatch:
        """The part of a batch's work that needs no state: may run in another thread.

        ``first_line`` is the line number of ``starts[0]``; batches must then be
        passed to :meth:`complete` in input order, without gaps.
        """
        batch = _Batch(self, buf, starts.astype(np.int64), ends.astype(np.int64), first_line)
        batch.prepare()
        return PreparedBatch(batch)

    def complete(self, prepared: PreparedBatch) -> BatchResult:
        """Finish a prepared batch: multipart assembly (stateful), decoding and the output."""
        batch = prepared.batch
        if batch.base != self.lines_read + 1:
            raise ValueError(
                f"batch starts at line {batch.base}, expected line {self.lines_read + 1}"
            )
        self.lines_read += batch.n
        return batch.complete()


class PreparedBatch:
    """A batch after :meth:`BulkDecoder.prepare`, waiting for :meth:`BulkDecoder.complete`."""

    __slots__ = ("batch",)

    def __init__(self, batch: _Batch) -> None:
        self.batch = batch


@dataclass
class _GroupOut:
    """Record batches and counts of one decoded group."""

    positions: pa.RecordBatch
    statics: pa.RecordBatch
    wide: pa.RecordBatch | None
    decoded_lines: int
    n_messages: int
    other_types: Counter[int]


class _Batch:
    """The work on one batch of lines (multipart state lives in the :class:`BulkDecoder`)."""

    def __init__(
        self, owner: BulkDecoder, buf: U8, starts: I64, ends: I64, first_line: int
    ) -> None:
        self.owner = owner
        self.buf = buf
        self.starts = starts
        self.ends = ends
        self.n = len(starts)
        self.base = first_line  # line number of line 0 of the batch
        self.rejects = _Rejects()
        self.framed = frame_lines(buf, starts, ends)
        self.framed_rejects = np.zeros(0, dtype=np.int64)
        self.singles = np.zeros(0, dtype=np.int64)
        self.py_messages: list[Message] = []
        self.py_fragments: dict[int, tuple[bytes, Sentence]] = {}

    def raw(self, i: int) -> bytes:
        """The bytes of batch line ``i``."""
        return self.buf[self.starts[i] : self.ends[i]].tobytes()

    def prepare(self) -> None:
        """Everything that depends on this batch alone."""
        framed, rejects, base = self.framed, self.rejects, self.base
        status = framed.status
        self.framed_rejects = np.flatnonzero(status == REJECT)

        # single-sentence messages of the common shape: decoded with the others in complete()
        self.singles = np.flatnonzero((status == OK) & (framed.count == 1))
        fallback = status == FALLBACK

        # every other line, one by one, with the reference framer
        whole: list[Message] = []
        whole_rejects: list[FragmentReject] = []
        scratch = Assembler(whole, whole_rejects)  # for whole messages on one line: no state
        for i in np.flatnonzero(fallback).tolist():
            raw = self.raw(i)
            line_no = base + i
            result = frame_line(raw)
            if isinstance(result, FrameReject):
                rejects.add(
                    line_no, raw, result.reason, result.detail, _event(line_no, _PHASE_LINE)
                )
            elif len(result) > 1:
                scratch.push(line_no, raw, result)
                self.py_messages.extend(whole)
                whole.clear()
                for item in whole_rejects:
                    rejects.add(
                        item.line_no,
                        item.raw,
                        item.reason,
                        item.detail,
                        _event(line_no, _PHASE_LINE),
                    )
                whole_rejects.clear()
            elif result[0].count == 1:
                s = result[0]
                self.py_messages.append(
                    Message(s.payload, s.fill_bits, s.ts_ms, s.source, (line_no,), (raw,))
                )
            else:
                self.py_fragments[i] = (raw, result[0])

    def complete(self) -> BatchResult:
        """Multipart assembly with the decoder's Assembler, then decoding and the output."""
        framed, base = self.framed, self.base
        assembler = self.owner._assembler
        fast_frags = np.flatnonzero((framed.status == OK) & (framed.count > 1))
        first, second, assembled = self.assemble(fast_frags, self.py_fragments)
        if assembler.has_pending():  # what the reference expires by the batch's last line
            assembler.expire(base + self.n - 1)
            self.collect_fragment_rejects(base + self.n - 1, expiry=True)
        group = self.group(first, second, self.py_messages + assembled)
        decoded = decode_spans(  # framed here or by frame_line: alphabet checked
            group.buf, group.start, group.length, group.fill, checked=True
        )
        return self.finish(self.group_output(group, decoded))

    def collect_fragment_rejects(self, line_no: int, *, expiry: bool = False) -> None:
        """Move the Assembler's rejects into the batch's, with the reference's event order."""
        owner = self.owner
        if not owner._frag_rejects:
            return
        if expiry:  # the reference expires a message on the first line past its span
            for item in owner._frag_rejects:
                # the detail ends "... not complete within N lines of line <first>"
                first = int(item.detail.rsplit(" ", 1)[1])
                line = first + owner.max_span_lines + 1
                self.rejects.add(
                    item.line_no, item.raw, item.reason, item.detail, _event(line, _PHASE_EXPIRE)
                )
        else:
            for item in owner._frag_rejects:
                self.rejects.add(
                    item.line_no, item.raw, item.reason, item.detail, _event(line_no, _PHASE_LINE)
                )
        owner._frag_rejects.clear()

    # -- multipart ------------------------------------------------------------------------

    def assemble(
        self, fast_frags: I64, py_fragments: dict[int, tuple[bytes, Sentence]]
    ) -> tuple[I64, I64, list[Message]]:
        """Assemble the batch's fragments in line order.

        Returns the batch line indices of the first and second fragments of the
        columnar pairs, and the messages the Assembler completed.
        """
        owner = self.owner
        if py_fragments:
            py_idx = np.fromiter(py_fragments, dtype=np.int64, count=len(py_fragments))
            frags = np.sort(np.concatenate([fast_frags, py_idx]))
            is_py = np.isin(frags, py_idx)
        else:
            frags = fast_frags
            is_py = np.zeros(len(frags), dtype=np.bool_)
        n_frag = len(frags)
        assembled: list[Message] = []
        none = np.zeros(0, dtype=np.int64)
        if n_frag == 0:
            return none, none, assembled
        pair_ok = self.pair_ok(frags, is_py)
        next_bad = _next_false_same_parity(pair_ok)
        framed = self.framed
        codes = (
            framed.channel[frags].astype(np.int64) * 1000
            + (framed.seq[frags].astype(np.int64) + 1) * 10
            + framed.count[frags]
        )
        pair_starts: list[I64] = []
        assembler = owner._assembler
        held: tuple[set[int], set[str]] | None = None
        j = 0
        while j < n_frag:
            if not assembler.has_pending():
                stop = int(next_bad[j])
            else:  # pairs that cannot meet a pending fragment, in a window ahead
                if held is None:
                    held = self.held_keys()
                end = min(n_frag, j + _WINDOW)
                last = min(n_frag, end + 1)
                touch = np.zeros(end - j + 1, dtype=np.bool_)
                touch[: last - j] = self.touches(frags[j:last], codes[j:last], held)
                free = pair_ok[j:end:2] & ~touch[0 : end - j : 2] & ~touch[1 : end - j + 1 : 2]
                blocked = np.flatnonzero(~free)
                stop = j + 2 * (int(blocked[0]) if blocked.size else len(free))
            if stop > j:
                pair_starts.append(np.arange(j, stop, 2))
                j = stop
                continue
            i = int(frags[j])
            line_no = self.base + i
            if assembler.has_pending():
                assembler.expire(line_no)
                self.collect_fragment_rejects(line_no, expiry=True)
            raw, sentence = py_fragments[i] if is_py[j] else self.sentence(i)
            assembler.push(line_no, raw, (sentence,))
            self.collect_fragment_rejects(line_no)
            assembled.extend(owner._messages)
            owner._messages.clear()
            held = None
            j += 1
        starts = np.concatenate(pair_starts) if pair_starts else none
        return frags[starts], frags[starts + 1], assembled

    def held_keys(self) -> tuple[set[int], set[str]]:
        """Sequence codes and tag-block group ids of the fragments the Assembler holds."""
        held = self.owner._assembler.pending_sentences()
        codes = {_seq_code(s.channel, s.seq_id, s.count) for s in held}
        groups = {s.group.group_id for s in held if s.group is not None}
        return codes, groups

    def touches(self, frags: I64, codes: I64, held: tuple[set[int], set[str]]) -> BoolArray:
        """Fragments that might join, supersede or clash with a fragment the Assembler holds.

        Over-approximated (safe): same channel, sequence id and count as a held
        fragment whatever the sources, or the same tag-block group id.
        ``codes`` are the fragments' :func:`_seq_code` values.
        """
        held_codes, groups = held
        touch = np.zeros(len(frags), dtype=np.bool_)
        for code in held_codes:
            touch |= codes == code
        if groups:
            framed = self.framed
            for k in np.flatnonzero(framed.grp_size[frags] > 0).tolist():  # rare
                i = int(frags[k])
                gs = int(framed.gid_start[i])
                gid = self.buf[gs : gs + int(framed.gid_len[i])].tobytes().decode()
                touch[k] |= gid in groups
        return touch

    def pair_ok(self, frags: I64, is_py: BoolArray) -> BoolArray:
        """Whether fragments ``j`` and ``j + 1`` are a two-part message an empty Assembler joins."""
        framed, buf = self.framed, self.buf
        n_frag = len(frags)
        ok = np.zeros(n_frag, dtype=np.bool_)
        if n_frag < 2:
            return ok
        a, b = frags[:-1], frags[1:]
        good = ~is_py[:-1] & ~is_py[1:]
        good &= (framed.count[a] == 2) & (framed.count[b] == 2)
        good &= (framed.number[a] == 1) & (framed.number[b] == 2)
        good &= (b - a) <= self.owner.max_span_lines
        src_len, gid_len = framed.src_len[frags], framed.gid_len[frags]
        short = (src_len <= _MAX_KEY) & (gid_len <= _MAX_KEY)
        good &= short[:-1] & short[1:]
        group_mode = (framed.grp_size[frags] > 0) & (framed.grp_size[frags] == framed.count[frags])
        src = key_words(buf, framed.src_start[frags], src_len)
        gid = key_words(buf, framed.gid_start[frags], gid_len)
        same_src = (src_len[:-1] == src_len[1:]) & (src[:-1] == src[1:]).all(axis=1)
        src_match = same_src | (src_len[:-1] == 0) | (src_len[1:] == 0)
        seq_match = (framed.seq[a] == framed.seq[b]) & (framed.channel[a] == framed.channel[b])
        by_seq = ~group_mode[:-1] & ~group_mode[1:] & seq_match & src_match
        same_gid = (gid_len[:-1] == gid_len[1:]) & (gid[:-1] == gid[1:]).all(axis=1)
        by_group = group_mode[:-1] & group_mode[1:] & same_gid
        ok[:-1] = good & (by_seq | by_group)
        return ok

    def sentence(self, i: int) -> tuple[bytes, Sentence]:
        """The reference framer's view of batch line ``i`` framed here (for the Assembler)."""
        framed, buf = self.framed, self.buf
        group = None
        if framed.grp_size[i]:
            gs = int(framed.gid_start[i])
            group = TagGroup(
                int(framed.grp_number[i]),
                int(framed.grp_size[i]),
                buf[gs : gs + int(framed.gid_len[i])].tobytes().decode(),
            )
        seq = int(framed.seq[i])
        channel = int(framed.channel[i])
        start, length = int(framed.pstart[i]), int(framed.plen[i])
        src_start, src_len = int(framed.src_start[i]), int(framed.src_len[i])
        sentence = Sentence(
            count=int(framed.count[i]),
            number=int(framed.number[i]),
            seq_id="" if seq < 0 else str(seq),
            channel="" if channel == 0 else chr(channel),
            payload=buf[start : start + length].tobytes(),
            fill_bits=int(framed.fill[i]),
            ts_ms=int(framed.ts_ms[i]) if framed.ts_valid[i] else None,
            source=buf[src_start : src_start + src_len].tobytes().decode() if src_len else None,
            group=group,
        )
        return self.raw(i), sentence

    def group(self, first: I64, second: I64, messages: list[Message]) -> Group:
        """Every message completed in the batch, in input order (by completing line).

        Single-sentence lines framed here, the columnar pairs and the messages
        of the per-line path, decoded together: their payloads and sources are
        spans of one buffer, the batch's followed by the joined pairs and the
        per-line messages' payloads and sources.
        """
        framed, buf, base = self.framed, self.buf, self.base
        singles = self.singles
        messages.sort(key=lambda m: m.line_no)
        n_single, n_pair, n_py = len(singles), len(first), len(messages)
        if n_pair == 0 and n_py == 0:  # nothing to join or add: the batch buffer as it is
            data = buf
            start, length = framed.pstart[singles], framed.plen[singles]
            src_start, src_len = framed.src_start[singles], framed.src_len[singles]
            fill, line_no = framed.fill[singles], base + singles
            ts, ts_valid = framed.ts_ms[singles], framed.ts_valid[singles]
            n_lines = np.ones(n_single, dtype=np.int64)
            order: I64 | None = None
        else:
            seg_start = np.stack([framed.pstart[first], framed.pstart[second]], axis=1).ravel()
            seg_len = np.stack([framed.plen[first], framed.plen[second]], axis=1).ravel()
            pair_bytes = gather(buf, seg_start, seg_len)[0]
            py_payloads = [m.payload for m in messages]
            py_sources = [(m.source or "").encode() for m in messages]
            py_length = np.fromiter(map(len, py_payloads), dtype=np.int64, count=n_py)
            py_src_len = np.fromiter(map(len, py_sources), dtype=np.int64, count=n_py)
            extra = b"".join(py_payloads) + b"".join(py_sources)
            data = np.concatenate(
                [buf, pair_bytes, np.frombuffer(extra, np.uint8), np.zeros(SPAN_PAD, np.uint8)]
            )
            pair_length = framed.plen[first] + framed.plen[second]
            at = len(buf) + len(pair_bytes)
            py_start = at + np.cumsum(py_length) - py_length
            at += int(py_length.sum())
            py_src_start = at + np.cumsum(py_src_len) - py_src_len
            src_first = framed.src_len[first] > 0
            ts_first = framed.ts_valid[first]
            start = np.concatenate(
                [framed.pstart[singles], len(buf) + np.cumsum(pair_length) - pair_length, py_start]
            )
            length = np.concatenate([framed.plen[singles], pair_length, py_length])
            src_start = np.concatenate(
                [
                    framed.src_start[singles],
                    np.where(src_first, framed.src_start[first], framed.src_start[second]),
                    py_src_start,
                ]
            )
            src_len = np.concatenate(
                [
                    framed.src_len[singles],
                    np.where(src_first, framed.src_len[first], framed.src_len[second]),
                    py_src_len,
                ]
            )
            fill = np.concatenate(
                [
                    framed.fill[singles],
                    framed.fill[second],
                    np.array([m.fill_bits for m in messages], dtype=np.int64),
                ]
            )
            ts = np.concatenate(
                [
                    framed.ts_ms[singles],
                    np.where(ts_first, framed.ts_ms[first], framed.ts_ms[second]),
                    np.array([m.ts_ms or 0 for m in messages], dtype=np.int64),
                ]
            )
            ts_valid = np.concatenate(
                [
                    framed.ts_valid[singles],
                    ts_first | framed.ts_valid[second],
                    np.array([m.ts_ms is not None for m in messages], dtype=np.bool_),
                ]
            )
            line_no = np.concatenate(
                [
                    base + singles,
                    base + second,
                    np.array([m.line_no for m in messages], dtype=np.int64),
                ]
            )
            n_lines = np.concatenate(
                [
                    np.ones(n_single, dtype=np.int64),
                    np.full(n_pair, 2, dtype=np.int64),
                    np.array([len(m.line_nos) for m in messages], dtype=np.int64),
                ]
            )
            order = np.argsort(line_no, kind="stable")
            start, length, fill = start[order], length[order], fill[order]
            src_start, src_len = src_start[order], src_len[order]
            ts, ts_valid = ts[order], ts_valid[order]
            line_no, n_lines = line_no[order], n_lines[order]

        def lines_of(k: int) -> list[tuple[int, bytes]]:
            o = k if order is None else int(order[k])
            if o < n_single:
                i = int(singles[o])
                return [(base + i, self.raw(i))]
            if o < n_single + n_pair:
                a, b = int(first[o - n_single]), int(second[o - n_single])
                return [(base + a, self.raw(a)), (base + b, self.raw(b))]
            m = messages[o - n_single - n_pair]
            return list(zip(m.line_nos, m.raws, strict=True))

        return Group(
            buf=data,
            start=start,
            length=length,
            fill=fill,
            ts=ts,
            ts_valid=ts_valid,
            source_of=lambda k: string_spans(data, src_start[k], src_len[k]),
            line_no=line_no,
            n_lines=n_lines,
            lines_of=lines_of,
        )

    # -- output ---------------------------------------------------------------------------

    def reject_batch(self) -> tuple[pa.RecordBatch, RejectEvent | None, Counter[str]]:
        """The batch's rejects by line: the framer's (built at once) and the others."""
        owner, rejects, framed = self.owner, self.rejects, self.framed
        rows = self.framed_rejects
        by_reason: Counter[str] = Counter(rejects.reason)
        for code, count in enumerate(np.bincount(framed.reason[rows], minlength=8).tolist()):
            if count:
                by_reason[REASON_NAMES[code]] += count
        first_reject = None
        if rejects.line_no:
            k = min(
                range(len(rejects.line_no)), key=lambda j: (rejects.event[j], rejects.line_no[j])
            )
            first_reject = RejectEvent(
                rejects.event[k],
                rejects.line_no[k],
                rejects.raw[k],
                rejects.reason[k],
                rejects.detail[k],
            )
        if rows.size:
            i = int(rows[0])
            event = _event(self.base + i, _PHASE_LINE)
            if first_reject is None or (event, self.base + i) < (
                first_reject.event,
                first_reject.line_no,
            ):
                first_reject = RejectEvent(
                    event,
                    self.base + i,
                    self.raw(i),
                    REASON_NAMES[int(framed.reason[i])],
                    reject_detail(self.buf, framed, i),
                )
        raw, reason, detail = reject_columns(self.buf, framed, self.starts, rows)
        line_no = np.concatenate(
            [self.base + rows, np.array(rejects.line_no, dtype=np.int64)]
        ).astype(np.uint64)
        order = pa.array(np.argsort(line_no, kind="stable"))
        n = len(line_no)
        batch = pa.record_batch(
            [
                constant_strings(owner.file_id, n),
                constant_strings(owner.path, n),
                pa.array(line_no, pa.uint64()).take(order),
                pa.concat_arrays(
                    [raw, pa.array([raw_text(r) for r in rejects.raw], pa.string())]
                ).take(order),
                pa.concat_arrays([reason, pa.array(rejects.reason, pa.string())]).take(order),
                pa.concat_arrays([detail, pa.array(rejects.detail, pa.string())]).take(order),
            ],
            schema=REJECTS,
        )
        return batch, first_reject, by_reason

    def group_output(self, group: Group, decoded: BulkDecoded) -> _GroupOut:
        """The group's failures to rejects, its decoded columns to record batches."""
        owner = self.owner
        n = decoded.n
        failed = np.zeros(n, dtype=np.bool_)
        for f in decoded.failures:
            failed[f.index] = True
        failures = list(decoded.failures)
        pos = decoded.positions
        if owner.require_position_time:
            no_time = ~group.ts_valid[pos.index]
            for k in np.flatnonzero(no_time).tolist():
                i = int(pos.index[k])
                failed[i] = True
                failures.append(
                    DecodeFailure(
                        i, "no_timestamp", f"type {pos.msg_type[k]} position without a receive time"
                    )
                )
        if failures:
            failures.sort(key=lambda f: int(group.line_no[f.index]))
            for f in failures:
                event = _event(int(group.line_no[f.index]), _PHASE_DECODE)
                for line_no, raw in group.lines_of(f.index):
                    self.rejects.add(line_no, raw, f.reason, f.detail, event)
        usable = ~failed
        keep_other = ~failed[decoded.other_index]
        return _GroupOut(
            positions=positions_batch(group, decoded, failed, owner.file_id),
            statics=statics_batch(group, decoded, failed, owner.file_id),
            wide=messages_batch(group, decoded, usable) if owner.with_messages else None,
            decoded_lines=int(group.n_lines[usable].sum()),
            n_messages=int(usable.sum()),
            other_types=Counter(decoded.other_type[keep_other].tolist()),
        )

    def finish(self, out: _GroupOut) -> BatchResult:
        """The batch's decoded messages (already in input order) and its rejects."""
        reject_batch, first_reject, by_reason = self.reject_batch()
        return BatchResult(
            positions=out.positions,
            statics=out.statics,
            rejects=reject_batch,
            messages=out.wide,
            lines=self.n,
            decoded_lines=out.decoded_lines,
            n_messages=out.n_messages,
            other_types=out.other_types,
            rejected_by_reason=by_reason,
            first_reject=first_reject,
        )
