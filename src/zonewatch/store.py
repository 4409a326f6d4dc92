"""The embedded store: a DuckDB catalogue over a Parquet dataset of positions partitioned by day.

Layout, for ``--db senkaku.duckdb``::

    senkaku.duckdb                      statics, rejects, ingest_log, position_files (DuckDB)
    senkaku.duckdb.parts/positions/day=2024-05-14/part-<file_id>.parquet

Each ingested file is keyed by the SHA-256 of its content, so ingesting the
same file again changes nothing. An ingest is atomic for every reader: the
Parquet parts are written to a staging folder, moved into place, and only then
registered in the catalogue in one transaction; readers see only registered
parts, so an interrupted ingest leaves no visible data and can simply be
re-run (it overwrites its own unregistered parts). The catalogue also exposes
a ``positions`` view over the registered parts for SQL users.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from zonewatch import schema
from zonewatch.engine.buckets import STORE_BUCKETS, bucket_expr
from zonewatch.errors import StoreError
from zonewatch.report.model import InputSummary
from zonewatch.sources.accounting import Accounting, Decoded

__all__ = [
    "BUCKET_COLUMN",
    "PART_SCHEMA",
    "POLARS_SCHEMES",
    "Batch",
    "PartFile",
    "Store",
    "scan_parts",
    "temporary_store",
]


class Batch(Protocol):
    """Anything with the three tables of one read batch (a ``Decoded`` is one)."""

    @property
    def positions(self) -> pa.Table:
        """Position rows (:data:`zonewatch.schema.POSITIONS`)."""

    @property
    def statics(self) -> pa.Table:
        """Static rows (:data:`zonewatch.schema.STATICS`)."""

    @property
    def rejects(self) -> pa.Table:
        """Rejected lines (:data:`zonewatch.schema.REJECTS`)."""


POSITION_FILES = pa.schema(
    [
        pa.field("file_id", pa.string(), nullable=False),
        pa.field("day", pa.date32(), nullable=False),
        pa.field("path", pa.string(), nullable=False),  # relative to the parts folder
        pa.field("rows", pa.int64(), nullable=False),
        pa.field("min_ts", schema.TS, nullable=False),
        pa.field("max_ts", schema.TS, nullable=False),
        # parts written since the engine's buckets: a ``bucket`` column, a row group per value
        pa.field("bucketed", pa.bool_(), nullable=False),
    ]
)
"""The catalogue of Parquet parts of the positions dataset."""

BUCKET_COLUMN = "bucket"
"""The column of a day part that holds the vessel's store bucket."""

PART_SCHEMA = schema.POSITIONS.append(pa.field(BUCKET_COLUMN, pa.uint8(), nullable=False))
"""Columns of a day part: the positions and their store bucket."""

PART_ROWS = 1_000_000
"""Positions buffered before they are written as Parquet parts (bounds memory and part count)."""

_TABLES: dict[str, pa.Schema] = {
    "statics": schema.STATICS,
    "rejects": schema.REJECTS,
    "ingest_log": schema.INGEST_LOG,
    "position_files": POSITION_FILES,
}

_POSITIONS_POLARS = pl.from_arrow(schema.POSITIONS.empty_table()).schema  # type: ignore[union-attr]


@dataclass(frozen=True)
class PartFile:
    """One Parquet part of the positions dataset.

    Attributes
    ----------
    path
        Where it is (a local path or an fsspec URL).
    file_id
        Content hash of the input file it came from (parts never change).
    day
        Its UTC day.
    rows
        Positions in it.
    bucketed
        Whether it has the ``bucket`` column (one row group per store bucket);
        parts written by zonewatch before buckets existed have not.
    """

    path: str
    file_id: str
    day: dt.date
    rows: int
    bucketed: bool = True


class Store:
    """A zonewatch store: a DuckDB file and its Parquet parts folder (created when missing).

    Parameters
    ----------
    path
        The database file, e.g. ``zonewatch.duckdb``; positions go to
        ``<path>.parts/``.
    read_only
        Open without the right to write (the file must exist).
    parts_url
        Keep the Parquet parts elsewhere: a folder or any fsspec URL
        (``s3://bucket/zw``, ``gs://...``, ``file:///shared/zw``), e.g. where
        the workers of a Dask cluster can read them. Given when the store is
        created, it is recorded in the catalogue; later opens find it there.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with Store(pathlib.Path(tempfile.mkdtemp()) / "zw.duckdb") as store:
    ...     store.input_summary().lines
    0
    """

    def __init__(
        self, path: str | Path, *, read_only: bool = False, parts_url: str | None = None
    ) -> None:
        self.path = Path(path)
        self.parts = self.path.parent / (self.path.name + ".parts")
        self.parts_url: str | None = None
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no such store (ingest data first)")
        if not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as err:
            raise StoreError(f"{self.path}: cannot open the store: {err}") from err
        self._run("SET TimeZone = 'UTC'")
        if not read_only:
            self._create_tables()
        try:
            self._set_parts_url(parts_url, read_only)
        except BaseException:
            self._con.close()
            raise

    def _set_parts_url(self, parts_url: str | None, read_only: bool) -> None:
        tables = {row[0] for row in self._run("SHOW TABLES")}
        stored = None
        if "settings" in tables:
            rows = self._run("SELECT value FROM settings WHERE key = 'parts_url'")
            stored = str(rows[0][0]) if rows else None
        if parts_url is not None:
            parts_url = parts_url.rstrip("/")
            if stored is not None and stored != parts_url:
                raise StoreError(f"{self.path}: the store's parts are at {stored}, not {parts_url}")
            if stored is None:
                if read_only:
                    raise StoreError(f"{self.path}: cannot record a parts URL read-only")
                if self._run("SELECT count(*) FROM position_files")[0][0]:
                    raise StoreError(
                        f"{self.path}: the store already has parts in {self.parts}; "
                        "a parts URL is set when a store is created"
                    )
                self._run("INSERT INTO settings VALUES ('parts_url', ?)", [parts_url])
            stored = parts_url
        self.parts_url = stored

    def _part_location(self, relative: str) -> str:
        """Where a registered part is: a local path, or a URL under the parts URL."""
        if self.parts_url is None:
            return str(self.parts / relative)
        if "://" not in self.parts_url:
            return str(Path(self.parts_url) / relative)
        return f"{self.parts_url}/{relative}"

    def _publish(self, staged: Path, relative: str) -> None:
        """Move a staged part to its place (uploaded when the parts live at a URL)."""
        target = self._part_location(relative)
        if "://" not in target:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staged, target)
            return
        import fsspec

        fs, remote = fsspec.core.url_to_fs(target)
        fs.makedirs(remote.rsplit("/", 1)[0], exist_ok=True)
        fs.put_file(str(staged), remote)
        staged.unlink()

    @property
    def cache_folder(self) -> Path:
        """Where the engine keeps tile results (``<path>.cache``; safe to delete)."""
        return self.path.parent / (self.path.name + ".cache")

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
        if "settings" not in existing:
            self._run("CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR)")
        # catalogues from before bucketed parts: their parts have no bucket column
        self._run(
            "ALTER TABLE position_files ADD COLUMN IF NOT EXISTS bucketed BOOLEAN DEFAULT false"
        )

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
        return self.add_batches(
            decoded.file_id, decoded.path, [decoded], lambda: decoded.accounting
        )

    def add_batches(
        self,
        file_id: str,
        path: str,
        batches: Iterable[Batch],
        accounting: Callable[[], Accounting | None],
    ) -> bool:
        """Store a file read as a stream of batches, atomically; False when already there.

        Memory stays bounded by one batch: each batch's positions are written
        to staging Parquet parts and its statics and rejects inserted inside
        one open transaction, which commits only after the last batch, with
        the file's accounting (``accounting()`` is called once the batches are
        exhausted). Any error rolls everything back.

        Parameters
        ----------
        file_id, path
            Content hash and name of the input.
        batches
            Objects with ``positions``, ``statics`` and ``rejects`` tables.
        accounting
            Returns the whole file's line accounting after the last batch.

        Returns
        -------
        bool
            True when the file was new and has been stored.
        """
        if self.has_file(file_id):
            return False
        staging = self.parts / "staging" / file_id
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        parts: list[dict[str, Any]] = []
        self._run("BEGIN TRANSACTION")
        try:
            pending: list[pa.Table] = []  # positions buffered into larger parts
            for batch in batches:
                pending.append(batch.positions)
                if sum(t.num_rows for t in pending) >= PART_ROWS:
                    parts += self._stage_positions(file_id, len(parts), pending, staging)
                    pending = []
                self._insert("statics", batch.statics)
                self._insert("rejects", batch.rejects)
            parts += self._stage_positions(file_id, len(parts), pending, staging)
            acc = _required(accounting(), path)
            for row in parts:
                self._publish(row.pop("_staged"), row["path"])
            self._insert("position_files", pa.Table.from_pylist(parts, schema=POSITION_FILES))
            self._insert("ingest_log", _log_row(file_id, path, acc))
            self._run("COMMIT")
        except duckdb.Error as err:
            self._run("ROLLBACK")
            raise StoreError(f"{self.path}: ingest of {path} failed: {err}") from err
        except BaseException:
            self._run("ROLLBACK")
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self._refresh_view()
        return True

    def _insert(self, name: str, table: pa.Table) -> None:
        if table.num_rows:
            self._con.register("_incoming", table)
            try:
                self._run(f"INSERT INTO {name} SELECT * FROM _incoming")
            finally:
                self._con.unregister("_incoming")

    def _stage_positions(
        self, file_id: str, number: int, tables: list[pa.Table], staging: Path
    ) -> list[dict[str, Any]]:
        """Write buffered positions as one staged Parquet part per UTC day."""
        if not tables:
            return []
        frame = pl.from_arrow(pa.concat_tables(tables))
        assert isinstance(frame, pl.DataFrame)
        if frame.height == 0:
            return []
        frame = frame.with_columns(pl.col("ts").dt.date().alias("_day"))
        rows = []
        for (day,), part in frame.partition_by("_day", as_dict=True, maintain_order=True).items():
            assert isinstance(day, dt.date)
            name = f"part-{file_id}-{number:05d}.parquet"
            staged = staging / f"{day.isoformat()}-{number:05d}.parquet"
            _write_bucketed(part.drop("_day"), staged)
            rows.append(
                {
                    "file_id": file_id,
                    "day": day,
                    "path": f"positions/day={day.isoformat()}/{name}",
                    "rows": part.height,
                    "bucketed": True,
                    "min_ts": part["ts"].min(),
                    "max_ts": part["ts"].max(),
                    "_staged": staged,
                }
            )
        return rows

    def _refresh_view(self) -> None:
        files = [part.path for part in self.part_files()]
        if files and self.parts_url is None:  # DuckDB reads local parts only (no extensions)
            listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
            columns = ", ".join(schema.POSITIONS.names)
            self._run(
                f"CREATE OR REPLACE VIEW positions AS SELECT {columns} "
                f"FROM read_parquet([{listing}], union_by_name = true)"
            )

    # -- reading -------------------------------------------------------------------------

    def _frame(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        relation = self._con.sql(sql, params=params or None)
        # DuckDB 2 names it to_arrow_table; 1.x arrow()
        fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
        frame = pl.from_arrow(fetch())
        assert isinstance(frame, pl.DataFrame)
        casts = {
            col: pl.Datetime("ms", "UTC")
            for col, dtype in frame.schema.items()
            if isinstance(dtype, pl.Datetime)
        }
        return frame.cast(casts) if casts else frame  # type: ignore[arg-type]

    def part_files(
        self, start: dt.datetime | None = None, end: dt.datetime | None = None
    ) -> tuple[PartFile, ...]:
        """The registered Parquet parts that can hold positions in ``[start, end)`` (UTC)."""
        clauses, params = [], []
        if start is not None:
            clauses.append("max_ts >= ?")
            params.append(start)
        if end is not None:
            clauses.append("min_ts < ?")
            params.append(end)
        where = " WHERE " + " AND ".join(clauses) if clauses else ""
        columns = {r[0] for r in self._run("DESCRIBE position_files")}
        bucketed = "bucketed" if "bucketed" in columns else "false"  # read-only, older store
        rows = self._run(
            f"SELECT path, file_id, day, rows, {bucketed} FROM position_files"
            f"{where} ORDER BY day, path",
            params,
        )
        return tuple(
            PartFile(self._part_location(str(p)), str(f), d, int(n), bool(b))
            for p, f, d, n, b in rows
        )

    def positions(
        self,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        mmsis: list[int] | None = None,
    ) -> pl.DataFrame:
        """Positions in ``[start, end)`` (UTC), within ``bbox`` (lon/lat) and of ``mmsis``.

        Only the day parts that can hold such positions are read.
        """
        parts = self.part_files(start, end)
        if not parts:
            return pl.DataFrame(schema=_POSITIONS_POLARS)
        scan = scan_parts(parts)
        if start is not None:
            scan = scan.filter(pl.col("ts") >= pl.lit(start).cast(pl.Datetime("ms", "UTC")))
        if end is not None:
            scan = scan.filter(pl.col("ts") < pl.lit(end).cast(pl.Datetime("ms", "UTC")))
        if bbox is not None:
            scan = scan.filter(
                pl.col("lon").is_between(bbox[0], bbox[2])
                & pl.col("lat").is_between(bbox[1], bbox[3])
            )
        if mmsis is not None:
            scan = scan.filter(pl.col("mmsi").is_in(pl.Series(mmsis, dtype=pl.UInt32).implode()))
        return scan.collect()

    def time_span(self) -> tuple[dt.datetime, dt.datetime] | None:
        """First and last position time (UTC), or None when there are no positions."""
        row = self._run("SELECT min(min_ts), max(max_ts) FROM position_files")[0]
        if row[0] is None:
            return None
        return row[0].astimezone(dt.UTC), row[1].astimezone(dt.UTC)

    def statics(self) -> pl.DataFrame:
        """The whole static-data history."""
        return self._frame("SELECT * FROM statics")

    def rejects(self) -> pl.DataFrame:
        """Every rejected input line with its reason."""
        return self._frame("SELECT * FROM rejects ORDER BY path, line_no")

    def file_accounting(self, file_id: str) -> Accounting | None:
        """The line accounting recorded when a file was ingested, or None."""
        rows = self._run(
            "SELECT lines, decoded, rejected, pending, messages, positions, statics,"
            " other_messages, other_types FROM ingest_log WHERE file_id = ?",
            [file_id],
        )
        if not rows:
            return None
        lines, decoded, rejected, pending, messages, positions, statics, other, other_types = rows[
            0
        ]
        reasons = self._run(
            "SELECT reason, count(*) FROM rejects WHERE file_id = ? GROUP BY reason", [file_id]
        )
        types = json.loads(other_types) if other_types else {}
        return Accounting(
            int(lines),
            int(decoded),
            int(rejected),
            int(pending),
            int(messages),
            int(positions),
            int(statics),
            int(other),
            rejected_by_reason={str(k): int(v) for k, v in reasons},
            other_types={int(k): int(v) for k, v in types.items()},
        )

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


POLARS_SCHEMES = (
    "s3://",
    "s3a://",
    "gs://",
    "gcs://",
    "az://",
    "abfs://",
    "abfss://",
    "http://",
    "https://",
    "hf://",
    "file://",
)
"""URL schemes Polars reads itself; parts at any other fsspec URL are read through fsspec."""


def scan_parts(
    parts: Iterable[PartFile], predicate: Callable[[bool], pl.Expr] | None = None
) -> pl.LazyFrame:
    """A lazy scan of day parts with the positions columns.

    ``predicate(bucketed)`` gives the filter for parts with (True) or without
    (False) the ``bucket`` column; on the former, a predicate on ``bucket``
    lets Polars skip the row groups of other buckets. Local files and the
    object stores Polars knows (:data:`POLARS_SCHEMES`) are scanned by Polars;
    parts at other fsspec URLs are read whole through fsspec.
    """
    groups: dict[tuple[bool, bool], list[str]] = {}
    for part in parts:
        native = "://" not in part.path or part.path.startswith(POLARS_SCHEMES)
        groups.setdefault((part.bucketed, native), []).append(part.path)
    scans = []
    for (bucketed, native), files in groups.items():
        if native:
            scan = pl.scan_parquet(files)
        else:
            scan = _read_fsspec(files).lazy()
        if predicate is not None:
            scan = scan.filter(predicate(bucketed))
        scans.append(scan.select(schema.POSITIONS.names))
    if not scans:
        return pl.DataFrame(schema=_POSITIONS_POLARS).lazy()
    return pl.concat(scans, how="vertical") if len(scans) > 1 else scans[0]


def _read_fsspec(urls: list[str]) -> pl.DataFrame:
    import fsspec

    frames = []
    for url in urls:
        with fsspec.open(url, "rb") as handle:
            frames.append(pl.read_parquet(handle))
    return pl.concat(frames, how="diagonal_relaxed")


def _write_bucketed(frame: pl.DataFrame, path: Path) -> None:
    """Write one day part: a ``bucket`` column and a row group per bucket, sorted by ``mmsi, ts``.

    ``bucket`` is the store bucket of the vessel
    (:func:`zonewatch.engine.buckets.bucket_expr` over :data:`STORE_BUCKETS`);
    readers of one bucket skip the other row groups by their statistics.
    """
    keyed = frame.with_columns(bucket_expr(STORE_BUCKETS).cast(pl.UInt8).alias(BUCKET_COLUMN)).sort(
        BUCKET_COLUMN, "mmsi", "ts"
    )
    with pq.ParquetWriter(path, PART_SCHEMA, compression="zstd") as writer:
        for part in keyed.partition_by(BUCKET_COLUMN, maintain_order=True):
            writer.write_table(part.to_arrow().cast(PART_SCHEMA), row_group_size=part.height)


def _required(acc: Accounting | None, path: str) -> Accounting:
    if acc is None:
        raise StoreError(f"{path}: the reader gave no accounting")
    return acc


def _log_row(file_id: str, path: str, acc: Accounting) -> pa.Table:
    return pa.Table.from_pylist(
        [
            {
                "file_id": file_id,
                "path": path,
                "ingested_at": dt.datetime.now(dt.UTC),
                "lines": acc.lines,
                "decoded": acc.decoded,
                "rejected": acc.rejected,
                "pending": acc.pending,
                "messages": acc.messages,
                "positions": acc.positions,
                "statics": acc.statics,
                "other_messages": acc.other_messages,
                "other_types": json.dumps({str(k): v for k, v in sorted(acc.other_types.items())}),
            }
        ],
        schema=schema.INGEST_LOG,
    )


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
