"""Narrowing the fishing check: hour boxes find every vessel that the leg test finds."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from zonewatch.engine.fishing import (
    BOX_SCHEMA,
    Area,
    boxes_near,
    hour_boxes,
    incident_areas,
    near_area,
)

T0 = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)


def _fixes(seed: int, vessels: int, n: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    mmsi = np.sort(rng.integers(1, vessels + 1, n)).astype(np.uint32)
    ts = np.zeros(n, dtype=np.int64)
    for v in np.unique(mmsi):
        sel = mmsi == v
        ts[sel] = np.cumsum(rng.integers(0, 4 * 3_600_000, sel.sum()))
    frame = pl.DataFrame(
        {
            "mmsi": mmsi,
            "ts": pl.Series(ts + int(T0.timestamp() * 1000)).cast(pl.Datetime("ms", "UTC")),
            "lon": 123.0 + rng.uniform(-1, 1, n),
            "lat": 25.0 + rng.uniform(-1, 1, n),
        }
    )
    return frame.sort("mmsi", "ts")


@settings(max_examples=80, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(0, 72),
    st.integers(1, 30),
    st.floats(-1, 1),
    st.floats(-1, 1),
    st.floats(0.01, 0.5),
)
def test_hour_boxes_find_a_superset_of_the_leg_test(
    seed: int, start_h: int, hours: int, lon: float, lat: float, half: float
) -> None:
    fixes = _fixes(seed, 6, 120)
    start = T0 + dt.timedelta(hours=start_h, minutes=seed % 60)
    area = Area(
        start,
        start + dt.timedelta(hours=hours),
        123 + lon - half,
        25 + lat - half,
        123 + lon + half,
        25 + lat + half,
    )
    exact = set(near_area(fixes, area, 6.0).to_list())
    boxed = set(boxes_near(hour_boxes(fixes, 6.0), [area]).to_list())
    assert exact <= boxed


def _hour_boxes_by_group_by(fixes: pl.DataFrame, max_gap_h: float) -> pl.DataFrame:
    """The hour boxes written plainly: every leg exploded over its hours, then grouped."""
    gap_ms = int(max_gap_h * 3_600_000)
    same = (pl.col("mmsi").shift(-1) == pl.col("mmsi")) & (
        (pl.col("ts").shift(-1) - pl.col("ts")).dt.total_milliseconds() <= gap_ms
    )

    def nxt(c: str) -> pl.Expr:
        return pl.when(same).then(pl.col(c).shift(-1)).otherwise(pl.col(c))

    legs = fixes.select(
        "mmsi",
        pl.min_horizontal("lon", nxt("lon")).alias("lo_lon"),
        pl.min_horizontal("lat", nxt("lat")).alias("lo_lat"),
        pl.max_horizontal("lon", nxt("lon")).alias("hi_lon"),
        pl.max_horizontal("lat", nxt("lat")).alias("hi_lat"),
        ((pl.col("lon") - nxt("lon")).abs() >= 180.0).alias("wraps"),
        pl.datetime_ranges(pl.col("ts").dt.truncate("1h"), nxt("ts").dt.truncate("1h"), "1h").alias(
            "hour"
        ),
    ).explode("hour")
    return (
        legs.group_by("mmsi", "hour")
        .agg(
            pl.col("lo_lon").min(),
            pl.col("lo_lat").min(),
            pl.col("hi_lon").max(),
            pl.col("hi_lat").max(),
            pl.col("wraps").any(),
        )
        .select(list(BOX_SCHEMA))
        .cast(BOX_SCHEMA)  # type: ignore[arg-type]
        .sort("mmsi", "hour")
    )


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 8), st.integers(1, 200), st.floats(0.5, 8.0))
def test_hour_boxes_equal_the_grouped_legs(seed: int, vessels: int, n: int, gap_h: float) -> None:
    fixes = _fixes(seed, vessels, n)
    if seed % 3 == 0:  # a vessel across the antimeridian
        fixes = fixes.with_columns(
            pl.when(pl.col("mmsi") == pl.col("mmsi").min())
            .then(pl.when(pl.col("lon") > 123.0).then(179.9).otherwise(-179.9))
            .otherwise(pl.col("lon"))
            .alias("lon")
        )
    got = hour_boxes(fixes, gap_h)
    assert got.schema == pl.Schema(BOX_SCHEMA)
    assert got.equals(_hour_boxes_by_group_by(fixes, gap_h))


def test_a_leg_through_the_area_counts_even_with_both_ends_outside() -> None:
    fixes = pl.DataFrame(
        {
            "mmsi": pl.Series([7, 7], dtype=pl.UInt32),
            "ts": [T0, T0 + dt.timedelta(hours=2)],
            "lon": [122.0, 124.0],
            "lat": [25.0, 25.0],
        }
    ).with_columns(pl.col("ts").cast(pl.Datetime("ms", "UTC")))
    area = Area(T0, T0 + dt.timedelta(hours=2), 122.9, 24.9, 123.1, 25.1)
    assert near_area(fixes, area, 6.0).to_list() == [7]
    assert boxes_near(hour_boxes(fixes, 6.0), [area]).to_list() == [7]
    # across a gap longer than the segment gap the leg is not interpolated: only its ends count
    assert near_area(fixes, area, 1.0).to_list() == []


def test_incident_area_is_the_box_of_the_fleet_fixes_widened() -> None:
    fleet = pl.DataFrame(
        {
            "mmsi": pl.Series([1, 1, 2], dtype=pl.UInt32),
            "ts": [T0, T0 + dt.timedelta(hours=1), T0 + dt.timedelta(days=3)],
            "lon": [123.0, 123.2, 130.0],
            "lat": [25.5, 25.6, 30.0],
        }
    ).with_columns(pl.col("ts").cast(pl.Datetime("ms", "UTC")))
    areas = incident_areas([(T0, T0 + dt.timedelta(hours=1), (1, 2)), (T0, T0, (3,))], fleet, 1.0)
    first = areas[0]
    assert first is not None
    assert first.min_lat < 25.5 - 1 / 60 < first.min_lat + 0.001
    assert first.max_lon > 123.2 + 1 / 60  # widened more in longitude than in latitude
    assert first.max_lon < 131  # vessel 2 was far away three days later: not in the box
    assert areas[1] is None
