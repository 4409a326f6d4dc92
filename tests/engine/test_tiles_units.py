"""Buckets, blocks, and the clipping and stitching of presence intervals across blocks."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from zonewatch.engine.buckets import (
    STORE_BUCKETS,
    bucket_expr,
    bucket_of,
    mmsi_hash,
    store_buckets_for,
)
from zonewatch.engine.plan import EDGE_BLOCK, choose_buckets, month_blocks
from zonewatch.engine.stitch import stitch_pieces
from zonewatch.engine.tiles import clip_pieces, sort_by_vessel_time
from zonewatch.events.presence import INTERVAL_SCHEMA

UTC = dt.UTC
T0 = dt.datetime(2024, 1, 1, tzinfo=UTC)


@given(
    st.lists(st.integers(0, 999_999_999), min_size=1, max_size=200),
    st.integers(1, 70),
)
def test_bucket_of_matches_the_polars_expression_and_the_store_buckets(
    mmsis: list[int], buckets: int
) -> None:
    got = bucket_of(mmsis, buckets)
    assert got.max() < buckets
    frame = pl.DataFrame({"mmsi": pl.Series(mmsis, dtype=pl.UInt32)})
    assert frame.select(bucket_expr(buckets))["mmsi"].to_list() == got.tolist()
    store = mmsi_hash(mmsis) % STORE_BUCKETS
    for s, b in zip(store.tolist(), got.tolist(), strict=True):
        assert s in store_buckets_for(b, buckets)  # a vessel's row group is always read


def test_store_buckets_are_exact_for_divisors() -> None:
    for n in (1, 2, 4, 8, 16):
        covered = sorted(s for b in range(n) for s in store_buckets_for(b, n))
        assert covered == list(range(STORE_BUCKETS))  # each row group read by one bucket


def test_buckets_spread_evenly() -> None:
    mmsis = np.arange(412_000_000, 412_100_000)
    counts = np.bincount(bucket_of(mmsis, 16), minlength=16)
    assert counts.min() > 0.9 * len(mmsis) / 16


@given(st.integers(0, 800), st.integers(1, 900))
def test_month_blocks_tile_the_window(offset_h: int, length_h: int) -> None:
    lo = T0 + dt.timedelta(hours=offset_h * 7)
    hi = lo + dt.timedelta(hours=length_h * 5)
    blocks = month_blocks(lo, hi)
    assert blocks[0][0] == lo
    assert blocks[-1][1] == hi
    for (_, b_end), (b_start, _) in itertools.pairwise(blocks):
        assert b_end == b_start
        assert b_start.day == 1
        assert b_start.hour == 0
    if len(blocks) > 1:  # short pieces at the edges joined their neighbours
        assert blocks[0][1] - blocks[0][0] >= EDGE_BLOCK
        assert blocks[-1][1] - blocks[-1][0] >= EDGE_BLOCK
    else:  # one block only when no month boundary leaves long enough pieces on both sides
        firsts = [b for _, b in month_blocks_unmerged(lo, hi)[:-1]]
        assert not any(lo + EDGE_BLOCK <= f <= hi - EDGE_BLOCK for f in firsts)


def month_blocks_unmerged(
    lo: dt.datetime, hi: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    out, cursor = [], lo
    while cursor < hi:
        nxt = dt.datetime(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1, tzinfo=dt.UTC)
        out.append((cursor, min(nxt, hi)))
        cursor = min(nxt, hi)
    return out


def test_choose_buckets_bounds_tile_size() -> None:
    assert choose_buckets(1_000, 12, 2) == 1
    assert choose_buckets(100_000_000, 13, 2) == 2
    assert choose_buckets(100_000_000, 1, 2) == 32  # 100M in one month: 3.1M per tile
    assert choose_buckets(1_000_000, 1, 4) == 8  # one block, four workers: two tiles each
    assert choose_buckets(1_000_000, 2, 1) == 1  # one worker: no need to split
    assert choose_buckets(10, 1, 4) == 1  # too small to split


def _intervals(rows: list[tuple[int, int, int, float]]) -> pl.DataFrame:
    """Intervals of one vessel in one zone from (start_h, end_h, entered/exited bits, min_d)."""
    data = []
    for start_h, end_h, flags, min_d in rows:
        data.append(
            {
                "mmsi": 1,
                "zone": "territorial_sea",
                "start": T0 + dt.timedelta(hours=start_h),
                "end": T0 + dt.timedelta(hours=end_h),
                "min_distance_nm": min_d,
                "lon": 123.0 + min_d,
                "lat": 25.0,
                "entered": bool(flags & 1),
                "exited": bool(flags & 2),
                "start_lon": float(start_h),
                "start_lat": 0.0,
                "end_lon": float(end_h),
                "end_lat": 0.0,
            }
        )
    return pl.DataFrame(data, schema=INTERVAL_SCHEMA)


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(st.integers(0, 2000), st.integers(0, 300), st.integers(0, 3), st.floats(0, 12)),
        min_size=1,
        max_size=12,
    ),
    st.lists(st.integers(1, 2300), max_size=6, unique=True),
)
def test_clipping_at_block_edges_and_stitching_gives_the_intervals_back(
    spans: list[tuple[int, int, int, float]], cuts: list[int]
) -> None:
    # disjoint intervals (as a tile produces for one vessel and zone), gaps of >= 1 h
    rows, cursor = [], 0
    for gap, length, flags, min_d in spans:
        start = cursor + gap + 1
        rows.append((start, start + length, flags, min_d))
        cursor = start + length
    intervals = _intervals(rows)
    edges = [0, *sorted(c for c in cuts if c < cursor + 10), cursor + 10]
    pieces = pl.concat(
        [
            clip_pieces(
                intervals,
                T0 + dt.timedelta(hours=a),
                T0 + dt.timedelta(hours=b),
            )
            for a, b in itertools.pairwise(edges)
        ]
    )
    assert stitch_pieces(pieces).to_dicts() == intervals.sort("zone", "mmsi", "start").to_dicts()


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 60 * 86_400_000)), min_size=0, max_size=60)
)
def test_sort_by_vessel_time_is_the_stable_two_column_sort(rows: list[tuple[int, int]]) -> None:
    frame = pl.DataFrame(
        {
            "mmsi": pl.Series([412_000_000 + m for m, _ in rows], dtype=pl.UInt32),
            "ts": pl.Series([int(T0.timestamp()) * 1000 + t for _, t in rows], dtype=pl.Int64).cast(
                pl.Datetime("ms", "UTC")
            ),
            "n": list(range(len(rows))),
        },
        schema={"mmsi": pl.UInt32, "ts": pl.Datetime("ms", "UTC"), "n": pl.Int64},
    )
    want = frame.sort("mmsi", "ts", maintain_order=True)
    assert sort_by_vessel_time(frame).equals(want)
