"""Which reader an input needs, and reading any input with it.

:func:`detect_format` looks at the (decompressed) content and the file name:

- ``parquet``: a ``.parquet`` / ``.pq`` name or the ``PAR1`` magic bytes;
- ``gpkg``: a ``.gpkg`` name or the SQLite header;
- ``marinecadastre``, ``dma``, ``canonical``: a CSV whose header line is one of
  the published layouts (:mod:`zonewatch.sources.csv_dialects`);
- ``custom``: a CSV whose header holds every column of a given mapping;
- ``nmea``: any other text (lines that are not AIS are rejected one by one),
  except a ``.csv`` / ``.tsv`` file whose header is not recognised, which is
  an error asking for a column mapping.

Compressed inputs (``.gz``, ``.bz2``, ``.zst``) are recognised by name or magic
bytes and read through :mod:`zonewatch.sources.compression`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from zonewatch.errors import InputFileError
from zonewatch.sources.accounting import Decoded
from zonewatch.sources.compression import plain_name
from zonewatch.sources.csv_dialects import (
    DIALECTS,
    custom_dialect,
    detect_dialect,
    split_header,
)
from zonewatch.sources.csv_file import read_csv
from zonewatch.sources.files import check_input_file, check_regular_file, read_head
from zonewatch.sources.gpkg import read_gpkg
from zonewatch.sources.nmea_file import read_nmea
from zonewatch.sources.parquet_file import read_parquet
from zonewatch.sources.tabular import Errors

__all__ = ["SourceFormat", "detect_format", "read_source"]

SourceFormat = Literal["nmea", "marinecadastre", "dma", "canonical", "custom", "parquet", "gpkg"]
"""The input formats zonewatch reads."""

_PARQUET_SUFFIXES = (".parquet", ".pq")
_GPKG_SUFFIXES = (".gpkg",)
_CSV_SUFFIXES = (".csv", ".tsv")
_PARQUET_MAGIC = b"PAR1"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_HEAD_BYTES = 1 << 16


def detect_format(
    path: Path | str,
    *,
    columns: Mapping[str, str] | None = None,
    delimiter: str = ",",
) -> SourceFormat:
    r"""The format of the input at ``path``.

    Parameters
    ----------
    path
        The file (plain or compressed).
    columns
        A column mapping (canonical field -> header name) for CSV files of an
        unknown layout: a header holding all its names is ``custom``.
    delimiter
        The field separator of such CSV files.

    Returns
    -------
    SourceFormat
        ``"nmea"``, ``"marinecadastre"``, ``"dma"``, ``"canonical"``,
        ``"custom"``, ``"parquet"`` or ``"gpkg"``.

    Raises
    ------
    InputFileError
        If the file is missing, empty, not a regular file, corrupt, binary
        (and not Parquet or GeoPackage), or a CSV of an unknown layout.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "day.csv"
    ...     _ = p.write_text("MMSI,BaseDateTime,LAT,LON,SOG\n")
    ...     detect_format(p)
    'marinecadastre'
    """
    path = Path(path)
    check_regular_file(path)
    name = plain_name(path).lower()
    head = read_head(path, _HEAD_BYTES)
    if name.endswith(_PARQUET_SUFFIXES) or head.startswith(_PARQUET_MAGIC):
        if not head.startswith(_PARQUET_MAGIC):
            raise InputFileError(f"{path}: not a Parquet file (no PAR1 magic bytes)")
        return "parquet"
    if name.endswith(_GPKG_SUFFIXES) or head.startswith(_SQLITE_MAGIC):
        if not head.startswith(_SQLITE_MAGIC):
            raise InputFileError(f"{path}: not a GeoPackage (no SQLite header)")
        return "gpkg"
    check_input_file(path)
    first_line = head.split(b"\n", 1)[0].decode("utf-8", "replace")
    header = split_header(first_line, delimiter)
    dialect = detect_dialect(header)
    if dialect is not None:
        name_of: dict[str, SourceFormat] = {
            "marinecadastre": "marinecadastre",
            "dma": "dma",
            "canonical": "canonical",
        }
        return name_of[dialect.name]
    if columns is not None and custom_dialect(columns, delimiter=delimiter).has_all_columns(header):
        return "custom"
    if name.endswith(_CSV_SUFFIXES):
        raise InputFileError(
            f"{path}: the CSV header is not a known layout (MarineCadastre, Danish Maritime"
            " Authority, canonical); give a column mapping (mmsi=..., ts=..., lon=..., lat=...);"
            f" header: {first_line[:200]}"
        )
    return "nmea"


def read_source(
    path: Path | str,
    source_format: SourceFormat | None = None,
    *,
    errors: Errors = "collect",
    columns: Mapping[str, str] | None = None,
    time_format: str | None = None,
    time_zone: str | None = None,
    delimiter: str | None = None,
) -> Decoded:
    """Read any supported input into positions, statics and rejects.

    Parameters
    ----------
    path
        The file (NMEA, CSV, Parquet or GeoPackage; plain or compressed).
    source_format
        Its format; detected by :func:`detect_format` when not given.
    errors
        ``"collect"`` (default) or ``"raise"`` on the first rejected line.
    columns, time_format, time_zone, delimiter
        For CSV files of other layouts: the column mapping and how times and
        fields are written (see :func:`zonewatch.sources.csv_file.read_csv`).
        ``time_zone`` also applies to naive times in Parquet and GeoPackage.

    Returns
    -------
    Decoded
        The reader's tables and line accounting.

    Raises
    ------
    InputFileError, NMEAError
        As the reader for the format raises them.
    """
    path = Path(path)
    if source_format is None:
        source_format = detect_format(path, columns=columns, delimiter=delimiter or ",")
    if source_format == "nmea":
        return read_nmea(path, errors=errors)
    if source_format == "parquet":
        return read_parquet(path, errors=errors, time_zone=time_zone or "UTC")
    if source_format == "gpkg":
        return read_gpkg(path, errors=errors, time_zone=time_zone or "UTC")
    if source_format == "custom":
        if columns is None:
            raise InputFileError(f"{path}: a custom CSV needs a column mapping")
        return read_csv(
            path,
            columns=columns,
            time_format=time_format,
            time_zone=time_zone,
            delimiter=delimiter,
            errors=errors,
        )
    # a published layout says how its times are written: the options are for custom CSV
    return read_csv(path, dialect=DIALECTS[source_format], errors=errors)
