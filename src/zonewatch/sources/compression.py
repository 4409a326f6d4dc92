"""Compressed inputs: gzip, bzip2 and Zstandard, recognised by file name or by magic bytes.

Every reader opens its input through :func:`open_decompressed`, so each format
(NMEA, CSV, Parquet, GeoPackage) can come compressed. Formats that need random
access (Parquet, GeoPackage) are decompressed into a temporary file first
(:func:`decompressed_copy`). Zstandard needs the ``zstandard`` package; the
other two are in the standard library.
"""

from __future__ import annotations

import bz2
import gzip
import io
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Literal, Protocol

try:
    from zstandard import ZstdError as _ZstdError
except ImportError:  # pragma: no cover - zstandard is a dependency
    _ZstdError = EOFError  # type: ignore[misc,assignment]

from zonewatch.errors import InputFileError

__all__ = [
    "COMPRESSION_SUFFIXES",
    "DECOMPRESSION_ERRORS",
    "Compression",
    "compression_of",
    "decompressed_copy",
    "open_decompressed",
    "plain_name",
]

Compression = Literal["gzip", "bz2", "zstd"]
"""The compressions zonewatch reads."""

COMPRESSION_SUFFIXES: dict[str, Compression] = {
    ".gz": "gzip",
    ".gzip": "gzip",
    ".bz2": "bz2",
    ".zst": "zstd",
    ".zstd": "zstd",
}
"""File-name suffixes (lower case) that name a compression."""

_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_BZ2_BLOCK = b"\x31\x41\x59\x26\x53\x59"  # first block header
_BZ2_END = b"\x17\x72\x45\x38\x50\x90"  # end of stream (empty input)
_READ_SIZE = 1 << 20


def _magic_compression(head: bytes) -> Compression | None:
    if head.startswith(_GZIP_MAGIC):
        return "gzip"
    if head.startswith(_ZSTD_MAGIC):
        return "zstd"
    if (
        len(head) >= 10
        and head.startswith(b"BZh")
        and head[3:4] in b"123456789"
        and head[4:10] in (_BZ2_BLOCK, _BZ2_END)
    ):
        return "bz2"
    return None


def compression_of(path: Path | str) -> Compression | None:
    """The compression of ``path``: from its suffix, else from its first bytes, else None.

    Examples
    --------
    >>> compression_of("capture.nmea.zst"), compression_of("/nonexistent/plain.csv")
    ('zstd', None)
    """
    path = Path(path)
    by_suffix = COMPRESSION_SUFFIXES.get(path.suffix.lower())
    if by_suffix is not None:
        return by_suffix
    try:
        with path.open("rb") as handle:
            return _magic_compression(handle.read(10))
    except OSError:
        return None


def plain_name(path: Path | str) -> str:
    """The file name without a compression suffix (``a.csv.gz`` -> ``a.csv``).

    Examples
    --------
    >>> plain_name("dir/ais_2024.csv.bz2")
    'ais_2024.csv'
    """
    path = Path(path)
    if path.suffix.lower() in COMPRESSION_SUFFIXES:
        return path.stem
    return path.name


class _ZstdObject(Protocol):
    """The part of ``zstandard.ZstdDecompressionObj`` used here."""

    def decompress(self, data: bytes) -> bytes: ...

    @property
    def eof(self) -> bool: ...

    @property
    def unused_data(self) -> bytes: ...


class ZstdTruncatedError(EOFError):
    """Zstandard data ended inside a frame."""


class _ZstdReader(io.RawIOBase):
    """Raw reader over concatenated Zstandard frames that notices truncation.

    ``zstandard``'s own stream reader returns no error when the input ends in
    the middle of a frame; this one raises :class:`ZstdTruncatedError`.
    """

    def __init__(self, raw: BinaryIO) -> None:
        import zstandard

        self._new = zstandard.ZstdDecompressor().decompressobj
        self._raw = raw
        self._obj: _ZstdObject | None = None
        self._pending = b""
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def _fill(self) -> bool:
        """Decompress more into ``_buffer``; False at the clean end of input."""
        while not self._buffer:
            data = self._pending or self._raw.read(_READ_SIZE)
            self._pending = b""
            if not data:
                if self._obj is not None and not self._obj.eof:
                    raise ZstdTruncatedError("zstd data ended inside a frame")
                return False
            if self._obj is None or self._obj.eof:
                self._obj = self._new()
            self._buffer = self._obj.decompress(data)
            if self._obj.eof:
                self._pending = self._obj.unused_data
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if not self._buffer and not self._fill():
            return 0
        n = min(len(buffer), len(self._buffer))
        buffer[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


DECOMPRESSION_ERRORS: tuple[type[Exception], ...] = (
    gzip.BadGzipFile,
    EOFError,
    zlib.error,
    _ZstdError,
)
"""Exceptions that mean corrupt or truncated compressed data (bzip2 also raises a
bare ``OSError`` without ``errno``, "Invalid data stream")."""


def open_decompressed(
    path: Path | str, compression: Compression | None = None
) -> io.BufferedIOBase:
    r"""Open ``path`` for reading bytes, decompressing on the fly.

    Parameters
    ----------
    path
        The file.
    compression
        Its compression; by default :func:`compression_of`.

    Returns
    -------
    io.BufferedIOBase
        A buffered binary stream of the decompressed content (supports
        iteration by line and ``read(n)``). Corrupt data raise one of
        :data:`DECOMPRESSION_ERRORS` (or ``OSError`` for bzip2) when reached.

    Raises
    ------
    InputFileError
        If the file cannot be opened, or it is Zstandard and the ``zstandard``
        package is not installed.

    Examples
    --------
    >>> import tempfile, pathlib, bz2
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "x.csv.bz2"
    ...     _ = p.write_bytes(bz2.compress(b"a,b\n1,2\n"))
    ...     with open_decompressed(p) as handle:
    ...         handle.read()
    b'a,b\n1,2\n'
    """
    path = Path(path)
    kind = compression_of(path) if compression is None else compression
    try:
        if kind == "gzip":
            return gzip.open(path, "rb")
        if kind == "bz2":
            return bz2.open(path, "rb")
        if kind == "zstd":
            try:
                import zstandard  # noqa: F401
            except ImportError as err:  # pragma: no cover - zstandard is a dependency
                raise InputFileError(
                    f"{path}: reading Zstandard (.zst) input needs the 'zstandard' package"
                ) from err
            return io.BufferedReader(_ZstdReader(path.open("rb")), buffer_size=_READ_SIZE)
        return path.open("rb")
    except OSError as err:
        raise InputFileError(f"{path}: cannot be opened: {err.strerror or err}") from err


@contextmanager
def decompressed_copy(path: Path | str) -> Iterator[Path]:
    """Yield a path to the decompressed content of ``path`` (``path`` itself when plain).

    A compressed file is decompressed into a temporary file, removed afterwards.

    Raises
    ------
    InputFileError
        If the compressed data are corrupt or the file cannot be read.
    """
    path = Path(path)
    kind = compression_of(path)
    if kind is None:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="zonewatch-") as folder:
        target = Path(folder) / plain_name(path)
        try:
            with open_decompressed(path, kind) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink, _READ_SIZE)
        except DECOMPRESSION_ERRORS as err:
            raise InputFileError(f"{path}: corrupt {kind} file: {err}") from err
        except OSError as err:
            what = "corrupt" if err.errno is None else "cannot read the"
            raise InputFileError(f"{path}: {what} {kind} file: {err}") from err
        yield target
