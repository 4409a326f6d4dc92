"""Scale benchmark: the full report on 10, 30 and 100 million simulated positions (issue 6).

Run from the repository root (the peer comparison needs the ``bench`` extra)::

    .venv/bin/python benchmarks/scale.py                         # 10M, 30M, 100M + peers at 1M
    .venv/bin/python benchmarks/scale.py --sizes 10M --peer-size 0   # one size, no peers
    .venv/bin/python benchmarks/scale.py --sizes 1M --peer-size 200k --clean

For each size, a store is filled with :func:`zonewatch.sim.bulk.fill_store`
(East China Sea traffic over ``--days`` days, default 30; timed apart, and
skipped when the store in ``--workdir`` holds that data already), then the
full report runs as a separate process, as a user would run it::

    zonewatch report --db STORE --zones senkaku --fleet china-government \\
        --from START --to END --format json --out DIR [--no-cache --quiet ...]

under ``/usr/bin/time -v`` (peak resident memory of the process tree's
largest process; with worker processes, ``--workers``, the sum over workers
is larger: the benchmark also reports the children's peak from
``getrusage``). Throughput is positions in the store / wall seconds of the
whole command (start-up, reading the store, tracks, zones, events, counting,
writing the outputs).

Then, on the positions of the ``--peer-size`` store (same seed and days), the
equivalent pipeline built from GeoPandas and MovingPandas
(:mod:`peers`) and zonewatch's report (``run_report`` with its default
local engine, which runs data this small in two threads of this process; no
cache; the first run, which builds the zone kernel's index levels and loads
compiled kernels, is printed apart, then the median of five more runs) run in
this process; the ratio of their wall times is printed with
both sets of counts side by side. They differ a little by design: the peers
test fixes only, zonewatch interpolates along legs.

Targets (issue 6): peak memory under 6 GB and at least 2 million positions a
second at 100M; at least 100x the peer pipeline at 1M.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from peers import TOTALS, peer_counts, peer_versions  # noqa: E402

from zonewatch.sim.bulk import BulkConfig, bulk_file_id, expected_positions, fill_store  # noqa: E402
from zonewatch.store import Store  # noqa: E402

GB = 1024**3
ZONEWATCH_REPEATS = 5
"""In-process report runs timed after the first (the median is compared with the peers)."""
BYTES_PER_POSITION = 35  # zstd Parquet parts of the bulk simulator (measured: about 30)


def parse_size(text: str) -> int:
    """``10M``, ``250k``, ``1.5M`` or a plain number."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([kKmMgG]?)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 10M, 250k)")
    scale = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}[match.group(2).lower()]
    return round(float(match.group(1)) * scale)


def label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def zonewatch_exe() -> str:
    exe = Path(sys.executable).parent / "zonewatch"
    return str(exe) if exe.exists() else "zonewatch"


def report_options() -> set[str]:
    """The options ``zonewatch report`` knows (the engine options are newer than the command)."""
    text = subprocess.run(
        [zonewatch_exe(), "report", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": "200"},
    ).stdout
    return set(re.findall(r"--[a-z][a-z-]+", text))


def filled_store(workdir: Path, config: BulkConfig) -> tuple[Path, float, int]:
    """The store of a config (filled now when needed): path, fill seconds, positions."""
    path = workdir / f"bulk-{label(config.n_positions)}-{bulk_file_id(config)[5:17]}.duckdb"
    started = time.perf_counter()  # the fill time includes planning the tracks
    need = expected_positions(config) * BYTES_PER_POSITION
    free = shutil.disk_usage(workdir).free
    with Store(path) as store:
        if not store.has_file(bulk_file_id(config)):
            if free < need * 1.5:
                raise SystemExit(
                    f"{workdir}: {free / GB:.1f} GB free, about {need / GB:.1f} GB needed"
                )

            def show(done: int, total: int) -> None:
                if not sys.stderr.isatty():
                    return
                rate = done / max(time.perf_counter() - started, 1e-9)
                print(
                    f"\r  filling {path.name}: {done:,}/{total:,} ({rate / 1e6:.2f} M/s)",
                    end="",
                    file=sys.stderr,
                    flush=True,
                )

            fill_store(store, config, progress=show)
            if sys.stderr.isatty():
                print(file=sys.stderr)
            fill_s = time.perf_counter() - started
        else:
            fill_s = float("nan")  # reused
        positions = store.input_summary().positions
    return path, fill_s, positions


def run_report_process(
    store: Path, config: BulkConfig, out: Path, args: argparse.Namespace, options: set[str]
) -> dict[str, Any]:
    """Run ``zonewatch report`` as a process; wall time, peak memory and the report's totals."""
    first = config.start
    last = config.start + dt.timedelta(days=config.days - 1)
    command = [
        zonewatch_exe(), "report", "--db", str(store), "--zones", "senkaku",
        "--fleet", "china-government", "--from", first.isoformat(), "--to", last.isoformat(),
        "--format", "json", "--out", str(out),
    ]  # fmt: skip
    for flag in ("--no-cache", "--quiet"):
        if flag in options:
            command.append(flag)
    for name in ("buckets", "workers", "engine"):
        value = getattr(args, name)
        if value is not None:
            if f"--{name}" not in options:
                raise SystemExit(f"zonewatch report has no --{name} option yet")
            command += [f"--{name}", str(value)]
    timer = ["/usr/bin/time", "-v"] if Path("/usr/bin/time").exists() else []
    out.mkdir(parents=True, exist_ok=True)
    print("  $ " + " ".join(command), file=sys.stderr)
    started = time.perf_counter()
    with (out / "stdout.json").open("wb") as stdout:
        done = subprocess.run(timer + command, stdout=stdout, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - started
    stderr = done.stderr.decode(errors="replace")
    if done.returncode != 0:
        lines = [line for line in stderr.splitlines() if not line.startswith(("\t", "Command "))]
        print(f"  report failed (exit {done.returncode}):", *lines[-20:], sep="\n", file=sys.stderr)
        errors = [line for line in lines if "error" in line] or lines or ["?"]
        return {"wall_s": wall, "error": errors[-1]}
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    peak = int(rss.group(1)) * 1024 if rss else None
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    report = json.loads((out / "stdout.json").read_text())
    return {
        "wall_s": wall,
        "peak_bytes": peak,
        "children_peak_bytes": children,
        "totals": report.get("totals", {}),
    }


def compare_peers(workdir: Path, config: BulkConfig) -> dict[str, Any]:
    """zonewatch's report and the GeoPandas + MovingPandas pipeline on the same positions."""
    from zonewatch.engine.report import run_report
    from zonewatch.vessels.fleets import load_fleet
    from zonewatch.vessels.identity import vessel_identities
    from zonewatch.zones import load_zone_set

    path, _, n = filled_store(workdir, config)
    zone_set = load_zone_set("senkaku")
    fleet = load_fleet("china-government")
    zone_set.locate([123.5], [25.7])  # build the zone raster and compile kernels before the clock
    first = config.start
    last = config.start + dt.timedelta(days=config.days - 1)
    runs = []
    with Store(path, read_only=True) as store:
        for _ in range(1 + ZONEWATCH_REPEATS):
            started = time.perf_counter()
            run = run_report(store, zone_set, fleet, first, last, cache=False)
            runs.append(time.perf_counter() - started)
        positions = store.positions()
        members = fleet.members(vessel_identities(store.statics()))["mmsi"].to_list()
    totals = run.report.totals
    zw_totals = dataclasses.asdict(totals) if dataclasses.is_dataclass(totals) else dict(totals)
    peer = peer_counts(positions, members, zone_set, first, last)
    return {
        "positions": n,
        "zonewatch_s": statistics.median(runs[1:]),
        "zonewatch_runs": runs,
        "zonewatch": zw_totals,
        "peer": peer,
    }


def fmt_s(seconds: float) -> str:
    return "reused" if seconds != seconds else f"{seconds:.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes",
        type=lambda s: [parse_size(x) for x in s.split(",") if x.strip()],
        default=[10_000_000, 30_000_000, 100_000_000],
        help="positions per run, comma-separated (default 10M,30M,100M)",
    )
    parser.add_argument("--days", type=int, default=30, help="days simulated (default 30)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zonewatch-scale"))
    parser.add_argument(
        "--peer-size",
        type=parse_size,
        default=1_000_000,
        help="positions for the peer run (0: none)",
    )
    parser.add_argument("--buckets", type=int, default=None, help="passed to zonewatch report")
    parser.add_argument("--workers", type=int, default=None, help="passed to zonewatch report")
    parser.add_argument("--engine", default=None, help="passed to zonewatch report (local, dask)")
    parser.add_argument("--clean", action="store_true", help="delete the work folder at the end")
    args = parser.parse_args(argv)

    args.workdir.mkdir(parents=True, exist_ok=True)
    usage = shutil.disk_usage(args.workdir)
    print(
        f"work folder {args.workdir}: {usage.free / GB:.1f} GB free; "
        f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}"
    )
    options = report_options()
    rows = []
    for size in args.sizes:
        config = BulkConfig(n_positions=size, days=args.days, seed=args.seed)
        counts = config.counts()
        print(f"\n{label(size)}: {sum(counts.values()):,} vessels {counts}")
        store, fill_s, positions = filled_store(args.workdir, config)
        print(f"  store {store} ({positions:,} positions, fill {fmt_s(fill_s)} s)")
        result = run_report_process(
            store, config, args.workdir / f"out-{label(size)}", args, options
        )
        rate = positions / result["wall_s"]
        peak = result.get("peak_bytes")
        print(
            f"  report: {result['wall_s']:.1f} s, {rate / 1e6:.2f} M positions/s, peak RSS "
            + (f"{peak / GB:.2f} GB" if peak else "?")
            + (
                f"  totals {result['totals']}"
                if "totals" in result
                else f"  FAILED {result['error']}"
            )
        )
        rows.append((size, positions, sum(counts.values()), fill_s, result, rate))

    peers = None
    if args.peer_size:
        config = BulkConfig(n_positions=args.peer_size, days=args.days, seed=args.seed)
        print(f"\npeers at {label(args.peer_size)}: {peer_versions()}")
        peers = compare_peers(args.workdir, config)
        peer = peers["peer"]
        steps = ", ".join(f"{k} {v:.1f}" for k, v in peer.seconds.items())
        print(f"  GeoPandas + MovingPandas: {peer.total_s:.1f} s ({steps})")
        runs = ", ".join(f"{v:.2f}" for v in peers["zonewatch_runs"])
        print(
            f"  zonewatch run_report:     {peers['zonewatch_s']:.2f} s (median of the "
            f"{ZONEWATCH_REPEATS} runs after the first; all runs: {runs})"
        )

    print("\n    size   positions  vessels   fill s  report s  M pos/s  peak RSS GB  result")
    for size, positions, vessels, fill_s, result, rate in rows:
        peak = result.get("peak_bytes")
        peak_text = f"{peak / GB:11.2f}" if peak else "          ?"
        totals = result.get("totals", {})
        outcome = (
            f"CZ days {totals.get('contiguous_zone_days')}, "
            f"TS intrusions {totals.get('territorial_sea_intrusions')}"
            if "totals" in result
            else f"FAILED: {result['error'][:60]}"
        )
        print(
            f"{label(size):>8} {positions:>11,} {vessels:>8,} {fmt_s(fill_s):>8} "
            f"{result['wall_s']:>9.1f} {rate / 1e6:>8.2f} {peak_text}  {outcome}"
        )
    if peers is not None:
        peer = peers["peer"]
        ratio = peer.total_s / peers["zonewatch_s"]
        print(f"\npeers on the same {peers['positions']:,} positions ({args.days} days):")
        print(f"  {'':30} {'zonewatch':>10} {'GeoPandas+MovingPandas':>24}")
        for key in TOTALS:
            print(f"  {key:30} {peers['zonewatch'].get(key, '?')!s:>10} {peer.totals[key]:>24}")
        print(f"  {'wall s':30} {peers['zonewatch_s']:>10.2f} {peer.total_s:>24.1f}")
        first_ratio = peer.total_s / peers["zonewatch_runs"][0]
        print(f"  ratio: {ratio:.0f}x (target 100x); against the first run: {first_ratio:.0f}x")

    biggest = max(rows, key=lambda r: r[0], default=None)
    if biggest is not None and "totals" in biggest[4]:
        peak = biggest[4].get("peak_bytes") or 0
        print(
            f"\ntargets at {label(biggest[0])}: peak memory {peak / GB:.2f} GB (< 6 GB: "
            f"{'yes' if peak and peak < 6 * GB else 'no'}), {biggest[5] / 1e6:.2f} M positions/s "
            f"(>= 2 M/s: {'yes' if biggest[5] >= 2e6 else 'no'})"
        )
    if args.clean:
        shutil.rmtree(args.workdir, ignore_errors=True)
        print(f"removed {args.workdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
