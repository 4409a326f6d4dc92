"""The embedded store: one DuckDB file holding positions, statics, rejects and the ingest log.

Each ingested file is keyed by the SHA-256 of its content, so ingesting the same
file again changes nothing. One ingest is one transaction: an interrupted
ingest leaves no partial data and can simply be re-run.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from zonewatch import schema
from zonewatch.errors import StoreError
from zonewatch.report.model import InputSummary
from zonewatch.sources.accounting import Decoded

__all__ = ["Store", "temporary_store"]

_TABLES: dict[str, pa.Schema] = {
    "positions": schema.POSITIONS,
    "statics": schema.STATICS,
    "rejects": schema.REJECTS,
    "ingest_log": schema.INGEST_LOG,
}


class Store:
    """A zonewatch store in a DuckDB file (created when missing).

    Parameters
    ----------
    path
        The database file, e.g. ``zonewatch.duckdb``.
    read_only
        Open without the right to write (the file must exist).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with Store(pathlib.Path(tempfile.mkdtemp()) / "zw.duckdb") as store:
    ...     store.input_summary().lines
    0
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no such store (ingest data first)")
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as err:
            raise StoreError(f"{self.path}: cannot open the store: {err}") from err
        self._run("SET TimeZone = 'UTC'")
        if not read_only:
            self._create_tables()

    def _run(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Execute one statement and fetch its whole result (DuckDB 2 wants results finished)."""
        return self._con.execute(sql, params or []).fetchall()

    def _create_tables(self) -> None:
        existing = {row[0] for row in self._run("SHOW TABLES")}
        for name, table_schema in _TABLES.items():
            if name not in existing:
                self._con.register("_empty", table_schema.empty_table())
                self._run(f"CREATE TABLE {name} AS SELECT * FROM _empty")
                self._con.unregister("_empty")

    def close(self) -> None:
        """Close the database connection."""
        self._con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------

    def has_file(self, file_id: str) -> bool:
        """Whether a file with this content hash was ingested already."""
        rows = self._run("SELECT count(*) FROM ingest_log WHERE file_id = ?", [file_id])
        return bool(rows[0][0])

    def add(self, decoded: Decoded) -> bool:
        """Store one decoded file atomically; return False when it was already there.

        Parameters
        ----------
        decoded
            The reader's output for one file.

        Returns
        -------
        bool
            True when the file was new and has been stored.
        """
        if self.has_file(decoded.file_id):
            return False
        acc = decoded.accounting
        log = pa.Table.from_pylist(
            [
                {
                    "file_id": decoded.file_id,
                    "path": decoded.path,
                    "ingested_at": dt.datetime.now(dt.UTC),
                    "lines": acc.lines,
                    "decoded": acc.decoded,
                    "rejected": acc.rejected,
                    "pending": acc.pending,
                    "messages": acc.messages,
                    "positions": acc.positions,
                    "statics": acc.statics,
                    "other_messages": acc.other_messages,
                }
            ],
            schema=schema.INGEST_LOG,
        )
        con = self._con
        self._run("BEGIN TRANSACTION")
        try:
            for name, table in (
                ("positions", decoded.positions),
                ("statics", decoded.statics),
                ("rejects", decoded.rejects),
                ("ingest_log", log),
            ):
                if table.num_rows:
                    con.register("_incoming", table)
                    self._run(f"INSERT INTO {name} SELECT * FROM _incoming")
                    con.unregister("_incoming")
            self._run("COMMIT")
        except duckdb.Error as err:
            self._run("ROLLBACK")
            raise StoreError(f"{self.path}: ingest of {decoded.path} failed: {err}") from err
        return True

    # -- reading -------------------------------------------------------------------------

    def _frame(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        relation = self._con.sql(sql, params=params or None)
        # DuckDB 2 names it to_arrow_table; 1.x arrow()
        fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
        table = fetch()
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        casts = {
            col: pl.Datetime("ms", "UTC")
            for col, dtype in frame.schema.items()
            if isinstance(dtype, pl.Datetime)
        }
        return frame.cast(casts) if casts else frame  # type: ignore[arg-type]

    def positions(
        self,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        mmsis: list[int] | None = None,
    ) -> pl.DataFrame:
        """Positions in ``[start, end)`` (UTC) and within ``bbox`` (lon/lat), any order."""
        where, params = _where(start, end, bbox, mmsis)
        return self._frame(f"SELECT * FROM positions{where}", params)

    def time_span(self) -> tuple[dt.datetime, dt.datetime] | None:
        """First and last position time (UTC), or None when there are no positions."""
        row = self._run("SELECT min(ts), max(ts) FROM positions")[0]
        if row[0] is None:
            return None
        return row[0].astimezone(dt.UTC), row[1].astimezone(dt.UTC)

    def statics(self) -> pl.DataFrame:
        """The whole static-data history."""
        return self._frame("SELECT * FROM statics")

    def rejects(self) -> pl.DataFrame:
        """Every rejected input line with its reason."""
        return self._frame("SELECT * FROM rejects ORDER BY path, line_no")

    def files(self) -> pl.DataFrame:
        """The ingest log, one row per file."""
        return self._frame("SELECT * FROM ingest_log ORDER BY ingested_at")

    def input_summary(self) -> InputSummary:
        """Line accounting over every ingested file."""
        row = self._run(
            "SELECT count(*), coalesce(sum(lines), 0), coalesce(sum(decoded), 0),"
            " coalesce(sum(rejected), 0), coalesce(sum(pending), 0),"
            " coalesce(sum(positions), 0), coalesce(sum(statics), 0) FROM ingest_log"
        )[0]
        reasons = dict(
            self._run("SELECT reason, count(*) FROM rejects GROUP BY reason ORDER BY reason")
        )
        files, lines, decoded, rejected, pending, positions, statics = (int(v) for v in row)
        return InputSummary(
            lines=lines,
            decoded=decoded,
            rejected=rejected,
            pending=pending,
            rejected_by_reason={str(k): int(v) for k, v in reasons.items()},
            files=files,
            positions=positions,
            statics=statics,
        )


def _where(
    start: dt.datetime | None,
    end: dt.datetime | None,
    bbox: tuple[float, float, float, float] | None,
    mmsis: list[int] | None,
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if start is not None:
        clauses.append("ts >= ?")
        params.append(start)
    if end is not None:
        clauses.append("ts < ?")
        params.append(end)
    if bbox is not None:
        clauses.append("lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?")
        params.extend([bbox[0], bbox[2], bbox[1], bbox[3]])
    if mmsis is not None:
        clauses.append("list_contains(?, mmsi)")
        params.append(mmsis)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


@contextmanager
def temporary_store() -> Iterator[Store]:
    """A store in a temporary directory, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="zonewatch-"))
    store = Store(folder / "zonewatch.duckdb")
    try:
        yield store
    finally:
        store.close()
        shutil.rmtree(folder, ignore_errors=True)
