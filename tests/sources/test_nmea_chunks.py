"""Reading NMEA input in padded chunks: lines and content hash as a plain read gives them."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonewatch.errors import InputFileError
from zonewatch.nmea.bulkframe import LEAD
from zonewatch.sources.files import file_id
from zonewatch.sources.nmea_file import iter_nmea, line_chunks, read_nmea


class ReadOnly:
    """A stream with ``read`` only (no ``readinto``), returning at most ``most`` bytes a call."""

    def __init__(self, data: bytes, most: int) -> None:
        self._stream = io.BytesIO(data)
        self._most = most

    def read(self, size: int, /) -> bytes:
        return self._stream.read(min(size, self._most))


def python_lines(data: bytes) -> list[bytes]:
    r"""Lines as ``open_text_lines`` gives them (a last unterminated line kept whole)."""
    *ended, rest = data.split(b"\n")
    lines = [line[:-1] if line.endswith(b"\r") else line for line in ended]
    return [*lines, rest] if rest else lines


PIECES = st.lists(st.sampled_from([b"!AIVDM,1,1,,A,1", b"ab", b"\r", b"\n", b"\r\n", b"x" * 40]))


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=300) | PIECES.map(b"".join),
    st.integers(1, 64),
    st.booleans(),
    st.integers(1, 50),
)
def test_chunks_give_the_lines_and_the_hash(
    data: bytes, batch_bytes: int, readinto: bool, most: int
) -> None:
    stream = io.BytesIO(data) if readinto else ReadOnly(data, most)
    hasher = hashlib.sha256()
    lines: list[bytes] = []
    sizes = 0
    for chunk in line_chunks(stream, path="x", batch_bytes=batch_bytes, hasher=hasher):
        assert chunk.begin == LEAD
        assert chunk.buf is not None
        assert not chunk.buf[:LEAD].any()
        batch = chunk.split()
        assert len(batch.starts) == chunk.count()
        lines += [bytes(batch.buf[s:e]) for s, e in zip(batch.starts, batch.ends, strict=True)]
        sizes += chunk.size
    assert lines == python_lines(data)
    assert sizes == len(data)
    assert hasher.hexdigest() == hashlib.sha256(data).hexdigest()


def test_read_error_names_the_path() -> None:
    class Broken:
        def read(self, size: int, /) -> bytes:
            raise OSError(5, "Input/output error")

    with pytest.raises(InputFileError, match=r"^in\.nmea: read error after 0 bytes"):
        list(line_chunks(Broken(), path="in.nmea", hasher=hashlib.sha256()))


LINE = b"\\c:1709251200,s:rx1*0C\\!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30"


def test_file_id_hashed_while_reading_or_given(tmp_path: Path) -> None:
    path = tmp_path / "a.nmea"
    path.write_bytes(b"\n".join([LINE] * 5000) + b"\n")
    whole = read_nmea(path)
    assert whole.file_id == hashlib.sha256(path.read_bytes()).hexdigest() == file_id(path)
    assert set(whole.positions.column("file_id").to_pylist()) == {whole.file_id}
    given = iter_nmea(path, file_id="given")
    assert given.file_id == "given"
    assert {r for b in given for r in b.positions.column("file_id").to_pylist()} == {"given"}
    assert iter_nmea(path).file_id == whole.file_id
