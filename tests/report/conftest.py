"""Fixtures of the report tests (builders in ``report_fixtures``)."""

from __future__ import annotations

import polars as pl
import pytest
from report_fixtures import StandInZoneSet, small_report, small_tracks, stand_in_zone_set

from zonewatch.report.model import Report


@pytest.fixture(scope="session")
def zone_set() -> StandInZoneSet:
    return stand_in_zone_set()


@pytest.fixture
def report() -> Report:
    return small_report()


@pytest.fixture
def tracks() -> pl.DataFrame:
    return small_tracks()
