"""Identity conflicts, null island and on-land fixes."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from event_builders import OPEN_SEA, T0, frame, line, offset, run, stay, times

from zonewatch.events.integrity import IntegrityParams, identity_conflict_events
from zonewatch.events.shore import LandMask, Shore

V = 413000009
H = dt.timedelta(hours=1)


def test_a_position_at_zero_zero_is_null_island_not_a_jump() -> None:
    at = times(T0, T0 + H, 300)
    rows = line(V, at, OPEN_SEA, offset(*OPEN_SEA, 5000, 0), sog=3.0)
    rows.append((V, T0 + dt.timedelta(minutes=32), 0.0, 0.0, 3.0))
    events = run(frame(rows), ["null_island", "position_jump", "identity_conflict"])
    assert events["kind"].to_list() == ["null_island"]
    ev = events.row(0, named=True)
    assert ev["start"] == ev["end"] == T0 + dt.timedelta(minutes=32)
    assert (ev["lon"], ev["lat"]) == (0.0, 0.0)
    assert json.loads(ev["detail"])["n_fixes"] == 1


def test_consecutive_null_island_fixes_are_one_event() -> None:
    rows = stay(V, times(T0, T0 + H, 300), *OPEN_SEA)
    rows += stay(V, times(T0 + 2 * H, T0 + 3 * H, 600), 0.0, 0.0)
    rows += stay(V, times(T0 + 4 * H, T0 + 5 * H, 300), *OPEN_SEA)
    rows += [(V + 1, T0, 181.0, 91.0, None)]  # sentinels that slipped through a source
    events = run(frame(rows), ["null_island"])
    assert events.select("mmsi", "start", "end").rows() == [
        (V + 1, T0, T0),
        (V, T0 + 2 * H, T0 + 3 * H),
    ]
    assert json.loads(events.filter(events["mmsi"] == V)["detail"][0])["n_fixes"] == 7


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_shared_mmsi_at_two_places_at_once(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # two ships 60-200 nm apart, both transmitting as V every 3 min, offset by 20-160 s
    here = offset(*OPEN_SEA, rng.uniform(-1e4, 1e4), rng.uniform(-1e4, 1e4))
    there = offset(*here, rng.uniform(60, 200) * 1852.0, 0.0)
    lag = int(rng.integers(20, 160))
    a_at = times(T0, T0 + 6 * H, 180)
    b_at = [t + dt.timedelta(seconds=lag) for t in times(T0 + 2 * H, T0 + 4 * H, 180)]
    rows = line(V, a_at, here, offset(*here, 50_000, 0), sog=9.0)
    rows += line(V, b_at, there, offset(*there, 0, 20_000), sog=5.0)
    events = run(frame(rows), ["identity_conflict"])
    assert events.height == 1
    ev = events.row(0, named=True)
    assert ev["start"] == b_at[0]
    assert ev["end"] == max(t for t in a_at if t <= b_at[-1] + dt.timedelta(seconds=180))
    assert (ev["lon"], ev["lat"]) == pytest.approx(there, abs=1e-9)
    detail = json.loads(ev["detail"])
    first, second = detail["places"]
    assert first["n_fixes"] == len(b_at)
    assert second["n_fixes"] == sum(1 for t in a_at if b_at[0] < t <= ev["end"])
    assert detail["separation_nm"] > 50


def test_a_single_spoofed_fix_is_a_jump_not_a_conflict() -> None:
    at = times(T0, T0 + 3 * H, 120)
    rows = line(V, at, OPEN_SEA, offset(*OPEN_SEA, 40_000, 0), sog=9.0)
    for k in (20, 40, 60):  # three lone spoofs, 40 min apart, at different far places
        rows.append((V, at[k] + dt.timedelta(seconds=60), 121.0 + k / 10, 30.0 - k / 10, 9.0))
    events = run(frame(rows), ["identity_conflict", "position_jump"])
    assert events["kind"].to_list() == ["position_jump"] * 3


def test_a_stuck_second_place_is_a_conflict_only_when_revisited() -> None:
    at = times(T0, T0 + 2 * H, 120)
    rows = line(V, at, OPEN_SEA, offset(*OPEN_SEA, 20_000, 0), sog=9.0)
    ghost = offset(*OPEN_SEA, 0, 150 * 1852.0)
    once = [*rows, (V, at[10] + dt.timedelta(seconds=30), *ghost, 0.0)]
    assert identity_conflict_events(frame(once)).height == 0
    twice = [*once, (V, at[12] + dt.timedelta(seconds=30), *ghost, 0.0)]
    events = identity_conflict_events(frame(twice))
    assert events.height == 1
    assert json.loads(events["detail"][0])["returning_runs"] == 3
    strict = IntegrityParams(min_returning_runs=4)
    assert identity_conflict_events(frame(twice), strict).height == 0


def test_fixes_inland_by_the_mask_are_flagged_and_kept() -> None:
    # a 5 x 5 cell block of land (cells of 1/120 degree) around a point
    lon0, lat0 = OPEN_SEA
    mask = LandMask.from_array(np.ones((5, 5), dtype=bool), lat0 + 2.5 / 120, lon0 - 2.5 / 120, 120)
    shore = Shore(mask)
    at = times(T0, T0 + H, 300)
    inland = stay(V, at[3:6], lon0, lat0, sog=0.0)
    coast = [(V, at[7], lon0 + 2.2 / 120, lat0, 0.0)]  # in the edge cell: not inland
    sea = stay(V, at[:3], *offset(lon0, lat0, 5000, 0)) + stay(
        V, at[8:], *offset(lon0, lat0, 5000, 0)
    )
    events = run(frame(inland + coast + sea), ["on_land"], shore=shore)
    assert events.select("start", "end").rows() == [(at[3], at[5])]
    detail = json.loads(events["detail"][0])
    assert detail == {"n_fixes": 3, "source": "land mask", "action": "flagged; kept in the track"}


def test_fixes_on_the_zone_set_features_are_dropped_as_on_land() -> None:
    on_uotsuri = (V, T0 + dt.timedelta(minutes=65), 123.476, 25.744, 0.0)
    rows = [*stay(V, times(T0, T0 + H, 600), 123.3, 25.7), on_uotsuri]
    events = run(frame(rows), ["on_land"])
    assert events.select("kind", "start").rows() == [("on_land", T0 + dt.timedelta(minutes=65))]
    assert json.loads(events["detail"][0])["action"] == "fix dropped from the track"
