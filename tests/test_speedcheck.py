"""The compiled speed check equals a plain reference, per vessel, whatever else is batched."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from zonewatch.geo import haversine_nm
from zonewatch.nmea.jit import python_kernel
from zonewatch.speedcheck import _check, impossible_fixes


def _reference(ts: list[int], lon: list[float], lat: list[float], limit: float, rounds: int):
    """One vessel, straight from the rule: interior first, then ends, round after round."""
    alive = list(range(len(ts)))
    dropped: dict[int, float] = {}

    def kn(a: int, b: int) -> float:
        d = float(haversine_nm(lon[a], lat[a], lon[b], lat[b]))
        h = (ts[b] - ts[a]) / 3_600_000.0
        return d / h if h > 0 else (np.inf if d > 0 else 0.0)

    for _ in range(rounds):
        flags: dict[int, float] = {}
        for k in range(1, len(alive) - 1):
            p, i, q = alive[k - 1], alive[k], alive[k + 1]
            if kn(p, i) > limit and kn(i, q) > limit:
                flags[i] = min(kn(p, i), kn(i, q))
        if not flags and len(alive) >= 3:
            if kn(alive[0], alive[1]) > limit:
                flags[alive[0]] = kn(alive[0], alive[1])
            if kn(alive[-2], alive[-1]) > limit:
                flags[alive[-1]] = kn(alive[-2], alive[-1])
        if not flags:
            break
        dropped.update(flags)
        alive = [i for i in alive if i not in flags]
    return dropped


def _tracks(seed: int, vessels: int, n: int):
    rng = np.random.default_rng(seed)
    mmsi = np.sort(rng.integers(1, vessels + 1, n)).astype(np.uint32)
    ts = np.zeros(n, dtype=np.int64)
    for v in np.unique(mmsi):
        sel = mmsi == v
        ts[sel] = np.cumsum(rng.integers(0, 900_000, sel.sum()))
    lon = 123.0 + np.cumsum(rng.normal(0, 0.01, n))
    lat = 25.0 + np.cumsum(rng.normal(0, 0.01, n))
    spoof = rng.random(n) < 0.08
    lon[spoof] += rng.choice([-3.0, 3.0], spoof.sum())
    return mmsi, ts, lon, lat


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 4), st.integers(0, 60), st.integers(1, 5))
def test_equal_to_the_rule_per_vessel(seed: int, vessels: int, n: int, rounds: int) -> None:
    mmsi, ts, lon, lat = _tracks(seed, vessels, n)
    dropped, implied = impossible_fixes(mmsi, ts, lon, lat, 50.0, rounds)
    for v in np.unique(mmsi):
        idx = np.flatnonzero(mmsi == v)
        want = _reference(ts[idx].tolist(), lon[idx].tolist(), lat[idx].tolist(), 50.0, rounds)
        got = {int(k): float(implied[idx[k]]) for k in np.flatnonzero(dropped[idx])}
        assert got.keys() == want.keys()
        for k, value in want.items():
            assert got[k] == value or abs(got[k] - value) <= 1e-9 * max(1.0, value)
    assert np.isnan(implied[~dropped]).all()


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_a_vessel_is_judged_alone(seed: int) -> None:
    mmsi, ts, lon, lat = _tracks(seed, 3, 80)
    together, _ = impossible_fixes(mmsi, ts, lon, lat, 50.0, 5)
    for v in np.unique(mmsi):
        sel = mmsi == v
        alone, _ = impossible_fixes(mmsi[sel], ts[sel], lon[sel], lat[sel], 50.0, 5)
        assert (alone == together[sel]).all()


def test_compiled_equals_python() -> None:
    mmsi, ts, lon, lat = _tracks(7, 5, 400)
    n = mmsi.size
    change = np.flatnonzero(mmsi[1:] != mmsi[:-1]) + 1
    starts = np.concatenate(([0], change, [n])).astype(np.int64)
    outs = []
    for fn in (_check, python_kernel(_check)):
        dropped = np.zeros(n, dtype=np.bool_)
        implied = np.full(n, np.nan)
        scratch = [np.empty(n, dtype=np.int64) for _ in range(3)]
        fn(starts, ts, lon, lat, 50.0, 5, dropped, implied, *scratch, np.empty(n))
        outs.append((dropped, implied))
    assert (outs[0][0] == outs[1][0]).all()
    assert np.allclose(outs[0][1], outs[1][1], equal_nan=True, rtol=1e-12)
    assert outs[0][0].sum() > 5


def test_two_fixes_alone_are_kept() -> None:
    dropped, _ = impossible_fixes(
        np.ones(2, np.uint32),
        np.array([0, 60_000]),
        np.array([123.0, 130.0]),
        np.full(2, 25.0),
        50.0,
        5,
    )
    assert not dropped.any()
