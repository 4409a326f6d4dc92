"""MMSI buckets: which vessels a task of the engine handles.

Every vessel belongs to one bucket of N for any N, by a fixed hash of its
MMSI, so the per-vessel stages of the pipeline can run bucket by bucket (in
bounded memory, in parallel, on a cluster) and give the same results as one
run over everything. The store writes each day's positions as one Parquet row
group per *store bucket* (:data:`STORE_BUCKETS` of them), so a task reads only
the row groups that can hold its vessels: exactly its own when N divides
:data:`STORE_BUCKETS`, a few more otherwise.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import polars as pl

__all__ = [
    "STORE_BUCKETS",
    "bucket_expr",
    "bucket_of",
    "mmsi_hash",
    "store_buckets_for",
]

STORE_BUCKETS = 16
"""Row groups per day part of the store: positions hashed by MMSI."""

_MULTIPLIER = 2654435761  # Knuth's multiplicative hash (2^32 / golden ratio)


def mmsi_hash(mmsi: npt.ArrayLike) -> npt.NDArray[np.uint32]:
    """A 16-bit hash of each MMSI (stable across runs, machines and versions).

    Examples
    --------
    >>> mmsi_hash([413000001, 413000002]).tolist()
    [10135, 50638]
    """
    m = np.asarray(mmsi).astype(np.uint64)
    return ((m * np.uint64(_MULTIPLIER)) & np.uint64(0xFFFFFFFF)).astype(np.uint32) >> np.uint32(16)


def bucket_of(mmsi: npt.ArrayLike, buckets: int) -> npt.NDArray[np.uint32]:
    """The bucket (``0 .. buckets - 1``) of each MMSI.

    Examples
    --------
    >>> bucket_of([413000001, 413000002], 16).tolist()
    [7, 14]
    """
    if buckets < 1:
        raise ValueError(f"the number of buckets must be at least 1, not {buckets}")
    return mmsi_hash(mmsi) % np.uint32(buckets)


def bucket_expr(buckets: int, column: str = "mmsi") -> pl.Expr:
    """The same bucket as :func:`bucket_of`, as a Polars expression."""
    hashed = (pl.col(column).cast(pl.UInt64) * _MULTIPLIER) % (1 << 32) // (1 << 16)
    return (hashed % buckets).cast(pl.UInt32)


def store_buckets_for(bucket: int, buckets: int) -> tuple[int, ...]:
    """The store buckets (row groups) that can hold vessels of ``bucket`` of ``buckets``.

    A hash ``h`` is in store bucket ``h % S`` and engine bucket ``h % N``; both
    are possible together exactly when they agree modulo ``gcd(S, N)``.

    Examples
    --------
    >>> store_buckets_for(3, 16), store_buckets_for(1, 4)
    ((3,), (1, 5, 9, 13))
    >>> len(store_buckets_for(0, 3))  # 3 does not divide 16: every row group
    16
    """
    if not 0 <= bucket < buckets:
        raise ValueError(f"bucket {bucket} is not in 0 .. {buckets - 1}")
    g = math.gcd(STORE_BUCKETS, buckets)
    return tuple(s for s in range(STORE_BUCKETS) if s % g == bucket % g)
