"""Fixtures for the zone tests: the built-in Senkaku set and a brute-force oracle."""

from __future__ import annotations

import pytest
from zone_oracle import BruteForce

from zonewatch.zones import ZoneSet, load_zone_set


@pytest.fixture(scope="session")
def senkaku() -> ZoneSet:
    return load_zone_set("senkaku")


@pytest.fixture(scope="session")
def brute(senkaku: ZoneSet) -> BruteForce:
    return BruteForce(senkaku)
