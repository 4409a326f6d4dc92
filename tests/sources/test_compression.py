from __future__ import annotations

import bz2
import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from zonewatch.errors import InputFileError
from zonewatch.sources.compression import (
    compression_of,
    decompressed_copy,
    open_decompressed,
    plain_name,
)
from zonewatch.sources.files import check_input_file, open_text_lines, read_head

zstandard = pytest.importorskip("zstandard", reason="zstandard is needed for .zst inputs")

TEXT = b"!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30\r\n# comment\n\nlast"
LINES = [b"!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30", b"# comment", b"", b"last"]


def zstd(data: bytes) -> bytes:
    return bytes(zstandard.ZstdCompressor().compress(data))


COMPRESSORS: dict[str, tuple[str, Callable[[bytes], bytes]]] = {
    "gzip": (".gz", gzip.compress),
    "bz2": (".bz2", bz2.compress),
    "zstd": (".zst", zstd),
}


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
@pytest.mark.parametrize("named", [True, False])
def test_lines_of_compressed_files(tmp_path: Path, kind: str, named: bool) -> None:
    suffix, compress = COMPRESSORS[kind]
    path = tmp_path / ("feed.nmea" + (suffix if named else ""))
    path.write_bytes(compress(TEXT))
    assert compression_of(path) == kind
    check_input_file(path)
    assert list(open_text_lines(path)) == LINES
    assert read_head(path, 9) == TEXT[:9]


def test_plain_file_is_not_compressed(tmp_path: Path) -> None:
    path = tmp_path / "BZh.txt"
    path.write_bytes(b"BZh9 is how bzip2 starts, but this is text\n")
    assert compression_of(path) is None
    assert list(open_text_lines(path)) == [b"BZh9 is how bzip2 starts, but this is text"]


def test_concatenated_zstd_frames_are_one_stream(tmp_path: Path) -> None:
    path = tmp_path / "two.nmea.zst"
    path.write_bytes(zstd(b"a\nb\n") + zstd(b"c\n"))
    assert list(open_text_lines(path)) == [b"a", b"b", b"c"]


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_truncated_data_is_reported_with_the_line(tmp_path: Path, kind: str) -> None:
    suffix, compress = COMPRESSORS[kind]
    body = b"".join(b"line %d with some varied text %d\n" % (i, i * i) for i in range(20000))
    packed = compress(body)
    path = tmp_path / ("cut.nmea" + suffix)
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(InputFileError, match=rf"cut\.nmea\{suffix}: corrupt {kind} data after"):
        list(open_text_lines(path))


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_check_rejects_corrupt_and_empty_compressed_files(tmp_path: Path, kind: str) -> None:
    suffix, compress = COMPRESSORS[kind]
    fake = tmp_path / ("fake" + suffix)
    fake.write_bytes(b"plain text, not compressed\n" * 10)
    with pytest.raises(InputFileError, match=f"corrupt {kind}"):
        check_input_file(fake)
    empty = tmp_path / ("empty" + suffix)
    empty.write_bytes(compress(b""))
    with pytest.raises(InputFileError, match=f"{kind} data decompresses to nothing"):
        check_input_file(empty)


def test_binary_inside_zstd(tmp_path: Path) -> None:
    path = tmp_path / "bin.zst"
    path.write_bytes(zstd(b"\x00" * 100))
    with pytest.raises(InputFileError, match=r"binary content .* after decompression"):
        check_input_file(path)


def test_plain_name() -> None:
    assert plain_name("a/b/day.csv.zst") == "day.csv"
    assert plain_name("day.CSV.GZ") == "day.CSV"
    assert plain_name("day.parquet") == "day.parquet"


@pytest.mark.parametrize("kind", sorted(COMPRESSORS))
def test_decompressed_copy(tmp_path: Path, kind: str) -> None:
    suffix, compress = COMPRESSORS[kind]
    path = tmp_path / ("x.parquet" + suffix)
    path.write_bytes(compress(b"PAR1 and more"))
    with decompressed_copy(path) as plain:
        assert plain != path
        assert plain.name == "x.parquet"
        assert plain.read_bytes() == b"PAR1 and more"
        folder = plain.parent
    assert not folder.exists()
    plain_path = tmp_path / "y.parquet"
    plain_path.write_bytes(b"PAR1")
    with decompressed_copy(plain_path) as same:
        assert same == plain_path


def test_decompressed_copy_of_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "x.gpkg.bz2"
    path.write_bytes(b"not bzip2 at all")
    with pytest.raises(InputFileError, match=r"x\.gpkg\.bz2: corrupt bz2 file"):
        with decompressed_copy(path):
            pass


def test_open_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot be opened"):
        open_decompressed(tmp_path / "missing.csv.gz")
