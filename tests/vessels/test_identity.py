from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from zonewatch.errors import ParameterError
from zonewatch.schema import STATICS
from zonewatch.vessels.identity import IDENTITY_SCHEMA, vessel_identities

T0 = dt.datetime(2024, 3, 1, 0, 0, tzinfo=dt.UTC)


STATICS_SCHEMA = pl.DataFrame(pl.from_arrow(STATICS.empty_table())).schema


def statics(rows: list[dict[str, object]]) -> pl.DataFrame:
    """A STATICS-shaped frame from partial rows (missing fields null)."""
    return pl.DataFrame(
        [{f.name: row.get(f.name) for f in STATICS} for row in rows], schema=STATICS_SCHEMA
    )


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_type_24_parts_a_and_b_are_paired() -> None:
    frame = statics(
        [
            {"mmsi": 413000001, "ts": at(0), "msg_type": 24, "part": "A", "name": "HAIJING 2502"},
            {
                "mmsi": 413000001,
                "ts": at(3),
                "msg_type": 24,
                "part": "B",
                "callsign": "BCG2502",
                "ship_type": 55,
            },
        ]
    )
    ids = vessel_identities(frame)
    assert ids.height == 1
    row = ids.row(0, named=True)
    assert row == {
        "mmsi": 413000001,
        "name": "HAIJING 2502",
        "callsign": "BCG2502",
        "imo": None,
        "ship_type": 55,
        "names": ["HAIJING 2502"],
        "callsigns": ["BCG2502"],
        "flag": "CN",
    }


def test_latest_non_null_per_field_and_history_of_names() -> None:
    frame = statics(
        [
            # out of order on purpose; the latest by ts wins
            {"mmsi": 431000001, "ts": at(200), "msg_type": 5, "name": "NEW NAME", "imo": 0},
            {
                "mmsi": 431000001,
                "ts": at(100),
                "msg_type": 5,
                "name": "OLD NAME",
                "callsign": "JABC",
                "imo": 9123456,
                "ship_type": 70,
            },
            {"mmsi": 431000001, "ts": at(300), "msg_type": 5, "name": "  ", "ship_type": 0},
            {"mmsi": 431000001, "ts": at(50), "msg_type": 5, "name": "OLD NAME@@@"},
            {"mmsi": 431000001, "ts": None, "msg_type": 5, "name": "UNDATED", "callsign": "JX"},
        ]
    )
    row = vessel_identities(frame).row(0, named=True)
    assert row["name"] == "NEW NAME"
    assert row["callsign"] == "JABC"  # the undated JX sorts first, so it is older
    assert row["imo"] == 9123456  # imo 0 is "not available"
    assert row["ship_type"] == 70  # ship type 0 is "not available"
    assert row["names"] == ["UNDATED", "OLD NAME", "NEW NAME"]
    assert row["callsigns"] == ["JX", "JABC"]
    assert row["flag"] == "JP"


def test_ties_in_ts_keep_input_order() -> None:
    frame = statics(
        [
            {"mmsi": 416000001, "ts": at(0), "msg_type": 24, "part": "A", "name": "FIRST"},
            {"mmsi": 416000001, "ts": at(0), "msg_type": 24, "part": "A", "name": "SECOND"},
        ]
    )
    row = vessel_identities(frame).row(0, named=True)
    assert row["name"] == "SECOND"
    assert row["flag"] == "TW"


def test_one_row_per_mmsi_sorted_with_the_documented_schema() -> None:
    frame = statics(
        [
            {"mmsi": 574000001, "ts": at(1), "msg_type": 5, "name": "B"},
            {"mmsi": 2470000, "ts": at(2), "msg_type": 24, "part": "A", "name": "STATION"},
            {"mmsi": 970123456, "ts": at(3), "msg_type": 24, "part": "A", "name": "SART"},
            {"mmsi": 412000001, "ts": at(4), "msg_type": 5, "name": "A"},
            {"mmsi": 574000001, "ts": at(5), "msg_type": 5, "name": "B2"},
        ]
    )
    ids = vessel_identities(frame)
    assert ids.schema == pl.Schema(IDENTITY_SCHEMA)
    assert ids.get_column("mmsi").to_list() == [2470000, 412000001, 574000001, 970123456]
    assert ids.get_column("flag").to_list() == ["IT", "CN", "VN", None]
    assert ids.get_column("names").to_list() == [["STATION"], ["A"], ["B", "B2"], ["SART"]]


def test_empty_input_gives_an_empty_frame_of_the_schema() -> None:
    ids = vessel_identities(pl.DataFrame(pl.from_arrow(STATICS.empty_table())))
    assert ids.height == 0
    assert ids.schema == pl.Schema(IDENTITY_SCHEMA)


def test_arrow_table_input() -> None:
    table = statics([{"mmsi": 413000001, "ts": at(0), "msg_type": 5, "name": "X"}]).to_arrow()
    assert vessel_identities(table).get_column("name").to_list() == ["X"]


def test_missing_columns_raise() -> None:
    with pytest.raises(ParameterError, match="callsign"):
        vessel_identities(
            pl.DataFrame({"mmsi": [1], "ts": [T0], "name": ["x"], "imo": [1], "ship_type": [1]})
        )


def test_many_vessels_is_columnar_and_fast() -> None:
    import time

    n = 200_000
    frame = pl.DataFrame(
        {
            "mmsi": pl.Series([413_000_000 + i % 50_000 for i in range(n)], dtype=pl.UInt32),
            "ts": pl.datetime_range(T0, T0 + dt.timedelta(seconds=n - 1), "1s", eager=True),
            "name": [f"V{i % 50_000}-{i // 50_000}" for i in range(n)],
            "callsign": [None] * n,
            "imo": pl.Series([None] * n, dtype=pl.UInt32),
            "ship_type": pl.Series([30] * n, dtype=pl.UInt8),
        }
    )
    start = time.perf_counter()
    ids = vessel_identities(frame)
    elapsed = time.perf_counter() - start
    assert ids.height == 50_000
    assert ids.row(0, named=True)["name"] == "V0-3"
    assert ids.row(0, named=True)["names"] == ["V0-0", "V0-1", "V0-2", "V0-3"]
    assert elapsed < 3.0, elapsed
