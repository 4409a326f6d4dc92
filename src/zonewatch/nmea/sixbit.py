"""Vectorized six-bit de-armouring and bit-field extraction for many AIS payloads at once.

An AIS payload is text in which each character carries six bits. Here a batch
of payloads is a two-dimensional array of their characters (one row per
payload, padded); :func:`payload_words` turns it into 64-bit words holding the
bits most-significant first, and :func:`bit_field` and :func:`text_field` read
fields out of every row at once. The rules for fields that run past the end of
a short payload are those of pyais (the reference decoder): a field that
starts beyond the last bit is missing, a field cut short keeps the bits that
are there, right-aligned; a text character cut short likewise.

Examples
--------
>>> import numpy as np
>>> chars = char_matrix(np.frombuffer(b"15N1u<PP1FJuvSRHOE6QIwwh0HQ6" + bytes(32), np.uint8),
...                     np.array([0]), np.array([28]), 28)
>>> words = payload_words(chars)
>>> int(bit_field(words, 8, 30)[0][0])  # the MMSI
367033650
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

__all__ = [
    "CHAR_PAD",
    "U8",
    "bad_char_mask",
    "bit_field",
    "char_matrix",
    "checked_payload_words",
    "first_bad_char",
    "payload_words",
    "prefix_words",
    "six_bit_codes",
    "tail_bad",
    "text_field",
]

U8 = NDArray[np.uint8]
I64 = NDArray[np.int64]
U64 = NDArray[np.uint64]
BoolArray = NDArray[np.bool_]

CHAR_PAD = 48
"""The character ``0`` (six zero bits) that pads payloads to a common width."""

_BAD = 0x40
_SIXBIT_VALUE = bytes(
    (c - 56 if c - 48 > 40 else c - 48) if (48 <= c <= 87 or 96 <= c <= 119) else _BAD
    for c in range(256)
)
"""Six-bit value of each payload character; ``0x40`` for characters outside the alphabet."""

_SIXBIT_ASCII = np.array([v + 64 if v < 32 else v for v in range(64)], dtype=np.uint8)
"""ASCII code of each six-bit text value (``@``, ``A``-``Z``, ... then space to ``?``)."""

_LANES_16 = np.uint64(0x00FF00FF00FF00FF)
_LANES_32 = np.uint64(0x0000FFFF0000FFFF)
_LANES_64 = np.uint64(0xFFFFFFFF)


def char_matrix(buf: U8, starts: I64, lengths: I64, width: int) -> U8:
    """Gather payload characters into rows of ``width``, padded with ``0`` (six zero bits).

    Parameters
    ----------
    buf
        Bytes holding the payloads; ``buf`` must extend at least ``width`` bytes
        past every start (callers pad their buffers).
    starts, lengths
        Where each payload starts in ``buf`` and how many characters it has.
    width
        Characters per row; longer payloads are cut to ``width``.

    Returns
    -------
    numpy.ndarray
        ``uint8`` array of shape ``(len(starts), width)``.
    """
    if len(starts) == 0:
        return np.zeros((0, width), dtype=np.uint8)
    rows: U8 = sliding_window_view(buf, width)[starts]
    short = np.flatnonzero(lengths < width)
    if short.size:
        inside = np.arange(width)[None, :] < lengths[short, None]
        rows[short] = np.where(inside, rows[short], np.uint8(CHAR_PAD))
    return rows


def bad_char_mask(chars: U8) -> BoolArray:
    """Whether each character lies outside the six-bit alphabet ``0``-``W``, backquote-``w``."""
    v = chars - np.uint8(48)
    return (v > 71) | ((v > 39) & (v < 48))


def first_bad_char(chars: U8, lengths: I64) -> I64:
    """Index of the first character outside the six-bit alphabet in each row, or -1.

    Only the first ``lengths[i]`` characters of row ``i`` count.
    """
    if chars.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    bad = bad_char_mask(chars)
    bad &= np.arange(chars.shape[1])[None, :] < lengths[:, None]
    first: I64 = np.argmax(bad, axis=1).astype(np.int64)
    first[~bad.any(axis=1)] = -1
    return first


def tail_bad(buf: U8, starts: I64, lengths: I64, offset: int) -> BoolArray:
    """Whether characters ``offset`` to ``length - 1`` of each payload leave the alphabet.

    ``buf`` must extend 64 bytes past ``offset`` after every start.
    """
    out = np.zeros(len(starts), dtype=np.bool_)
    rest = lengths - offset
    counts = np.bincount(np.clip(rest, 0, 65))
    for width in np.flatnonzero(counts[1:65]).tolist():
        width += 1
        rows = np.flatnonzero(rest == width)
        chars = sliding_window_view(buf, width)[starts[rows] + offset]
        if b"\x40" in chars.tobytes().translate(_SIXBIT_VALUE):
            out[rows] = bad_char_mask(chars).any(axis=1)
    for i in np.flatnonzero(rest > 64).tolist():  # very long payloads (three fragments)
        chars = buf[starts[i] + offset : starts[i] + lengths[i]]
        out[i] = bool(bad_char_mask(chars).any())
    return out


def payload_words(chars: U8) -> U64:
    """De-armour rows of payload characters into 64-bit words, bit 0 first.

    Parameters
    ----------
    chars
        ``(n, width)`` characters (pad rows with ``0``). Characters outside the
        six-bit alphabet count as ``0``; see :func:`checked_payload_words`.

    Returns
    -------
    numpy.ndarray
        ``uint64`` array of shape ``(k, n)``: word ``j`` of a row holds payload
        bits ``64*j`` to ``64*j + 63``, the first of them in the most significant
        position; bits past the row's characters are zero.
    """
    return checked_payload_words(chars)[0]


def _pack(values: U8, k: int) -> U64:
    """Pack rows of six-bit values (width a multiple of 8, each 0..63) into ``k`` words."""
    n, width = values.shape
    groups = width // 8
    x = values.view("<u8").T
    x = ((x & _LANES_16) << np.uint64(6)) | ((x >> np.uint64(8)) & _LANES_16)
    x = ((x & _LANES_32) << np.uint64(12)) | ((x >> np.uint64(16)) & _LANES_32)
    chunks = ((x & _LANES_64) << np.uint64(24)) | (x >> np.uint64(32))  # 48 bits each
    words = np.zeros((k, n), dtype=np.uint64)
    for j in range(k):
        lo, hi = 64 * j, 64 * j + 64
        for g in range(groups):
            start, end = 48 * g, 48 * g + 48
            if end <= lo or start >= hi:
                continue
            shift = end - hi
            if shift >= 0:
                words[j] |= chunks[g] >> np.uint64(shift)
            else:
                words[j] |= chunks[g] << np.uint64(-shift)
    return words


def prefix_words(buf: U8, starts: I64, lengths: I64) -> tuple[U64, BoolArray]:
    """The first 144 bits of every payload (3 words per row), and which payloads are bad.

    One 32-character window per payload is translated to six-bit values; the
    payload's own characters are checked (in groups of equal length), the
    first 24 packed. Longer payloads are checked past 32 characters apart.
    ``buf`` must extend 64 bytes past every ``start + 32``.
    """
    n = len(starts)
    rows = sliding_window_view(buf, 32)[starts]
    values = np.frombuffer(rows.tobytes().translate(_SIXBIT_VALUE), dtype=np.uint8).reshape(n, 32)
    bad = np.zeros(n, dtype=np.bool_)
    counts = np.bincount(np.clip(lengths, 0, 32), minlength=33)
    for length in np.flatnonzero(counts).tolist():
        sel = np.flatnonzero(lengths == length) if counts[length] < n else slice(None)
        if length == 0:
            continue
        bad[sel] = (values[sel, :length] == _BAD).any(axis=1)
    if counts[32] or (lengths > 32).any():
        bad |= tail_bad(buf, starts, lengths, 32)
    masked = values[:, :24] & np.uint8(63)
    return _pack(masked, 3), bad


def checked_payload_words(chars: U8) -> tuple[U64, BoolArray | None]:
    """:func:`payload_words`, and which rows hold characters outside the alphabet.

    Six-bit values come from one ``bytes.translate``; eight of them (one byte
    each in a little-endian word) are packed into 48 bits with three
    shift-and-mask steps, and the 48-bit chunks into 64-bit words.

    Returns
    -------
    words : numpy.ndarray
        As :func:`payload_words` (bad characters read as ``0``).
    bad_rows : numpy.ndarray or None
        Boolean per row, or None when every character is good (the common case,
        detected at the cost of one byte search).
    """
    n, width = chars.shape
    pad = (-width) % 8
    if pad:
        chars = np.concatenate([chars, np.full((n, pad), CHAR_PAD, dtype=np.uint8)], axis=1)
        width += pad
    groups = width // 8
    k = (groups * 48 + 63) // 64
    if n == 0:
        return np.zeros((k, 0), dtype=np.uint64), None
    text = np.ascontiguousarray(chars).tobytes().translate(_SIXBIT_VALUE)
    bad_rows: BoolArray | None = None
    if b"\x40" in text:
        values = np.frombuffer(text, dtype=np.uint8).reshape(n, width)
        bad = values == _BAD
        bad_rows = bad.any(axis=1)
        text = np.where(bad, np.uint8(0), values).tobytes()
    values = np.frombuffer(text, dtype=np.uint8).reshape(n, width)
    return _pack(values, k), bad_rows


def _raw_bits(words: U64, offset: int, width: int) -> U64:
    """The ``width`` bits at ``offset`` of every row, as unsigned integers (width <= 64)."""
    k, rest = divmod(offset, 64)
    shift = 64 - rest - width
    mask = np.uint64((1 << width) - 1)
    if shift >= 0:
        out: U64 = (words[k] >> np.uint64(shift)) & mask
        return out
    spill = -shift
    high = words[k] << np.uint64(spill)
    low = words[k + 1] >> np.uint64(64 - spill)
    out = (high | low) & mask
    return out


def bit_field(
    words: U64,
    offset: int,
    width: int,
    *,
    signed: bool = False,
    nbits: I64 | None = None,
) -> tuple[I64, BoolArray | None]:
    """Read one field of ``width`` bits at ``offset`` from every payload.

    Parameters
    ----------
    words
        Output of :func:`payload_words`.
    offset, width
        Position and size of the field in bits (``width`` <= 63).
    signed
        Two's complement field.
    nbits
        Number of payload bits of each row; when given, fields that reach past
        the end follow pyais: missing when they start at or after the end, else
        the available bits right-aligned (and signed on their own width).

    Returns
    -------
    values : numpy.ndarray
        ``int64`` values (0 where missing).
    present : numpy.ndarray or None
        Which rows have the field; None when all of them do.
    """
    raw = _raw_bits(words, offset, width)
    values = raw.astype(np.int64)
    present: BoolArray | None = None
    if nbits is not None:
        avail = nbits - offset
        short = avail < width
        if short.any():
            present = avail > 0
            cut = np.clip(width - avail, 0, width).astype(np.int64)
            values = np.where(present, values >> np.where(present, cut, 0), 0)
            if signed:
                eff = np.clip(avail, 1, width)
                sign = np.int64(1) << (eff - 1)
                values = np.where(values & sign, values - (sign << 1), values)
            return values, (None if present.all() else present)
    if signed:
        sign_bit = np.int64(1) << np.int64(width - 1)
        values = np.where(values & sign_bit, values - (sign_bit << 1), values)
    return values, present


def six_bit_codes(words: U64, offset: int, n_chars: int, nbits: I64) -> U8:
    """The ``n_chars`` six-bit values at ``offset`` of every row, as ``(n, n_chars)``.

    Characters past the end of a short payload follow pyais: missing ones are 0,
    a cut one keeps its available bits right-aligned.
    """
    k_max = words.shape[0] - 1
    bit = offset + 6 * np.arange(n_chars, dtype=np.int64)
    k = bit // 64
    r = bit % 64
    hi = words[k]
    lo = words[np.minimum(k + 1, k_max)]
    spill = r > 58
    left = np.where(spill, r - 58, 0).astype(np.uint64)[:, None]
    right = np.where(spill, 122 - r, 58 - r).astype(np.uint64)[:, None]
    joined = np.where(spill[:, None], (hi << left) | (lo >> right), hi >> right)
    codes = (joined & np.uint64(63)).astype(np.int64)
    if len(nbits) and int(nbits.min()) < offset + 6 * n_chars:
        avail = nbits[None, :] - bit[:, None]
        cut = np.clip(6 - avail, 0, 6)
        codes = np.where(avail > 0, codes >> cut, 0)
    out: U8 = codes.T.astype(np.uint8)
    return out


def text_field(words: U64, offset: int, n_chars: int, nbits: I64) -> pa.Array:
    """Read a six-bit text field of ``n_chars`` characters from every payload.

    Text is cleaned as zonewatch stores it: trailing ``@`` padding and spaces
    and leading spaces removed; empty text is null. Characters past the end of
    a short payload follow pyais (missing ones are ``@``, a cut one keeps its
    available bits right-aligned).

    Returns
    -------
    pyarrow.StringArray
        One string (or null) per row.
    """
    n = words.shape[1]
    if n == 0:
        return pa.array([], pa.string())
    codes = six_bit_codes(words, offset, n_chars, nbits)
    ascii_codes = _SIXBIT_ASCII[codes]
    keep = (codes != 0) & (codes != 32)
    any_keep = keep.any(axis=1)
    end = np.where(any_keep, n_chars - np.argmax(keep[:, ::-1], axis=1), 0)
    start = np.argmax(codes != 32, axis=1)
    lengths = np.maximum(end - start, 0).astype(np.int32)
    cols = np.arange(n_chars)[None, :]
    inside = (cols >= start[:, None]) & (cols < end[:, None])
    data = ascii_codes[inside]
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    valid = lengths > 0
    validity = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.StringArray.from_buffers(
        n,
        pa.py_buffer(offsets),
        pa.py_buffer(data.tobytes()),
        validity,
        null_count=int(n - valid.sum()),
    )
