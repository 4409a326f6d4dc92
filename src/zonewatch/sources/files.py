"""Input files: content hashes, line iteration over plain or compressed text, sanity checks.

Compressed files (gzip, bzip2, Zstandard; see :mod:`zonewatch.sources.compression`)
are recognised by suffix or magic bytes and decompressed on the fly.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterator
from pathlib import Path

from zonewatch.errors import InputFileError
from zonewatch.sources.compression import (
    DECOMPRESSION_ERRORS,
    Compression,
    compression_of,
    open_decompressed,
)

__all__ = [
    "SNIFF_BYTES",
    "check_input_file",
    "check_regular_file",
    "file_id",
    "is_gzip",
    "open_text_lines",
    "read_head",
]

SNIFF_BYTES = 64 * 1024
"""How much (decompressed) content :func:`check_input_file` inspects."""

_MAX_NON_TEXT_FRACTION = 0.3
_CONTROL = frozenset(range(0x20)) - frozenset(b"\t\n\r\f\v") | {0x7F}


def _is_corrupt(kind: Compression | None, err: OSError) -> bool:
    """Whether an ``OSError`` from reading a ``kind`` stream means corrupt data.

    bzip2 reports bad data as a bare ``OSError`` ("Invalid data stream") without errno.
    """
    return kind is not None and err.errno is None


def file_id(path: Path) -> str:
    """Return the sha256 hex digest of the file's raw bytes (read in chunks).

    For a ``.gz`` file this is the hash of the compressed bytes.

    Raises
    ------
    InputFileError
        If the file cannot be read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "x.nmea"
    ...     _ = p.write_bytes(b"abc")
    ...     file_id(p)[:16]
    'ba7816bf8f01cfea'
    """
    try:
        with Path(path).open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as err:
        raise InputFileError(f"{path}: cannot be read: {err.strerror or err}") from err


def is_gzip(path: Path) -> bool:
    """Whether ``path`` is to be read as gzip: a ``.gz`` name or the gzip magic bytes."""
    return compression_of(path) == "gzip"


def open_text_lines(path: Path) -> Iterator[bytes]:
    r"""Yield the raw lines of a plain or compressed file, without line endings.

    ``\n`` and ``\r\n`` both end a line; a final newline does not make an extra
    (empty) line. Bytes are passed through undecoded.

    Raises
    ------
    InputFileError
        If the file cannot be opened or its compressed data are corrupt (raised
        when the corruption is reached, naming the last good line).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "x.nmea"
    ...     _ = p.write_bytes(b"a\r\nb\n\nc\n")
    ...     list(open_text_lines(p))
    [b'a', b'b', b'', b'c']
    """
    path = Path(path)
    kind = compression_of(path)
    line_no = 0
    handle = open_decompressed(path, kind)
    with handle:
        try:
            for line in handle:
                line_no += 1
                if line.endswith(b"\n"):
                    line = line[:-2] if line.endswith(b"\r\n") else line[:-1]
                yield line
        except DECOMPRESSION_ERRORS as err:
            raise InputFileError(
                f"{path}: corrupt {kind} data after line {line_no}: {err}"
            ) from err
        except OSError as err:
            if _is_corrupt(kind, err):
                raise InputFileError(
                    f"{path}: corrupt {kind} data after line {line_no}: {err}"
                ) from err
            raise InputFileError(
                f"{path}: read error after line {line_no}: {err.strerror or err}"
            ) from err


def _looks_binary(head: bytes) -> str | None:
    """Why ``head`` is not text, or None."""
    nul = head.find(b"\x00")
    if nul >= 0:
        return f"binary content (NUL byte at offset {nul})"
    text = head.decode("utf-8", "replace")
    bad = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) in _CONTROL))
    if bad > _MAX_NON_TEXT_FRACTION * max(len(text), 1):
        return f"binary content ({bad} of the first {len(text)} characters are not text)"
    return None


def check_regular_file(path: Path) -> None:
    """Check that ``path`` is an existing, readable, non-empty regular file.

    Raises
    ------
    InputFileError
        Naming the path and the reason: missing, not a regular file (for
        example a directory), not readable, or empty (0 bytes).

    Examples
    --------
    >>> check_regular_file(Path("/nonexistent/ais.csv"))
    Traceback (most recent call last):
    ...
    zonewatch.errors.InputFileError: /nonexistent/ais.csv: no such file
    """
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError as err:
        raise InputFileError(f"{path}: no such file") from err
    except OSError as err:
        raise InputFileError(f"{path}: cannot be read: {err.strerror or err}") from err
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise InputFileError(f"{path}: is {kind}")
    if info.st_size == 0:
        raise InputFileError(f"{path}: is empty (0 bytes)")


def read_head(path: Path, size: int = SNIFF_BYTES) -> bytes:
    """The first ``size`` bytes of the (decompressed) content of ``path``.

    Raises
    ------
    InputFileError
        If the file cannot be read or its compressed data are corrupt.
    """
    path = Path(path)
    kind = compression_of(path)
    try:
        with open_decompressed(path, kind) as handle:
            return handle.read(size)
    except DECOMPRESSION_ERRORS as err:
        raise InputFileError(f"{path}: corrupt {kind} file: {err}") from err
    except OSError as err:
        if _is_corrupt(kind, err):
            raise InputFileError(f"{path}: corrupt {kind} file: {err}") from err
        raise InputFileError(f"{path}: cannot be read: {err.strerror or err}") from err


def check_input_file(path: Path) -> None:
    """Check that ``path`` is a readable, non-empty text file (plain or compressed).

    Only the first :data:`SNIFF_BYTES` of (decompressed) content are inspected;
    corruption further in is reported by :func:`open_text_lines` when read.

    Raises
    ------
    InputFileError
        Naming the path and the reason: missing, not a regular file, not
        readable, empty (0 bytes, or compressed data that decompress to
        nothing), corrupt compressed data, or binary (a NUL byte, or mostly
        non-text, in the first 64 KiB).

    Examples
    --------
    >>> check_input_file(Path("/nonexistent/ais.nmea"))
    Traceback (most recent call last):
    ...
    zonewatch.errors.InputFileError: /nonexistent/ais.nmea: no such file
    """
    path = Path(path)
    check_regular_file(path)
    kind = compression_of(path)
    head = read_head(path)
    if not head:
        raise InputFileError(f"{path}: is empty ({kind} data decompresses to nothing)")
    problem = _looks_binary(head)
    if problem is not None:
        where = " after decompression" if kind is not None else ""
        raise InputFileError(f"{path}: {problem}{where}")
