"""Decoding benchmark: zonewatch's bulk NMEA reader against a plain pyais loop (issue 3).

Builds (once, cached in the temporary directory) a 1,000,000-line NMEA file
from the simulator: tag-blocked position reports, two-fragment type 5 and
type 24 A/B statics, second-receiver duplicates, and corrupt lines (the
simulator's own ~0.1 % plus about 2.5 % more: bad checksums, truncated
sentences, bad payload characters, other NMEA sentences, lone fragments).

Then, in one process, it warms up (imports zonewatch and decodes the first
2,000 lines: numba compiles the bulk kernels here on the first run after an
install, else loads them from its cache; the time is printed apart), and
decodes the whole file

- with pyais: ``pyais.stream.FileReaderStream`` (pyais's own line reading and
  multipart assembly), checksum checked (``is_valid``), ``decode()``, the
  tag-block time and station, the canonical columns (sentinels as nulls,
  "not available" positions and positions without a time dropped), collected
  into Arrow tables;
- with zonewatch: :func:`zonewatch.sources.nmea_file.read_nmea` (positions,
  statics and rejects in the canonical schema, every line accounted for; the
  file is read once, its sha256 ``file_id`` computed on the bytes as they are
  read, by a helper thread);
- with zonewatch as ``zonewatch ingest`` reads a file: ``file_id`` first (a
  separate pass over the file: ingest looks the hash up in the store before
  decoding), then :func:`zonewatch.sources.nmea_file.iter_nmea` given that id
  (``file_id=``; without it, ``iter_nmea`` hashes the file once more), batches
  of 100,000 lines collected into tables;

and prints the rates (lines/s, messages/s, CPU and wall time; zonewatch:
the median of ``--repeat`` runs, pyais: one run) and the ratios.
``--memory`` also measures the peak memory (``/usr/bin/time -v``) of
``zonewatch ingest`` on a 10,000,000-line file (ten copies of the 1M file,
shifted in time so that they are distinct) in a subprocess.

Usage::

    .venv/bin/python benchmarks/decode.py            # rates and ratio
    .venv/bin/python benchmarks/decode.py --memory   # + peak memory of a 10M-line ingest
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

LINES = 1_000_000
CACHE = Path(tempfile.gettempdir()) / "zonewatch-bench-decode"
EXTRA_CORRUPT_RATE = 0.025
LINES_PER_DAY = 2350  # simulator output with the default configuration, roughly


def build_file(lines: int = LINES) -> Path:
    """The benchmark file (cached): simulated feed cut to exactly ``lines`` lines."""
    from zonewatch.sim import SimConfig, simulate

    target = CACHE / f"sim-{lines}.nmea"
    if target.exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    days = lines // LINES_PER_DAY + 30
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        config = SimConfig(days=days, seed=0, corrupt_rate=EXTRA_CORRUPT_RATE)
        result = simulate(config, Path(tmp))
        if result.n_lines < lines:
            raise SystemExit(f"simulation gave {result.n_lines} lines, fewer than {lines}")
        with result.nmea_path.open("rb") as src, (CACHE / "part").open("wb") as out:
            for i, line in enumerate(src):
                if i == lines:
                    break
                out.write(line)
        (CACHE / "part").rename(target)
    return target


def build_big(source: Path, copies: int = 10) -> Path:
    """``copies`` copies of ``source`` one after the other, each later by a year (cached)."""
    target = CACHE / f"{source.stem}-x{copies}.nmea"
    if target.exists():
        return target
    stamp = re.compile(rb"c:(\d{10})")
    year = 366 * 86400
    with target.with_suffix(".part").open("wb") as out:
        data = source.read_bytes()
        for k in range(copies):
            if k == 0:
                out.write(data)
                continue
            shifted = stamp.sub(lambda m, k=k: b"c:%d" % (int(m[1]) + k * year), data)
            out.write(_fix_tag_checksums(shifted))
    target.with_suffix(".part").rename(target)
    return target


def _fix_tag_checksums(data: bytes) -> bytes:
    """Recompute the checksums of tag blocks whose time was changed (bad ones stay bad)."""
    block = re.compile(rb"\\([^\\*]*)\*([0-9A-F]{2})\\")

    def fix(m: re.Match[bytes]) -> bytes:
        value = 0
        for byte in m[1]:
            value ^= byte
        return b"\\%s*%02X\\" % (m[1], value)

    return block.sub(fix, data)


# -- pyais ---------------------------------------------------------------------------------


def decode_pyais(path: Path) -> tuple[int, int, pa.Table, pa.Table]:
    """Decode with pyais into canonical columns; returns (lines, messages, positions, statics)."""
    from pyais.exceptions import AISBaseException
    from pyais.stream import FileReaderStream

    pos: dict[str, list[object]] = {k: [] for k in (
        "mmsi", "ts", "lon", "lat", "sog", "cog", "heading", "nav_status", "msg_type", "source",
    )}  # fmt: skip
    sta: dict[str, list[object]] = {k: [] for k in (
        "mmsi", "ts", "msg_type", "part", "imo", "callsign", "name", "ship_type", "to_bow",
        "to_stern", "to_port", "to_starboard", "destination", "source",
    )}  # fmt: skip
    messages = 0

    def text(value: object) -> object:
        return (str(value).rstrip("@ ").lstrip(" ") or None) if value is not None else None

    with FileReaderStream(str(path)) as stream:
        for msg in stream:
            if not msg.is_valid:
                continue
            try:
                d = msg.decode()
            except (AISBaseException, ValueError):
                continue
            ts = source = None
            tag = msg.tag_block
            if tag is not None:
                tag.init()
                if tag.receiver_timestamp is not None:
                    ts = int(tag.receiver_timestamp) * 1000
                source = tag.source_station
            t = d.msg_type
            messages += 1
            if t in (1, 2, 3, 18, 19, 27):
                if ts is None or d.lon is None or d.lat is None:
                    continue
                if abs(d.lon) > 180 or abs(d.lat) > 90:
                    continue
                pos["mmsi"].append(d.mmsi)
                pos["ts"].append(ts)
                pos["lon"].append(d.lon)
                pos["lat"].append(d.lat)
                if t == 27:
                    pos["sog"].append(None if d.speed == 63 else float(d.speed))
                    pos["cog"].append(None if d.course >= 360 else float(d.course))
                    pos["heading"].append(None)
                else:
                    pos["sog"].append(None if d.speed > 102.25 else d.speed)
                    pos["cog"].append(None if d.course > 359.95 else d.course)
                    pos["heading"].append(None if d.heading >= 360 else d.heading)
                pos["nav_status"].append(None if t in (18, 19) else int(d.status))
                pos["msg_type"].append(t)
                pos["source"].append(source)
            if t in (5, 19, 24):
                sta["mmsi"].append(d.mmsi)
                sta["ts"].append(ts)
                sta["msg_type"].append(t)
                sta["part"].append(None if t != 24 else ("A" if d.partno == 0 else "B"))
                sta["imo"].append((d.imo or None) if t == 5 else None)
                sta["callsign"].append(text(getattr(d, "callsign", None)))
                sta["name"].append(text(getattr(d, "shipname", None)))
                sta["ship_type"].append(int(getattr(d, "ship_type", 0) or 0) or None)
                for dim in ("to_bow", "to_stern", "to_port", "to_starboard"):
                    sta[dim].append(getattr(d, dim, None))
                sta["destination"].append(text(getattr(d, "destination", None)))
                sta["source"].append(source)
    types = {
        "mmsi": pa.uint32(), "ts": pa.int64(), "lon": pa.float64(), "lat": pa.float64(),
        "sog": pa.float32(), "cog": pa.float32(), "heading": pa.uint16(),
        "nav_status": pa.uint8(), "msg_type": pa.uint8(), "source": pa.string(),
        "part": pa.string(), "imo": pa.uint32(), "callsign": pa.string(), "name": pa.string(),
        "ship_type": pa.uint8(), "to_bow": pa.uint16(), "to_stern": pa.uint16(),
        "to_port": pa.uint16(), "to_starboard": pa.uint16(), "destination": pa.string(),
    }  # fmt: skip
    positions = pa.table({k: pa.array(v, types[k]) for k, v in pos.items()})
    statics = pa.table({k: pa.array(v, types[k]) for k, v in sta.items()})
    with path.open("rb") as handle:
        lines = sum(1 for _ in handle)
    return lines, messages, positions, statics


# -- measurement -----------------------------------------------------------------------------


def timed(run: Callable[[], object]) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, result) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def warm_up(path: Path, lines: int = 2000) -> float:
    """Seconds to import zonewatch and decode the first ``lines`` lines of ``path``.

    This is where numba compiles the bulk kernels (or loads them from its
    cache, ``__pycache__`` next to the modules, after the first run).
    """
    small = CACHE / f"warm-{lines}.nmea"
    with path.open("rb") as src:
        small.write_bytes(b"".join(line for _, line in zip(range(lines), src, strict=False)))
    start = time.perf_counter()
    from zonewatch.sources.nmea_file import read_nmea

    read_nmea(small)
    return time.perf_counter() - start


def ingest_path(path: Path) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Positions, statics and rejects of ``path`` read as ``zonewatch ingest`` reads it."""
    from zonewatch.sources.files import file_id
    from zonewatch.sources.nmea_file import iter_nmea

    fid = file_id(path)  # ingest: is this content in the store already?
    batches = list(iter_nmea(path, file_id=fid))
    return (
        pa.concat_tables([b.positions for b in batches]),
        pa.concat_tables([b.statics for b in batches]),
        pa.concat_tables([b.rejects for b in batches]),
    )


def rates(path: Path, repeat: int) -> None:
    from zonewatch.nmea.jit import COMPILED

    print(f"file: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    warm = warm_up(path)
    print(
        f"warm-up (import, numba compile or cache load, 2,000 lines): {warm:.2f} s;"
        f" kernels compiled: {COMPILED}; not counted below"
    )
    from zonewatch.sources.nmea_file import read_nmea

    runs = [timed(lambda: read_nmea(path)) for _ in range(repeat)]
    walls = sorted(run[0] for run in runs)
    zw_wall = statistics.median(walls)
    zw_cpu = statistics.median(run[1] for run in runs)
    decoded = runs[0][2]
    acc = decoded.accounting  # type: ignore[attr-defined]
    ingest_runs = [timed(lambda: ingest_path(path)) for _ in range(repeat)]
    in_wall = statistics.median(run[0] for run in ingest_runs)
    in_cpu = statistics.median(run[1] for run in ingest_runs)
    in_pos, in_sta, _ = ingest_runs[0][2]  # type: ignore[misc]
    same = in_pos.equals(decoded.positions)  # type: ignore[attr-defined]
    if not (same and in_sta.equals(decoded.statics)):  # type: ignore[attr-defined]
        raise SystemExit("read_nmea and the ingest path gave different tables")
    py_wall, py_cpu, (lines, py_messages, py_pos, py_sta) = timed(lambda: decode_pyais(path))  # type: ignore[misc]

    print(f"{'':10} {'wall s':>8} {'cpu s':>8} {'lines/s':>12} {'messages/s':>12} "
          f"{'positions':>10} {'statics':>8}")  # fmt: skip
    print(f"{'pyais':10} {py_wall:8.2f} {py_cpu:8.2f} {lines / py_wall:12,.0f} "
          f"{py_messages / py_wall:12,.0f} {py_pos.num_rows:10,} {py_sta.num_rows:8,}")  # fmt: skip
    print(f"{'zonewatch':10} {zw_wall:8.2f} {zw_cpu:8.2f} {acc.lines / zw_wall:12,.0f} "
          f"{acc.messages / zw_wall:12,.0f} {acc.positions:10,} {acc.statics:8,}")  # fmt: skip
    print(f"{'ingest':10} {in_wall:8.2f} {in_cpu:8.2f} {acc.lines / in_wall:12,.0f} "
          f"{acc.messages / in_wall:12,.0f} {in_pos.num_rows:10,} "
          f"{in_sta.num_rows:8,}")  # fmt: skip
    print(f"zonewatch: median of {repeat} runs; wall s of each run: "
          + ", ".join(f"{w:.3f}" for w in walls))  # fmt: skip
    print(f"zonewatch accounting: lines {acc.lines:,} = decoded {acc.decoded:,} + rejected "
          f"{acc.rejected:,} + pending {acc.pending:,}; rejected by reason "
          f"{dict(acc.rejected_by_reason)}")  # fmt: skip
    print(
        f"ratio (wall time, whole file): {py_wall / zw_wall:.1f}x; "
        f"ratio (CPU time): {py_cpu / zw_cpu:.1f}x; threads: {_threads()} (+1 hashing)"
    )
    print(
        "ratio, ingest's path (file_id pass, then iter_nmea): "
        f"{py_wall / in_wall:.1f}x wall, {py_cpu / in_cpu:.1f}x CPU"
    )


def _threads() -> str:
    from zonewatch.sources import nmea_file

    return str(getattr(nmea_file, "DECODE_THREADS", 1))


def memory(path: Path) -> None:
    big = build_big(path)
    print(f"10M-line file: {big} ({big.stat().st_size / 1e9:.2f} GB)")
    time_bin = shutil.which("time") or "/usr/bin/time"
    zonewatch = Path(sys.executable).with_name("zonewatch")
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        db = Path(tmp) / "bench.duckdb"
        command = [time_bin, "-v", str(zonewatch), "ingest", str(big), "--db", str(db), "--json"]
        print("command:", " ".join(command))
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    elapsed = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", done.stderr)
    if done.returncode != 0 or peak is None:
        print(done.stdout[-2000:], done.stderr[-2000:])
        raise SystemExit(f"ingest failed with exit code {done.returncode}")
    print(f"peak RSS: {int(peak[1]) / 1024:,.0f} MiB; wall {elapsed[1] if elapsed else '?'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=LINES)
    parser.add_argument(
        "--repeat", type=int, default=5, help="zonewatch runs (the median is reported)"
    )
    parser.add_argument("--memory", action="store_true", help="also measure a 10M-line ingest")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    path = build_file(args.lines)
    rates(path, args.repeat)
    if args.memory:
        memory(path)


if __name__ == "__main__":
    main()
