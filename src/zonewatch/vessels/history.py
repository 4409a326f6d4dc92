"""The static-data history of each vessel, and its identity as of any time.

Ships rename, change callsign, get an IMO number late, and several vessels
may share a spoofed MMSI. :func:`identity_history` turns the static reports
of the store into *episodes*: per MMSI, maximal time intervals during which
the vessel's identity (name, callsign, IMO, ship type, each the latest
non-null value reported so far) did not change.

Conventions: an episode runs from the first report that gives it
(``valid_from``, inclusive) to the first report that changes it
(``valid_to``, exclusive). The first episode of each MMSI also covers the
time before its first report (``valid_from`` null: AIS sends static data
every six minutes, so positions seen before the first static report of a
capture belong to the same identity), and the last one runs on (``valid_to``
null). Fields are as in :func:`zonewatch.vessels.identity.vessel_identities`
(text stripped of AIS padding; IMO 0 and ship type 0 are null).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pyarrow as pa

from zonewatch.errors import ParameterError
from zonewatch.vessels.identity import clean_statics

__all__ = ["HISTORY_SCHEMA", "identities_as_of", "identity_as_of", "identity_history"]

HISTORY_SCHEMA: dict[str, pl.DataType] = {
    "mmsi": pl.UInt32(),
    "valid_from": pl.Datetime("ms", "UTC"),
    "valid_to": pl.Datetime("ms", "UTC"),
    "name": pl.String(),
    "callsign": pl.String(),
    "imo": pl.UInt32(),
    "ship_type": pl.UInt8(),
}
"""Columns of the frame :func:`identity_history` returns."""

_FIELDS = ("name", "callsign", "imo", "ship_type")


def identity_history(statics: pl.DataFrame | pa.Table) -> pl.DataFrame:
    """Episodes of constant identity per MMSI from a history of static reports.

    Parameters
    ----------
    statics
        Rows with at least ``mmsi, ts, name, callsign, imo, ship_type`` (the
        :data:`zonewatch.schema.STATICS` columns), in any order.

    Returns
    -------
    polars.DataFrame
        Columns of :data:`HISTORY_SCHEMA`, sorted by ``mmsi, valid_from``
        (see the module documentation for the conventions).

    Raises
    ------
    ParameterError
        When a required column is missing.

    Examples
    --------
    >>> t0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    >>> statics = pl.DataFrame({
    ...     "mmsi": [413000001] * 3,
    ...     "ts": [t0, t0 + dt.timedelta(days=1), t0 + dt.timedelta(days=2)],
    ...     "name": ["MIN YU 1", "MIN YU 1", "HAI JING 2502"],
    ...     "callsign": [None, "BXYZ", None], "imo": [None] * 3, "ship_type": [30, None, 55],
    ... })
    >>> identity_history(statics).select("valid_from", "name", "callsign", "ship_type").rows()
    ... # doctest: +NORMALIZE_WHITESPACE
    [(None, 'MIN YU 1', None, 30),
     (datetime.datetime(2024, 3, 2, 0, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC')),
      'MIN YU 1', 'BXYZ', 30),
     (datetime.datetime(2024, 3, 3, 0, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC')),
      'HAI JING 2502', 'BXYZ', 55)]
    """
    rows = (
        clean_statics(statics)
        .with_columns(pl.col("ts").cast(pl.Datetime("ms", "UTC")))
        .with_columns([pl.col(f).forward_fill().over("mmsi") for f in _FIELDS])
    )
    if rows.height == 0:
        return pl.DataFrame(schema=HISTORY_SCHEMA)
    # an episode starts where any field differs from the previous row of the same MMSI
    changed = pl.any_horizontal(
        [pl.col(f).ne_missing(pl.col(f).shift(1)) for f in _FIELDS]
    ) | pl.col("mmsi").ne_missing(pl.col("mmsi").shift(1))
    starts = rows.filter(changed.fill_null(True))
    first = pl.col("mmsi").ne_missing(pl.col("mmsi").shift(1))
    last = pl.col("mmsi").ne_missing(pl.col("mmsi").shift(-1))
    history = starts.with_columns(
        pl.when(first).then(None).otherwise(pl.col("ts")).alias("valid_from"),
        pl.when(last).then(None).otherwise(pl.col("ts").shift(-1)).alias("valid_to"),
    )
    return history.select(
        [pl.col(name).cast(dtype) for name, dtype in HISTORY_SCHEMA.items()]
    ).sort(["mmsi", "valid_from"], nulls_last=False)


def identity_as_of(
    statics: pl.DataFrame | pa.Table, mmsi: int, ts: dt.datetime
) -> dict[str, Any] | None:
    """The identity of one vessel at one time, or None when it never sent static data.

    Parameters
    ----------
    statics
        Static reports (see :func:`identity_history`).
    mmsi
        The vessel.
    ts
        A tz-aware time.

    Returns
    -------
    dict or None
        ``mmsi, valid_from, valid_to, name, callsign, imo, ship_type`` of the
        episode that holds ``ts``.

    Examples
    --------
    >>> t0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    >>> statics = pl.DataFrame({
    ...     "mmsi": [413000001] * 2, "ts": [t0, t0 + dt.timedelta(days=2)],
    ...     "name": ["MIN YU 1", "HAI JING 2502"], "callsign": [None, None],
    ...     "imo": [None, None], "ship_type": [30, 55],
    ... })
    >>> identity_as_of(statics, 413000001, t0 + dt.timedelta(days=1))["name"]
    'MIN YU 1'
    >>> identity_as_of(statics, 413000001, t0 + dt.timedelta(days=3))["name"]
    'HAI JING 2502'
    """
    if ts.tzinfo is None:
        raise ParameterError(f"ts {ts!r} must be tz-aware (UTC)")
    history = identity_history(statics).filter(pl.col("mmsi") == mmsi)
    when = pl.lit(ts).cast(pl.Datetime("ms", "UTC"))
    hit = history.filter(
        (pl.col("valid_from").is_null() | (pl.col("valid_from") <= when))
        & (pl.col("valid_to").is_null() | (pl.col("valid_to") > when))
    )
    return hit.row(0, named=True) if hit.height else None


def identities_as_of(positions: pl.DataFrame, statics: pl.DataFrame | pa.Table) -> pl.DataFrame:
    """Positions with the identity of their vessel as of each position's time (vectorized).

    Parameters
    ----------
    positions
        Rows with at least ``mmsi`` and ``ts``.
    statics
        Static reports (see :func:`identity_history`).

    Returns
    -------
    polars.DataFrame
        ``positions`` (in their order) with ``name, callsign, imo, ship_type``
        added (null for vessels that never sent static data).

    Examples
    --------
    >>> t0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    >>> statics = pl.DataFrame({
    ...     "mmsi": [413000001] * 2, "ts": [t0, t0 + dt.timedelta(days=2)],
    ...     "name": ["MIN YU 1", "HAI JING 2502"], "callsign": [None, None],
    ...     "imo": [None, None], "ship_type": [30, 55],
    ... })
    >>> positions = pl.DataFrame({"mmsi": [413000001] * 3, "ts": [
    ...     t0 - dt.timedelta(hours=1), t0 + dt.timedelta(days=1), t0 + dt.timedelta(days=2)]})
    >>> identities_as_of(positions, statics)["name"].to_list()
    ['MIN YU 1', 'MIN YU 1', 'HAI JING 2502']
    """
    history = identity_history(statics)
    frame = positions.with_row_index("_pos").with_columns(
        pl.col("mmsi").cast(pl.UInt32).alias("_mmsi"),
        pl.col("ts").cast(pl.Datetime("ms", "UTC")).alias("_ts"),
    )
    right = history.select(
        pl.col("mmsi").alias("_mmsi"),
        pl.col("valid_from").fill_null(dt.datetime(1, 1, 1, tzinfo=dt.UTC)).alias("_ts"),
        *_FIELDS,
    ).sort("_ts")
    joined = (
        frame.sort("_ts")
        .join_asof(right, on="_ts", by="_mmsi", strategy="backward", check_sortedness=False)
        .sort("_pos")
    )
    return joined.drop("_pos", "_mmsi", "_ts")
