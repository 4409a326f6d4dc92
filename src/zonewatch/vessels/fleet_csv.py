"""Fleet files in CSV: explicit members, one per line (``mmsi,category,name``).

The header names the columns ``mmsi``, ``category`` and ``name`` (any order,
extra columns allowed, blank lines and lines starting with ``#`` skipped).
The category ``exclude`` removes a vessel that a pattern rule would otherwise
count. Errors name the file and the line.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from zonewatch.errors import FleetFileError

__all__ = ["parse_fleet_csv"]

_MMSI_RE = re.compile(r"[0-9]{9}")
_FILE_COLUMNS = ("mmsi", "category", "name")


def _skip(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#")


def parse_fleet_csv(
    text: str, path: Path
) -> tuple[dict[int, tuple[str, str | None]], dict[int, str]]:
    """Explicit members and where each is defined, from the text of a fleet CSV file.

    Raises
    ------
    FleetFileError
        On a missing header or column, a bad MMSI, an empty category, a
        duplicate MMSI or a row of the wrong length (file and line named).
    """
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FleetFileError(f"{path}, line {line}: NUL character in fleet file")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    header_line = 0
    where: dict[str, int] = {}
    mmsis: dict[int, tuple[str, str | None]] = {}
    sources: dict[int, str] = {}
    first_line: dict[int, int] = {}
    line = 0
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if line != start and any("\n" in cell or "\r" in cell for cell in row):
                raise FleetFileError(
                    f"{path}, line {start}: a quoted field runs to line {line} "
                    "(unclosed quote?); fleet file fields cannot hold line breaks"
                )
            if _skip(row):
                continue
            if header is None:
                header, header_line = [cell.strip().lower() for cell in row], line
                where = _header_columns(header, path, line)
                continue
            if len(row) != len(header):
                raise FleetFileError(
                    f"{path}, line {line}: expected {len(header)} fields as in the header "
                    f"(line {header_line}), found {len(row)}: {','.join(row)!r}"
                )
            raw_mmsi = row[where["mmsi"]].strip()
            if not _MMSI_RE.fullmatch(raw_mmsi):
                raise FleetFileError(
                    f"{path}, line {line}: mmsi {raw_mmsi!r} is not a 9-digit integer"
                )
            mmsi = int(raw_mmsi)
            category = row[where["category"]].strip()
            if not category:
                raise FleetFileError(f"{path}, line {line}: empty category for mmsi {raw_mmsi}")
            if mmsi in mmsis:
                raise FleetFileError(
                    f"{path}, line {line}: duplicate mmsi {raw_mmsi} "
                    f"(first on line {first_line[mmsi]})"
                )
            vessel_name = row[where["name"]].strip() or None
            mmsis[mmsi] = (category, vessel_name)
            first_line[mmsi] = line
            sources[mmsi] = f"fleet file {path.name} line {line}"
    except csv.Error as err:
        # ``line`` is the last complete record: the bad one starts on the next line.
        raise FleetFileError(f"{path}, line {line + 1}: malformed CSV: {err}") from err
    if header is None:
        raise FleetFileError(
            f"{path}: empty fleet file (expected a header with columns {', '.join(_FILE_COLUMNS)})"
        )
    return mmsis, sources


def _header_columns(header: list[str], path: Path, line: int) -> dict[str, int]:
    """Map each required column to its index; raise on a missing or repeated one."""
    if _MMSI_RE.fullmatch(header[0]):
        raise FleetFileError(
            f"{path}, line {line}: missing header (expected columns "
            f"{', '.join(_FILE_COLUMNS)} before the data, found {','.join(header)!r})"
        )
    missing = [c for c in _FILE_COLUMNS if c not in header]
    if missing:
        raise FleetFileError(
            f"{path}, line {line}: header lacks column(s) {', '.join(missing)} "
            f"(found {','.join(header)!r}; expected {', '.join(_FILE_COLUMNS)})"
        )
    repeated = sorted({c for c in header if c and header.count(c) > 1})
    if repeated:
        raise FleetFileError(f"{path}, line {line}: header repeats column(s) {', '.join(repeated)}")
    return {c: header.index(c) for c in _FILE_COLUMNS}
