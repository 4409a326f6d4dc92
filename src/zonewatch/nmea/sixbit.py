"""Vectorized six-bit de-armouring and bit-field extraction for many AIS payloads at once.

An AIS payload is text in which each character carries six bits. Here a batch
of payloads is a set of spans of one byte buffer; :func:`payload_words`
de-armours them (a compiled loop, see :mod:`zonewatch.nmea.jit`) into 64-bit
words holding the bits most-significant first, one column per payload, and
:func:`bit_field` and :func:`text_field` read fields out of every payload at
once. :func:`check_payloads` checks the alphabet and reads the type and MMSI
of every payload in one pass; :func:`sixbit_value` and :func:`payload_field`
are the per-character helpers the compiled decoders share. The rules for
fields that run past the end of a short payload are those of pyais (the
reference decoder): a field that starts beyond the last bit is missing, a
field cut short keeps the bits that are there, right-aligned; a text
character cut short likewise.

Examples
--------
>>> import numpy as np
>>> buf = np.frombuffer(b"15N1u<PP1FJuvSRHOE6QIwwh0HQ6" + bytes(32), np.uint8)
>>> words = payload_words(buf, np.array([0]), np.array([28]), 28)
>>> int(bit_field(words, 8, 30)[0][0])  # the MMSI
367033650
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from zonewatch.nmea.jit import njit

__all__ = [
    "I64",
    "U8",
    "U32",
    "U64",
    "BoolArray",
    "bit_field",
    "check_payloads",
    "payload_field",
    "payload_words",
    "six_bit_codes",
    "sixbit_value",
    "text_field",
]

U8 = NDArray[np.uint8]
U32 = NDArray[np.uint32]
I64 = NDArray[np.int64]
U64 = NDArray[np.uint64]
BoolArray = NDArray[np.bool_]

_SIXBIT_ASCII = np.array([v + 64 if v < 32 else v for v in range(64)], dtype=np.uint8)
"""ASCII code of each six-bit text value (``@``, ``A``-``Z``, ... then space to ``?``)."""


@njit
def sixbit_value(c: int) -> int:  # pragma: no cover - compiled
    """Six-bit value of a payload character, or -1 outside the alphabet."""
    v = c - 48
    if v < 0 or v > 71 or 39 < v < 48:
        return -1
    return v - 8 if v > 40 else v


@njit
def payload_field(  # pragma: no cover - compiled
    buf: U8, start: int, length: int, offset: int, width: int
) -> int:
    """Bits ``offset`` to ``offset + width`` (width <= 30) of the payload at ``buf[start:]``.

    Characters past ``length`` count as zero bits; characters outside the
    alphabet must have been ruled out.
    """
    c0 = offset // 6
    c1 = (offset + width - 1) // 6
    acc = 0
    for c in range(c0, c1 + 1):
        v = 0
        if c < length:
            v = int(buf[start + c]) - 48
            if v > 40:
                v -= 8
        acc = (acc << 6) | v
    acc >>= (c1 + 1) * 6 - offset - width
    return acc & ((1 << width) - 1)


@njit
def _check_kernel(
    buf: U8, starts: I64, lengths: I64, checked: bool, msg_type: U8, bad: BoolArray, mmsi: U32
) -> None:  # pragma: no cover - compiled
    for i in range(starts.size):
        s = starts[i]
        n = lengths[i]
        for k in range(s, s if checked else s + n):
            if sixbit_value(int(buf[k])) < 0:
                bad[i] = True
                break
        if not bad[i] and n > 0:
            msg_type[i] = sixbit_value(int(buf[s]))
            mmsi[i] = payload_field(buf, s, n, 8, 30)


def check_payloads(
    buf: U8, starts: I64, lengths: I64, *, checked: bool = False
) -> tuple[U8, BoolArray, U32]:
    """Type, alphabet check and MMSI of every payload ``buf[starts[i]:starts[i]+lengths[i]]``.

    ``checked``: the caller knows that every character is of the alphabet
    (framed payloads); the check is skipped.

    Returns
    -------
    msg_type : numpy.ndarray
        The first six bits (0 for bad or empty payloads).
    bad : numpy.ndarray
        Whether a character lies outside the six-bit alphabet.
    mmsi : numpy.ndarray
        Bits 8 to 37 (bits past a short payload count as zero; 0 for bad payloads).
    """
    n = len(starts)
    msg_type = np.zeros(n, dtype=np.uint8)
    bad = np.zeros(n, dtype=np.bool_)
    mmsi = np.zeros(n, dtype=np.uint32)
    _check_kernel(buf, _as_i64(starts), _as_i64(lengths), checked, msg_type, bad, mmsi)
    return msg_type, bad, mmsi


@njit
def _words_kernel(
    buf: U8, starts: I64, lengths: I64, n_chars: int, words: U64
) -> None:  # pragma: no cover - compiled
    for i in range(starts.size):
        s = starts[i]
        for c in range(min(lengths[i], n_chars)):
            v = sixbit_value(int(buf[s + c]))
            if v < 0:
                continue
            bits = np.uint64(v)
            at = 6 * c
            j = at >> 6
            r = at & 63
            if r <= 58:
                words[j, i] |= bits << np.uint64(58 - r)
            else:
                words[j, i] |= bits >> np.uint64(r - 58)
                words[j + 1, i] |= bits << np.uint64(122 - r)


def payload_words(buf: U8, starts: I64, lengths: I64, n_chars: int) -> U64:
    """De-armour the first ``n_chars`` characters of every payload into 64-bit words.

    Parameters
    ----------
    buf
        Bytes holding the payloads.
    starts, lengths
        Where each payload starts in ``buf`` and how many characters it has.
    n_chars
        Characters read per payload; longer payloads are cut, shorter ones
        padded with zero bits. Characters outside the alphabet read as zero.

    Returns
    -------
    numpy.ndarray
        ``uint64`` array of shape ``(k, n)``: word ``j`` of a payload holds bits
        ``64*j`` to ``64*j + 63``, the first of them in the most significant
        position.
    """
    k = (6 * n_chars + 63) // 64
    words = np.zeros((k, len(starts)), dtype=np.uint64)
    _words_kernel(buf, _as_i64(starts), _as_i64(lengths), n_chars, words)
    return words


def _as_i64(values: I64) -> I64:
    return np.ascontiguousarray(values, dtype=np.int64)


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
