from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest

from zonewatch.errors import InputFileError
from zonewatch.sources.files import check_input_file, file_id, is_gzip, open_text_lines

TEXT = b"!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30\n# comment\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_file_id_is_sha256_of_raw_bytes(tmp_path: Path) -> None:
    plain = write(tmp_path, "a.nmea", TEXT)
    packed = write(tmp_path, "a.nmea.gz", gzip.compress(TEXT, mtime=0))
    assert file_id(plain) == hashlib.sha256(TEXT).hexdigest()
    assert file_id(packed) == hashlib.sha256(packed.read_bytes()).hexdigest()
    assert file_id(plain) != file_id(packed)


def test_file_id_of_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"missing\.nmea"):
        file_id(tmp_path / "missing.nmea")


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        (b"a\nb\n", [b"a", b"b"]),
        (b"a\nb", [b"a", b"b"]),
        (b"a\r\nb\r\n", [b"a", b"b"]),
        (b"a\n\nb\n\n", [b"a", b"", b"b", b""]),
        (b"a\rb\n", [b"a\rb"]),
        (b"\xff\x00x\n", [b"\xff\x00x"]),
    ],
)
@pytest.mark.parametrize("compress", [False, True])
def test_open_text_lines(tmp_path: Path, data: bytes, lines: list[bytes], compress: bool) -> None:
    if compress:
        path = write(tmp_path, "x.nmea.gz", gzip.compress(data))
    else:
        path = write(tmp_path, "x.nmea", data)
    assert list(open_text_lines(path)) == lines


def test_gzip_detected_by_magic_without_suffix(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.log", gzip.compress(TEXT))
    assert is_gzip(path)
    assert list(open_text_lines(path))[1] == b"# comment"


def test_corrupt_gzip_reported_when_read(tmp_path: Path) -> None:
    packed = gzip.compress(TEXT * 2000)
    path = write(tmp_path, "cut.nmea.gz", packed[: len(packed) // 2])
    with pytest.raises(InputFileError, match=r"cut\.nmea\.gz: corrupt gzip data after line \d+"):
        list(open_text_lines(path))


def test_check_accepts_text_and_gzip(tmp_path: Path) -> None:
    check_input_file(write(tmp_path, "a.nmea", TEXT))
    check_input_file(write(tmp_path, "a.nmea.gz", gzip.compress(TEXT)))
    check_input_file(write(tmp_path, "jp.nmea", "# 尖閣諸島\n".encode() + TEXT))


def test_check_missing(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"nope\.nmea: no such file"):
        check_input_file(tmp_path / "nope.nmea")


def test_check_directory(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="is a directory"):
        check_input_file(tmp_path)


def test_check_empty(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"empty\.nmea: is empty \(0 bytes\)"):
        check_input_file(write(tmp_path, "empty.nmea", b""))


def test_check_gzip_of_nothing(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="decompresses to nothing"):
        check_input_file(write(tmp_path, "empty.nmea.gz", gzip.compress(b"")))


def test_check_binary_with_nul(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"bin\.nmea: binary content \(NUL byte at offset 3"):
        check_input_file(write(tmp_path, "bin.nmea", b"abc\x00def\n"))


def test_check_mostly_non_text(tmp_path: Path) -> None:
    junk = bytes(range(0x80, 0x100)) * 40 + bytes(range(1, 9)) * 100
    with pytest.raises(InputFileError, match="binary content"):
        check_input_file(write(tmp_path, "junk.nmea", junk))


def test_check_binary_inside_gzip(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="after decompression"):
        check_input_file(write(tmp_path, "bin.nmea.gz", gzip.compress(b"\x00" * 100)))


def test_check_not_gzip_despite_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"fake\.nmea\.gz: corrupt gzip file"):
        check_input_file(write(tmp_path, "fake.nmea.gz", TEXT))


def test_check_truncated_gzip(tmp_path: Path) -> None:
    packed = gzip.compress(TEXT)
    with pytest.raises(InputFileError, match="corrupt gzip file"):
        check_input_file(write(tmp_path, "cut.nmea.gz", packed[:15]))
