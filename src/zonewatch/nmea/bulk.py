"""Bulk decoding of NMEA lines, batch by batch: columnar where lines are common, exact always.

:class:`BulkDecoder` turns batches of lines (spans of one byte buffer) into
Arrow record batches of positions, statics and rejects, with the line
accounting. Per batch:

1. :func:`~zonewatch.nmea.bulkframe.frame_lines` frames the lines of the
   common shape and rejects, with the reference's reasons and details, blank
   lines, text without any sentence, sentences with a bad checksum, cut
   short or with a payload character outside the six-bit alphabet (one
   compiled pass, see :mod:`zonewatch.nmea.jit`);
2. the single-sentence messages among them are decoded at once
   (:func:`~zonewatch.nmea.fastdecode.decode_spans`);
3. every other line (other shapes, bad characters, ...) is framed by the
   reference :func:`~zonewatch.nmea.framing.frame_line`, one by one;
4. multipart fragments are assembled: runs of two-fragment messages whose
   fragments follow each other are paired columnarly unless the reference
   :class:`~zonewatch.nmea.multipart.Assembler` holds a fragment they could
   meet (same channel, sequence id and count, or tag-block group); anything else
   (interleaving, out-of-order or orphan fragments, three fragments, groups
   that do not match, ...) goes through that Assembler, which keeps its state
   across batches, so pending fragments carry over;
5. the assembled messages are decoded like step 2, and both parts are merged
   in input order.

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
    merge_batches,
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
from zonewatch.schema import POSITIONS, REJECTS, STATICS

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
        self._held: dict[int, Sentence] = {}

    def pending_lines(self) -> list[tuple[int, bytes]]:
        """``(line_no, raw)`` of the fragments still waiting for the rest of their message."""
        return self._assembler.pending_lines()

    def pending_line_count(self) -> int:
        """Number of lines held by incomplete multipart messages."""
        return self._assembler.pending_line_count()

    def held_sentence(self, line_no: int, raw: bytes) -> Sentence:
        """The sentence of a line the Assembler holds (framed again, cached while held)."""
        cached = self._held.get(line_no)
        if cached is None:
            framed = frame_line(raw)
            if isinstance(framed, FrameReject) or len(framed) != 1:
                raise AssertionError(f"line {line_no} is held but is no single fragment")
            cached = framed[0]
            if len(self._held) > 4096:
                self._held.clear()
            self._held[line_no] = cached
        return cached

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
        """Finish a prepared batch: multipart assembly (stateful) and the merged output."""
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
        self.out_a: _GroupOut | None = None
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

        # single-sentence messages of the common shape, decoded at once
        singles = np.flatnonzero((status == OK) & (framed.count == 1))
        decoded_a = decode_spans(
            self.buf,
            framed.pstart[singles],
            framed.plen[singles],
            framed.fill[singles],
            checked=True,  # by frame_lines
        )
        fallback = status == FALLBACK
        group_a = Group(
            buf=self.buf,
            start=framed.pstart[singles],
            length=framed.plen[singles],
            fill=framed.fill[singles],
            ts=framed.ts_ms[singles],
            ts_valid=framed.ts_valid[singles],
            source_of=lambda k: string_spans(
                self.buf, framed.src_start[singles[k]], framed.src_len[singles[k]]
            ),
            line_no=base + singles,
            n_lines=np.ones(len(singles), dtype=np.int64),
            lines_of=lambda k: [(base + int(singles[k]), self.raw(int(singles[k])))],
        )
        self.out_a = self.group_output(group_a, decoded_a, None)

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
        """Multipart assembly with the decoder's Assembler, then the merged output."""
        framed, base = self.framed, self.base
        assembler = self.owner._assembler
        fast_frags = np.flatnonzero((framed.status == OK) & (framed.count > 1))
        first, second, assembled = self.assemble(fast_frags, self.py_fragments)
        if assembler.has_pending():  # what the reference expires by the batch's last line
            assembler.expire(base + self.n - 1)
            self.collect_fragment_rejects(base + self.n - 1, expiry=True)
        group_b = self.group_b(first, second, self.py_messages + assembled)
        decoded_b = decode_spans(  # framed here or by frame_line: alphabet checked
            group_b.buf, group_b.start, group_b.length, group_b.fill, checked=True
        )
        assert self.out_a is not None
        return self.finish([self.out_a, self.group_output(group_b, decoded_b, None)])

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
        held = [self.owner.held_sentence(n, raw) for n, raw in self.owner.pending_lines()]
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

    def group_b(self, first: I64, second: I64, messages: list[Message]) -> Group:
        """Columnar pairs and messages of the per-line path, in the order they complete."""
        framed, buf = self.framed, self.buf
        messages.sort(key=lambda m: m.line_no)
        n_pairs, n_py = len(first), len(messages)
        seg_start = np.stack([framed.pstart[first], framed.pstart[second]], axis=1).ravel()
        seg_len = np.stack([framed.plen[first], framed.plen[second]], axis=1).ravel()
        pair_bytes = gather(buf, seg_start, seg_len)[0]
        py_payloads = b"".join(m.payload for m in messages)
        data = np.concatenate(
            [pair_bytes, np.frombuffer(py_payloads, dtype=np.uint8), np.zeros(SPAN_PAD, np.uint8)]
        )
        length = np.concatenate(
            [
                framed.plen[first] + framed.plen[second],
                np.array([len(m.payload) for m in messages], dtype=np.int64),
            ]
        )
        start = np.zeros(n_pairs + n_py, dtype=np.int64)
        np.cumsum(length[:-1], out=start[1:])
        ts_first = framed.ts_valid[first]
        pair_ts = np.where(ts_first, framed.ts_ms[first], framed.ts_ms[second])
        pair_ts_valid = ts_first | framed.ts_valid[second]
        src_first = framed.src_len[first] > 0
        pair_source = string_spans(
            buf,
            np.where(src_first, framed.src_start[first], framed.src_start[second]),
            np.where(src_first, framed.src_len[first], framed.src_len[second]),
        )
        py_source = pa.array([m.source for m in messages], pa.string())
        line_no = np.concatenate(
            [self.base + second, np.array([m.line_no for m in messages], dtype=np.int64)]
        )
        order = np.argsort(line_no, kind="stable")
        base = self.base
        sources = pa.concat_arrays([pair_source, py_source]).take(pa.array(order))

        def lines_of(k: int) -> list[tuple[int, bytes]]:
            o = int(order[k])
            if o < n_pairs:
                a, b = int(first[o]), int(second[o])
                return [(base + a, self.raw(a)), (base + b, self.raw(b))]
            m = messages[o - n_pairs]
            return list(zip(m.line_nos, m.raws, strict=True))

        return Group(
            buf=data,
            start=start[order],
            length=length[order],
            fill=np.concatenate(
                [framed.fill[second], np.array([m.fill_bits for m in messages], np.int64)]
            )[order],
            ts=np.concatenate(
                [pair_ts, np.array([m.ts_ms or 0 for m in messages], dtype=np.int64)]
            )[order],
            ts_valid=np.concatenate(
                [pair_ts_valid, np.array([m.ts_ms is not None for m in messages], np.bool_)]
            )[order],
            source_of=lambda k: sources.take(pa.array(k)),
            line_no=line_no[order],
            n_lines=np.concatenate(
                [
                    np.full(n_pairs, 2, dtype=np.int64),
                    np.array([len(m.line_nos) for m in messages], dtype=np.int64),
                ]
            )[order],
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

    def group_output(self, group: Group, decoded: BulkDecoded, excluded: I64 | None) -> _GroupOut:
        """A group's failures to rejects, its decoded columns to record batches."""
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
        if excluded is not None and excluded.size:
            usable[excluded] = False
        keep_other = ~failed[decoded.other_index]
        return _GroupOut(
            positions=positions_batch(group, decoded, failed, owner.file_id),
            statics=statics_batch(group, decoded, failed, owner.file_id),
            wide=messages_batch(group, decoded, usable) if owner.with_messages else None,
            decoded_lines=int(group.n_lines[usable].sum()),
            n_messages=int(usable.sum()),
            other_types=Counter(decoded.other_type[keep_other].tolist()),
        )

    def finish(self, parts: list[_GroupOut]) -> BatchResult:
        """Both groups merged in input order, and the batch's rejects."""
        owner = self.owner
        other_types: Counter[int] = Counter()
        for part in parts:
            other_types.update(part.other_types)
        reject_batch, first_reject, by_reason = self.reject_batch()
        wide = [p.wide for p in parts if p.wide is not None]
        return BatchResult(
            positions=merge_batches([p.positions for p in parts], POSITIONS),
            statics=merge_batches([p.statics for p in parts], STATICS),
            rejects=reject_batch,
            messages=merge_batches(wide, MESSAGES) if owner.with_messages else None,
            lines=self.n,
            decoded_lines=sum(p.decoded_lines for p in parts),
            n_messages=sum(p.n_messages for p in parts),
            other_types=other_types,
            rejected_by_reason=by_reason,
            first_reject=first_reject,
        )
