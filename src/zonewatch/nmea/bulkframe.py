r"""Vectorized framing of many AIVDM/AIVDO lines at once.

:func:`frame_lines` looks at every line of a byte buffer at once (NumPy) and
settles the lines of the common shape::

    [\<c:...,s:...,g:...>*hh\]!ccVDM,<count>,<number>,<seq>,<chan>,<payload>,<fill>*hh

exactly as :func:`zonewatch.nmea.framing.frame_line` would: it checks the
sentence and tag-block checksums (XOR of a span = XOR of two prefix XORs),
the fields, the payload alphabet, parses the tag block's ``c:``, ``s:`` and
``g:`` fields, and rejects blank lines and lines of this shape whose sentence
or tag-block checksum is wrong with the reference's reasons. Every other line
(other shapes, time columns, trailing metadata, odd tag blocks, ...) is marked
:data:`FALLBACK`, to be framed one by one by ``frame_line``, so that behaviour
and reject reasons stay those of the reference.

The buffer must have :data:`LEAD` bytes before the first line and
:data:`TAIL` bytes after the last one (any values): the kernels read fixed
windows around each line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from zonewatch.nmea.framing import MAX_TS_MS
from zonewatch.nmea.sixbit import I64, U8, BoolArray, bad_char_mask

__all__ = [
    "FALLBACK",
    "LEAD",
    "OK",
    "REASON_BAD_CHECKSUM",
    "REASON_BAD_TAG_CHECKSUM",
    "REASON_EMPTY",
    "REASON_FIELD_COUNT",
    "REASON_NOT_AIS",
    "REJECT",
    "TAIL",
    "FramedLines",
    "bad_payload_details",
    "frame_lines",
    "key_words",
    "reject_columns",
    "reject_detail",
    "unaligned_u64",
]

LEAD = 16
"""Bytes the buffer must hold before the first line."""
TAIL = 128
"""Bytes the buffer must hold after the last line."""

OK, REJECT, FALLBACK = 0, 1, 2
"""Line status: framed here, rejected here, or left to the per-line framer."""

REASON_EMPTY, REASON_BAD_CHECKSUM, REASON_BAD_TAG_CHECKSUM = 1, 2, 3
REASON_NOT_AIS, REASON_FIELD_COUNT = 4, 5
"""Reject codes of lines rejected here."""

REASON_NAMES = {
    REASON_EMPTY: "empty_line",
    REASON_BAD_CHECKSUM: "bad_checksum",
    REASON_BAD_TAG_CHECKSUM: "bad_tag_block",
    REASON_NOT_AIS: "not_ais",
    REASON_FIELD_COUNT: "bad_format",
}

_MAX_TAG = 64
_U64 = NDArray[np.uint64]

_LOW_MASK = np.array([(1 << (8 * r)) - 1 for r in range(8)], dtype=np.uint64)
_KEEP_LOW = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)
"""Mask keeping the first (lowest-addressed) ``k`` bytes of a little-endian word."""
_KEEP_HIGH = np.array([((1 << 64) - 1) ^ ((1 << (8 * (8 - k))) - 1) for k in range(9)], np.uint64)
"""Mask keeping the last ``k`` bytes of a little-endian word."""
_GATHER_BITS = np.uint64(0x0102040810204080)
_KEEP_BITS = np.array([(1 << k) - 1 for k in range(65)], dtype=np.uint64)
"""Mask of the ``k`` lowest bits."""
_HEX_VALUE = np.full(256, -1, dtype=np.int16)
for _c in b"0123456789":
    _HEX_VALUE[_c] = _c - 48
for _c in b"ABCDEF":
    _HEX_VALUE[_c] = _c - 55
_HEX_LOWER = _HEX_VALUE.copy()
for _c in b"abcdef":
    _HEX_LOWER[_c] = _c - 87


@dataclass(frozen=True, slots=True)
class FramedLines:
    """What :func:`frame_lines` found on each line (arrays of one entry per line).

    Fields other than ``status`` and ``reason`` are meaningful for ``OK`` lines:
    the sentence fields, the payload span in the buffer, the tag-block time
    (``ts_ms``, valid where ``ts_valid``), source span (``src_len`` 0: none) and
    group (``grp_size`` 0: none; ``gid_*`` is the span of the group id). ``bang``
    is where the sentence starts; ``*_actual`` are computed checksums.
    """

    status: U8
    reason: U8
    count: U8
    number: U8
    seq: NDArray[np.int8]
    channel: U8
    pstart: I64
    plen: I64
    fill: I64
    ts_ms: I64
    ts_valid: BoolArray
    src_start: I64
    src_len: I64
    grp_number: I64
    grp_size: I64
    gid_start: I64
    gid_len: I64
    bang: I64
    ends: I64
    tag_actual: I64
    sentence_actual: I64


def unaligned_u64(buf: U8) -> _U64:
    """View of ``buf`` where element ``i`` is the little-endian u64 of bytes ``i..i+7``."""
    n = max(len(buf) - 7, 0)
    view: _U64 = np.ndarray((n,), dtype="<u8", buffer=buf, offset=0, strides=(1,))
    return view


def _xor_prefix(buf: U8) -> tuple[_U64, _U64]:
    """Aligned 64-bit words of ``buf`` and their exclusive prefix XOR."""
    n = len(buf)
    if n % 8 == 0 and buf.ctypes.data % 8 == 0 and buf.flags.c_contiguous:
        words = buf.view(np.uint64)
    else:
        padded = np.zeros(n + (-n) % 8, dtype=np.uint8)
        padded[:n] = buf
        words = padded.view(np.uint64)
    prefix = np.empty(len(words) + 1, dtype=np.uint64)
    prefix[0] = 0
    np.bitwise_xor.accumulate(words, out=prefix[1:])
    return words, prefix


def _span_xor(words: _U64, prefix: _U64, start: I64, end: I64) -> I64:
    """XOR of the bytes ``buf[start:end]`` for every span (NMEA checksum)."""

    def upto(p: I64) -> _U64:
        q = p >> 3
        x: _U64 = prefix[q] ^ (words[q] & _LOW_MASK[p & 7])
        return x

    x = upto(end) ^ upto(start)
    x ^= x >> np.uint64(32)
    x ^= x >> np.uint64(16)
    x ^= x >> np.uint64(8)
    return (x & np.uint64(0xFF)).astype(np.int64)


def _in(values: NDArray[np.uint8], low: int, high: int) -> BoolArray:
    """``low <= values <= high`` for bytes."""
    return (values - np.uint8(low)) <= np.uint8(high - low)


def _digits_value(u64: _U64, end: I64, length: I64) -> tuple[I64, BoolArray]:
    """Integer value of the ``length`` (0..16) decimal digits that end before ``end``.

    Returns the values and whether all those bytes are digits (SWAR: eight
    digits per 64-bit word).
    """
    out = np.zeros(len(end), dtype=np.int64)
    ok = np.ones(len(end), dtype=np.bool_)
    zeros = np.uint64(0x3030303030303030)
    for word_end, skip, weight in ((end, 0, 1), (end - 8, 8, 100_000_000)):
        k = np.clip(length - skip, 0, 8)  # digits in this word, at its high end
        keep = _KEEP_HIGH[k]
        w = (u64[word_end - 8] & keep) | (zeros & ~keep)
        x = w ^ zeros
        ok &= (x & np.uint64(0xF0F0F0F0F0F0F0F0)) == 0
        ok &= ((x + np.uint64(0x0606060606060606)) & np.uint64(0x1010101010101010)) == 0
        x = (x & np.uint64(0x00FF00FF00FF00FF)) * np.uint64(10) + (
            (x >> np.uint64(8)) & np.uint64(0x00FF00FF00FF00FF)
        )
        x = (x & np.uint64(0x0000FFFF0000FFFF)) * np.uint64(100) + (
            (x >> np.uint64(16)) & np.uint64(0x0000FFFF0000FFFF)
        )
        x = (x & np.uint64(0xFFFFFFFF)) * np.uint64(10000) + (x >> np.uint64(32))
        out += x.astype(np.int64) * weight
    return out, ok


def key_words(buf: U8, start: I64, length: I64) -> _U64:
    """First 16 bytes of each span (zero beyond its length), as two u64 per span.

    With the lengths, this compares short strings of the buffer exactly.
    """
    u64 = unaligned_u64(buf)
    out = np.zeros((len(start), 2), dtype=np.uint64)
    for j in range(2):
        out[:, j] = u64[start + 8 * j] & _KEEP_LOW[np.clip(length - 8 * j, 0, 8)]
    return out


def _plain_rows(buf: U8, start: I64, length: I64, limit: int) -> tuple[U8, BoolArray]:
    """Rows of the spans (up to ``limit`` bytes) and which columns are inside each span."""
    width = max(int(length.max()), 1)
    width = min(width, limit)
    text = sliding_window_view(buf, width)[start]
    inside = np.arange(width)[None, :] < length[:, None]
    return text, inside


def _reject_plain_text(
    buf: U8, starts: I64, lengths: I64, rows: I64, status: U8, reason: U8
) -> None:
    """Reject as ``not_ais`` the lines of printable ASCII (not all spaces) without any '!'."""
    rows = rows[lengths[rows] <= 256]
    if not rows.size:
        return
    text, inside = _plain_rows(buf, starts[rows], lengths[rows], 256)
    printable = ~(inside & ~_in(text, 32, 126)).any(axis=1)
    words = (inside & (text != 32)).any(axis=1)
    sel = rows[printable & words]
    status[sel] = REJECT
    reason[sel] = REASON_NOT_AIS


def _plain_part(buf: U8, start: I64, end: I64) -> BoolArray:
    """Whether each span is printable ASCII without ``,`` and ``*`` (at most 96 bytes)."""
    length = end - start
    ok = length <= 96
    if not ok.any():
        return ok
    rows = np.flatnonzero(ok)
    text, inside = _plain_rows(buf, start[rows], length[rows], 96)
    bad = ~_in(text, 32, 126) | (text == 44) | (text == 42)
    ok[rows] = ~(bad & inside).any(axis=1)
    return ok


def bad_payload_details(buf: U8, pstart: I64, plen: I64) -> list[str | None]:
    """The reference's ``bad_payload`` detail for payloads with characters outside the alphabet.

    For lines that :func:`frame_lines` framed (shape, tag block and checksum
    good) whose payload has characters outside the six-bit alphabet: the
    reference rejects them naming the first such character, unless one of them
    is ``,``, ``*`` or not printable ASCII (then the line has another fate and
    the detail is None: frame it with the per-line framer).
    """
    out: list[str | None] = [None] * len(pstart)
    plain = _plain_part(buf, pstart, pstart + plen)
    rows = np.flatnonzero(plain)
    if not rows.size:
        return out
    text, inside = _plain_rows(buf, pstart[rows], plen[rows], 96)
    bad = bad_char_mask(text) & inside
    first = np.argmax(bad, axis=1)
    for k, i in enumerate(rows.tolist()):
        if bad[k].any():
            at = int(first[k])
            out[i] = f"payload character {chr(int(text[k, at]))!r} at {at + 1}"
    return out


def _payload_ok(buf: U8, start: I64, length: I64) -> BoolArray:
    """Whether every payload character is of the six-bit alphabet (rows bucketed by length)."""
    ok = np.ones(len(start), dtype=np.bool_)
    for low, high in ((0, 32), (32, 64), (64, 128)):
        sel = np.flatnonzero((length > low) & (length <= high))
        if not sel.size:
            continue
        width = int(length[sel].max())
        chars = sliding_window_view(buf, width)[start[sel]]
        inside = np.arange(width)[None, :] < length[sel, None]
        ok[sel] = ~(bad_char_mask(chars) & inside).any(axis=1)
    ok[length > 128] = False
    return ok


def frame_lines(
    buf: U8, starts: I64, ends: I64, *, check_single_payloads: bool = True
) -> FramedLines:
    r"""Frame every line ``buf[starts[i]:ends[i]]`` of the common shape at once.

    Parameters
    ----------
    buf
        The bytes, with :data:`LEAD` bytes before the first line and
        :data:`TAIL` after the last.
    starts, ends
        Line spans (without the line break).
    check_single_payloads
        Check the payload alphabet of single-sentence lines too. A caller that
        checks them later (while de-armouring) passes False; such lines are
        then ``OK`` subject to that check, and an ``OK`` line that fails it
        must be framed by the per-line framer. Fragments and rejected lines
        are always checked.

    Returns
    -------
    FramedLines
        Per line: ``OK`` with the sentence fields, ``REJECT`` with a reason
        code, or ``FALLBACK``.

    Examples
    --------
    >>> line = b"\\c:1709251200,s:rx1*0C\\!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30"
    >>> buf = np.frombuffer(bytes(LEAD) + line + bytes(TAIL), np.uint8)
    >>> f = frame_lines(buf, np.array([LEAD]), np.array([LEAD + len(line)]))
    >>> int(f.status[0]), int(f.ts_ms[0]), int(f.plen[0])
    (0, 1709251200000, 28)
    """
    n = len(starts)
    starts = starts.astype(np.int64, copy=False)
    ends = ends.astype(np.int64, copy=False)
    u64 = unaligned_u64(buf)
    status = np.full(n, FALLBACK, dtype=np.uint8)
    reason = np.zeros(n, dtype=np.uint8)
    lengths = ends - starts
    status[lengths == 0] = REJECT
    reason[lengths == 0] = REASON_EMPTY

    # where the sentence starts: the first '!' of the line
    data_end = int(ends.max()) if n else 0
    data_start = int(starts.min()) if n else 0
    bangs = np.flatnonzero(buf[data_start:data_end] == 33) + data_start
    k = np.searchsorted(bangs, starts)
    found = k < len(bangs)
    b = np.where(found, bangs[np.minimum(k, max(len(bangs) - 1, 0))] if len(bangs) else 0, starts)
    has_bang = found & (b < ends)
    cand = has_bang & (lengths >= 19)
    b = np.where(cand, b, starts)

    _reject_plain_text(
        buf, starts, lengths, np.flatnonzero((lengths > 0) & ~has_bang), status, reason
    )

    # fixed fields after '!': [A-Z]{2}VD[MO],c,n,
    head = sliding_window_view(buf, 16)[b]
    cand &= _in(head[:, 1], 65, 90) & _in(head[:, 2], 65, 90)
    cand &= (head[:, 3] == 86) & (head[:, 4] == 68) & ((head[:, 5] == 77) | (head[:, 5] == 79))
    cand &= (head[:, 6] == 44) & (head[:, 8] == 44) & (head[:, 10] == 44)
    cand &= _in(head[:, 7], 49, 57) & _in(head[:, 9], 49, 57)
    count = head[:, 7] - np.uint8(48)
    number = head[:, 9] - np.uint8(48)
    cand &= number <= count
    seq_empty = head[:, 11] == 44
    seq_digit = _in(head[:, 11], 48, 57) & (head[:, 12] == 44)
    cand &= seq_empty | seq_digit
    q = np.where(seq_empty, 11, 12)
    rows = np.arange(n)
    ch = head[rows, q + 1]
    ch_empty = ch == 44
    ch_one = ((ch == 65) | (ch == 66) | (ch == 49) | (ch == 50)) & (head[rows, q + 2] == 44)
    cand &= ch_empty | ch_one
    pstart = b + np.where(ch_empty, q + 2, q + 3)

    # before '!': nothing, or one tag block \...*hh\
    first = buf[starts]
    no_tag = b == starts
    tagged = (first == 92) & (b - starts >= 5) & (b - starts <= _MAX_TAG + 5)
    cand &= no_tag | tagged

    # tail: ,<fill>*hh ; or only *hh (a sentence cut short: one field missing)
    tail = sliding_window_view(buf, 5)[np.maximum(ends - 5, 0)]
    given_hi = _HEX_VALUE[tail[:, 3]]
    given_lo = _HEX_VALUE[tail[:, 4]]
    checked = cand & (tail[:, 2] == 42) & (given_hi >= 0) & (given_lo >= 0)
    full = (tail[:, 0] == 44) & _in(tail[:, 1], 48, 53)
    plen = ends - 5 - pstart
    cand = checked & full & (plen >= 1)
    short = checked & ~full & (ends - 3 >= pstart)
    short[np.flatnonzero(short)[~_plain_part(buf, pstart[short], ends[short] - 3)]] = False
    fill = (tail[:, 1] - np.uint8(48)).astype(np.int64)

    # payload alphabet (of single-sentence lines later, when the caller asks)
    idx = np.flatnonzero(cand if check_single_payloads else cand & (count > 1))
    cand[idx[~_payload_ok(buf, pstart[idx], plen[idx])]] = False

    words, prefix = _xor_prefix(buf)
    tags = _TagColumns.empty(n)
    tag_rows = np.flatnonzero((cand | short) & tagged)
    if tag_rows.size:
        _parse_tags(buf, u64, words, prefix, starts[tag_rows], b[tag_rows], tag_rows, tags)
    cand &= tags.status != FALLBACK
    short &= tags.status != FALLBACK

    actual = np.zeros(n, dtype=np.int64)
    idx = np.flatnonzero(cand | short)
    actual[idx] = _span_xor(words, prefix, b[idx] + 1, ends[idx] - 3)
    given = (given_hi.astype(np.int64) << 4) | given_lo
    tag_bad = (cand | short) & (tags.status == REJECT)
    sentence_bad = (cand | short) & ~tag_bad & (actual != given)
    good = cand & ~tag_bad & ~sentence_bad
    too_few = short & ~tag_bad & ~sentence_bad
    if not check_single_payloads:  # a reject needs the payload checked: non-text wins
        idx = np.flatnonzero((tag_bad | sentence_bad) & cand & (count == 1))
        unsure = idx[~_payload_ok(buf, pstart[idx], plen[idx])]
        tag_bad[unsure] = False
        sentence_bad[unsure] = False
    status[good] = OK
    status[tag_bad] = REJECT
    reason[tag_bad] = REASON_BAD_TAG_CHECKSUM
    status[sentence_bad] = REJECT
    reason[sentence_bad] = REASON_BAD_CHECKSUM
    status[too_few] = REJECT
    reason[too_few] = REASON_FIELD_COUNT

    seq = np.where(seq_empty, -1, head[:, 11].astype(np.int16) - 48).astype(np.int8)
    return FramedLines(
        status=status,
        reason=reason,
        count=count,
        number=number,
        seq=seq,
        channel=np.where(ch_empty, 0, ch).astype(np.uint8),
        pstart=pstart,
        plen=plen,
        fill=fill,
        ts_ms=tags.ts_ms,
        ts_valid=tags.ts_valid,
        src_start=tags.src_start,
        src_len=tags.src_len,
        grp_number=tags.grp_number,
        grp_size=tags.grp_size,
        gid_start=tags.gid_start,
        gid_len=tags.gid_len,
        bang=b,
        ends=ends,
        tag_actual=tags.actual,
        sentence_actual=actual,
    )


def _char_bits(text: U8, char: int) -> _U64:
    """Bit ``j`` set where column ``j`` of each row is ``char`` (rows of at most 64 bytes)."""
    return _pack_rows(text == char)


def _pack_rows(flags: BoolArray) -> _U64:
    """Pack rows of 32 or 64 flags into one integer each (bit ``j`` = column ``j``).

    Eight flag bytes (0 or 1) of a little-endian word become eight bits with
    one multiplication: ``(x * 0x0102040810204080) >> 56``.
    """
    width = flags.shape[1]
    groups = np.ascontiguousarray(flags).view("<u8")
    packed = ((groups * _GATHER_BITS) >> np.uint64(56)).astype(np.uint8)
    if width == 32:
        return packed.view("<u4")[:, 0].astype(np.uint64)
    out: _U64 = packed.view("<u8")[:, 0]
    return out


def _lowest_bit(mask: _U64) -> tuple[I64, BoolArray]:
    """Index of the lowest set bit of each mask, and whether there is one."""
    low = mask & (~mask + np.uint64(1))
    has = low != 0
    exponent = np.frexp(np.where(has, low, np.uint64(1)).astype(np.float64))[1]
    return exponent.astype(np.int64) - 1, has


_TEMPLATES = 3
"""Tag-block layouts parsed as templates per batch (the rest field by field)."""
_POW10 = 10.0 ** np.arange(12, -1, -1)


@dataclass(frozen=True, slots=True)
class _TagFields:
    """Values of the c, s and g fields of tag blocks (filled in place)."""

    bad: BoolArray
    ts_ms: I64
    ts_valid: BoolArray
    src_start: I64
    src_len: I64
    grp_number: I64
    grp_size: I64
    gid_start: I64
    gid_len: I64

    @classmethod
    def empty(cls, m: int) -> _TagFields:
        z = np.zeros(m, dtype=np.int64)
        b = np.zeros(m, dtype=np.bool_)
        return cls(b, z, b.copy(), z.copy(), z.copy(), z.copy(), z.copy(), z.copy(), z.copy())


def _time_ms(value: I64, digits_ok: BoolArray, n_digits: I64 | np.int64) -> tuple[I64, BoolArray]:
    """Tag-block ``c:`` value (seconds, or ms above 1e11) as ms, and whether it is usable."""
    ms = np.where(value <= 100_000_000_000, value * 1000, value)
    good = digits_ok & (n_digits >= 1) & (n_digits <= 13) & (ms <= MAX_TS_MS)
    return ms, good


def _group_fields(buf: U8, start: I64, length: I64) -> tuple[BoolArray, I64, I64]:
    """``g:<n>-<size>-<id>`` with one-digit numbers: whether well formed, number, size."""
    g = sliding_window_view(buf, 4)[start]
    shape = _in(g[:, 0], 49, 57) & (g[:, 1] == 45) & _in(g[:, 2], 49, 57) & (g[:, 3] == 45)
    number = g[:, 0].astype(np.int64) - 48
    size = g[:, 2].astype(np.int64) - 48
    return shape & (length >= 5) & (number <= size), number, size


def _parse_template(
    buf: U8,
    text: U8,
    content: I64,
    clen: I64,
    comma: _U64,
    field_starts: _U64,
    todo: I64,
    out: _TagFields,
) -> I64:
    """Parse the rows of ``todo`` laid out like the first of them; return the others.

    Rows with the same commas, length and keys have every field at the same
    columns, so each field is a fixed slice of the text matrix.
    """
    r0 = int(todo[0])
    same = (comma[todo] == comma[r0]) & (clen[todo] == clen[r0])
    starts = [j for j in range(64) if int(field_starts[r0]) >> j & 1]
    ends = [*(p - 1 for p in starts[1:]), int(clen[r0])] if starts else []
    keys = [int(text[r0, p]) for p in starts]
    for p, key in zip(starts, keys, strict=True):
        same &= text[todo, p] == key
    every = bool(same.all())
    rows: I64 | slice = slice(None) if every and len(todo) == len(out.bad) else todo[same]
    count = len(todo) if every else int(same.sum())
    wanted = [k for k in keys if k in (99, 115, 103)]
    if len(wanted) != len(set(wanted)):  # a repeated key: field by field
        return todo
    for p, end, key in zip(starts, ends, keys, strict=True):
        k = end - p - 2
        if key == 99:
            if not 1 <= k <= 13:
                out.bad[rows] = True
                continue
            digits = text[rows, p + 2 : end]
            ok: BoolArray = np.asarray(((digits - np.uint8(48)) <= 9).all(axis=1))
            value = ((digits.astype(np.float64) - 48.0) @ _POW10[13 - k :]).astype(np.int64)
            ms, good = _time_ms(value, ok, np.int64(k))
            out.bad[rows] |= ~good
            out.ts_ms[rows] = ms
            out.ts_valid[rows] = True
        elif key == 115:
            out.src_start[rows] = content[rows] + p + 2
            out.src_len[rows] = k
        elif key == 103:
            good, number, size = _group_fields(buf, content[rows] + p + 2, np.full(count, k))
            out.bad[rows] |= ~good
            out.grp_number[rows] = number
            out.grp_size[rows] = size
            out.gid_start[rows] = content[rows] + p + 6
            out.gid_len[rows] = k - 4
    rest: I64 = todo[~same]
    return rest


def _parse_fields(
    buf: U8,
    u64: _U64,
    text: U8,
    content: I64,
    clen: I64,
    comma: _U64,
    field_starts: _U64,
    rows: I64,
    out: _TagFields,
) -> None:
    """Parse the fields of the tag blocks at ``rows`` one key at a time (any layout)."""
    text = text[rows]
    content, clen, comma, field_starts = content[rows], clen[rows], comma[rows], field_starts[rows]
    for key in (99, 115, 103):  # c, s, g
        keys = _char_bits(text, key) & field_starts
        if not keys.any():
            continue
        bad = np.bitwise_count(keys) > 1
        at, has = _lowest_bit(keys)
        after = comma & ~(_KEEP_BITS[np.minimum(at + 1, 64)])
        nxt, more = _lowest_bit(after)
        vstart = at + 2
        vlen = np.where(more, nxt, clen) - vstart
        sel = rows[has]
        if key == 99:
            value, digits = _digits_value(u64, content + vstart + vlen, np.clip(vlen, 0, 13))
            ms, good = _time_ms(value, digits, vlen)
            bad |= has & ~good
            out.ts_ms[sel] = ms[has]
            out.ts_valid[sel] = True
        elif key == 115:
            out.src_start[sel] = (content + vstart)[has]
            out.src_len[sel] = vlen[has]
        else:
            good, number, size = _group_fields(buf, np.where(has, content + vstart, 0), vlen)
            bad |= has & ~good
            out.grp_number[sel] = number[has]
            out.grp_size[sel] = size[has]
            out.gid_start[sel] = (content + vstart + 4)[has]
            out.gid_len[sel] = (vlen - 4)[has]
        out.bad[rows] |= bad


def _parse_tags(
    buf: U8,
    u64: _U64,
    words: _U64,
    prefix: _U64,
    starts: I64,
    bang: I64,
    rows: I64,
    out: _TagColumns,
) -> None:
    r"""Parse the tag block ``\\<content>*hh\\`` before each sentence into ``out`` at ``rows``.

    The reference checks, in this order: the two checksum characters, the
    checksum, then the fields. Tag blocks of another shape, with spaces or
    characters that are not printable ASCII, or fields this parser does not
    settle (keys of more than one letter, a repeated ``c``/``s``/``g`` key,
    fractional times, group numbers above 9), are left to the per-line framer.
    Fields are located with one bit mask per row per character class.
    """
    m = len(rows)
    star = bang - 4
    content = starts + 1
    clen = star - content
    hi = _HEX_LOWER[buf[bang - 3]].astype(np.int64)
    lo = _HEX_LOWER[buf[bang - 2]].astype(np.int64)
    shape_bad = (buf[bang - 1] != 92) | (buf[star] != 42) | (hi < 0) | (lo < 0)
    given = (hi << 4) | lo
    actual = _span_xor(words, prefix, content, star)

    width = 32 if int(clen.max()) <= 32 else _MAX_TAG
    text = sliding_window_view(buf, width)[content]
    inside = _KEEP_BITS[np.minimum(clen, 64)]
    code = text - np.uint8(33)
    shape_bad |= (_pack_rows((code > 93) | (code == 59)) & inside) != 0

    comma = _char_bits(text, 44) & inside
    field_starts = np.where(clen > 0, (comma << np.uint64(1)) | np.uint64(1), np.uint64(0))
    colons = _char_bits(text, 58) & inside
    expected = field_starts << np.uint64(1)
    # every field is k:value with a one-letter key (a trailing comma starts a field outside)
    fields_bad = (colons & expected) != expected
    fields_bad |= (field_starts & ~inside) != 0

    fields = _TagFields.empty(m)
    todo = np.flatnonzero(~shape_bad & ~fields_bad)
    for _ in range(_TEMPLATES):  # the layouts of most rows, one at a time
        if not todo.size:
            break
        todo = _parse_template(buf, text, content, clen, comma, field_starts, todo, fields)
    if todo.size:
        _parse_fields(buf, u64, text, content, clen, comma, field_starts, todo, fields)
    fields_bad |= fields.bad
    ts_ms, ts_valid = fields.ts_ms, fields.ts_valid
    src = np.stack([fields.src_start, fields.src_len])
    grp = np.stack([fields.grp_number, fields.grp_size, fields.gid_start, fields.gid_len])

    checksum_bad = actual != given
    status = np.where(
        shape_bad, FALLBACK, np.where(checksum_bad, REJECT, np.where(fields_bad, FALLBACK, OK))
    ).astype(np.uint8)
    out.status[rows] = status
    out.given[rows] = given
    out.actual[rows] = actual
    out.ts_ms[rows] = ts_ms
    out.ts_valid[rows] = ts_valid
    out.src_start[rows], out.src_len[rows] = src
    out.grp_number[rows], out.grp_size[rows] = grp[0], grp[1]
    out.gid_start[rows], out.gid_len[rows] = grp[2], grp[3]


@dataclass(frozen=True, slots=True)
class _TagColumns:
    """Per-line results of tag-block parsing (filled in place)."""

    status: U8
    given: I64
    actual: I64
    ts_ms: I64
    ts_valid: BoolArray
    src_start: I64
    src_len: I64
    grp_number: I64
    grp_size: I64
    gid_start: I64
    gid_len: I64

    @classmethod
    def empty(cls, n: int) -> _TagColumns:
        """All lines without a tag block."""
        z = np.zeros(n, dtype=np.int64)
        return cls(
            np.full(n, OK, dtype=np.uint8), z.copy(), z.copy(), z.copy(),
            np.zeros(n, dtype=np.bool_), z.copy(), z.copy(), z.copy(), z.copy(), z.copy(),
            z.copy(),
        )  # fmt: skip


_HEX_TEXT = pa.array([f"{v:02X}" for v in range(256)], pa.string())
_REASON_TEXT = pa.array([REASON_NAMES.get(code, "") for code in range(8)], pa.string())
_CONSTANT_DETAIL = {
    REASON_EMPTY: "blank line",
    REASON_NOT_AIS: "no !xxVDM/!xxVDO sentence",
    REASON_FIELD_COUNT: "5 fields after the tag, expected 6",
}


def _text_spans(buf: U8, start: I64, length: I64) -> pa.Array:
    """Arrow strings of ASCII byte spans of ``buf``."""
    offsets = np.zeros(len(start) + 1, dtype=np.int32)
    np.cumsum(length, out=offsets[1:])
    total = int(offsets[-1])
    idx = np.repeat(start - offsets[:-1], length) + np.arange(total)
    return pa.StringArray.from_buffers(
        len(start), pa.py_buffer(offsets), pa.py_buffer(buf[idx].tobytes())
    )


def reject_columns(
    buf: U8, framed: FramedLines, starts: I64, rows: I64
) -> tuple[pa.Array, pa.Array, pa.Array]:
    """``raw``, ``reason`` and ``detail`` of lines rejected by :func:`frame_lines`, at once.

    Such lines are printable ASCII, so their text is their bytes.
    """
    codes = framed.reason[rows]
    raw = _text_spans(buf, starts[rows], framed.ends[rows] - starts[rows])
    reason = _REASON_TEXT.take(pa.array(codes.astype(np.int64)))
    detail = pa.nulls(len(rows), pa.string())
    for code, text in _CONSTANT_DETAIL.items():
        mask = pa.array(codes == code)
        detail = pc.if_else(mask, pa.scalar(text), detail)
    sentence = codes == REASON_BAD_CHECKSUM
    tag = codes == REASON_BAD_TAG_CHECKSUM
    if sentence.any() or tag.any():
        ends, bangs = framed.ends[rows], framed.bang[rows]
        given = _text_spans(buf, np.where(tag, bangs - 3, ends - 2), np.full(len(rows), 2))
        actual = np.where(tag, framed.tag_actual[rows], framed.sentence_actual[rows])
        computed = _HEX_TEXT.take(pa.array(actual))
        lead = pc.if_else(pa.array(tag), pa.scalar("tag block checksum "), pa.scalar("checksum "))
        text = pc.binary_join_element_wise(lead, given, " != computed ", computed, "")
        detail = pc.if_else(pa.array(sentence | tag), text, detail)
    return raw, reason, detail


def reject_detail(buf: U8, framed: FramedLines, i: int) -> str:
    """The reference framer's detail for line ``i`` rejected by :func:`frame_lines`."""
    code = int(framed.reason[i])
    if code == REASON_EMPTY:
        return "blank line"
    if code == REASON_NOT_AIS:
        return "no !xxVDM/!xxVDO sentence"
    if code == REASON_FIELD_COUNT:
        return "5 fields after the tag, expected 6"
    if code == REASON_BAD_CHECKSUM:
        end = int(framed.ends[i])
        given = bytes(buf[end - 2 : end]).decode()
        return f"checksum {given} != computed {int(framed.sentence_actual[i]):02X}"
    bang = int(framed.bang[i])
    given = bytes(buf[bang - 3 : bang - 1]).decode()
    return f"tag block checksum {given} != computed {int(framed.tag_actual[i]):02X}"
