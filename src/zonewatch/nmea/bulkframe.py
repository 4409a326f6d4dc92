r"""Framing of many AIVDM/AIVDO lines at once: one compiled pass over the bytes of a batch.

:func:`frame_lines` looks at every line of a byte buffer and settles the lines
of the common shape::

    [\<k:v,...>*hh\]!ccVDM,<count>,<number>,<seq>,<chan>,<payload>,<fill>*hh

exactly as :func:`zonewatch.nmea.framing.frame_line` would. For each line the
kernel (compiled with numba, see :mod:`zonewatch.nmea.jit`) finds the first
``!``, checks the fixed fields after it, the tail ``,<fill>*hh``, the payload
alphabet, the sentence checksum and the tag block (its checksum, and its
``c:`` time, ``s:`` source and ``g:`` group fields, in one walk over its
fields). It rejects, with the reference's reasons and details, blank lines,
printable text without any sentence, and lines of this shape whose tag-block
or sentence checksum is wrong, that are one field short, or whose payload has
a printable character outside the six-bit alphabet. Every other line (other
shapes, time columns, trailing metadata, odd tag blocks, control bytes, ...)
is marked :data:`FALLBACK`, to be framed one by one by ``frame_line``, so
that behaviour and reject reasons stay those of the reference.

The buffer must have :data:`LEAD` bytes before the first line and
:data:`TAIL` bytes after the last one (any values): the kernel reads a fixed
window after each ``!``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from zonewatch.nmea.bulktables import MAX_RAW_CHARS
from zonewatch.nmea.framing import MAX_TS_MS
from zonewatch.nmea.jit import njit
from zonewatch.nmea.sixbit import I64, U8, U64, BoolArray
from zonewatch.nmea.spans import (
    HIGH,
    LOW7,
    ONES,
    ZERO_CHARS,
    byte_words,
    equal_bytes,
    gather,
    low_bytes,
)

__all__ = [
    "FALLBACK",
    "LEAD",
    "OK",
    "REASON_BAD_CHECKSUM",
    "REASON_BAD_PAYLOAD",
    "REASON_BAD_TAG_CHECKSUM",
    "REASON_EMPTY",
    "REASON_FIELD_COUNT",
    "REASON_NAMES",
    "REASON_NOT_AIS",
    "REJECT",
    "TAIL",
    "FramedLines",
    "frame_lines",
    "key_words",
    "reject_columns",
    "reject_detail",
]

LEAD = 16
"""Bytes the buffer must hold before the first line."""
TAIL = 128
"""Bytes the buffer must hold after the last line."""

OK, REJECT, FALLBACK = 0, 1, 2
"""Line status: framed here, rejected here, or left to the per-line framer."""

REASON_EMPTY, REASON_BAD_CHECKSUM, REASON_BAD_TAG_CHECKSUM = 1, 2, 3
REASON_NOT_AIS, REASON_FIELD_COUNT, REASON_BAD_PAYLOAD = 4, 5, 6
"""Reject codes of lines rejected here."""

REASON_NAMES = {
    REASON_EMPTY: "empty_line",
    REASON_BAD_CHECKSUM: "bad_checksum",
    REASON_BAD_TAG_CHECKSUM: "bad_tag_block",
    REASON_NOT_AIS: "not_ais",
    REASON_FIELD_COUNT: "bad_format",
    REASON_BAD_PAYLOAD: "bad_payload",
}

_MAX_TAG = 64
"""Longest tag block (between the backslashes) framed here."""
_MS_THRESHOLD = 100_000_000_000
"""A tag-block time above this is in milliseconds, not seconds (as the reference)."""


@dataclass(frozen=True, slots=True)
class FramedLines:
    """What :func:`frame_lines` found on each line (arrays of one entry per line).

    Fields other than ``status`` and ``reason`` are meaningful for ``OK`` lines:
    the sentence fields, the payload span in the buffer, the tag-block time
    (``ts_ms``, valid where ``ts_valid``), source span (``src_len`` 0: none) and
    group (``grp_size`` 0: none; ``gid_*`` is the span of the group id). ``bang``
    is where the sentence starts; ``*_actual`` are computed checksums (of
    rejected lines); ``bad_at`` is the index of the first character outside the
    six-bit alphabet in the payload of a line rejected as ``bad_payload``
    (whose payload starts at ``pstart``).
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
    bad_at: I64


# -- the kernel -------------------------------------------------------------------------------
# Plain loops compiled by numba: integers only, no Python objects.


@njit
def _at_least(w: np.uint64, low: int) -> np.uint64:  # pragma: no cover - compiled
    """High bit of each byte of ``w`` (7-bit bytes) set where the byte is at least ``low``."""
    return (w + ONES * np.uint64(128 - low)) & HIGH


@njit
def _find(words: U64, start: int, end: int, byte: int) -> int:  # pragma: no cover - compiled
    """Index of the first ``byte`` in ``[start, end)``, or ``end``."""
    k = start
    while k < end:
        hit = equal_bytes(words[k], byte)
        if end - k < 8:
            hit &= low_bytes(end - k)
        if hit:
            j = 0
            while not (hit >> np.uint64(8 * j + 7)) & np.uint64(1):
                j += 1
            return k + j
        k += 8
    return end


@njit
def _xor(words: U64, start: int, end: int) -> int:  # pragma: no cover - compiled
    """XOR of the bytes in ``[start, end)`` (the NMEA checksum)."""
    x = np.uint64(0)
    k = start
    while k + 8 <= end:
        x ^= words[k]
        k += 8
    if k < end:
        x ^= words[k] & low_bytes(end - k)
    x ^= x >> np.uint64(32)
    x ^= x >> np.uint64(16)
    x ^= x >> np.uint64(8)
    return int(x & np.uint64(255))


@njit
def _outside_alphabet(words: U64, start: int, end: int) -> bool:  # pragma: no cover - compiled
    """Whether a byte in ``[start, end)`` lies outside the six-bit alphabet ``0``-``W``, `-w."""
    bad = np.uint64(0)
    k = start
    while k < end:
        w = words[k]
        if end - k < 8:
            keep = low_bytes(end - k)
            w = (w & keep) | (ZERO_CHARS & ~keep)
        b = w & LOW7
        ok = (_at_least(b, 48) & ~_at_least(b, 88)) | (_at_least(b, 96) & ~_at_least(b, 120))
        bad |= (~ok | w) & HIGH
        k += 8
    return bool(bad != 0)


@njit
def _tag_text(words: U64, start: int, end: int) -> bool:  # pragma: no cover - compiled
    """Whether ``[start, end)`` is printable ASCII without spaces and backslashes."""
    bad = np.uint64(0)
    k = start
    while k < end:
        w = words[k]
        if end - k < 8:
            keep = low_bytes(end - k)
            w = (w & keep) | (ZERO_CHARS & ~keep)
        b = w & LOW7
        bad |= (~_at_least(b, 33) | _at_least(b, 127) | equal_bytes(b, 92) | w) & HIGH
        k += 8
    return bool(bad == 0)


@njit
def _decimal(words: U64, end: int, n: int) -> int:  # pragma: no cover - compiled
    """Value of the ``n`` (1 to 16) bytes before ``end`` if they are all digits, else -1."""
    if n < 1 or n > 16:
        return -1
    value = 0
    for part in range(2):  # the last eight digits, then those before them
        k = min(n - 8 * part, 8)
        if k <= 0:
            break
        w = words[end - 8 - 8 * part]
        keep = ~low_bytes(8 - k) if k < 8 else ~np.uint64(0)
        x = ((w & keep) | (ZERO_CHARS & ~keep)) ^ ZERO_CHARS
        if x & np.uint64(0xF0F0F0F0F0F0F0F0) or (x + ONES * np.uint64(6)) & (ONES << np.uint64(4)):
            return -1
        lanes = np.uint64(0x00FF00FF00FF00FF)
        x = (x & lanes) * np.uint64(10) + ((x >> np.uint64(8)) & lanes)
        lanes = np.uint64(0x0000FFFF0000FFFF)
        x = (x & lanes) * np.uint64(100) + ((x >> np.uint64(16)) & lanes)
        x = (x & np.uint64(0xFFFFFFFF)) * np.uint64(10000) + (x >> np.uint64(32))
        value += int(x) * (1 if part == 0 else 100_000_000)
    return value


@njit
def _hex_upper(c: int) -> int:  # pragma: no cover - compiled
    """Value of an uppercase hex digit, or -1 (the sentence checksum's digits)."""
    if 48 <= c <= 57:
        return c - 48
    if 65 <= c <= 70:
        return c - 55
    return -1


@njit
def _hex_any(c: int) -> int:  # pragma: no cover - compiled
    """Value of a hex digit of either case, or -1 (the tag-block checksum's digits)."""
    if 97 <= c <= 102:
        return c - 87
    return _hex_upper(c)


@njit
def _digits(buf: U8, start: int, end: int, most: int) -> int:  # pragma: no cover - compiled
    """Value of ``buf[start:end]`` if it is 1 to ``most`` decimal digits, else -1."""
    if end - start < 1 or end - start > most:
        return -1
    value = 0
    for k in range(start, end):
        d = int(buf[k]) - 48
        if d < 0 or d > 9:
            return -1
        value = value * 10 + d
    return value


@njit
def _printable_words(buf: U8, start: int, end: int) -> bool:  # pragma: no cover - compiled
    """Whether ``buf[start:end]`` is printable ASCII and not only spaces."""
    words = False
    for k in range(start, end):
        c = buf[k]
        if c < 32 or c > 126:
            return False
        words |= c != 32
    return words


@njit
def _first_bad(buf: U8, start: int, end: int) -> int:  # pragma: no cover - compiled
    """Index in ``buf[start:end]`` of the first character outside the six-bit alphabet.

    -1 when the span also holds ``,``, ``*`` or a byte that is not printable
    ASCII (the line then has another fate, for the per-line framer to say).
    """
    first = -1
    for k in range(start, end):
        c = buf[k]
        if c < 32 or c > 126 or c == 44 or c == 42:
            return -1
        v = int(c) - 48
        if first < 0 and (v < 0 or v > 71 or 39 < v < 48):
            first = k - start
    return first


@njit
def _tag_block(  # pragma: no cover - compiled
    buf: U8, words: U64, start: int, bang: int, out: I64
) -> int:
    r"""Frame the tag block ``\<content>*hh\`` that runs from ``start`` to ``bang``.

    Returns OK, REJECT (checksum wrong) or FALLBACK (any other shape or field
    the per-line framer must judge). Fills ``out`` with: computed checksum,
    time in ms (-1: none), source start and length, group number, size, id
    start and id length.
    """
    star = bang - 4
    if buf[bang - 1] != 92 or buf[star] != 42:
        return FALLBACK
    hi = _hex_any(int(buf[bang - 3]))
    lo = _hex_any(int(buf[bang - 2]))
    if hi < 0 or lo < 0:
        return FALLBACK
    if not _tag_text(words, start + 1, star):  # spaces, backslashes, not printable ASCII
        return FALLBACK
    actual = _xor(words, start + 1, star)
    out[0] = actual
    if actual != hi * 16 + lo:
        return REJECT
    out[1] = -1
    out[2] = 0
    out[3] = 0
    out[4] = 0
    out[5] = 0
    out[6] = 0
    out[7] = 0
    if star == start + 1:  # empty tag block
        return OK
    if buf[star - 1] == 44:  # an empty last field
        return FALLBACK
    seen_c = False
    seen_s = False
    seen_g = False
    k = start + 1
    while k < star:
        end = _find(words, k, star, 44)
        # every field is k:value with a one-letter key
        if end - k < 2 or buf[k + 1] != 58 or buf[k] == 58:
            return FALLBACK
        key = buf[k]
        value = k + 2
        if key == 99:  # c: Unix seconds, or ms above 1e11
            if seen_c:
                return FALLBACK
            seen_c = True
            t = _decimal(words, end, end - value) if end - value <= 13 else -1
            if t < 0:
                return FALLBACK
            ms = t * 1000 if t <= _MS_THRESHOLD else t
            if ms > MAX_TS_MS:
                return FALLBACK
            out[1] = ms
        elif key == 115:  # s: source station
            if seen_s:
                return FALLBACK
            seen_s = True
            out[2] = value
            out[3] = end - value
        elif key == 103:  # g: <number>-<size>-<id>
            if seen_g:
                return FALLBACK
            seen_g = True
            d1 = value
            while d1 < end and 48 <= buf[d1] <= 57:
                d1 += 1
            d2 = d1 + 1
            while d2 < end and 48 <= buf[d2] <= 57:
                d2 += 1
            if d1 >= end or buf[d1] != 45 or d2 >= end or buf[d2] != 45 or d2 + 1 >= end:
                return FALLBACK
            number = _digits(buf, value, d1, 4)
            size = _digits(buf, d1 + 1, d2, 4)
            if number < 1 or size < number:
                return FALLBACK
            out[4] = number
            out[5] = size
            out[6] = d2 + 1
            out[7] = end - d2 - 1
        k = end + 1
    return OK


@njit
def _frame_kernel(  # pragma: no cover - compiled
    buf: U8,
    words: U64,
    starts: I64,
    ends: I64,
    status: U8,
    reason: U8,
    count: U8,
    number: U8,
    seq: NDArray[np.int8],
    channel: U8,
    pstart: I64,
    plen: I64,
    fill: I64,
    ts_ms: I64,
    ts_valid: BoolArray,
    src_start: I64,
    src_len: I64,
    grp_number: I64,
    grp_size: I64,
    gid_start: I64,
    gid_len: I64,
    bang: I64,
    tag_actual: I64,
    sentence_actual: I64,
    bad_at: I64,
    tag: I64,
) -> None:
    """Frame every line; outputs are filled in place (``status`` starts as FALLBACK).

    ``tag`` is scratch space (8 integers) for :func:`_tag_block`.
    """
    for i in range(starts.size):
        s = starts[i]
        e = ends[i]
        bang[i] = s
        if e == s:
            status[i] = REJECT
            reason[i] = REASON_EMPTY
            continue
        if e - s > MAX_RAW_CHARS:  # a reject would keep a cut copy: the per-line path does
            continue
        # the first '!'; a line without one is rejected when it is printable text
        b = _find(words, s, e, 33)
        if b == e:
            if _printable_words(buf, s, e):
                status[i] = REJECT
                reason[i] = REASON_NOT_AIS
            continue
        if e - s < 19:
            continue
        tagged = b != s
        if tagged and (buf[s] != 92 or b - s < 5 or b - s > _MAX_TAG + 5):
            continue
        # fixed fields after '!': [A-Z]{2}VD[MO],<1-9>,<1-9>,
        if not (65 <= buf[b + 1] <= 90 and 65 <= buf[b + 2] <= 90):
            continue
        if buf[b + 3] != 86 or buf[b + 4] != 68 or (buf[b + 5] != 77 and buf[b + 5] != 79):
            continue
        if buf[b + 6] != 44 or buf[b + 8] != 44 or buf[b + 10] != 44:
            continue
        cnt = int(buf[b + 7]) - 48
        num = int(buf[b + 9]) - 48
        if cnt < 1 or cnt > 9 or num < 1 or num > cnt:
            continue
        # <seq>,<channel>,
        q = b + 11
        sq = -1
        if buf[q] != 44:
            if not (48 <= buf[q] <= 57 and buf[q + 1] == 44):
                continue
            sq = int(buf[q]) - 48
            q += 1
        ch = buf[q + 1]
        if ch == 44:
            ps = q + 2
            chan = 0
        elif (ch == 65 or ch == 66 or ch == 49 or ch == 50) and buf[q + 2] == 44:
            ps = q + 3
            chan = int(ch)
        else:
            continue
        # tail: ,<fill>*hh, or only *hh (a sentence one field short)
        if buf[e - 3] != 42:
            continue
        given_hi = _hex_upper(int(buf[e - 2]))
        given_lo = _hex_upper(int(buf[e - 1]))
        if given_hi < 0 or given_lo < 0:
            continue
        full = buf[e - 5] == 44 and 48 <= buf[e - 4] <= 53
        pe = e - 5 if full else e - 3
        if pe - ps < (1 if full else 0):
            continue
        # payload: six-bit alphabet, or printable without ',' and '*' to be judged here
        first_bad = -1
        if _outside_alphabet(words, ps, pe):
            first_bad = _first_bad(buf, ps, pe)
            if first_bad < 0:
                continue
        if tagged:
            tag_status = _tag_block(buf, words, s, b, tag)
            if tag_status == FALLBACK:
                continue
            if tag_status == REJECT:
                status[i] = REJECT
                reason[i] = REASON_BAD_TAG_CHECKSUM
                bang[i] = b
                tag_actual[i] = tag[0]
                continue
        actual = _xor(words, b + 1, e - 3)
        bang[i] = b
        if actual != given_hi * 16 + given_lo:
            status[i] = REJECT
            reason[i] = REASON_BAD_CHECKSUM
            sentence_actual[i] = actual
            continue
        if not full:
            status[i] = REJECT
            reason[i] = REASON_FIELD_COUNT
            continue
        if first_bad >= 0:
            status[i] = REJECT
            reason[i] = REASON_BAD_PAYLOAD
            pstart[i] = ps
            bad_at[i] = first_bad
            continue
        status[i] = OK
        count[i] = cnt
        number[i] = num
        seq[i] = sq
        channel[i] = chan
        pstart[i] = ps
        plen[i] = pe - ps
        fill[i] = int(buf[e - 4]) - 48
        if tagged:
            ts_valid[i] = tag[1] >= 0
            ts_ms[i] = max(tag[1], 0)
            src_start[i] = tag[2]
            src_len[i] = tag[3]
            grp_number[i] = tag[4]
            grp_size[i] = tag[5]
            gid_start[i] = tag[6]
            gid_len[i] = tag[7]


def frame_lines(buf: U8, starts: I64, ends: I64) -> FramedLines:
    r"""Frame every line ``buf[starts[i]:ends[i]]`` of the common shape at once.

    Parameters
    ----------
    buf
        The bytes, with :data:`LEAD` bytes before the first line and
        :data:`TAIL` after the last.
    starts, ends
        Line spans (without the line break).

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
    starts = np.ascontiguousarray(starts, dtype=np.int64)
    ends = np.ascontiguousarray(ends, dtype=np.int64)

    def i64() -> I64:
        return np.zeros(n, dtype=np.int64)

    out = FramedLines(
        status=np.full(n, FALLBACK, dtype=np.uint8),
        reason=np.zeros(n, dtype=np.uint8),
        count=np.zeros(n, dtype=np.uint8),
        number=np.zeros(n, dtype=np.uint8),
        seq=np.full(n, -1, dtype=np.int8),
        channel=np.zeros(n, dtype=np.uint8),
        pstart=i64(),
        plen=i64(),
        fill=i64(),
        ts_ms=i64(),
        ts_valid=np.zeros(n, dtype=np.bool_),
        src_start=i64(),
        src_len=i64(),
        grp_number=i64(),
        grp_size=i64(),
        gid_start=i64(),
        gid_len=i64(),
        bang=i64(),
        ends=ends,
        tag_actual=i64(),
        sentence_actual=i64(),
        bad_at=i64(),
    )
    buf = np.ascontiguousarray(buf, dtype=np.uint8)
    _frame_kernel(
        buf, byte_words(buf), starts, ends,
        out.status, out.reason, out.count, out.number, out.seq, out.channel, out.pstart,
        out.plen, out.fill, out.ts_ms, out.ts_valid, out.src_start, out.src_len,
        out.grp_number, out.grp_size, out.gid_start, out.gid_len, out.bang, out.tag_actual,
        out.sentence_actual, out.bad_at, np.zeros(8, dtype=np.int64),
    )  # fmt: skip
    return out


# -- short strings of the buffer ---------------------------------------------------------------

_KEEP_LOW = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)
"""Mask keeping the first (lowest-addressed) ``k`` bytes of a little-endian word."""


def key_words(buf: U8, start: I64, length: I64) -> NDArray[np.uint64]:
    """First 16 bytes of each span (zero beyond its length), as two u64 per span.

    With the lengths, this compares short strings of the buffer exactly.
    ``buf`` must extend 16 bytes past every start.
    """
    u64 = byte_words(buf)
    out = np.zeros((len(start), 2), dtype=np.uint64)
    for j in range(2):
        out[:, j] = u64[start + 8 * j] & _KEEP_LOW[np.clip(length - 8 * j, 0, 8)]
    return out


# -- rejects ---------------------------------------------------------------------------------

_HEX_TEXT = pa.array([f"{v:02X}" for v in range(256)], pa.string())
_REASON_TEXT = pa.array([REASON_NAMES.get(code, "") for code in range(8)], pa.string())
_CONSTANT_DETAIL = {
    REASON_EMPTY: "blank line",
    REASON_NOT_AIS: "no !xxVDM/!xxVDO sentence",
    REASON_FIELD_COUNT: "5 fields after the tag, expected 6",
}


def _text_spans(buf: U8, start: I64, length: I64) -> pa.Array:
    """Arrow strings of ASCII byte spans of ``buf``."""
    data, offsets = gather(buf, start, length)
    return pa.StringArray.from_buffers(len(start), pa.py_buffer(offsets), pa.py_buffer(data))


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
    payload = codes == REASON_BAD_PAYLOAD
    if payload.any():  # rare: one string per line
        texts = [reject_detail(buf, framed, int(i)) for i in rows[payload].tolist()]
        detail = pc.replace_with_mask(detail, pa.array(payload), pa.array(texts, pa.string()))
    return raw, reason, detail


def reject_detail(buf: U8, framed: FramedLines, i: int) -> str:
    """The reference framer's detail for line ``i`` rejected by :func:`frame_lines`."""
    code = int(framed.reason[i])
    if code in _CONSTANT_DETAIL:
        return _CONSTANT_DETAIL[code]
    if code == REASON_BAD_CHECKSUM:
        end = int(framed.ends[i])
        given = bytes(buf[end - 2 : end]).decode()
        return f"checksum {given} != computed {int(framed.sentence_actual[i]):02X}"
    if code == REASON_BAD_PAYLOAD:
        at = int(framed.bad_at[i])
        char = chr(int(buf[int(framed.pstart[i]) + at]))
        return f"payload character {char!r} at {at + 1}"
    bang = int(framed.bang[i])
    given = bytes(buf[bang - 3 : bang - 1]).decode()
    return f"tag block checksum {given} != computed {int(framed.tag_actual[i]):02X}"
