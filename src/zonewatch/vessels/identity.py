"""One identity per vessel from its history of static reports.

Static data arrive piecemeal: AIS type 5 (class A) carries name, callsign, IMO
and ship type together; type 24 (class B) sends the name in part A and the
callsign and ship type in part B, as separate messages; type 19 carries name
and type. :func:`vessel_identities` takes, per MMSI and per field, the latest
non-null value, which pairs parts A and B without matching messages one to
one, and keeps every distinct name and callsign seen (ships rename, and
several vessels may share a spoofed MMSI).
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa

from zonewatch.errors import ParameterError
from zonewatch.vessels.mmsi import flags_of

__all__ = ["IDENTITY_SCHEMA", "clean_statics", "vessel_identities"]

IDENTITY_SCHEMA: dict[str, pl.DataType] = {
    "mmsi": pl.UInt32(),
    "name": pl.String(),
    "callsign": pl.String(),
    "imo": pl.UInt32(),
    "ship_type": pl.UInt8(),
    "names": pl.List(pl.String()),
    "callsigns": pl.List(pl.String()),
    "flag": pl.String(),
}
"""Columns and types of the frame :func:`vessel_identities` returns."""

_REQUIRED = ("mmsi", "ts", "name", "callsign", "imo", "ship_type")


def _clean_text(column: str) -> pl.Expr:
    """Strip AIS padding (``@`` and spaces) from both ends; empty text becomes null."""
    text = pl.col(column).cast(pl.String).str.strip_chars(" @\t\r\n")
    return pl.when(text.str.len_chars() > 0).then(text).otherwise(None).alias(column)


def clean_statics(statics: pl.DataFrame | pa.Table) -> pl.DataFrame:
    """Static reports with text trimmed, "not available" IMO/ship type as null, in history order.

    Returns ``mmsi, ts, name, callsign, imo, ship_type, _row`` sorted by MMSI, then time
    (null times first), then input order; rows without an MMSI are left out.

    Raises
    ------
    ParameterError
        If a required column is missing.
    """
    frame = statics if isinstance(statics, pl.DataFrame) else pl.DataFrame(pl.from_arrow(statics))
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise ParameterError(
            f"statics lack the column(s) {', '.join(missing)}; "
            f"found {', '.join(frame.columns) or 'no columns'}"
        )
    return (
        frame.select(
            pl.col("mmsi").cast(pl.UInt32),
            pl.col("ts"),
            _clean_text("name"),
            _clean_text("callsign"),
            pl.col("imo").cast(pl.UInt32),
            pl.col("ship_type").cast(pl.UInt8),
        )
        .with_columns(
            pl.when(pl.col("imo") > 0).then(pl.col("imo")).otherwise(None).alias("imo"),
            pl.when(pl.col("ship_type") > 0)
            .then(pl.col("ship_type"))
            .otherwise(None)
            .alias("ship_type"),
        )
        .with_row_index("_row")
        .filter(pl.col("mmsi").is_not_null())
        .sort(["mmsi", "ts", "_row"], nulls_last=False)
    )


def vessel_identities(statics: pl.DataFrame | pa.Table) -> pl.DataFrame:
    """Reduce a history of static reports to one identity row per MMSI.

    Parameters
    ----------
    statics
        Rows with the columns of :data:`zonewatch.schema.STATICS` (at least
        ``mmsi, ts, name, callsign, imo, ship_type``), in any order. Rows
        are ordered by ``ts`` per vessel, rows with a null ``ts`` first and
        ties in input order, so "latest" means last in that order.

    Returns
    -------
    polars.DataFrame
        One row per MMSI, sorted by MMSI, with the columns of
        :data:`IDENTITY_SCHEMA`: ``name``, ``callsign``, ``imo`` and
        ``ship_type`` are the latest non-null values; ``names`` and
        ``callsigns`` every distinct value in order of first appearance;
        ``flag`` the ISO alpha-2 code of the MMSI's MID. Text is stripped
        of AIS padding (``@``, spaces) and empty text is null; IMO 0 and
        ship type 0 mean "not available" and are null.

    Raises
    ------
    ParameterError
        When a required column is missing.

    Examples
    --------
    >>> import datetime as dt
    >>> t0 = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    >>> statics = pl.DataFrame({
    ...     "mmsi": [413000001, 413000001], "ts": [t0, t0 + dt.timedelta(seconds=5)],
    ...     "msg_type": [24, 24], "part": ["A", "B"], "imo": [None, None],
    ...     "callsign": [None, "BXYZ"], "name": ["HAI JING 2502", None],
    ...     "ship_type": [None, 55],
    ... })
    >>> row = vessel_identities(statics).row(0, named=True)
    >>> row["name"], row["callsign"], row["ship_type"], row["flag"]
    ('HAI JING 2502', 'BXYZ', 55, 'CN')
    """
    cleaned = clean_statics(statics)
    grouped = cleaned.group_by("mmsi", maintain_order=True).agg(
        pl.col("name").drop_nulls().last(),
        pl.col("callsign").drop_nulls().last(),
        pl.col("imo").drop_nulls().last(),
        pl.col("ship_type").drop_nulls().last(),
        pl.col("name").drop_nulls().unique(maintain_order=True).alias("names"),
        pl.col("callsign").drop_nulls().unique(maintain_order=True).alias("callsigns"),
    )
    mmsi = grouped.get_column("mmsi").to_numpy()
    flags = flags_of(np.asarray(mmsi, dtype=np.int64))
    result = grouped.with_columns(pl.Series("flag", flags.tolist(), dtype=pl.String))
    return result.select(
        [pl.col(name).cast(dtype) for name, dtype in IDENTITY_SCHEMA.items()]
    ).sort("mmsi")
