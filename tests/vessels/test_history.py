"""Static-data history, identity as of a time, and fleet membership over time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from zonewatch.errors import FleetFileError, ParameterError
from zonewatch.vessels.fleets import MEMBERSHIP_SCHEMA, Fleet, builtin_fleet, load_fleet
from zonewatch.vessels.history import (
    HISTORY_SCHEMA,
    identities_as_of,
    identity_as_of,
    identity_history,
)
from zonewatch.vessels.membership import member_fixes

T0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
RENAMED = 413000001  # a fishing boat renamed into a CCG name on day 10
CCG = 413000002
JP = 431000003


def day(n: float) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def statics(
    rows: list[tuple[int, float, str | None, str | None, int | None, int | None]],
) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "mmsi": [r[0] for r in rows],
            "ts": [day(r[1]) for r in rows],
            "name": [r[2] for r in rows],
            "callsign": [r[3] for r in rows],
            "imo": [r[4] for r in rows],
            "ship_type": [r[5] for r in rows],
        },
        schema={
            "mmsi": pl.UInt32,
            "ts": pl.Datetime("ms", "UTC"),
            "name": pl.String,
            "callsign": pl.String,
            "imo": pl.UInt32,
            "ship_type": pl.UInt8,
        },
    )


HISTORY = statics(
    [
        (RENAMED, 0, "MIN SHI YU 88@@@", "BZ88", None, 30),
        (RENAMED, 5, "MIN SHI YU 88", None, None, None),  # same identity: no new episode
        (RENAMED, 10, "HAI JING 2305", None, 0, None),
        (RENAMED, 20, "HAI JING 2305", "BCG23", 9000001, None),
        (CCG, 2, "CHINA COAST GUARD 2502", None, None, 55),
        (JP, 1, "DAI ICHI MARU", None, None, 30),
    ]
)


def test_history_episodes() -> None:
    h = identity_history(HISTORY)
    assert h.schema == pl.Schema(HISTORY_SCHEMA)
    renamed = h.filter(pl.col("mmsi") == RENAMED)
    assert renamed.select("valid_from", "valid_to", "name", "callsign", "imo").rows() == [
        (None, day(10), "MIN SHI YU 88", "BZ88", None),
        (day(10), day(20), "HAI JING 2305", "BZ88", None),
        (day(20), None, "HAI JING 2305", "BCG23", 9000001),
    ]
    # the ship type carries forward through reports that leave it out
    assert renamed["ship_type"].to_list() == [30, 30, 30]
    assert h.filter(pl.col("mmsi") == CCG).select("valid_from", "valid_to").rows() == [(None, None)]


def test_identity_as_of() -> None:
    assert identity_as_of(HISTORY, RENAMED, day(-3))["name"] == "MIN SHI YU 88"
    assert identity_as_of(HISTORY, RENAMED, day(9.99))["name"] == "MIN SHI YU 88"
    assert identity_as_of(HISTORY, RENAMED, day(10))["name"] == "HAI JING 2305"
    assert identity_as_of(HISTORY, RENAMED, day(30))["callsign"] == "BCG23"
    assert identity_as_of(HISTORY, 999999999, day(1)) is None
    with pytest.raises(ParameterError, match="tz-aware"):
        identity_as_of(HISTORY, RENAMED, dt.datetime(2024, 3, 1))  # noqa: DTZ001


def test_identities_as_of_is_a_vectorized_join() -> None:
    positions = pl.DataFrame(
        {
            "mmsi": [RENAMED, JP, RENAMED, 123456789, RENAMED],
            "ts": [day(1), day(1), day(15), day(1), day(25)],
            "lon": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    got = identities_as_of(positions, HISTORY)
    assert got["lon"].to_list() == [1.0, 2.0, 3.0, 4.0, 5.0]  # input order kept
    assert got["name"].to_list() == [
        "MIN SHI YU 88",
        "DAI ICHI MARU",
        "HAI JING 2305",
        None,
        "HAI JING 2305",
    ]
    assert got["imo"].to_list() == [None, None, None, None, 9000001]


def test_renamed_vessel_is_a_member_only_from_its_new_name() -> None:
    m = builtin_fleet("china-government").membership(HISTORY)
    assert m.schema == pl.Schema(MEMBERSHIP_SCHEMA)
    renamed = m.filter(pl.col("mmsi") == RENAMED)
    # episodes 2 and 3 match the same rule and are joined into one period
    assert renamed.select("valid_from", "valid_to").rows() == [(day(10), None)]
    assert renamed["matched_by"][0] == "name pattern HAIJING (name 'HAI JING 2305', flag CN)"
    ccg = m.filter(pl.col("mmsi") == CCG)
    assert ccg.select("valid_from", "valid_to").rows() == [(None, None)]
    assert JP not in m["mmsi"].to_list()
    # members() still answers "ever a member" from every name broadcast
    from zonewatch.vessels.identity import vessel_identities

    ever = builtin_fleet("china-government").members(vessel_identities(HISTORY))
    assert sorted(ever["mmsi"].to_list()) == [RENAMED, CCG]


def test_member_fixes_follow_the_membership_period() -> None:
    m = builtin_fleet("china-government").membership(HISTORY)
    fixes = pl.DataFrame(
        {
            "mmsi": [RENAMED] * 4 + [CCG, JP],
            "ts": [day(1), day(9), day(11), day(21), day(1), day(1)],
            "lon": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
        }
    ).with_columns(pl.col("mmsi").cast(pl.UInt32), pl.col("ts").cast(pl.Datetime("ms", "UTC")))
    got = member_fixes(fixes, m)
    assert got["lon"].to_list() == [2.0, 3.0, 4.0]
    assert got.columns == fixes.columns


def test_name_leaving_the_pattern_ends_membership() -> None:
    history = statics(
        [
            (RENAMED, 0, "HAI JING 1", None, None, 30),
            (RENAMED, 4, "ZHE DAI YU 5", None, None, 30),
            (RENAMED, 8, "HAI JING 1", None, None, 30),
        ]
    )
    m = builtin_fleet("china-government").membership(history)
    assert m.select("valid_from", "valid_to").rows() == [(None, day(4)), (day(8), None)]


def test_mmsi_rules_keep_all_times_and_exclusions_win() -> None:
    fleet = Fleet(
        "watch",
        {RENAMED: ("escort", "X"), CCG: ("exclude", None)},
        name_patterns=("HAIJING", "CHINACOASTGUARD"),
        flags=frozenset({"CN"}),
    )
    m = fleet.membership(HISTORY)
    assert m.select("mmsi", "category", "valid_from", "valid_to").rows() == [
        (RENAMED, "escort", None, None)
    ]


def test_regex_and_imo_rules() -> None:
    fleet = Fleet(
        "re",
        name_regexes=(r"^min shi yu \d+$",),
        imos=frozenset({9000001}),
        flags=frozenset({"CN"}),
    )
    m = fleet.membership(HISTORY)
    assert m.select("matched_by", "valid_from", "valid_to").rows() == [
        ("name regex ^min shi yu \\d+$ (name 'MIN SHI YU 88', flag CN)", None, day(10)),
        ("IMO 9000001 (flag CN)", day(20), None),
    ]
    with pytest.raises(ParameterError, match="does not compile"):
        Fleet("bad", name_regexes=("(",))
    with pytest.raises(ParameterError, match="7-digit"):
        Fleet("bad", imos=frozenset({12}))


YAML = """
name: watch-list
category: coast_guard
members:
  - {mmsi: 477000001, category: escort, name: SEA STAR}
  - 477000002
exclude: [413000002]
flags: [cn]
name_patterns: [Hai Jing]
name_regex: ['^min shi yu']
imo: [9000001]
ship_types: [55]
"""


def test_yaml_fleet_file(tmp_path: Path) -> None:
    path = tmp_path / "watch.yaml"
    path.write_text(YAML, encoding="utf-8")
    fleet = load_fleet(path)
    assert fleet.name == "watch-list"
    assert fleet.name_patterns == ("HAIJING",)
    assert fleet.name_regexes == ("^min shi yu",)
    assert fleet.flags == frozenset({"CN"})
    assert fleet.imos == frozenset({9000001})
    assert fleet.mmsis[477000001] == ("escort", "SEA STAR")
    assert fleet.mmsis[477000002] == ("member", None)
    m = fleet.membership(HISTORY)
    rows = m.select("mmsi", "matched_by").rows()
    assert (477000001, "fleet file watch.yaml members[0]") in rows
    assert CCG not in m["mmsi"].to_list()  # excluded although ship type 55 and its name match
    renamed = [r[1] for r in rows if r[0] == RENAMED]
    assert renamed[0].startswith("name regex ^min shi yu")  # until day 10
    assert renamed[1].startswith("name pattern HAIJING")  # from day 10


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: [unclosed\n", r"line \d+: malformed YAML"),
        ("- 413000001\n", "must be a mapping"),
        ("members: [12]\n", r"members\[0\]: mmsi 12 is not a 9-digit number"),
        ("colour: red\nmembers: [413000001]\n", "unknown key"),
        ("flags: CN\n", "'flags' must be a list"),
        ("ship_types: [fifty]\n", r"ship_types\[0\] must be an integer"),
        ("name_regex: ['(']\n", "does not compile"),
        ("name: empty\n", "defines no member and no rule"),
        ("members: [413000001, 413000001]\n", "duplicate mmsi"),
    ],
)
def test_bad_yaml_fleet_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FleetFileError, match=message) as info:
        load_fleet(path)
    assert str(info.value).startswith(str(path))
