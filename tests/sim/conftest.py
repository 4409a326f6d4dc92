"""Shared simulations for the simulator tests (run once per session)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sim_bruteforce import Fix, read_positions

from zonewatch.sim import SimConfig, SimResult, simulate

SHORT = SimConfig(start=dt.date(2024, 5, 1), days=20, seed=11)


@pytest.fixture(scope="session")
def short_run(tmp_path_factory: pytest.TempPathFactory) -> SimResult:
    """Twenty days from 1 May 2024, seed 11, with default noise."""
    return simulate(SHORT, tmp_path_factory.mktemp("sim-short"))


@pytest.fixture(scope="session")
def short_fixes(short_run: SimResult) -> list[Fix]:
    """Every valid position report of ``short_run``, decoded by pyais."""
    return read_positions(Path(short_run.nmea_path))
