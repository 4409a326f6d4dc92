r"""Byte spans of a batch buffer: lines, and spans gathered one after the other (compiled).

:func:`line_spans` splits a buffer into lines as Python's ``bytes.splitlines``
would for ``\n`` and ``\r\n`` endings (what :func:`~zonewatch.sources.files.open_text_lines`
gives); :func:`gather` concatenates spans of a buffer (payload fragments,
Arrow string columns). Both are single compiled passes (see
:mod:`zonewatch.nmea.jit`).

Examples
--------
>>> import numpy as np
>>> buf = np.frombuffer(b"ab\r\ncd\n\nef" + bytes(8), np.uint8)
>>> starts, ends = line_spans(buf, 0, 10, final=True)
>>> [bytes(buf[s:e]) for s, e in zip(starts, ends)]
[b'ab', b'cd', b'', b'ef']
>>> data, offsets = gather(buf, np.array([0, 4]), np.array([2, 2]))
>>> bytes(data), offsets.tolist()
(b'abcd', [0, 2, 4])
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from zonewatch.nmea.jit import njit
from zonewatch.nmea.sixbit import I64, U8, U64

__all__ = [
    "HIGH",
    "LOW7",
    "ONES",
    "ZERO_CHARS",
    "byte_words",
    "count_byte",
    "equal_bytes",
    "gather",
    "last_byte",
    "line_spans",
    "low_bytes",
]

# Eight bytes at a time (SWAR): ``words[k]`` is the little-endian u64 of bytes k..k+7.
ONES = np.uint64(0x0101010101010101)
HIGH = np.uint64(0x8080808080808080)
LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
ZERO_CHARS = np.uint64(0x3030303030303030)
"""Eight ``0`` characters: in the alphabet, six zero bits (pads a last partial word)."""


@njit
def low_bytes(r: int) -> np.uint64:  # pragma: no cover - compiled
    """Mask of the first ``r`` (0 to 7) bytes of a word."""
    return (np.uint64(1) << np.uint64(8 * r)) - np.uint64(1)


@njit
def equal_bytes(w: np.uint64, byte: int) -> np.uint64:  # pragma: no cover - compiled
    """High bit of each byte of ``w`` set exactly where the byte equals ``byte``."""
    t = w ^ (ONES * np.uint64(byte))
    return ~(((t & LOW7) + LOW7) | t | LOW7)


def byte_words(buf: U8) -> U64:
    """View of ``buf`` where element ``k`` is the little-endian u64 of bytes ``k..k+7``."""
    n = max(len(buf) - 7, 0)
    view: U64 = np.ndarray((n,), dtype="<u8", buffer=buf, offset=0, strides=(1,))
    return view


@njit
def _lines_kernel(  # pragma: no cover - compiled
    buf: U8, words: U64, begin: int, end: int, starts: I64, ends: I64
) -> None:
    r"""Line spans of ``buf[begin:end]``, then the text after the last ``\n`` if there is room."""
    n = 0
    start = begin
    k = begin
    while k < end:
        hit = equal_bytes(words[k], 10)
        if end - k < 8:
            hit &= low_bytes(end - k)
        j = 0
        while hit:
            while not (hit >> np.uint64(8 * j + 7)) & np.uint64(1):
                j += 1
            hit &= ~(np.uint64(0x80) << np.uint64(8 * j))
            at = k + j
            starts[n] = start
            ends[n] = at - 1 if at > start and buf[at - 1] == 13 else at
            n += 1
            start = at + 1
        k += 8
    if n < starts.size:
        starts[n] = start
        ends[n] = end


@njit
def _count_kernel(words: U64, begin: int, end: int, byte: int) -> int:  # pragma: no cover
    """Number of bytes equal to ``byte`` in ``[begin, end)`` (eight at a time)."""
    total = np.uint64(0)
    k = begin
    while k < end:
        hit = equal_bytes(words[k], byte)
        if end - k < 8:
            hit &= low_bytes(end - k)
        # one bit per matching byte at the bottom of each byte, summed into the top byte
        total += ((hit >> np.uint64(7)) * ONES) >> np.uint64(56)
        k += 8
    return int(total)


def count_byte(buf: U8, begin: int, end: int, byte: int) -> int:
    r"""Number of bytes equal to ``byte`` in ``buf[begin:end]`` (eight at a time).

    ``buf`` must extend 8 bytes past ``end``.

    Examples
    --------
    >>> count_byte(np.frombuffer(b"a\nb\n\n" + bytes(8), np.uint8), 0, 5, 10)
    3
    """
    if end <= begin:
        return 0
    return int(_count_kernel(byte_words(buf), begin, end, byte))


@njit
def _last_kernel(buf: U8, begin: int, end: int, byte: int) -> int:  # pragma: no cover
    k = end - 1
    while k >= begin:
        if buf[k] == byte:
            return k
        k -= 1
    return -1


def last_byte(buf: U8, begin: int, end: int, byte: int) -> int:
    r"""Index of the last ``byte`` in ``buf[begin:end]``, or -1.

    Examples
    --------
    >>> last_byte(np.frombuffer(b"a\nbc", np.uint8), 0, 4, 10)
    1
    """
    return int(_last_kernel(buf, begin, end, byte))


def line_spans(
    buf: U8, begin: int, end: int, *, final: bool, count: int | None = None
) -> tuple[I64, I64]:
    r"""Starts and ends (without the line break) of the lines of ``buf[begin:end]``.

    A line ends at ``\n``, and a ``\r`` before it is dropped. The text after
    the last ``\n`` is a last line when ``final`` (kept whole, ``\r`` and all),
    else it is ignored (the caller carries it over). ``count``: the number of
    ``\n`` in the span, when the caller knows it. ``buf`` must extend 8 bytes
    past ``end``.
    """
    if count is None:
        count = count_byte(buf, begin, end, 10)
    tail = final and end > begin and buf[end - 1] != 10
    starts = np.empty(count + tail, dtype=np.int64)
    ends = np.empty(count + tail, dtype=np.int64)
    _lines_kernel(buf, byte_words(buf), begin, end, starts, ends)
    return starts, ends


@njit
def _gather_kernel(  # pragma: no cover - compiled
    buf: U8, start: I64, length: I64, data: U8, offsets: NDArray[np.int32]
) -> None:
    at = 0
    offsets[0] = 0
    for i in range(start.size):
        s = start[i]
        for k in range(length[i]):
            data[at + k] = buf[s + k]
        at += length[i]
        offsets[i + 1] = at


def gather(buf: U8, start: I64, length: I64) -> tuple[U8, NDArray[np.int32]]:
    """The spans ``buf[start[i]:start[i]+length[i]]`` one after the other, and their offsets.

    Offsets are ``int32`` (Arrow string offsets): the spans must total less
    than 2 GiB.
    """
    total = int(length.sum()) if len(length) else 0
    data = np.empty(total, dtype=np.uint8)
    offsets = np.empty(len(start) + 1, dtype=np.int32)
    _gather_kernel(
        buf,
        np.ascontiguousarray(start, dtype=np.int64),
        np.ascontiguousarray(length, dtype=np.int64),
        data,
        offsets,
    )
    return data, offsets
