"""Bad input gives one clear line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from zonewatch.cli import main


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "good.nmea"
    path.write_text(
        "\\s:rx1,c:1714521600*04\\!AIVDM,1,1,,A,169oQ@OP1@8mEa0>hlh3Q2l1P000,0*76\n",
        encoding="ascii",
    )
    return path


def run_failing(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 1, captured
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    assert lines[0].startswith("zonewatch: error:")
    return lines[0]


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = run_failing(capsys, ["report", str(tmp_path / "nope.nmea"), "--format", "json"])
    assert "nope.nmea" in line


def test_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.nmea"
    empty.write_bytes(b"")
    line = run_failing(capsys, ["ingest", str(empty), "--db", str(tmp_path / "s.duckdb")])
    assert "empty.nmea" in line
    assert "empty" in line.replace("empty.nmea", "")


def test_empty_gzip_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.nmea.gz"
    empty.write_bytes(gzip.compress(b""))
    assert "empty.nmea.gz" in run_failing(capsys, ["report", str(empty)])


def test_binary_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "image.bin"
    binary.write_bytes(bytes(range(256)) * 64)
    line = run_failing(capsys, ["report", str(binary), "--format", "json"])
    assert "image.bin" in line
    assert "binary" in line.lower()


def test_fleet_csv_with_a_bad_row(
    tmp_path: Path, good_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fleet = tmp_path / "fleet.csv"
    fleet.write_text(
        "mmsi,category,name\n413555001,coast_guard,CCG 2501\nnot-a-number,coast_guard,X\n"
    )
    line = run_failing(capsys, ["report", str(good_file), "--fleet", str(fleet)])
    assert "fleet.csv" in line
    assert "3" in line


def test_unknown_zone_set(good_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = run_failing(capsys, ["report", str(good_file), "--zones", "atlantis"])
    assert "atlantis" in line
    assert "senkaku" in line


def test_from_after_to(good_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = run_failing(
        capsys, ["report", str(good_file), "--from", "2024-05-01", "--to", "2024-04-01"]
    )
    assert "--from" in line


def test_bad_date_and_year_with_from(good_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_failing(capsys, ["report", str(good_file), "--from", "2024-13-01"])
    run_failing(capsys, ["report", str(good_file), "--year", "2024", "--from", "2024-01-01"])


def test_report_without_store_or_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = run_failing(capsys, ["report", "--db", str(tmp_path / "none.duckdb")])
    assert "none.duckdb" in line


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    run_failing(capsys, ["report", "--colour", "red"])


def test_strict_ingest_exits_2_on_rejects(
    tmp_path: Path, good_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.nmea"
    bad.write_text(good_file.read_text() + "!AIVDM,1,1,,A,169oQ@OP1@8mEa0>hlh3Q2l1P000,0*00\n")
    assert main(["ingest", str(bad), "--db", str(tmp_path / "s.duckdb"), "--strict"]) == 2
    out = capsys.readouterr()
    assert "bad_checksum" in out.out
