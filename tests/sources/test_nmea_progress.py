"""Progress of an NMEA ingest: bytes read, a bar on a terminal, nothing more elsewhere."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.progress import Progress

from zonewatch.cli import common, main
from zonewatch.nmea.testing import encode_lines
from zonewatch.sources.nmea_file import iter_nmea

LINES = [
    line.encode()
    for k in range(300)
    for line in encode_lines(
        {"type": 1, "mmsi": 412000001 + k, "lon": 123.5, "lat": 25.7},
        tags={"c": 1709251200 + k, "s": "rx1"},
    )
]


@pytest.fixture
def nmea(tmp_path: Path) -> Path:
    path = tmp_path / "feed.nmea"
    path.write_bytes(b"\n".join(LINES) + b"\n")
    return path


def test_stream_counts_bytes_read(nmea: Path) -> None:
    stream = iter_nmea(nmea, batch_lines=50)
    assert stream.size_bytes == nmea.stat().st_size
    seen = []
    for _ in stream:
        seen.append(stream.bytes_read)
    assert seen == sorted(seen)
    assert stream.bytes_read == nmea.stat().st_size


def test_compressed_stream_has_no_known_size(nmea: Path) -> None:
    packed = nmea.with_suffix(".nmea.gz")
    packed.write_bytes(gzip.compress(nmea.read_bytes()))
    stream = iter_nmea(packed)
    assert stream.size_bytes is None
    for _ in stream:
        pass
    assert stream.bytes_read == nmea.stat().st_size  # decompressed bytes


def test_no_progress_output_when_not_a_terminal(
    nmea: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(nmea), "--db", str(tmp_path / "a.duckdb"), "--json"]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    (row,) = json.loads(out.out)["files"]
    assert (row["lines"], row["positions"], row["stored"]) == (300, 300, True)


def test_progress_bar_on_a_terminal(
    nmea: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    screen = io.StringIO()
    bars: list[Progress] = []
    make_progress = common._progress

    def terminal() -> Console:
        return Console(file=screen, force_terminal=True, width=120)

    def recorded(*args: Any) -> Progress | None:
        progress = make_progress(*args)
        assert progress is not None
        bars.append(progress)
        return progress

    monkeypatch.setattr(common, "err_console", terminal)
    monkeypatch.setattr(common, "_progress", recorded)
    assert main(["ingest", str(nmea), "--db", str(tmp_path / "b.duckdb"), "--json"]) == 0
    assert f"reading {nmea} (nmea)" in screen.getvalue()
    (task,) = bars[0].tasks  # a bar over the bytes read, to the file's size
    assert task.total == task.completed == nmea.stat().st_size
    (row,) = json.loads(capsys.readouterr().out)["files"]
    assert row["positions"] == 300
