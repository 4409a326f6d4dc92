"""Tiles of work: an MMSI bucket over a block of time, and the parts each one reads.

A report over a period needs every vessel's positions over the period and a
margin on both sides (so that tracks at its edges are whole). The engine cuts
that window into *blocks* (calendar months, UTC, cut at the window's edges) and
the vessels into *buckets* (a hash of the MMSI); one tile is one bucket over one
block. A tile reads its block plus the margin on both sides (within the
window) and keeps only results that fall inside its block, so that tiles never
count anything twice and the results do not depend on how many buckets there
are. Blocks are fixed in calendar time, so adding a day's data changes only
the tiles whose reads include that day: the others are taken from the cache.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from zonewatch.engine.buckets import STORE_BUCKETS
from zonewatch.engine.fishing import Area
from zonewatch.store import PartFile

__all__ = [
    "EDGE_BLOCK",
    "MIN_SPLIT_ROWS",
    "TILE_ROWS",
    "TileSpec",
    "choose_buckets",
    "month_blocks",
    "plan_tiles",
]

TILE_ROWS = 4_000_000
"""Positions per tile the automatic bucket count aims at (bounds a worker's memory)."""

EDGE_BLOCK = dt.timedelta(days=3)
"""A month's piece at the window's edge shorter than this joins the next block."""

MIN_SPLIT_ROWS = 200_000
"""Below this many positions, buckets are not split for the workers' sake."""


@dataclass(frozen=True)
class TileSpec:
    """One unit of work: the vessels of one bucket over one block of time.

    Attributes
    ----------
    bucket, buckets
        The bucket (``0 .. buckets - 1``) and how many there are.
    start, end
        The block (UTC): the tile reports what falls in ``[start, end)``.
    read_start, read_end
        The positions it reads (UTC): the block with the margin on both sides.
    parts
        The store's Parquet parts that can hold those positions.
    mmsis
        Only these vessels (None: every vessel of the bucket).
    areas
        For the fishing check: only vessels that reach one of these areas
        (see :mod:`zonewatch.engine.fishing`).
    """

    bucket: int
    buckets: int
    start: dt.datetime
    end: dt.datetime
    read_start: dt.datetime
    read_end: dt.datetime
    parts: tuple[PartFile, ...]
    mmsis: tuple[int, ...] | None = None
    areas: tuple[Area, ...] | None = None

    def key_fields(self) -> dict[str, object]:
        """What makes this tile's result: everything but where the parts are stored."""
        return {
            "bucket": self.bucket,
            "buckets": self.buckets,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "read_start": self.read_start.isoformat(),
            "read_end": self.read_end.isoformat(),
            "parts": sorted(
                f"{p.file_id}/{p.day.isoformat()}/{p.path.rsplit('/', 1)[-1]}" for p in self.parts
            ),
            "mmsis": None if self.mmsis is None else list(self.mmsis),
            "areas": None
            if self.areas is None
            else [
                [a.start.isoformat(), a.end.isoformat(), a.min_lon, a.min_lat, a.max_lon, a.max_lat]
                for a in self.areas
            ],
        }

    @property
    def rows_upper(self) -> int:
        """An upper bound on the positions the tile reads (before the bucket filter)."""
        return sum(p.rows for p in self.parts)

    @property
    def rows_share(self) -> float:
        """About how many positions the tile reads: its bucket's share of its parts."""
        return self.rows_upper / self.buckets


def month_blocks(lo: dt.datetime, hi: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """Calendar months (UTC) covering ``[lo, hi)``, the first and last cut at ``lo`` and ``hi``.

    A piece of a month at either edge shorter than :data:`EDGE_BLOCK` (the
    margin before a period that starts on the 1st, say) joins its neighbour:
    a tile over a few hours costs almost as much as one over a month.

    Examples
    --------
    >>> utc = dt.UTC
    >>> def days(blocks):
    ...     return [(a.date().isoformat(), b.date().isoformat()) for a, b in blocks]
    >>> days(month_blocks(dt.datetime(2024, 1, 20, tzinfo=utc),
    ...                   dt.datetime(2024, 3, 9, tzinfo=utc)))
    [('2024-01-20', '2024-02-01'), ('2024-02-01', '2024-03-01'), ('2024-03-01', '2024-03-09')]
    >>> days(month_blocks(dt.datetime(2023, 12, 31, 9, tzinfo=utc),
    ...                   dt.datetime(2024, 3, 1, 6, tzinfo=utc)))
    [('2023-12-31', '2024-02-01'), ('2024-02-01', '2024-03-01')]
    """
    out = []
    cursor = lo
    while cursor < hi:
        year, month = cursor.year + cursor.month // 12, cursor.month % 12 + 1
        nxt = dt.datetime(year, month, 1, tzinfo=dt.UTC)
        out.append((cursor, min(nxt, hi)))
        cursor = min(nxt, hi)
    if len(out) > 1 and out[0][1] - out[0][0] < EDGE_BLOCK:
        out[:2] = [(out[0][0], out[1][1])]
    if len(out) > 1 and out[-1][1] - out[-1][0] < EDGE_BLOCK:
        out[-2:] = [(out[-2][0], out[-1][1])]
    return out


def choose_buckets(rows: int, blocks: int, workers: int) -> int:
    """A bucket count that keeps tiles near :data:`TILE_ROWS` and every worker busy.

    Powers of two up to :data:`STORE_BUCKETS` read exactly their own row
    groups; larger counts are multiples of it.

    Examples
    --------
    >>> choose_buckets(100_000_000, 13, 2), choose_buckets(1_000_000, 2, 1)
    (2, 1)
    >>> choose_buckets(1_000_000, 2, 2)  # two workers: two tiles each
    2
    """
    per_block = rows / max(blocks, 1)
    wanted = max(1, math.ceil(per_block / TILE_ROWS))
    if workers > 1 and rows >= MIN_SPLIT_ROWS:
        # blocks at the window's edges are short: aim at two tiles per worker
        wanted = max(wanted, math.ceil(2 * workers / max(blocks, 1)))
    n = 1
    while n < wanted:
        n *= 2
    return n if n <= STORE_BUCKETS else STORE_BUCKETS * math.ceil(n / STORE_BUCKETS)


def plan_tiles(
    parts: tuple[PartFile, ...],
    lo: dt.datetime,
    hi: dt.datetime,
    margin: dt.timedelta,
    buckets: int,
) -> list[TileSpec]:
    """Tiles covering the window ``[lo, hi)``: every bucket over every month block.

    Parameters
    ----------
    parts
        The store's parts over the window.
    lo, hi
        The window (UTC), margins included.
    margin
        How much each tile reads beyond its block on both sides (within the window).
    buckets
        How many MMSI buckets.

    Returns
    -------
    list of TileSpec
        Block by block, bucket by bucket.
    """
    tiles = []
    for start, end in month_blocks(lo, hi):
        read_start = max(start - margin, lo)
        read_end = min(end + margin, hi)
        first, last = read_start.date(), (read_end - dt.timedelta(microseconds=1)).date()
        reading = tuple(p for p in parts if first <= p.day <= last)
        for bucket in range(buckets):
            tiles.append(TileSpec(bucket, buckets, start, end, read_start, read_end, reading))
    return tiles
