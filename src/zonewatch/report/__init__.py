"""Reports: the record of what ``zonewatch report`` counts, and every form it is shown in.

:class:`Report` (in :mod:`zonewatch.report.model`) holds the counts, days,
incidents, vessels and input accounting of one run. The other modules render
it: Rich tables (:func:`render_table`), JSON and CSV (:func:`to_json`,
:func:`to_csv`, :func:`write_incidents_csv`, :func:`write_days_csv`), a PNG
chart (:func:`write_monthly_chart`) and a self-contained HTML map
(:func:`write_map`). Importing this package loads neither Matplotlib, Polars
nor Shapely; each is imported by the function that needs it.
"""

from __future__ import annotations

from zonewatch.report.chart import write_monthly_chart
from zonewatch.report.export import to_csv, to_json, write_days_csv, write_incidents_csv
from zonewatch.report.html_map import ZoneSetLike, write_map
from zonewatch.report.model import (
    COUNT_KEYS,
    ContiguousRun,
    Counts,
    DayPresence,
    Incident,
    InputSummary,
    MonthCounts,
    Report,
    VesselInfo,
)
from zonewatch.report.text import render_table

__all__ = [
    "COUNT_KEYS",
    "ContiguousRun",
    "Counts",
    "DayPresence",
    "Incident",
    "InputSummary",
    "MonthCounts",
    "Report",
    "VesselInfo",
    "ZoneSetLike",
    "render_table",
    "to_csv",
    "to_json",
    "write_days_csv",
    "write_incidents_csv",
    "write_map",
    "write_monthly_chart",
]
