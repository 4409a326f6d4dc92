"""Encounters, shadowing and fishing approaches on hand-built tracks with exact expectations."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import polars as pl
import pytest
from event_builders import OPEN_SEA, T0, frame, line, offset, run, stay, times

from scenario import point_at
from zonewatch.events.detect import EventParams
from zonewatch.events.encounters import ENCOUNTER_PRESETS
from zonewatch.events.shore import Shore

A, B, C = 412000001, 412000002, 412000003
FIVE = dt.timedelta(minutes=5)


def meeting(
    arrive: dt.datetime,
    leave: dt.datetime,
    *,
    where: tuple[float, float] = OPEN_SEA,
    separation_m: float = 200.0,
    bearing_deg: float = 90.0,
    fix_s: float = 180.0,
    b_fix_s: float = 150.0,
    approach_kn: float = 10.0,
) -> pl.DataFrame:
    """A waits at ``where``; B comes from 6 nm away at 10 kn, stays near A, and leaves."""
    a_rows = stay(
        A,
        times(arrive - dt.timedelta(hours=2), leave + dt.timedelta(hours=2), fix_s),
        *where,
        sog=0.2,
    )
    b_lon, b_lat = offset(
        *where,
        separation_m * np.sin(np.radians(bearing_deg)),
        separation_m * np.cos(np.radians(bearing_deg)),
    )
    far = offset(b_lon, b_lat, 0.0, -6 * 1852.0)
    away = offset(b_lon, b_lat, 0.0, 6 * 1852.0)
    travel = dt.timedelta(hours=6 / approach_kn)
    inbound = line(
        B, [*times(arrive - travel, arrive, b_fix_s), arrive], far, (b_lon, b_lat), sog=approach_kn
    )
    inbound[-1] = (B, arrive, b_lon, b_lat, 0.3)
    during = stay(B, [*times(arrive, leave, b_fix_s)[1:], leave], b_lon, b_lat, sog=0.3)
    outbound = line(
        B,
        [leave, *times(leave, leave + travel, b_fix_s)[1:]],
        (b_lon, b_lat),
        away,
        sog=approach_kn,
    )[1:]

    return frame(sorted(set(a_rows + inbound + during + outbound), key=lambda r: (r[0], r[1])))


def test_two_vessels_stopped_together_are_one_encounter() -> None:
    arrive = T0 + dt.timedelta(hours=10)
    leave = arrive + dt.timedelta(hours=3)
    events = run(meeting(arrive, leave), ["encounter"])
    assert events.height == 1
    ev = events.row(0, named=True)
    assert (ev["kind"], ev["mmsi"], ev["other_mmsi"]) == ("encounter", A, B)
    assert ev["start"] == arrive
    assert ev["end"] == leave
    assert ev["event_id"] == f"encounter-{A}-{B}-20240301T100000000Z"
    detail = json.loads(ev["detail"])
    assert detail["duration_h"] == 3.0
    assert detail["n_steps"] == 37
    assert detail["min_separation_m"] == pytest.approx(200.0, abs=1.0)
    assert detail["median_speed_kn"] == pytest.approx(0.2, abs=1e-6)
    assert detail["other_median_speed_kn"] == pytest.approx(0.3, abs=1e-6)
    assert detail["distance_from_shore_km"] is None  # farther than the search radius


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_randomised_meetings_give_exact_encounters(seed: int) -> None:
    rng = np.random.default_rng(seed)
    arrive = T0 + FIVE * int(rng.integers(0, 2000))
    leave = arrive + FIVE * int(rng.integers(25, 80))  # 2 h 5 min .. 6 h 35 min
    where = (OPEN_SEA[0] + rng.uniform(-1, 1), OPEN_SEA[1] + rng.uniform(-1, 1))
    positions = meeting(
        arrive,
        leave,
        where=where,
        separation_m=float(rng.uniform(20, 450)),
        bearing_deg=float(rng.uniform(0, 360)),
        fix_s=float(rng.integers(60, 300)),
        b_fix_s=float(rng.integers(60, 300)),
    )
    events = run(positions, ["encounter"])
    assert events.select("mmsi", "other_mmsi", "start", "end").rows() == [(A, B, arrive, leave)]


@pytest.mark.parametrize(
    ("arrive", "label"),
    [
        (dt.datetime(2024, 3, 1, 22, 30, tzinfo=dt.UTC), "midnight UTC"),
        (dt.datetime(2024, 3, 1, 13, 30, tzinfo=dt.UTC), "midnight in Tokyo (15:00 UTC)"),
    ],
)
def test_an_encounter_across_midnight_is_not_split(arrive: dt.datetime, label: str) -> None:
    leave = arrive + dt.timedelta(hours=3)
    events = run(meeting(arrive, leave), ["encounter"])
    assert events.select("start", "end").rows() == [(arrive, leave)], label


def test_vessels_passing_at_speed_are_no_encounter() -> None:
    at = times(T0, T0 + dt.timedelta(hours=4), 60)
    west, east = offset(*OPEN_SEA, -25_000, 0), offset(*OPEN_SEA, 25_000, 0)
    south, north = offset(*OPEN_SEA, 100, -25_000), offset(*OPEN_SEA, 100, 25_000)

    crossing = frame(line(A, at, west, east, sog=12.0) + line(B, at, south, north, sog=12.0))
    assert run(crossing, ["encounter"]).height == 0
    # side by side, 300 m apart, at 12 kn for 4 h: close, but not slow
    beside = frame(
        line(A, at, west, east, sog=12.0)
        + line(B, at, offset(*west, 0, 300), offset(*east, 0, 300), sog=12.0)
    )
    assert run(beside, ["encounter"]).height == 0
    # ... and without reported SOG the implied speed says the same
    no_sog = beside.with_columns(pl.lit(None, dtype=pl.Float32).alias("sog"))
    assert run(no_sog, ["encounter"]).height == 0


def test_too_short_or_near_shore_is_no_encounter() -> None:
    arrive = T0 + dt.timedelta(hours=10)
    assert run(meeting(arrive, arrive + dt.timedelta(minutes=110)), ["encounter"]).height == 0
    # 3 nm off Uotsuri-shima: closer than 10 km to shore
    near = point_at(3.0, 200.0)
    assert (
        run(meeting(arrive, arrive + dt.timedelta(hours=3), where=near), ["encounter"]).height == 0
    )
    assert (
        run(
            meeting(arrive, arrive + dt.timedelta(hours=3), where=point_at(8.0, 200.0)),
            ["encounter"],
        ).height
        == 1
    )


def test_skylight_preset_is_lighter() -> None:
    arrive = T0 + dt.timedelta(hours=10)
    short = meeting(arrive, arrive + dt.timedelta(minutes=40), separation_m=150)
    assert run(short, ["encounter"]).height == 0
    sky = EventParams(encounter=ENCOUNTER_PRESETS["skylight"])
    events = run(short, ["encounter"], params=sky)
    assert events.select("start", "end").rows() == [(arrive, arrive + dt.timedelta(minutes=40))]
    assert json.loads(events["detail"][0])["preset"] == "skylight"
    far = meeting(arrive, arrive + dt.timedelta(hours=3), separation_m=400)
    assert run(far, ["encounter"], params=sky).height == 0
    assert run(far, ["encounter"]).height == 1


def test_shadowing_names_the_fleet_vessel_and_its_shadow() -> None:
    at = times(T0, T0 + dt.timedelta(hours=3), 120)
    start, end = OPEN_SEA, offset(*OPEN_SEA, 30 * 1852.0, 0)
    rows = line(A, at, start, end, sog=10.0)
    # B, 1.5 nm to the north, from the start of hour 1 to the end of hour 2
    shadow_at = [t for t in at if T0 + dt.timedelta(hours=1) <= t <= T0 + dt.timedelta(hours=2)]
    b_start = offset(*start, 10 * 1852.0, 1.5 * 1852.0)
    b_end = offset(*start, 20 * 1852.0, 1.5 * 1852.0)
    rows += line(B, shadow_at, b_start, b_end, sog=10.0)
    # C, another fleet vessel, in formation 0.5 nm to the south all along
    rows += line(C, at, offset(*start, 0, -926.0), offset(*end, 0, -926.0), sog=10.0)

    events = run(frame(rows), ["shadowing"], fleet=[A, C])
    assert events.select("mmsi", "other_mmsi", "start", "end").rows() == [
        (A, B, T0 + dt.timedelta(hours=1), T0 + dt.timedelta(hours=2))
    ]
    detail = json.loads(events["detail"][0])
    assert detail["min_separation_nm"] == pytest.approx(1.5, abs=0.03)  # spherical distance
    assert run(frame(rows), ["shadowing"], fleet=[]).height == 0


def test_fishing_approach_only_inside_the_territorial_sea() -> None:
    at = times(T0, T0 + dt.timedelta(hours=2), 60)
    inside = point_at(8.0, 250.0)
    boat = stay(C, at, *inside, sog=1.0)
    # the fleet vessel passes 0.4 nm north of the boat, moving east at 6 kn
    ship = line(
        A,
        at,
        offset(*inside, -6 * 1852.0, 0.4 * 1852),
        offset(*inside, 6 * 1852.0, 0.4 * 1852),
        sog=6.0,
    )

    events = run(frame(boat + ship), ["fishing_approach"], fleet=[A], fishing=[C])
    assert events.height == 1
    ev = events.row(0, named=True)
    assert (ev["mmsi"], ev["other_mmsi"], ev["zone"]) == (A, C, "territorial_sea:senkaku")
    # within 1 nm while |x| <= sqrt(1 - 0.4^2) nm, at 6 kn: about 18.3 minutes around 01:00
    half = np.sqrt(1 - 0.4**2) / 6 * 60
    assert abs((ev["start"] - (T0 + dt.timedelta(hours=1, minutes=-half))).total_seconds()) <= 60
    assert abs((ev["end"] - (T0 + dt.timedelta(hours=1, minutes=half))).total_seconds()) <= 60
    assert json.loads(ev["detail"])["min_separation_nm"] == pytest.approx(0.4, abs=0.01)
    # the same encounter 30 nm out is no approach in the territorial sea
    outside = point_at(30.0, 250.0)
    boat = stay(C, at, *outside, sog=1.0)
    ship = line(
        A,
        at,
        offset(*outside, -6 * 1852.0, 0.4 * 1852),
        offset(*outside, 6 * 1852.0, 0.4 * 1852),
        sog=6.0,
    )
    assert run(frame(boat + ship), ["fishing_approach"], fleet=[A], fishing=[C]).height == 0


def test_features_only_shore_is_used_for_the_anchorage_rule() -> None:
    shore = Shore(zone_set=None)
    arrive = T0 + dt.timedelta(hours=10)
    near = point_at(3.0, 200.0)
    # with no land at all, 3 nm off the islands is "far from shore"
    events = run(
        meeting(arrive, arrive + dt.timedelta(hours=3), where=near), ["encounter"], shore=shore
    )
    assert events.height == 1
