"""AIS gaps and loitering on hand-built tracks."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from event_builders import OPEN_SEA, T0, frame, line, offset, run, stay, times

from scenario import point_at
from zonewatch.events.detect import EventParams
from zonewatch.events.gaps import GapParams
from zonewatch.events.shore import LandMask, Shore

V = 413000007
H = dt.timedelta(hours=1)


def test_gap_that_straddles_a_zone_boundary() -> None:
    # seen 30 nm out (outside the contiguous zone, near it), silent 7 h, seen again 8 nm out
    outside = point_at(30.0, 270.0)
    inside = point_at(8.0, 270.0)
    rows = stay(V, times(T0, T0 + H, 300), *outside, sog=5.0)
    rows += stay(V, times(T0 + 8 * H, T0 + 9 * H, 300), *inside, sog=5.0)
    events = run(frame(rows), ["ais_gap", "zone_entry", "zone_exit"])
    assert events["kind"].to_list() == ["ais_gap"]  # no presence is inferred across the gap
    ev = events.row(0, named=True)
    assert (ev["start"], ev["end"]) == (T0 + H, T0 + 8 * H)
    assert ev["zone"] == "territorial_sea:senkaku"
    assert ev["event_id"] == f"ais_gap-{V}-20240301T010000000Z"
    assert ev["min_distance_nm"] == pytest.approx(8.0, abs=0.01)
    detail = json.loads(ev["detail"])
    assert detail["duration_h"] == 7.0
    assert detail["distance_nm"] == pytest.approx(22.0, abs=0.2)
    assert detail["implied_speed_kn"] == pytest.approx(22.0 / 7, abs=0.05)
    assert detail["crosses_zone_boundary"] is True
    assert detail["likely_intentional"] is False
    assert detail["start"]["zone"] is None
    assert detail["start"]["near_zone"] == "contiguous_zone"
    assert detail["start"]["distance_to_baseline_nm"] == pytest.approx(30.0, abs=0.01)
    assert detail["end"]["zone"] == "territorial_sea"
    assert detail["end"]["near_zone"] is None
    assert detail["end"]["ts"] == "2024-03-01T08:00:00.000Z"


@pytest.mark.parametrize(
    ("silent_h", "shore_nm", "found", "intentional"),
    [
        (5.9, 80.0, False, False),
        (6.0, 80.0, True, False),
        (12.0, 80.0, True, True),
        (12.0, 40.0, True, False),
        (30.0, None, True, True),  # farther than the search radius from any land
    ],
)
def test_gap_length_and_likely_intentional(
    silent_h: float, shore_nm: float | None, found: bool, intentional: bool
) -> None:
    # a one-cell "island" due north of the gap's start, at the wanted distance
    start = OPEN_SEA
    if shore_nm is None:
        shore = Shore(zone_set=None)
    else:
        island = offset(*start, 0.0, shore_nm * 1852.0)
        shore = Shore(LandMask.from_array([[True]], island[1] + 0.004, island[0] - 0.004, 120))
    rows = stay(V, times(T0, T0 + H, 600), *start, sog=3.0)
    back = T0 + H + dt.timedelta(hours=silent_h)
    rows += stay(V, times(back, back + H, 600), *offset(*start, 5000, 0), sog=3.0)
    events = run(frame(rows), ["ais_gap"], shore=shore)
    assert events.height == int(found)
    if found:
        detail = json.loads(events["detail"][0])
        assert detail["likely_intentional"] is intentional
        if shore_nm is not None:
            assert detail["start"]["distance_from_shore_nm"] == pytest.approx(shore_nm, abs=0.5)


def test_gap_threshold_is_a_parameter() -> None:
    rows = stay(V, times(T0, T0 + H, 600), *OPEN_SEA) + stay(
        V, times(T0 + 4 * H, T0 + 5 * H, 600), *OPEN_SEA
    )
    assert run(frame(rows), ["ais_gap"]).height == 0
    params = EventParams(gap=GapParams(min_gap_h=3.0))
    assert run(frame(rows), ["ais_gap"], params=params).height == 1


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_loitering_is_the_slow_run(seed: int) -> None:
    rng = np.random.default_rng(seed)
    step = int(rng.integers(60, 400))
    t_slow = T0 + dt.timedelta(seconds=step * int(rng.integers(5, 20)))
    slow_s = step * int(rng.integers(2 * 3600 // step + 1, 6 * 3600 // step))
    t_fast = t_slow + dt.timedelta(seconds=slow_s)
    where = offset(*OPEN_SEA, rng.uniform(-5e4, 5e4), rng.uniform(-5e4, 5e4))
    before = line(V, times(T0, t_slow, step), offset(*where, -20_000, 0), where, sog=9.0)
    during = stay(V, times(t_slow, t_fast, step)[1:-1], *where, sog=float(rng.uniform(0, 1.9)))
    after = line(V, times(t_fast, t_fast + 2 * H, step), where, offset(*where, 20_000, 0), sog=9.0)
    events = run(frame([*before[:-1], (V, t_slow, *where, 1.0), *during, *after]), ["loitering"])
    assert events.select("mmsi", "start", "end").rows() == [
        (V, t_slow, t_fast - dt.timedelta(seconds=step))
    ]
    detail = json.loads(events["detail"][0])
    assert detail["speed_source"]["implied"] == 0
    assert detail["distance_from_shore_nm"] is None


def test_loitering_needs_two_hours_and_open_water() -> None:
    assert (
        run(
            frame(stay(V, times(T0, T0 + dt.timedelta(minutes=110), 300), *OPEN_SEA)), ["loitering"]
        ).height
        == 0
    )
    # slow for 3 h, 0.5 nm off Uotsuri-shima: in port, as far as we can tell
    harbour = point_at(0.5, 180.0)
    assert run(frame(stay(V, times(T0, T0 + 3 * H, 300), *harbour)), ["loitering"]).height == 0
    offshore = point_at(1.5, 180.0)
    events = run(frame(stay(V, times(T0, T0 + 3 * H, 300), *offshore)), ["loitering"])
    assert events.height == 1
    assert events["zone"][0] == "territorial_sea:senkaku"
    assert json.loads(events["detail"][0])["distance_from_shore_nm"] == pytest.approx(1.5, abs=0.01)


def test_loitering_without_sog_uses_the_implied_speed() -> None:
    at = times(T0, T0 + 3 * H, 300)
    drifting = line(V, at, OPEN_SEA, offset(*OPEN_SEA, 3 * 1852.0, 0), sog=None)  # 1 kn
    events = run(frame(drifting), ["loitering"])
    assert events.height == 1
    detail = json.loads(events["detail"][0])
    assert detail["speed_source"] == {"sog": 0, "implied": len(at)}
    assert detail["median_speed_kn"] == pytest.approx(1.0, abs=0.02)
    sailing = line(V, at, OPEN_SEA, offset(*OPEN_SEA, 9 * 1852.0, 0), sog=None)  # 3 kn
    assert run(frame(sailing), ["loitering"]).height == 0
