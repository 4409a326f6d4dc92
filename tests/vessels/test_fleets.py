from __future__ import annotations

import copy
import pickle
import time

import polars as pl
import pytest

from zonewatch.errors import ParameterError
from zonewatch.vessels.fleets import (
    BUILTIN_FLEETS,
    MEMBERS_SCHEMA,
    Fleet,
    FleetMember,
    builtin_fleet,
    is_fishing,
    normalise_text,
)

CN, JP = 413000001, 431000001


def identities(
    rows: list[tuple[int, list[str], list[str], int | None, str | None]],
) -> pl.DataFrame:
    """Identity rows ``(mmsi, names, callsigns, ship_type, flag)``; name = last name."""
    return pl.DataFrame(
        {
            "mmsi": [r[0] for r in rows],
            "name": [r[1][-1] if r[1] else None for r in rows],
            "names": [r[1] for r in rows],
            "callsigns": [r[2] for r in rows],
            "ship_type": [r[3] for r in rows],
            "flag": [r[4] for r in rows],
        },
        schema={
            "mmsi": pl.UInt32,
            "name": pl.String,
            "names": pl.List(pl.String),
            "callsigns": pl.List(pl.String),
            "ship_type": pl.UInt8,
            "flag": pl.String,
        },
    )


def one(
    name: str, *, mmsi: int = CN, flag: str | None = "CN", ship_type: int | None = None
) -> pl.DataFrame:
    return identities([(mmsi, [name], [], ship_type, flag)])


CHINA = builtin_fleet("china-government")
JCG = builtin_fleet("japan-coast-guard")


@pytest.mark.parametrize(
    ("name", "pattern", "category"),
    [
        ("CHINA COAST GUARD 2502", "CHINACOASTGUARD", "coast_guard"),
        ("China Coast-Guard 2302", "CHINACOASTGUARD", "coast_guard"),
        ("CHINACOASTGUARD2401", "CHINACOASTGUARD", "coast_guard"),
        ("ZHONG GUO HAI JING 1401", "ZHONGGUOHAIJING", "coast_guard"),
        ("zhongguohaijing2502", "ZHONGGUOHAIJING", "coast_guard"),
        ("Hai Jing 2502", "HAIJING", "coast_guard"),
        ("HAIJING2502", "HAIJING", "coast_guard"),
        ("CCG-HAIJING 2502", "HAIJING", "coast_guard"),
        ("2502HAIJING", "HAIJING", "coast_guard"),
        ("@@HAI.JING 31239", "HAIJING", "coast_guard"),
        ("CHINA MARINE SURVEILLANCE 50", "CHINAMARINESURVEILLANCE", "marine_surveillance"),
        ("ZHONGGUO HAIJIAN 66", "ZHONGGUOHAIJIAN", "marine_surveillance"),
        ("HAI JIAN 51", "HAIJIAN", "marine_surveillance"),
        ("CHINA FISHERIES LAW ENFORCEMENT 206", "CHINAFISHERIESLAW", "fisheries_law_enforcement"),
        ("ZHONG GUO YU ZHENG 310", "ZHONGGUOYUZHENG", "fisheries_law_enforcement"),
        ("YUZHENG 202", "YUZHENG", "fisheries_law_enforcement"),
    ],
)
def test_china_government_name_patterns(name: str, pattern: str, category: str) -> None:
    members = CHINA.members(one(name))
    assert members.get_column("mmsi").to_list() == [CN]
    row = members.row(0, named=True)
    assert row["category"] == category
    assert row["name"] == name
    assert row["matched_by"] == f"name pattern {pattern} (name '{name}', flag CN)"


@pytest.mark.parametrize(
    "name",
    [
        "MIN JIN YU 05",  # a Chinese fishing boat
        "SHANGHAI JINGHUA",  # contains HAIJING only across a word boundary
        "SHANGHAIJIANG 3",
        "COSCO SHIPPING ARIES",
        "CHINA COAST",
        "HAI 2502 JING",
        "",
    ],
)
def test_chinese_non_government_names_do_not_match(name: str) -> None:
    assert CHINA.members(one(name, ship_type=30)).height == 0


@pytest.mark.parametrize(("mmsi", "flag"), [(JP, "JP"), (416000001, "TW"), (477000001, "HK")])
def test_pattern_rules_apply_only_to_the_fleets_flags(mmsi: int, flag: str) -> None:
    ids = one("CHINA COAST GUARD 2502", mmsi=mmsi, flag=flag, ship_type=55)
    assert CHINA.members(ids).height == 0


def test_pattern_rules_apply_only_to_ship_mmsis() -> None:
    ids = identities(
        [
            (4130001, ["HAIJING BASE"], [], None, "CN"),  # 004130001 base station
            (984131234, ["HAIJING 2502 BOAT"], [], None, "CN"),  # craft of a parent ship
            (111413001, ["HAIJING HELI"], [], 55, "CN"),  # SAR aircraft
        ]
    )
    assert CHINA.members(ids).height == 0


def test_ship_type_55_with_china_flag_matches() -> None:
    members = CHINA.members(one("ZHE TAI 888", ship_type=55))
    assert members.row(0, named=True) == {
        "mmsi": CN,
        "category": "law_enforcement",
        "name": "ZHE TAI 888",
        "matched_by": "ship type 55 law enforcement vessel (flag CN)",
    }


def test_a_vessel_matches_when_any_of_its_names_matches() -> None:
    ids = identities([(CN, ["HAIJING 2301", "FISHER 1"], [], 30, "CN")])
    row = CHINA.members(ids).row(0, named=True)
    assert row["name"] == "FISHER 1"  # the latest name
    assert row["matched_by"] == "name pattern HAIJING (name 'HAIJING 2301', flag CN)"


def test_the_first_pattern_in_order_is_reported() -> None:
    ids = identities([(CN, ["HAIJING 1", "CHINA COAST GUARD 1"], [], 55, "CN")])
    assert (
        CHINA.members(ids)
        .row(0, named=True)["matched_by"]
        .startswith("name pattern CHINACOASTGUARD ")
    )


def test_callsign_patterns_match_the_start_of_the_callsign() -> None:
    fleet = Fleet("test", {}, (), ("BCG",), frozenset({"CN"}))
    ids = identities(
        [
            (CN, ["A"], ["b-cg 2501"], None, "CN"),
            (413000002, ["B"], ["XBCG"], None, "CN"),
            (413000003, ["C"], [], None, "CN"),
        ]
    )
    members = fleet.members(ids)
    assert members.get_column("mmsi").to_list() == [CN]
    assert members.row(0, named=True)["matched_by"] == (
        "callsign pattern BCG (callsign 'b-cg 2501', flag CN)"
    )
    assert members.row(0, named=True)["category"] == "government"


def test_empty_flags_mean_any_flag() -> None:
    fleet = Fleet("any", {}, ("PATROL",), (), frozenset())
    ids = identities(
        [(CN, ["PATROL 1"], [], None, "CN"), (200123456, ["PATROL 2"], [], None, None)]
    )
    members = fleet.members(ids)
    assert members.get_column("mmsi").to_list() == [200123456, CN]
    assert members.get_column("matched_by").to_list()[0] == (
        "name pattern PATROL (name 'PATROL 2', flag unknown)"
    )


def test_explicit_members_without_statics_and_precedence() -> None:
    fleet = CHINA.with_members(
        Fleet(
            "file",
            {
                413999999: ("coast_guard", "HAIJING 9999"),  # never seen
                CN: ("militia", None),  # overrides the pattern rule
                413000002: ("exclude", None),  # a false positive
            },
            member_sources={CN: "fleet file f.csv line 2"},
        )
    )
    ids = identities(
        [
            (CN, ["HAIJING 2502"], [], 55, "CN"),
            (413000002, ["HAIJING TRAWLER"], [], 30, "CN"),
            (413000003, ["HAIJING 1305"], [], None, "CN"),
        ]
    )
    members = fleet.members(ids)
    assert members.schema == pl.Schema(MEMBERS_SCHEMA)
    assert members.rows() == [
        (CN, "militia", "HAIJING 2502", "fleet file f.csv line 2"),
        (
            413000003,
            "coast_guard",
            "HAIJING 1305",
            "name pattern HAIJING (name 'HAIJING 1305', flag CN)",
        ),
        (413999999, "coast_guard", "HAIJING 9999", "fleet file member list"),
    ]
    records = fleet.member_records(ids)
    assert records[0] == FleetMember(CN, "militia", "HAIJING 2502", "fleet file f.csv line 2")


def test_explicit_members_with_an_empty_identity_frame() -> None:
    ids = identities([])
    fleet = Fleet("f", {477000001: ("escort", "SEA STAR")})
    assert fleet.members(ids).rows() == [(477000001, "escort", "SEA STAR", "fleet f member list")]
    assert CHINA.members(ids).height == 0
    assert CHINA.members(ids).schema == pl.Schema(MEMBERS_SCHEMA)


def test_vessel_identities_output_is_accepted() -> None:
    ids = pl.DataFrame(
        {
            "mmsi": pl.Series([CN], dtype=pl.UInt32),
            "name": ["HAI JING 2502"],
            "callsign": [None],
            "imo": pl.Series([None], dtype=pl.UInt32),
            "ship_type": pl.Series([None], dtype=pl.UInt8),
            "names": [["HAI JING 2502"]],
            "callsigns": pl.Series([[]], dtype=pl.List(pl.String)),
            "flag": ["CN"],
        }
    )
    assert CHINA.members(ids).get_column("mmsi").to_list() == [CN]


def test_missing_identity_columns_raise() -> None:
    with pytest.raises(ParameterError, match="flag"):
        CHINA.members(
            pl.DataFrame({"mmsi": [CN], "names": [["X"]], "callsigns": [["Y"]], "ship_type": [1]})
        )


@pytest.mark.parametrize(
    ("name", "member"),
    [
        ("JAPAN COAST GUARD", True),
        ("JCG HATERUMA", True),
        ("PLH09 RYUKYU", True),
        ("PL 61 HATERUMA", True),
        ("PM-21", True),
        ("APPLE 1", False),
        ("PL HATERUMA", False),
        ("SUPPLY 1", False),
        ("KAIYO MARU 5", False),
    ],
)
def test_japan_coast_guard_patterns(name: str, member: bool) -> None:
    assert (JCG.members(one(name, mmsi=JP, flag="JP")).height == 1) is member
    assert JCG.members(one(name, mmsi=CN, flag="CN")).height == 0


def test_japan_coast_guard_ignores_ship_type_55() -> None:
    assert JCG.members(one("AICHI POLICE 1", mmsi=JP, flag="JP", ship_type=55)).height == 0


def test_unknown_builtin_lists_the_builtins() -> None:
    with pytest.raises(ParameterError, match="china-government, japan-coast-guard"):
        builtin_fleet("navy")
    assert BUILTIN_FLEETS == ("china-government", "japan-coast-guard")


def test_builtin_fleet_rules() -> None:
    assert CHINA.flags == frozenset({"CN"})
    assert CHINA.ship_types == frozenset({55})
    assert CHINA.callsign_patterns == ()
    for pattern in ("CHINACOASTGUARD", "ZHONGGUOHAIJING", "HAIJING", "HAIJIAN", "YUZHENG"):
        assert pattern in CHINA.name_patterns
    assert JCG.flags == frozenset({"JP"})
    assert hash(CHINA) == hash(builtin_fleet("china-government"))
    assert CHINA == builtin_fleet("china-government")
    assert CHINA.to_dict()["flags"] == ["CN"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name_patterns": ("China Coast Guard",)},
        {"name_patterns": ("#",)},
        {"callsign_patterns": ("",)},
        {"flags": frozenset({"CHN"})},
        {"ship_types": frozenset({300})},
        {"mmsis": {1_000_000_000: ("x", None)}},
        {"mmsis": {CN: ("", None)}},
    ],
)
def test_invalid_fleets_raise(kwargs: dict[str, object]) -> None:
    with pytest.raises(ParameterError):
        Fleet("bad", **kwargs)  # type: ignore[arg-type]


def test_fleet_is_immutable() -> None:
    with pytest.raises(TypeError):
        CHINA.mmsis[1] = ("x", None)  # type: ignore[index]


def test_fleets_pickle_and_copy() -> None:
    fleet = CHINA.with_members(Fleet("f", {CN: ("cg", None)}, member_sources={CN: "line 2"}))
    clone = pickle.loads(pickle.dumps(fleet))
    assert clone == fleet
    assert clone.member_sources == {CN: "line 2"}
    assert copy.deepcopy(fleet) == fleet


def test_with_members_refuses_rule_fleets() -> None:
    with pytest.raises(ParameterError, match="explicit members"):
        CHINA.with_members(JCG)


def test_normalise_text() -> None:
    assert normalise_text("Zhong-Guo hai jing_2502!") == "ZHONGGUOHAIJING2502"


def test_is_fishing() -> None:
    ids = identities(
        [
            (1, [], [], 30, None),
            (2, [], [], 55, None),
            (3, [], [], None, None),
            (4, [], [], 31, None),
        ]
    )
    series = is_fishing(ids)
    assert series.name == "is_fishing"
    assert series.to_list() == [True, False, False, False]


def test_members_on_many_vessels_is_fast() -> None:
    n = 100_000
    rows = [
        (
            413_000_000 + i,
            [f"HAI JING {i}" if i % 1000 == 0 else f"MIN YU {i}", f"SHIP {i}"],
            [f"B{i}"],
            55 if i % 5000 == 1 else 30,
            "CN",
        )
        for i in range(n)
    ]
    ids = identities(rows)
    start = time.perf_counter()
    members = CHINA.members(ids)
    elapsed = time.perf_counter() - start
    assert members.height == 100 + 20
    assert elapsed < 5.0, elapsed


def test_with_members_replaces_the_source_of_an_overridden_member() -> None:
    first = Fleet("a", {CN: ("x", None)}, member_sources={CN: "fleet file a.csv line 2"})
    merged = first.with_members(Fleet("b", {CN: ("y", None)}))
    assert merged.mmsis[CN] == ("y", None)
    assert merged.member_sources[CN] == "fleet b member list"
