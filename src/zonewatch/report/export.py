"""Machine-readable forms of a report: JSON, the monthly CSV, incidents and days CSV files.

Every writer takes a :class:`~zonewatch.report.model.Report` and nothing else,
so the files always agree with the table and the JSON of the same run.
Times are written in the zone set's local time with their UTC offset (ISO 8601),
booleans as ``true``/``false``, MMSI lists space-separated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from zonewatch.report.model import COUNT_KEYS, Report

__all__ = [
    "DAYS_COLUMNS",
    "INCIDENT_COLUMNS",
    "MONTH_COLUMNS",
    "to_csv",
    "to_json",
    "write_days_csv",
    "write_incidents_csv",
]

MONTH_COLUMNS = ("month", *COUNT_KEYS)
"""Header of :func:`to_csv`."""

INCIDENT_COLUMNS = (
    "id",
    "start",
    "end",
    "duration_h",
    "vessels",
    "min_distance_nm",
    "fishing_vessel_nearby",
    "closest_mmsi",
    "closest_lon",
    "closest_lat",
)
"""Header of :func:`write_incidents_csv`."""

DAYS_COLUMNS = (
    "date",
    "contiguous_zone_vessels",
    "territorial_sea_vessels",
    "cz_mmsis",
    "ts_mmsis",
)
"""Header of :func:`write_days_csv`."""

CsvValue = str | int | float


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[CsvValue]]) -> str:
    """CSV text with newline (LF) line ends (the same bytes on every platform)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _mmsi_list(mmsis: Iterable[int]) -> str:
    return " ".join(str(m) for m in mmsis)


def to_json(report: Report) -> str:
    """Return the report as JSON text (the contract of ``zonewatch report --format json``).

    Parameters
    ----------
    report
        The report to serialize.

    Returns
    -------
    str
        ``report.to_dict()`` indented by two spaces, non-ASCII characters kept
        as they are, ending with a newline.

    Examples
    --------
    >>> import datetime as dt
    >>> from zonewatch.report.model import ContiguousRun, Counts, InputSummary
    >>> r = Report("senkaku", "Asia/Tokyo", "china-government", dt.date(2024, 1, 1),
    ...            dt.date(2024, 1, 31), {}, Counts(contiguous_zone_days=3), (), (), (), (),
    ...            InputSummary(), ContiguousRun(0, None, None))
    >>> json.loads(to_json(r))["totals"]["contiguous_zone_days"]
    3
    """
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def to_csv(report: Report) -> str:
    """Return the monthly counts as CSV text.

    Parameters
    ----------
    report
        The report to tabulate.

    Returns
    -------
    str
        Header ``month,<the five counts>`` (:data:`MONTH_COLUMNS`), one row per
        month (``YYYY-MM``) in order, then a row ``total`` with the period's totals.

    Examples
    --------
    >>> import datetime as dt
    >>> from zonewatch.report.model import ContiguousRun, Counts, InputSummary, MonthCounts
    >>> jan = Counts(contiguous_zone_days=3, contiguous_zone_vessel_days=7)
    >>> r = Report("senkaku", "Asia/Tokyo", "china-government", dt.date(2024, 1, 1),
    ...            dt.date(2024, 1, 31), {}, jan, (MonthCounts("2024-01", jan),), (), (), (),
    ...            InputSummary(), ContiguousRun(0, None, None))
    >>> print(to_csv(r), end="")
    month,contiguous_zone_days,contiguous_zone_vessel_days,territorial_sea_days,territorial_sea_vessel_days,territorial_sea_intrusions
    2024-01,3,7,0,0,0
    total,3,7,0,0,0
    """
    rows: list[list[CsvValue]] = [
        [m.month, *(int(getattr(m.counts, key)) for key in COUNT_KEYS)] for m in report.months
    ]
    rows.append(["total", *(int(getattr(report.totals, key)) for key in COUNT_KEYS)])
    return _csv_text(MONTH_COLUMNS, rows)


def write_incidents_csv(report: Report, path: Path) -> None:
    """Write one row per intrusion incident.

    Parameters
    ----------
    report
        The report whose incidents to write.
    path
        The CSV file to create (replaced if it exists).

    Notes
    -----
    Columns (:data:`INCIDENT_COLUMNS`): ``id``; ``start`` and ``end`` in local
    time with UTC offset; ``duration_h`` and ``min_distance_nm`` rounded to
    3 decimals; ``vessels`` space-separated MMSIs; ``fishing_vessel_nearby``
    ``true``/``false``; the closest approach's vessel and position (degrees,
    6 decimals). With no incidents the file holds the header only.
    """
    rows: list[list[CsvValue]] = [
        [
            inc.id,
            inc.start.isoformat(),
            inc.end.isoformat(),
            round(inc.duration_h, 3),
            _mmsi_list(inc.vessels),
            round(inc.min_distance_nm, 3),
            "true" if inc.fishing_vessel_nearby else "false",
            inc.closest_mmsi,
            round(inc.closest_lon, 6),
            round(inc.closest_lat, 6),
        ]
        for inc in report.incidents
    ]
    path.write_text(_csv_text(INCIDENT_COLUMNS, rows), encoding="utf-8", newline="")


def write_days_csv(report: Report, path: Path) -> None:
    """Write the daily series of fleet presence, one row per local day of the period.

    Parameters
    ----------
    report
        The report whose days to write.
    path
        The CSV file to create (replaced if it exists).

    Notes
    -----
    Columns (:data:`DAYS_COLUMNS`): ``date`` (local, ``YYYY-MM-DD``); the number
    of distinct fleet vessels present in the contiguous zone and in the
    territorial sea that day; the same vessels as space-separated MMSIs.
    Every day from ``period_start`` to ``period_end`` is written, with zeros
    and empty lists on days without presence, so the file is a complete
    series (the report's ``days`` list only days with presence). Days of
    ``report.days`` outside the period, if any, are written too, in date order.
    """
    by_date = {day.date: day for day in report.days}
    dates = set(by_date)
    if report.period_start <= report.period_end:
        span = (report.period_end - report.period_start).days + 1
        dates.update(report.period_start + dt.timedelta(days=i) for i in range(span))
    rows: list[list[CsvValue]] = []
    for date in sorted(dates):
        day = by_date.get(date)
        cz = day.contiguous_zone_vessels if day is not None else ()
        ts = day.territorial_sea_vessels if day is not None else ()
        rows.append([date.isoformat(), len(cz), len(ts), _mmsi_list(cz), _mmsi_list(ts)])
    path.write_text(_csv_text(DAYS_COLUMNS, rows), encoding="utf-8", newline="")
