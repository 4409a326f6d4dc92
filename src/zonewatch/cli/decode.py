"""``zonewatch decode``: raw NMEA to one record per decoded message (JSON lines, CSV, Parquet).

The decode contract (other tools read it): records in input order (a
multipart message where its last fragment is; type 24 parts A and B each
their own record), with the fields ``msg_type, mmsi, ts`` (ISO 8601 UTC, or
null when the input gives no receive time), the position fields ``lon, lat,
sog, cog, heading, nav_status, accuracy, second`` and the static fields
``name, callsign, imo, ship_type, to_bow, to_stern, to_port, to_starboard,
destination, part`` (``"A"``/``"B"`` for type 24); fields a message does not
carry, and "not available" values, are null. Rejected lines are summarised
on stderr, and written in full with ``--rejects PATH``.
"""

from __future__ import annotations

import sys
from collections import Counter
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import typer

from zonewatch.cli.common import EXIT_OK, EXIT_REJECTED
from zonewatch.errors import InputFileError, ParameterError
from zonewatch.nmea.bulk import MESSAGES
from zonewatch.schema import REJECT_REASONS
from zonewatch.sources.compression import open_decompressed
from zonewatch.sources.files import check_input_file
from zonewatch.sources.inputs import STDIN, STDIN_NAME
from zonewatch.sources.nmea_file import NMEAStream, Readable, line_chunks

__all__ = ["DECODE_FIELDS", "DecodeFormat", "decode_command", "decode_stream", "records_table"]

DECODE_FIELDS = (
    "msg_type", "mmsi", "ts", "lon", "lat", "sog", "cog", "heading", "nav_status", "accuracy",
    "second", "name", "callsign", "imo", "ship_type", "to_bow", "to_stern", "to_port",
    "to_starboard", "destination", "part",
)  # fmt: skip
"""Fields of a decoded record, in output order (the decode contract)."""


class DecodeFormat(StrEnum):
    """Output formats of ``decode``."""

    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def _iso_utc(ts: pa.ChunkedArray | pa.Array) -> pa.Array:
    """ISO 8601 UTC text of ms timestamps, e.g. ``2024-03-01T12:00:00.000Z`` (null stays null)."""
    text = pc.strftime(pc.cast(ts, pa.timestamp("ms", tz="UTC")), format="%Y-%m-%dT%H:%M:%S")
    return pc.binary_join_element_wise(text, "Z", "")


def records_table(messages: pa.Table, *, text_time: bool) -> pa.Table:
    """The decode contract's columns of a :data:`~zonewatch.nmea.bulk.MESSAGES` table.

    ``text_time`` writes ``ts`` as ISO 8601 text (JSON lines, CSV); else it
    stays a UTC timestamp column (Parquet).

    Examples
    --------
    >>> from zonewatch.schema import TS
    >>> t = MESSAGES.empty_table()
    >>> records_table(t, text_time=True).column_names[:3]
    ['msg_type', 'mmsi', 'ts']
    """
    columns = []
    for name in DECODE_FIELDS:
        column = messages.column(name)
        if name == "ts" and text_time:
            column = _iso_utc(column) if len(column) else pa.chunked_array([], pa.string())
        columns.append(column)
    return pa.table(columns, names=list(DECODE_FIELDS))


def _write_text(table: pa.Table, fmt: DecodeFormat, out: IO[bytes], header: bool) -> None:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    if fmt == DecodeFormat.csv:
        frame.write_csv(out, include_header=header)
    else:
        frame.write_ndjson(out)


def _inputs(paths: list[str]) -> list[str]:
    if not paths:
        return [STDIN]
    if paths.count(STDIN) > 1:
        raise ParameterError("standard input ('-') can be read only once")
    return paths


def _open_stream(path: str, stack: ExitStack) -> NMEAStream:
    """A stream of decoded batches (every message, positions without time kept)."""
    if path == STDIN:
        if sys.stdin.isatty():
            raise InputFileError("standard input is a terminal: pipe data in or give files")
        source: Readable = sys.stdin.buffer
        name = STDIN_NAME
    else:
        check_input_file(Path(path))
        source = stack.enter_context(open_decompressed(Path(path)))
        name = path
    return NMEAStream(
        line_chunks(source, path=name),
        path=name,
        file_id="",
        require_position_time=False,
        with_messages=True,
    )


def decode_stream(
    paths: list[str], fmt: DecodeFormat, out: IO[bytes], rejects_out: IO[bytes] | None
) -> Counter[str]:
    """Decode ``paths`` (``-`` is standard input) into ``out``; return rejects by reason.

    Parameters
    ----------
    paths
        NMEA inputs (plain or compressed), read one after the other.
    fmt
        Output format of ``out`` (and of ``rejects_out``).
    out
        Binary stream for the records.
    rejects_out
        Binary stream for every rejected line (path, line_no, raw, reason, detail),
        or None.
    """
    reasons: Counter[str] = Counter()
    writer: pq.ParquetWriter | None = None
    reject_writer: pq.ParquetWriter | None = None
    header = True
    reject_header = True
    with ExitStack() as stack:
        streams = [(p, _open_stream(p, stack)) for p in _inputs(paths)]
        for _, stream in streams:
            for batch in stream:
                assert batch.messages is not None
                table = records_table(batch.messages, text_time=fmt != DecodeFormat.parquet)
                if fmt == DecodeFormat.parquet:
                    if writer is None:
                        writer = stack.enter_context(pq.ParquetWriter(out, table.schema))
                    writer.write_table(table)
                elif table.num_rows:
                    _write_text(table, fmt, out, header)
                    header = False
                rejects = batch.rejects.drop(["file_id"])
                reasons.update(rejects.column("reason").to_pylist())
                if rejects_out is not None and rejects.num_rows:
                    if fmt == DecodeFormat.parquet:
                        if reject_writer is None:
                            reject_writer = stack.enter_context(
                                pq.ParquetWriter(rejects_out, rejects.schema)
                            )
                        reject_writer.write_table(rejects)
                    else:
                        _write_text(rejects, fmt, rejects_out, reject_header)
                        reject_header = False
        if fmt == DecodeFormat.parquet and writer is None:
            empty = records_table(MESSAGES.empty_table(), text_time=False)
            stack.enter_context(pq.ParquetWriter(out, empty.schema)).write_table(empty)
        if fmt == DecodeFormat.csv and header:
            _write_text(records_table(MESSAGES.empty_table(), text_time=True), fmt, out, True)
    return reasons


def decode_command(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="NMEA files (plain, .gz, .bz2, .zst); '-' or none: standard input."),
    ] = None,
    fmt: Annotated[
        DecodeFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DecodeFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write records here (default: stdout).")
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Write every rejected line here (same format)."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with code 2 when any line was rejected.")
    ] = False,
) -> int:
    """Decode raw NMEA into one record per message, in input order (JSON lines by default)."""
    paths = list(inputs or [])
    if fmt == DecodeFormat.parquet and output is None and sys.stdout.isatty():
        raise ParameterError("Parquet output needs -o PATH (or a pipe), not a terminal")
    with ExitStack() as stack:
        out: IO[bytes] = (
            stack.enter_context(output.open("wb")) if output is not None else sys.stdout.buffer
        )
        rejects_out = stack.enter_context(rejects.open("wb")) if rejects is not None else None
        reasons = decode_stream(paths, fmt, out, rejects_out)
        out.flush()
    total = sum(reasons.values())
    if total:
        listed = ", ".join(f"{r} {reasons[r]:,}" for r in REJECT_REASONS if reasons[r])
        sys.stderr.write(f"zonewatch: {total:,} line(s) rejected ({listed})\n")
        if strict:
            return EXIT_REJECTED
    return EXIT_OK
