"""Shared fixtures: paths to the real AIS samples in ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real AIS samples beside the project; skip where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real AIS samples not found at {SHARED_DATA} (../shared/data is absent)")
    return SHARED_DATA
