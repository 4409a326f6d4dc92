"""Official daily counts (e.g. the Japan Coast Guard's) against what AIS shows, day by day.

An official table is a CSV with the header
``date,contiguous_zone_vessels,territorial_sea_vessels`` (other columns are
ignored): one row per local date, the number of fleet vessels the authority
reported in each zone that day. Days missing from the table are not
compared. Where AIS saw fewer vessels than the authority, ships were there
without transmitting (or out of receiver range); where it saw more, the
fleet definition or the authority's count differ.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zonewatch.errors import InputFileError
from zonewatch.report.model import DayPresence

__all__ = [
    "OFFICIAL_COLUMNS",
    "DayComparison",
    "OfficialDay",
    "compare_days",
    "comparison_summary",
    "read_official_counts",
]

OFFICIAL_COLUMNS = ("date", "contiguous_zone_vessels", "territorial_sea_vessels")
"""Required columns of an official daily table."""


@dataclass(frozen=True)
class OfficialDay:
    """The official vessel counts of one local date."""

    date: dt.date
    contiguous_zone_vessels: int
    territorial_sea_vessels: int


def _count(text: str, column: str, where: str) -> int:
    try:
        value = int(text.strip())
    except ValueError as err:
        raise InputFileError(f"{where}: {column} {text!r} is not a whole number") from err
    if value < 0:
        raise InputFileError(f"{where}: {column} {value} is negative")
    return value


def read_official_counts(path: Path) -> tuple[OfficialDay, ...]:
    """Read an official daily table.

    Parameters
    ----------
    path
        CSV with the columns of :data:`OFFICIAL_COLUMNS`; blank lines and
        lines starting with ``#`` are skipped.

    Returns
    -------
    tuple of OfficialDay
        Sorted by date.

    Raises
    ------
    InputFileError
        Naming the file and line of a missing column, a bad date or count, or
        a date given twice.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputFileError(f"{path}: not a UTF-8 text file") from err
    except OSError as err:
        raise InputFileError(f"{path}: cannot read: {err.strerror or err}") from err
    lines = [
        (no, line)
        for no, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise InputFileError(f"{path}: empty; expected the header {','.join(OFFICIAL_COLUMNS)}")
    header_no, header_line = lines[0]
    header = [h.strip().lower() for h in next(csv.reader([header_line]))]
    missing = [c for c in OFFICIAL_COLUMNS if c not in header]
    if missing:
        raise InputFileError(
            f"{path}:{header_no}: header lacks {', '.join(missing)} "
            f"(expected {','.join(OFFICIAL_COLUMNS)})"
        )
    index = {c: header.index(c) for c in OFFICIAL_COLUMNS}
    days: dict[dt.date, OfficialDay] = {}
    for no, line in lines[1:]:
        where = f"{path}:{no}"
        cells = next(csv.reader([line]))
        if len(cells) < len(header):
            raise InputFileError(f"{where}: {len(cells)} fields, expected {len(header)}")
        raw_date = cells[index["date"]].strip()
        try:
            date = dt.date.fromisoformat(raw_date)
        except ValueError as err:
            raise InputFileError(f"{where}: date {raw_date!r} is not YYYY-MM-DD") from err
        if date in days:
            raise InputFileError(f"{where}: date {date} is given twice")
        days[date] = OfficialDay(
            date,
            _count(cells[index["contiguous_zone_vessels"]], "contiguous_zone_vessels", where),
            _count(cells[index["territorial_sea_vessels"]], "territorial_sea_vessels", where),
        )
    if not days:
        raise InputFileError(f"{path}: no data rows after the header")
    return tuple(days[d] for d in sorted(days))


@dataclass(frozen=True)
class DayComparison:
    """Official and AIS vessel counts of one day.

    ``*_difference`` is AIS minus official: negative when AIS saw fewer
    vessels (ships not transmitting), positive when it saw more.
    """

    date: dt.date
    official_contiguous_zone: int
    ais_contiguous_zone: int
    official_territorial_sea: int
    ais_territorial_sea: int
    ais_contiguous_zone_mmsis: tuple[int, ...] = ()
    ais_territorial_sea_mmsis: tuple[int, ...] = ()

    @property
    def contiguous_zone_difference(self) -> int:
        """AIS minus official, contiguous zone."""
        return self.ais_contiguous_zone - self.official_contiguous_zone

    @property
    def territorial_sea_difference(self) -> int:
        """AIS minus official, territorial sea."""
        return self.ais_territorial_sea - self.official_territorial_sea

    @property
    def verdict(self) -> str:
        """``agree``, ``ais_fewer``, ``ais_more`` or ``mixed`` over both zones."""
        diffs = (self.contiguous_zone_difference, self.territorial_sea_difference)
        if all(d == 0 for d in diffs):
            return "agree"
        if all(d <= 0 for d in diffs):
            return "ais_fewer"
        if all(d >= 0 for d in diffs):
            return "ais_more"
        return "mixed"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "date": self.date.isoformat(),
            "official_contiguous_zone_vessels": self.official_contiguous_zone,
            "ais_contiguous_zone_vessels": self.ais_contiguous_zone,
            "contiguous_zone_difference": self.contiguous_zone_difference,
            "official_territorial_sea_vessels": self.official_territorial_sea,
            "ais_territorial_sea_vessels": self.ais_territorial_sea,
            "territorial_sea_difference": self.territorial_sea_difference,
            "verdict": self.verdict,
            "ais_contiguous_zone_mmsis": list(self.ais_contiguous_zone_mmsis),
            "ais_territorial_sea_mmsis": list(self.ais_territorial_sea_mmsis),
        }


def compare_days(
    official: Sequence[OfficialDay],
    ais_days: Sequence[DayPresence],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[DayComparison]:
    """Compare official and AIS counts for every official day within ``[start, end]``.

    Parameters
    ----------
    official
        From :func:`read_official_counts`.
    ais_days
        The report's days (only days with presence; others count as zero).
    start, end
        Limits (inclusive); default: all official days.

    Examples
    --------
    >>> day = dt.date(2024, 1, 2)
    >>> rows = compare_days([OfficialDay(day, 4, 2)], [DayPresence(day, (1, 2, 3), (1,))])
    >>> rows[0].contiguous_zone_difference, rows[0].verdict
    (-1, 'ais_fewer')
    """
    by_date: Mapping[dt.date, DayPresence] = {d.date: d for d in ais_days}
    out = []
    for day in official:
        if (start is not None and day.date < start) or (end is not None and day.date > end):
            continue
        ais = by_date.get(day.date)
        cz = ais.contiguous_zone_vessels if ais else ()
        ts = ais.territorial_sea_vessels if ais else ()
        out.append(
            DayComparison(
                date=day.date,
                official_contiguous_zone=day.contiguous_zone_vessels,
                ais_contiguous_zone=len(cz),
                official_territorial_sea=day.territorial_sea_vessels,
                ais_territorial_sea=len(ts),
                ais_contiguous_zone_mmsis=tuple(cz),
                ais_territorial_sea_mmsis=tuple(ts),
            )
        )
    return out


def comparison_summary(rows: Sequence[DayComparison]) -> dict[str, Any]:
    """Totals over the compared days: vessel-days, days with presence, and verdict counts.

    Examples
    --------
    >>> day = dt.date(2024, 1, 2)
    >>> s = comparison_summary(compare_days([OfficialDay(day, 4, 2)], []))
    >>> s["contiguous_zone_vessel_days"], s["days_ais_fewer"]
    ({'official': 4, 'ais': 0}, 1)
    """
    verdicts = [r.verdict for r in rows]
    return {
        "days_compared": len(rows),
        "contiguous_zone_vessel_days": {
            "official": sum(r.official_contiguous_zone for r in rows),
            "ais": sum(r.ais_contiguous_zone for r in rows),
        },
        "territorial_sea_vessel_days": {
            "official": sum(r.official_territorial_sea for r in rows),
            "ais": sum(r.ais_territorial_sea for r in rows),
        },
        "contiguous_zone_days": {
            "official": sum(1 for r in rows if r.official_contiguous_zone > 0),
            "ais": sum(1 for r in rows if r.ais_contiguous_zone > 0),
        },
        "territorial_sea_days": {
            "official": sum(1 for r in rows if r.official_territorial_sea > 0),
            "ais": sum(1 for r in rows if r.ais_territorial_sea > 0),
        },
        "days_agree": verdicts.count("agree"),
        "days_ais_fewer": verdicts.count("ais_fewer"),
        "days_ais_more": verdicts.count("ais_more"),
        "days_mixed": verdicts.count("mixed"),
    }
