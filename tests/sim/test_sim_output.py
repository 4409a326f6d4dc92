"""What ``simulate`` writes: determinism, decodable reports, planted noise, exact truth."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pyais
import pytest
from sim_bruteforce import Fix, brute_force, clean_track, parse_tagged

from conftest import SHORT
from zonewatch.schema import REJECT_REASONS
from zonewatch.sim import SimConfig, SimResult, Truth, simulate
from zonewatch.sim.run import plan_scenario

_FLEET_NAME = re.compile(r"CHINA ?COAST ?GUARD|ZHONG ?GUO ?HAI ?JING|HAI ?JING")


def test_same_seed_gives_identical_bytes(short_run: SimResult, tmp_path: Path) -> None:
    again = simulate(SHORT, tmp_path)
    assert again.nmea_path.read_bytes() == short_run.nmea_path.read_bytes()
    assert again.truth_path.read_text() == short_run.truth_path.read_text()
    assert again.n_lines == short_run.n_lines == len(again.nmea_path.read_bytes().splitlines())


def test_other_seeds_give_other_output(tmp_path: Path) -> None:
    a = simulate(SimConfig(days=4, seed=1), tmp_path / "a")
    b = simulate(SimConfig(days=4, seed=2), tmp_path / "b")
    assert a.nmea_path.read_bytes() != b.nmea_path.read_bytes()


def test_compressed_output_holds_the_same_lines(tmp_path: Path) -> None:
    plain = simulate(SimConfig(days=3, seed=5), tmp_path / "plain")
    packed = simulate(SimConfig(days=3, seed=5, compress=True), tmp_path / "packed")
    assert packed.nmea_path.name == "senkaku.nmea.gz"
    assert gzip.decompress(packed.nmea_path.read_bytes()) == plain.nmea_path.read_bytes()
    assert (
        packed.nmea_path.read_bytes()
        == simulate(
            SimConfig(days=3, seed=5, compress=True), tmp_path / "again"
        ).nmea_path.read_bytes()
    )


def test_truth_file_round_trips(short_run: SimResult) -> None:
    truth = Truth.from_json(short_run.truth_path.read_text())
    assert truth == short_run.truth
    assert sorted(truth.days) == [SHORT.start + dt.timedelta(days=i) for i in range(SHORT.days)]


def test_reports_decode_to_the_planned_fixes(short_run: SimResult, short_fixes: list[Fix]) -> None:
    sc = plan_scenario(SHORT)
    index = {(int(m), int(t)): k for k, (m, t) in enumerate(zip(sc.mmsi, sc.t, strict=True))}
    primary = [f for f in short_fixes if f.source == "rx1"]
    matched = [(f, index[(f.mmsi, f.t)]) for f in primary if (f.mmsi, f.t) in index]
    assert len(matched) == len(sc.t) == short_run.truth.noise["position_lines"]
    for f, k in matched:
        assert f.lon == pytest.approx(sc.lon[k] / 600_000, abs=1e-6)
        assert f.lat == pytest.approx(sc.lat[k] / 600_000, abs=1e-6)
        assert f.sog == pytest.approx(sc.sog[k] / 10)
        assert f.cog == pytest.approx(sc.cog[k] / 10)
    spoofs = [f for f in primary if (f.mmsi, f.t) not in index]
    assert len(spoofs) == short_run.truth.noise["spoofed_fixes"] > 0
    for f in spoofs:  # hundreds of km from where the ship really is
        sel = sc.mmsi == f.mmsi
        k = int(np.searchsorted(sc.t[sel], f.t))
        for j in (k - 1, k):
            lon, lat = sc.lon[sel][j] / 600_000, sc.lat[sel][j] / 600_000
            km = math.hypot(
                (f.lon - lon) * 111.3 * math.cos(math.radians(lat)), (f.lat - lat) * 111.3
            )
            assert km > 120  # > 100 km: the 50 kn rule must drop it
            assert abs(f.t - sc.t[sel][j]) <= 450


def test_second_receiver_repeats_sentences(short_run: SimResult) -> None:
    firsts: dict[str, int] = {}
    seconds: list[tuple[str, int]] = []
    for line in short_run.nmea_path.read_text().splitlines():
        parsed = parse_tagged(line)
        if parsed is None:
            continue
        tags, sentence = parsed
        if tags["s"] == "rx1":
            firsts.setdefault(sentence, int(tags["c"]))
        else:
            seconds.append((sentence, int(tags["c"])))
    assert len(seconds) == short_run.truth.noise["duplicate_lines"] > 0
    lags = Counter(t - firsts[s] for s, t in seconds)
    assert set(lags) == {0, 1}


def test_lines_are_in_time_order_except_late_duplicates(short_run: SimResult) -> None:
    last = 0
    for line in short_run.nmea_path.read_text().splitlines():
        parsed = parse_tagged(line)
        if parsed is None:
            continue
        tags, _ = parsed
        t = int(tags["c"])
        if tags["s"] == "rx1":
            assert t >= last
            last = t
        else:
            assert t >= last - 301


def _reject_reason(lines: list[str], k: int) -> str | None:
    """Why line ``k`` is unusable, by the documented reject reasons (None when it is fine)."""
    line = lines[k]
    if not line.startswith("\\"):
        return "not_ais" if "VDM" not in line else "bad_format"
    end = line.index("\\", 1)
    tag, check = line[1:end].rsplit("*", 1)
    if int(check, 16) != _xor(tag):
        return "bad_tag_block"
    sentence = line[end + 1 :]
    if int(sentence[-2:], 16) != _xor(sentence[1:-3]):
        return "bad_checksum"
    fields = sentence[1:-3].split(",")
    if len(fields) != 7:
        return "bad_format"
    if re.fullmatch(r"[0-W`-w]*", fields[5]) is None:
        return "bad_payload"
    if fields[1] == "2" and fields[2] == "1":
        key = (fields[3], fields[4])
        follow = [ln.split("\\")[-1].split(",") for ln in lines[k + 1 : k + 51]]
        if not any(f[1:3] == ["2", "2"] and (f[3], f[4]) == key for f in follow if len(f) == 7):
            return "fragment_orphan"
    return None


def _xor(text: str) -> int:
    out = 0
    for ch in text.encode():
        out ^= ch
    return out


def test_corrupted_lines_are_counted_by_reason(short_run: SimResult) -> None:
    lines = short_run.nmea_path.read_text().splitlines()
    found = Counter(r for k in range(len(lines)) if (r := _reject_reason(lines, k)) is not None)
    planted = {k: v for k, v in short_run.truth.corrupted_lines.items() if v}
    assert dict(found) == planted
    assert set(planted) <= set(REJECT_REASONS)
    assert sum(planted.values()) > 20


def test_zonewatch_reader_rejects_exactly_the_planted_lines(short_run: SimResult) -> None:
    nmea_file = pytest.importorskip("zonewatch.sources.nmea_file")
    accounting = nmea_file.read_nmea(short_run.nmea_path).accounting
    planted = {k: v for k, v in short_run.truth.corrupted_lines.items() if v}
    assert dict(accounting.rejected_by_reason) == planted
    assert accounting.lines == short_run.n_lines
    assert accounting.pending == 0


def test_static_data_names_every_vessel_before_its_first_report(short_run: SimResult) -> None:
    first_pos: dict[int, int] = {}
    first_static: dict[int, int] = {}
    names: dict[int, str] = {}
    pending: dict[str, str] = {}
    for line in short_run.nmea_path.read_text().splitlines():
        parsed = parse_tagged(line)
        if parsed is None or parsed[0]["s"] != "rx1":
            continue
        tags, sentence = parsed
        fields = sentence.split(",")
        if len(fields) != 7 or re.fullmatch(r"[0-W`-w]+", fields[5]) is None:
            continue  # corrupted copies
        t = int(tags["c"])
        if fields[1] == "2" and fields[3] != "9":
            if fields[2] == "1":
                pending[fields[3]] = sentence
                continue
            msg = pyais.decode(pending.pop(fields[3]), sentence)
        elif fields[5][:1] == "H":
            msg = pyais.decode(sentence)
        else:
            if fields[5][:1] in "1B" and fields[1] == "1":
                mmsi = pyais.decode(sentence).mmsi
                first_pos.setdefault(mmsi, t)
            continue
        first_static.setdefault(msg.mmsi, t)
        if getattr(msg, "shipname", None):
            names[msg.mmsi] = msg.shipname
    fleet = short_run.truth.fleet_mmsis
    assert all(first_static.get(m, 1 << 40) <= t for m, t in first_pos.items() if m in fleet)
    assert all(_FLEET_NAME.search(names[m]) for m in fleet)
    others = set(names) - fleet
    china_others = {m for m in others if m // 1_000_000 in (412, 413, 414)}
    assert china_others  # Chinese fishing boats and the decoy carry China's MID ...
    assert not any(_FLEET_NAME.search(names[m]) for m in others)  # ... but not a fleet name


def test_truth_agrees_with_a_brute_force_reading(
    short_run: SimResult, short_fixes: list[Fix]
) -> None:
    truth = short_run.truth
    tracks: dict[int, list[Fix]] = {}
    for f in short_fixes:
        if f.mmsi in truth.fleet_mmsis:
            tracks.setdefault(f.mmsi, []).append(f)
    reading = brute_force({m: clean_track(fx) for m, fx in tracks.items()}, SHORT.start, SHORT.days)
    assert reading.days == truth.days
    assert len(reading.incidents) == len(truth.incidents) > 0
    for (start, end, vessels), inc in zip(reading.incidents, truth.incidents, strict=True):
        assert vessels == inc.vessels
        assert inc.start.timestamp() <= start < inc.start.timestamp() + 31
        assert inc.end.timestamp() - 31 < end <= inc.end.timestamp()
    assert 0 < truth.contiguous_zone_days <= SHORT.days


def test_config_is_validated() -> None:
    with pytest.raises(ValueError, match="days"):
        SimConfig(days=0)
    with pytest.raises(ValueError, match="group_size"):
        SimConfig(group_size=(3, 2))
    with pytest.raises(ValueError, match="corrupt_rate"):
        dataclasses.replace(SHORT, corrupt_rate=0.5)


def test_heavy_noise_is_still_counted_exactly(tmp_path: Path) -> None:
    noisy = SimConfig(days=4, seed=9, corrupt_rate=0.03, duplicate_rate=0.5, spoof_rate=0.02)
    result = simulate(noisy, tmp_path)
    lines = result.nmea_path.read_text().splitlines()
    found = Counter(r for k in range(len(lines)) if (r := _reject_reason(lines, k)) is not None)
    planted = {k: v for k, v in result.truth.corrupted_lines.items() if v}
    assert dict(found) == planted
    assert set(planted) == {
        "bad_checksum",
        "bad_format",
        "bad_payload",
        "not_ais",
        "fragment_orphan",
    }
    assert result.truth.noise["spoofed_fixes"] > 20
