"""Detector bugs the simulator's ground truth found, each pinned on a hand-built case."""

from __future__ import annotations

import datetime as dt

import pytest
from event_builders import OPEN_SEA, T0, frame, offset, run, stay, times

V = 413000007


@pytest.mark.parametrize(
    ("minutes", "step_s", "found"),
    [(120, 600, True), (120, 300, True), (120, 60, True), (119, 60, False)],
)
def test_loitering_of_exactly_two_hours_is_loitering(
    minutes: int, step_s: int, found: bool
) -> None:
    # Polars divides a column by a constant as a product with its inverse, so
    # 7_200_000 ms / 3_600_000.0 came out as 1.9999999999999998 h (with two rows or
    # more) and episodes lasting exactly the minimum were dropped; the simulator's
    # truth found Chinese fishing boats drifting for exactly 2 h between two fixes
    start = T0 + dt.timedelta(hours=7, minutes=37, seconds=47)
    at = times(start, start + dt.timedelta(minutes=minutes), step_s)
    rows = [*stay(V, at, *OPEN_SEA), *stay(V + 1, at, *offset(*OPEN_SEA, 5000, 0))]
    events = run(frame(rows), ["loitering"])
    assert events.height == 2 * int(found)
    if found:
        assert set(events.select("mmsi", "start", "end").rows()) == {
            (v, start, start + dt.timedelta(minutes=minutes)) for v in (V, V + 1)
        }
