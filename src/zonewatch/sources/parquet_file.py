"""Reading Parquet files in zonewatch's canonical schema.

A Parquet input holds the columns of :data:`zonewatch.schema.POSITIONS`
(``mmsi``, ``ts``, ``lon``, ``lat`` required; ``sog``, ``cog``, ``heading``,
``nav_status``, ``msg_type``, ``source`` optional) and may add the static
fields of :data:`zonewatch.schema.STATICS` (``imo``, ``callsign``, ``name``,
``ship_type``, ``to_bow``, ``to_stern``, ``to_port``, ``to_starboard``,
``destination``), from which statics rows are derived. Other columns
(``file_id``, ``line_no``, anything else) are ignored: provenance is this
file, and ``line_no`` is the 1-based row number in it. Missing optional
columns are null; a missing ``msg_type`` is 0 ("the source does not say").
``ts`` is a timestamp (naive ones are read in ``time_zone``, default UTC) or
ISO 8601 text. Rows are read in record batches, so memory is bounded by the
batch size. The validation rules are those of :mod:`zonewatch.sources.tabular`.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from zonewatch.errors import InputFileError, ParameterError
from zonewatch.sources.accounting import Decoded
from zonewatch.sources.compression import decompressed_copy
from zonewatch.sources.files import check_regular_file, file_id
from zonewatch.sources.tabular import (
    CANONICAL_COLUMNS,
    REQUIRED_COLUMNS,
    Errors,
    TabularCollector,
    stage,
)

__all__ = ["BATCH_ROWS", "read_parquet"]

BATCH_ROWS = 262_144
"""Rows read and validated at a time."""


def read_parquet(
    path: Path | str,
    *,
    errors: Errors = "collect",
    time_zone: str = "UTC",
    batch_rows: int = BATCH_ROWS,
) -> Decoded:
    """Read a Parquet file of positions (canonical column names) into the zonewatch tables.

    Parameters
    ----------
    path
        The file (plain, or ``.gz`` / ``.bz2`` / ``.zst``, which is
        decompressed into a temporary file first).
    errors
        ``"collect"`` (default) or ``"raise"`` on the first rejected row.
    time_zone
        Zone of naive timestamps and of ISO text without an offset (default UTC).
    batch_rows
        Rows read at a time (bounds memory).

    Returns
    -------
    Decoded
        Positions, statics (when static columns are present), rejects, and the
        accounting (``lines`` = rows).

    Raises
    ------
    InputFileError
        If the file is missing, empty, not Parquet, or lacks a required column.

    Examples
    --------
    >>> import tempfile, pathlib, datetime as dt
    >>> table = pa.table({
    ...     "mmsi": pa.array([413000001], pa.uint32()),
    ...     "ts": pa.array([dt.datetime(2024, 5, 1, tzinfo=dt.UTC)], pa.timestamp("ms", "UTC")),
    ...     "lon": [123.5], "lat": [91.0],
    ... })
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "fixes.parquet"
    ...     pq.write_table(table, p)
    ...     read_parquet(p).accounting.rejected_by_reason
    {'bad_position': 1}
    """
    path = Path(path)
    if batch_rows < 1:
        raise ParameterError(f"batch_rows must be positive, got {batch_rows}")
    check_regular_file(path)
    collector = TabularCollector(str(path), file_id(path), errors)
    with decompressed_copy(path) as plain:
        try:
            parquet = pq.ParquetFile(plain)
        except (pa.ArrowException, OSError) as err:
            raise InputFileError(f"{path}: not a readable Parquet file: {err}") from err
        names = parquet.schema_arrow.names
        missing = [c for c in REQUIRED_COLUMNS if c not in names]
        if missing:
            raise InputFileError(
                f"{path}: the Parquet file lacks the column(s) {', '.join(missing)};"
                f" found {', '.join(names[:30]) or 'no columns'}"
            )
        columns = [c for c in CANONICAL_COLUMNS if c in names]
        row = 1
        try:
            for batch in parquet.iter_batches(batch_size=batch_rows, columns=columns):
                frame = pl.DataFrame(pl.from_arrow(batch)).with_row_index("line_no", offset=row)
                collector.add(stage(frame, time_zone=time_zone))
                row += batch.num_rows
        except (pa.ArrowException, OSError) as err:
            raise InputFileError(
                f"{path}: cannot read Parquet data after row {row - 1}: {err}"
            ) from err
    return collector.result()
