"""Day and incident counting in the zone set's local time (DOMAIN.md rules).

Inputs are zone presence intervals (from
:func:`zonewatch.events.presence.zone_intervals`) already restricted to the
fleet. A vessel is present on a local calendar day when any part of one of its
intervals falls on that day. An intrusion incident is a maximal time interval
during which at least one fleet vessel is in the territorial sea; intervals
separated by less than ``merge_gap_h`` are one incident, attributed to the
month of its start.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import polars as pl

from zonewatch.report.model import ContiguousRun, Counts, DayPresence, MonthCounts

__all__ = [
    "CONTIGUOUS_ZONE",
    "TERRITORIAL_SEA",
    "CountParams",
    "RawIncident",
    "clip_intervals",
    "daily_presence",
    "incidents_from_intervals",
    "longest_run",
    "month_keys",
    "monthly_counts",
    "period_bounds_utc",
]

TERRITORIAL_SEA = "territorial_sea"
CONTIGUOUS_ZONE = "contiguous_zone"


@dataclass(frozen=True)
class CountParams:
    """Counting parameters (DOMAIN.md defaults)."""

    merge_gap_h: float = 1.0
    fishing_distance_nm: float = 1.0


@dataclass(frozen=True)
class RawIncident:
    """An intrusion incident in UTC, before presentation."""

    start: dt.datetime
    end: dt.datetime
    vessels: tuple[int, ...]
    min_distance_nm: float
    closest_mmsi: int
    closest_lon: float
    closest_lat: float

    @property
    def id(self) -> str:
        """A stable id: UTC start and a digest of start and vessels (same data, same id)."""
        digest = hashlib.sha1(
            f"{self.start.isoformat()}|{','.join(map(str, self.vessels))}".encode(),
            usedforsecurity=False,
        ).hexdigest()[:6]
        return f"TS-{self.start.astimezone(dt.UTC):%Y%m%dT%H%MZ}-{digest}"


def period_bounds_utc(
    start: dt.date, end: dt.date, timezone: str
) -> tuple[dt.datetime, dt.datetime]:
    """UTC instants of local midnight at ``start`` and after ``end`` (inclusive dates).

    Examples
    --------
    >>> a, b = period_bounds_utc(dt.date(2024, 3, 1), dt.date(2024, 3, 31), "Asia/Tokyo")
    >>> a.isoformat(), b.isoformat()
    ('2024-02-29T15:00:00+00:00', '2024-03-31T15:00:00+00:00')
    """
    tz = ZoneInfo(timezone)
    lo = dt.datetime.combine(start, dt.time(0), tzinfo=tz).astimezone(dt.UTC)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz).astimezone(dt.UTC)
    return lo, hi


def clip_intervals(intervals: pl.DataFrame, lo: dt.datetime, hi: dt.datetime) -> pl.DataFrame:
    """Clip intervals to ``[lo, hi)`` and drop those outside it."""
    lo_l = pl.lit(lo).cast(pl.Datetime("ms", "UTC"))
    hi_l = pl.lit(hi).cast(pl.Datetime("ms", "UTC"))
    return intervals.filter((pl.col("end") >= lo_l) & (pl.col("start") < hi_l)).with_columns(
        pl.max_horizontal(pl.col("start"), lo_l).alias("start"),
        # an interval reaching past the period ends at the last millisecond inside it
        pl.min_horizontal(pl.col("end"), hi_l - pl.duration(milliseconds=1)).alias("end"),
    )


def daily_presence(intervals: pl.DataFrame, timezone: str) -> tuple[DayPresence, ...]:
    """Fleet vessels present per local day, in the CZ and in the TS.

    Parameters
    ----------
    intervals
        ``mmsi, zone, start, end`` (UTC), already clipped to the period and
        restricted to the fleet. Contiguous-zone intervals are computed with
        the 24 nm threshold, so they include time in the territorial sea.
    timezone
        IANA name of the zone set's time zone.

    Returns
    -------
    tuple of DayPresence
        Days with presence only, in date order.
    """
    if intervals.height == 0:
        return ()
    per_day = (
        intervals.select(
            "mmsi",
            "zone",
            pl.date_ranges(
                pl.col("start").dt.convert_time_zone(timezone).dt.date(),
                pl.col("end").dt.convert_time_zone(timezone).dt.date(),
            ).alias("date"),
        )
        .explode("date")
        .unique()
    )
    grouped = (
        per_day.group_by("date", "zone")
        .agg(pl.col("mmsi").unique().sort())
        .pivot(on="zone", index="date", values="mmsi")
        .sort("date")
    )
    n = grouped.height
    cz = grouped[CONTIGUOUS_ZONE].to_list() if CONTIGUOUS_ZONE in grouped.columns else [None] * n
    ts = grouped[TERRITORIAL_SEA].to_list() if TERRITORIAL_SEA in grouped.columns else [None] * n
    days = []
    for day, cz_list, ts_list in zip(grouped["date"].to_list(), cz, ts, strict=True):
        cz_v = set(cz_list or [])
        ts_v = set(ts_list or [])
        days.append(
            DayPresence(
                date=day,
                contiguous_zone_vessels=tuple(sorted(cz_v | ts_v)),
                territorial_sea_vessels=tuple(sorted(ts_v)),
            )
        )
    return tuple(days)


def incidents_from_intervals(
    ts_intervals: pl.DataFrame, merge_gap_h: float = 1.0
) -> tuple[RawIncident, ...]:
    """Merge fleet territorial-sea intervals into intrusion incidents.

    Intervals of any vessels that overlap, or are separated by less than
    ``merge_gap_h``, are one incident.

    Parameters
    ----------
    ts_intervals
        ``mmsi, start, end, min_distance_nm, lon, lat`` of fleet vessels in
        the territorial sea.
    merge_gap_h
        Intervals separated by less than this many hours are merged.

    Returns
    -------
    tuple of RawIncident
        In order of start.
    """
    if ts_intervals.height == 0:
        return ()
    gap_ms = round(merge_gap_h * 3_600_000)
    frame = ts_intervals.sort("start", "end")
    start_ms = pl.col("start").dt.epoch("ms")
    reach = pl.col("end").dt.epoch("ms").cum_max().shift(1)
    frame = frame.with_columns(
        ((start_ms - reach) >= gap_ms).fill_null(True).cum_sum().alias("_incident")
    )
    merged = frame.group_by("_incident", maintain_order=True).agg(
        pl.col("start").min(),
        pl.col("end").max(),
        pl.col("mmsi").unique().sort().alias("vessels"),
        pl.col("min_distance_nm").min(),
        pl.col("mmsi").sort_by("min_distance_nm").first().alias("closest_mmsi"),
        pl.col("lon").sort_by("min_distance_nm").first(),
        pl.col("lat").sort_by("min_distance_nm").first(),
    )
    return tuple(
        RawIncident(
            start=row["start"],
            end=row["end"],
            vessels=tuple(int(v) for v in row["vessels"]),
            min_distance_nm=float(row["min_distance_nm"]),
            closest_mmsi=int(row["closest_mmsi"]),
            closest_lon=float(row["lon"]),
            closest_lat=float(row["lat"]),
        )
        for row in merged.iter_rows(named=True)
    )


def month_keys(start: dt.date, end: dt.date) -> list[str]:
    """Every ``YYYY-MM`` from the month of ``start`` to that of ``end``.

    Examples
    --------
    >>> month_keys(dt.date(2024, 11, 15), dt.date(2025, 2, 1))
    ['2024-11', '2024-12', '2025-01', '2025-02']
    """
    keys = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def _counts(days: Iterable[DayPresence], incidents: int) -> Counts:
    days = list(days)
    return Counts(
        contiguous_zone_days=sum(1 for d in days if d.contiguous_zone_vessels),
        contiguous_zone_vessel_days=sum(len(d.contiguous_zone_vessels) for d in days),
        territorial_sea_days=sum(1 for d in days if d.territorial_sea_vessels),
        territorial_sea_vessel_days=sum(len(d.territorial_sea_vessels) for d in days),
        territorial_sea_intrusions=incidents,
    )


def monthly_counts(
    days: tuple[DayPresence, ...],
    incident_months: list[str],
    start: dt.date,
    end: dt.date,
) -> tuple[Counts, tuple[MonthCounts, ...]]:
    """Totals and per-month counts over the period (every month listed).

    Parameters
    ----------
    days
        Days with presence (from :func:`daily_presence`).
    incident_months
        ``YYYY-MM`` of each incident's local start.
    start, end
        The period (local dates, inclusive).

    Returns
    -------
    tuple
        ``(totals, months)``.
    """
    months = []
    for key in month_keys(start, end):
        in_month = [d for d in days if d.date.strftime("%Y-%m") == key]
        months.append(MonthCounts(key, _counts(in_month, incident_months.count(key))))
    return _counts(days, len(incident_months)), tuple(months)


def longest_run(days: tuple[DayPresence, ...]) -> ContiguousRun:
    """The longest run of consecutive days with fleet presence in the contiguous zone."""
    dates = sorted(d.date for d in days if d.contiguous_zone_vessels)
    best = ContiguousRun(0, None, None)
    run_start: dt.date | None = None
    prev: dt.date | None = None
    for day in dates:
        if prev is None or day - prev != dt.timedelta(days=1):
            run_start = day
        assert run_start is not None
        length = (day - run_start).days + 1
        if length > best.days:
            best = ContiguousRun(length, run_start, day)
        prev = day
    return best
