"""Reading CSV files of decoded AIS (MarineCadastre, DMA, canonical or mapped columns).

The file is read in blocks of whole lines (:data:`CHUNK_BYTES`), so memory is
bounded by the block size, not the file size. Each block is split into lines
and fields with Polars string kernels: rows without a quote character are
split on the delimiter; rows with quotes go through a vectorized CSV-field
pattern (``"..."`` fields may hold the delimiter and doubled quotes). A quoted
field that spans lines is not supported: each of its physical lines is
rejected as ``bad_row``.

Line accounting (see :mod:`zonewatch.sources.tabular`): the header is line 1
and is not counted; every later physical line is one row: blank ones are
rejected as ``empty_line``, rows with the wrong number of fields as
``bad_row``, the others validated. Bytes that are not UTF-8 are replaced by
U+FFFD.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

import polars as pl

from zonewatch.errors import InputFileError, ParameterError
from zonewatch.sources.accounting import Decoded
from zonewatch.sources.compression import DECOMPRESSION_ERRORS, compression_of, open_decompressed
from zonewatch.sources.csv_dialects import (
    DIALECTS,
    CsvDialect,
    custom_dialect,
    detect_dialect,
    split_header,
)
from zonewatch.sources.files import check_input_file, file_id
from zonewatch.sources.tabular import Errors, TabularCollector, stage

__all__ = ["CHUNK_BYTES", "read_csv", "read_csv_header"]

CHUNK_BYTES = 8 << 20
"""Bytes of (decompressed) input processed at a time."""

_MAX_HEADER_BYTES = 1 << 16


def read_csv_header(path: Path | str) -> str:
    """The first line of a (possibly compressed) text file, decoded, without line ending.

    Raises
    ------
    InputFileError
        If the file cannot be read.
    """
    path = Path(path)
    kind = compression_of(path)
    try:
        with open_decompressed(path, kind) as handle:
            line = handle.readline(_MAX_HEADER_BYTES)
    except DECOMPRESSION_ERRORS as err:
        raise InputFileError(f"{path}: corrupt {kind} file: {err}") from err
    except OSError as err:
        raise InputFileError(f"{path}: cannot be read: {err}") from err
    return line.decode("utf-8", "replace").rstrip("\r\n")


def _blocks(handle: BinaryIO | io.BufferedIOBase, chunk_bytes: int) -> Iterator[bytes]:
    """Blocks of whole lines, each ending in a newline except perhaps the last."""
    carry = b""
    while True:
        data = handle.read(chunk_bytes)
        if not data:
            break
        data = carry + data
        cut = data.rfind(b"\n") + 1
        if cut == 0:
            carry = data
            continue
        block, carry = data[:cut], data[cut:]
        yield block
    if carry:
        yield carry


def _split_fields(lines: pl.Series, delimiter: str) -> pl.Series:
    """List of fields per line; null where the quoting is broken."""
    d = re.escape(delimiter)
    pattern = f'{d}("(?:[^"]|"")*"|[^{d}"]*)'
    prefixed = delimiter + lines
    matches = prefixed.str.extract_all(pattern)
    intact = matches.list.join("") == prefixed
    element = pl.element().str.slice(1)
    unquoted = (
        pl.when(element.str.starts_with('"'))
        .then(element.str.slice(1, element.str.len_chars() - 2).str.replace_all('""', '"'))
        .otherwise(element)
    )
    fields = matches.list.eval(unquoted)
    return pl.select(pl.when(intact).then(fields).otherwise(None).alias("_fields")).to_series()


def _stage_block(
    block: bytes, first_line_no: int, dialect: CsvDialect, indices: Mapping[str, int], width: int
) -> pl.DataFrame:
    text = block.decode("utf-8", "replace")
    if text.endswith("\n"):
        text = text[:-1]
    raw = pl.Series("raw", [text]).str.split("\n").explode().str.strip_suffix("\r")
    frame = pl.DataFrame({"raw": raw}).with_row_index("line_no", offset=first_line_no)
    delimiter = dialect.delimiter
    if '"' in text:
        quoted = pl.col("raw").str.contains('"', literal=True)
        plain = frame.filter(~quoted)
        plain = plain.with_columns(pl.col("raw").str.split(delimiter).alias("_fields"))
        tricky = frame.filter(quoted)
        tricky = tricky.with_columns(_split_fields(tricky.get_column("raw"), delimiter))
        frame = pl.concat([plain, tricky]).sort("line_no")
    else:
        frame = frame.with_columns(pl.col("raw").str.split(delimiter).alias("_fields"))
    n_fields = pl.col("_fields").list.len()
    blank = pl.col("raw").str.strip_chars() == ""
    problem = (
        pl.when(blank)
        .then(pl.lit("empty_line"))
        .when(pl.col("_fields").is_null() | (n_fields != width))
        .then(pl.lit("bad_row"))
    )
    detail = (
        pl.when(blank)
        .then(pl.lit("the line is blank"))
        .when(pl.col("_fields").is_null())
        .then(pl.lit("unbalanced quotes"))
        .when(n_fields != width)
        .then(pl.format("{} fields, the header has {}", n_fields, pl.lit(width)))
    )
    frame = frame.select(
        "line_no",
        "raw",
        problem.alias("problem"),
        detail.alias("detail"),
        *(
            pl.col("_fields").list.get(index, null_on_oob=True).alias(canonical)
            for canonical, index in indices.items()
        ),
    )
    return stage(
        frame,
        time_format=dialect.time_format,
        time_zone=dialect.time_zone,
        codes=dialect.codes,
    )


def _resolve_dialect(
    dialect: CsvDialect | str | None,
    columns: Mapping[str, str] | None,
    time_format: str | None,
    time_zone: str | None,
    delimiter: str | None,
) -> CsvDialect | None:
    if columns is not None:
        if dialect is not None:
            raise ParameterError("give either a dialect or a column mapping, not both")
        return custom_dialect(
            columns,
            time_format=time_format or "iso",
            time_zone=time_zone or "UTC",
            delimiter=delimiter or ",",
        )
    if isinstance(dialect, str):
        try:
            dialect = DIALECTS[dialect]
        except KeyError as err:
            raise ParameterError(
                f"unknown CSV dialect {dialect!r}; known: {', '.join(DIALECTS)}"
            ) from err
    if dialect is not None and (time_format or time_zone or delimiter):
        dialect = CsvDialect(
            name=dialect.name,
            columns=dialect.columns,
            markers=dialect.markers,
            time_format=time_format or dialect.time_format,
            time_zone=time_zone or dialect.time_zone,
            delimiter=delimiter or dialect.delimiter,
            codes=dialect.codes,
        )
    return dialect


def read_csv(
    path: Path | str,
    *,
    dialect: CsvDialect | str | None = None,
    columns: Mapping[str, str] | None = None,
    time_format: str | None = None,
    time_zone: str | None = None,
    delimiter: str | None = None,
    errors: Errors = "collect",
    chunk_bytes: int = CHUNK_BYTES,
) -> Decoded:
    r"""Read a CSV file of decoded AIS (plain or compressed) into positions, statics and rejects.

    Parameters
    ----------
    path
        The file (``.gz``, ``.bz2``, ``.zst`` or plain).
    dialect
        A :class:`~zonewatch.sources.csv_dialects.CsvDialect` or the name of a
        known one (``"marinecadastre"``, ``"dma"``, ``"canonical"``); by
        default detected from the header.
    columns
        Instead of a dialect, a mapping canonical field -> header name, at
        least ``mmsi``, ``ts``, ``lon``, ``lat`` (e.g. ``{"mmsi": "ShipID",
        "ts": "Time", "lon": "X", "lat": "Y"}``).
    time_format
        How times are written: ``"iso"`` (default for a mapping), ``"unix"``,
        ``"unix_ms"`` or a ``strftime`` pattern such as ``"%d/%m/%Y %H:%M:%S"``.
    time_zone
        IANA zone of times written without an offset (default UTC).
    delimiter
        Field separator (default ``,``).
    errors
        ``"collect"`` (default) or ``"raise"`` on the first rejected row.
    chunk_bytes
        Bytes processed at a time (bounds memory).

    Returns
    -------
    Decoded
        Positions, statics (one row per change of static fields per MMSI),
        rejects, and the accounting (``lines`` = physical lines after the header).

    Raises
    ------
    InputFileError
        If the file is missing, empty, binary or corrupt, its header is not a
        known layout (and no mapping is given), or a required column is
        missing; with ``errors="raise"``, on the first rejected row.
    ParameterError
        For an invalid mapping, dialect name or option.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "ships.csv"
    ...     _ = p.write_text("ShipID;Time;X;Y\n413000001;2024-05-01 12:00:00;123.5;25.7\n")
    ...     out = read_csv(
    ...         p, columns={"mmsi": "ShipID", "ts": "Time", "lon": "X", "lat": "Y"},
    ...         delimiter=";",
    ...     )
    >>> out.positions.column("mmsi").to_pylist(), out.accounting.lines
    ([413000001], 1)
    """
    path = Path(path)
    if chunk_bytes < 1:
        raise ParameterError(f"chunk_bytes must be positive, got {chunk_bytes}")
    chosen = _resolve_dialect(dialect, columns, time_format, time_zone, delimiter)
    check_input_file(path)
    collector = TabularCollector(str(path), file_id(path), errors)
    kind = compression_of(path)
    line_no = 1
    try:
        with open_decompressed(path, kind) as handle:
            header_line = handle.readline().decode("utf-8", "replace").rstrip("\r\n")
            header = split_header(header_line, chosen.delimiter if chosen else ",")
            if chosen is None:
                chosen = detect_dialect(header)
                if chosen is None:
                    raise InputFileError(
                        f"{path}: the CSV header is not a known layout (MarineCadastre, Danish"
                        " Maritime Authority, canonical); map its columns (mmsi=..., ts=...,"
                        f" lon=..., lat=...); header: {header_line[:200]}"
                    )
            indices = chosen.resolve(header, str(path))
            for block in _blocks(handle, chunk_bytes):
                staged = _stage_block(block, line_no + 1, chosen, indices, len(header))
                collector.add(staged)
                line_no += staged.height
    except DECOMPRESSION_ERRORS as err:
        raise InputFileError(f"{path}: corrupt {kind} data after line {line_no}: {err}") from err
    except OSError as err:
        what = "corrupt" if kind is not None and err.errno is None else "read error:"
        raise InputFileError(f"{path}: {what} data after line {line_no}: {err}") from err
    return collector.result()
