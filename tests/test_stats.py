import datetime as dt
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from zonewatch.report.model import DayPresence
from zonewatch.stats import (
    clip_intervals,
    daily_presence,
    incidents_from_intervals,
    longest_run,
    monthly_counts,
    period_bounds_utc,
)

JST = ZoneInfo("Asia/Tokyo")


def intervals(rows: list[tuple[int, str, dt.datetime, dt.datetime, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "mmsi": [r[0] for r in rows],
            "zone": [r[1] for r in rows],
            "start": [r[2] for r in rows],
            "end": [r[3] for r in rows],
            "min_distance_nm": [r[4] for r in rows],
            "lon": [123.5] * len(rows),
            "lat": [25.7] * len(rows),
        },
        schema={
            "mmsi": pl.UInt32,
            "zone": pl.String,
            "start": pl.Datetime("ms", "UTC"),
            "end": pl.Datetime("ms", "UTC"),
            "min_distance_nm": pl.Float64,
            "lon": pl.Float64,
            "lat": pl.Float64,
        },
    )


def jst(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JST).astimezone(dt.UTC)


def test_one_utc_day_across_local_midnight_counts_two_local_days() -> None:
    # 23:30 to 00:30 JST is 14:30 to 15:30 UTC on one UTC day
    iv = intervals(
        [(413000001, "contiguous_zone", jst(2024, 3, 4, 23, 30), jst(2024, 3, 5, 0, 30), 18.0)]
    )
    assert iv["start"][0].date() == iv["end"][0].date()
    days = daily_presence(iv, "Asia/Tokyo")
    assert [d.date for d in days] == [dt.date(2024, 3, 4), dt.date(2024, 3, 5)]
    assert all(d.contiguous_zone_vessels == (413000001,) for d in days)
    assert all(d.territorial_sea_vessels == () for d in days)


def test_territorial_sea_vessels_are_also_contiguous_zone_vessels() -> None:
    iv = intervals(
        [
            (1, "territorial_sea", jst(2024, 3, 4, 10), jst(2024, 3, 4, 12), 6.0),
            (1, "contiguous_zone", jst(2024, 3, 4, 9), jst(2024, 3, 4, 13), 6.0),
            (2, "contiguous_zone", jst(2024, 3, 4, 9), jst(2024, 3, 4, 13), 15.0),
        ]
    )
    (day,) = daily_presence(iv, "Asia/Tokyo")
    assert day.contiguous_zone_vessels == (1, 2)
    assert day.territorial_sea_vessels == (1,)


@pytest.mark.parametrize(
    ("gap_minutes", "expected"),
    [(-30, 1), (0, 1), (20, 1), (59, 1), (60, 2), (360, 2)],
)
def test_incident_merging(gap_minutes: int, expected: int) -> None:
    a_end = jst(2024, 5, 14, 12)
    b_start = a_end + dt.timedelta(minutes=gap_minutes)
    iv = intervals(
        [
            (1, "territorial_sea", jst(2024, 5, 14, 6, 40), a_end, 5.8),
            (2, "territorial_sea", b_start, b_start + dt.timedelta(hours=3), 7.5),
        ]
    )
    incidents = incidents_from_intervals(iv, merge_gap_h=1.0)
    assert len(incidents) == expected
    assert incidents[0].min_distance_nm == 5.8
    if expected == 1:
        assert incidents[0].vessels == (1, 2)
        assert incidents[0].end == b_start + dt.timedelta(hours=3)


def test_incident_ids_are_stable_and_distinct() -> None:
    iv = intervals(
        [
            (1, "territorial_sea", jst(2024, 5, 14, 6), jst(2024, 5, 14, 7), 5.0),
            (1, "territorial_sea", jst(2024, 6, 1, 6), jst(2024, 6, 1, 7), 5.0),
        ]
    )
    first = incidents_from_intervals(iv)
    assert [i.id for i in first] == [i.id for i in incidents_from_intervals(iv)]
    assert len({i.id for i in first}) == 2


def test_clip_to_period_and_monthly_counts() -> None:
    lo, hi = period_bounds_utc(dt.date(2024, 3, 1), dt.date(2024, 4, 30), "Asia/Tokyo")
    iv = intervals(
        [
            (1, "contiguous_zone", jst(2024, 2, 28, 12), jst(2024, 3, 2, 12), 15.0),
            (2, "contiguous_zone", jst(2024, 4, 30, 20), jst(2024, 5, 2, 12), 15.0),
        ]
    )
    days = daily_presence(clip_intervals(iv, lo, hi), "Asia/Tokyo")
    assert [d.date.isoformat() for d in days] == ["2024-03-01", "2024-03-02", "2024-04-30"]
    totals, months = monthly_counts(days, ["2024-03"], dt.date(2024, 3, 1), dt.date(2024, 4, 30))
    assert [m.month for m in months] == ["2024-03", "2024-04"]
    assert months[0].counts.contiguous_zone_days == 2
    assert months[0].counts.territorial_sea_intrusions == 1
    assert totals.contiguous_zone_vessel_days == 3
    assert totals.territorial_sea_days == 0


def test_longest_run() -> None:
    dates = [dt.date(2024, 1, d) for d in (1, 2, 3, 5, 6, 7, 8, 10)]
    days = tuple(DayPresence(d, (1,), ()) for d in dates)
    run = longest_run(days)
    assert (run.days, run.start, run.end) == (4, dt.date(2024, 1, 5), dt.date(2024, 1, 8))
    assert longest_run(()).days == 0
