import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonewatch.tracks import TrackParams, clean_tracks

T0 = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)


def frame(rows: list[tuple[int, float, float, float]]) -> pl.DataFrame:
    """Rows of (mmsi, minutes after T0, lon, lat)."""
    return pl.DataFrame(
        {
            "mmsi": [r[0] for r in rows],
            "ts": [T0 + dt.timedelta(minutes=r[1]) for r in rows],
            "lon": [r[2] for r in rows],
            "lat": [r[3] for r in rows],
        },
        schema={
            "mmsi": pl.UInt32,
            "ts": pl.Datetime("ms", "UTC"),
            "lon": pl.Float64,
            "lat": pl.Float64,
        },
    )


def test_same_report_from_two_receivers_counts_once() -> None:
    rows = [
        (1, 0, 123.0, 25.0),
        (1, 0, 123.0, 25.0),
        (1, 10, 123.05, 25.0),
        (1, 10 + 1 / 60, 123.05, 25.0),
    ]
    tracks = clean_tracks(frame(rows))
    assert tracks.fixes.height == 2
    assert tracks.dropped["reason"].to_list() == ["duplicate", "duplicate"]


def test_spoofed_fix_far_from_both_neighbours_is_dropped() -> None:
    rows = [(1, i * 10, 123.0 + 0.02 * i, 25.0) for i in range(6)]
    rows[3] = (1, 30, 118.0, 20.0)  # hundreds of km away
    tracks = clean_tracks(frame(rows))
    assert tracks.fixes.height == 5
    dropped = tracks.dropped.row(0, named=True)
    assert dropped["reason"] == "impossible_speed"
    assert dropped["lon"] == 118.0
    assert dropped["implied_speed_kn"] > 1000


def test_spoofed_last_fix_is_dropped_but_two_lone_fixes_are_kept() -> None:
    rows = [(1, 0, 123.0, 25.0), (1, 10, 123.02, 25.0), (1, 20, 130.0, 25.0)]
    assert clean_tracks(frame(rows)).dropped["lon"].to_list() == [130.0]
    # two fixes alone: no telling which is wrong
    rows = [(2, 0, 123.0, 25.0), (2, 10, 130.0, 25.0)]
    assert clean_tracks(frame(rows)).fixes.height == 2


def test_segments_split_at_gaps_longer_than_max_gap() -> None:
    rows = [
        (1, 0, 123.0, 25.0),
        (1, 60, 123.1, 25.0),
        (1, 60 + 6 * 60, 123.2, 25.0),
        (1, 60 + 6 * 60 + 361, 123.3, 25.0),
    ]
    rows.append((2, 0, 124.0, 25.0))
    fixes = clean_tracks(frame(rows)).fixes
    assert fixes.filter(pl.col("mmsi") == 1)["segment"].to_list() == [0, 0, 0, 1]
    assert fixes.filter(pl.col("mmsi") == 2)["segment"].to_list() == [0]


def test_on_land_fixes_are_dropped_with_reason() -> None:
    rows = [(1, i * 10, 123.0 + 0.01 * i, 25.0) for i in range(4)]
    tracks = clean_tracks(frame(rows), on_land=lambda lon, lat: lon > 123.025)
    assert tracks.fixes.height == 3
    assert tracks.dropped["reason"].to_list() == ["on_land"]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 3),
            st.floats(0, 5000),
            st.floats(120, 126),
            st.floats(22, 28),
        ),
        max_size=60,
    )
)
def test_every_fix_is_kept_or_dropped_and_kept_fixes_are_plausible(
    rows: list[tuple[int, float, float, float]],
) -> None:
    params = TrackParams()
    tracks = clean_tracks(frame(rows), params)
    assert tracks.fixes.height + tracks.dropped.height == len(rows)
    fixes = tracks.fixes
    assert fixes.select(pl.struct("mmsi", "ts").is_sorted()).item() or fixes.height < 2
    # segments never span a gap longer than max_gap_h
    gaps = fixes.with_columns(
        ((pl.col("ts") - pl.col("ts").shift(1)).dt.total_seconds() / 3600)
        .over("mmsi")
        .alias("gap_h"),
        (pl.col("segment") == pl.col("segment").shift(1)).over("mmsi").alias("same"),
    ).filter(pl.col("same"))
    assert (gaps["gap_h"] <= params.max_gap_h).all()


@pytest.mark.parametrize("speed_kn", [10.0, 45.0])
def test_fast_but_possible_ships_are_kept(speed_kn: float) -> None:
    step_deg = speed_kn * (10 / 60) / 60  # 10 minutes along a meridian
    rows = [(1, i * 10, 123.0, 25.0 + step_deg * i) for i in range(10)]
    assert clean_tracks(frame(rows)).dropped.height == 0
