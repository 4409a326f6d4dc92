from __future__ import annotations

import contextlib
import itertools
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonewatch.errors import FleetFileError, ParameterError
from zonewatch.vessels.fleets import Fleet, builtin_fleet, load_fleet

_counter = itertools.count()


def write(directory: Path, content: str | bytes, name: str = "fleet.csv") -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_happy_path(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "\ufeffName , MMSI,source,category\n"
        "HAIJING 2502,413555001,JCG photo,coast_guard\n"
        "\n"
        "# comment line\n"
        ",002470000,,base\n"
        '"SEA STAR, II",477000001,,escort\n',
    )
    fleet = load_fleet(str(path))
    assert fleet.name == "fleet.csv"
    assert dict(fleet.mmsis) == {
        413555001: ("coast_guard", "HAIJING 2502"),
        2470000: ("base", None),
        477000001: ("escort", "SEA STAR, II"),
    }
    assert fleet.member_sources[413555001] == "fleet file fleet.csv line 2"
    assert fleet.member_sources[2470000] == "fleet file fleet.csv line 5"
    assert fleet.name_patterns == ()
    members = fleet.members(
        pl.DataFrame({"mmsi": [], "names": [], "callsigns": [], "ship_type": [], "flag": []})
    )
    assert members.rows() == [
        (2470000, "base", None, "fleet file fleet.csv line 5"),
        (413555001, "coast_guard", "HAIJING 2502", "fleet file fleet.csv line 2"),
        (477000001, "escort", "SEA STAR, II", "fleet file fleet.csv line 6"),
    ]


def test_path_objects_and_builtin_names(tmp_path: Path) -> None:
    path = write(tmp_path, "mmsi,category,name\n413555001,coast_guard,X\n")
    assert load_fleet(path).mmsis[413555001] == ("coast_guard", "X")
    assert load_fleet("china-government") == builtin_fleet("china-government")
    assert load_fleet("japan-coast-guard").name == "japan-coast-guard"


def test_a_header_only_file_is_an_empty_fleet(tmp_path: Path) -> None:
    fleet = load_fleet(str(write(tmp_path, "mmsi,category,name\n")))
    assert dict(fleet.mmsis) == {}


def test_a_file_fleet_extends_a_builtin(tmp_path: Path) -> None:
    path = write(tmp_path, "mmsi,category,name\n413000002,exclude,\n413999999,coast_guard,\n")
    fleet = builtin_fleet("china-government").with_members(load_fleet(str(path)))
    ids = pl.DataFrame(
        {
            "mmsi": [413000001, 413000002],
            "names": [["HAIJING 1"], ["HAIJING TRAWLER"]],
            "callsigns": [[], []],
            "ship_type": [None, 30],
            "flag": ["CN", "CN"],
        },
        schema_overrides={"callsigns": pl.List(pl.String), "ship_type": pl.UInt8},
    )
    members = fleet.members(ids)
    assert members.get_column("mmsi").to_list() == [413000001, 413999999]
    assert members.get_column("matched_by").to_list()[1] == "fleet file fleet.csv line 3"
    assert fleet.to_dict()["excluded"] == [413000002]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", r"empty fleet file"),
        ("\n  \n\n", r"empty fleet file"),
        ("413555001,coast_guard,X\n", r"line 1: missing header"),
        ("mmsi,name\n413555001,X\n", r"line 1: header lacks column\(s\) category"),
        ("\nmmsi,category,nom\n", r"line 2: header lacks column\(s\) name"),
        ("mmsi,category,name,mmsi\n", r"line 1: header repeats column\(s\) mmsi"),
        ("mmsi,category,name\n41355500,cg,X\n", r"line 2: mmsi '41355500' is not a 9-digit"),
        ("mmsi,category,name\n4135550011,cg,X\n", r"line 2: mmsi '4135550011' is not a 9-digit"),
        ("mmsi,category,name\n\n41355500x,cg,X\n", r"line 3: mmsi '41355500x' is not a 9-digit"),
        ("mmsi,category,name\n4.13e+08,cg,X\n", r"line 2: mmsi '4.13e\+08' is not a 9-digit"),
        ("mmsi,category,name\n-13555001,cg,X\n", r"line 2: mmsi '-13555001' is not a 9-digit"),
        ("mmsi,category,name\n,cg,X\n", r"line 2: mmsi '' is not a 9-digit"),
        ("mmsi,category,name\n413555001, ,X\n", r"line 2: empty category for mmsi 413555001"),
        (
            "mmsi,category,name\n413555001,cg,X\n413555002,cg,Y\n413555001,cg,Z\n",
            r"line 4: duplicate mmsi 413555001 \(first on line 2\)",
        ),
        ("mmsi,category,name\n413555001,cg\n", r"line 2: expected 3 fields .* found 2"),
        ("mmsi,category,name\n413555001,cg,X,extra\n", r"line 2: expected 3 fields .* found 4"),
        ('mmsi,category,name\n413555001,cg,"X\n', r"line 2: malformed CSV: unexpected end"),
        ('mmsi,category,name\n413555001,cg,"X\n413555002,cg,Y\n', r"line 2: malformed CSV"),
        ('mmsi,category,name\n413555001,cg,"X\n413555002",cg\n', r"line 2: .* runs to line 3"),
        ('mmsi,category,name\n413555001,cg,"X"Y\n', r"line 2: malformed CSV"),
        ("mmsi,category,name\n413555001,cg,X\x00\n", r"line 2: NUL character"),
    ],
)
def test_errors_name_the_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path, content)
    with pytest.raises(FleetFileError, match=message) as info:
        load_fleet(str(path))
    assert str(path) in str(info.value)


def test_non_utf8_bytes_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, b"mmsi,category,name\n413555001,cg,X\n413555002,cg,\xff\xfe\n")
    with pytest.raises(FleetFileError, match=r"line 3: not UTF-8"):
        load_fleet(str(path))


def test_missing_file_names_the_builtins(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(FleetFileError, match="no such file") as info:
        load_fleet(str(missing))
    assert "china-government" in str(info.value)
    assert str(missing) in str(info.value)
    with pytest.raises(FleetFileError, match="china-government, japan-coast-guard"):
        load_fleet("chinese-navy")


def test_a_directory_is_not_a_fleet_file(tmp_path: Path) -> None:
    with pytest.raises(FleetFileError, match="not a regular file"):
        load_fleet(str(tmp_path))


def test_fleet_file_errors_are_value_errors_not_parameter_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    with pytest.raises(ValueError, match="empty") as info:
        load_fleet(str(path))
    assert not isinstance(info.value, ParameterError)


_cells = st.one_of(
    st.sampled_from(
        ["413555001", "002470000", "4135550", "", " ", "cg", "exclude", "#x", '"', "a,b"]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)
_rows = st.lists(st.lists(_cells, min_size=0, max_size=5), max_size=8)
_headers = st.sampled_from(
    ["mmsi,category,name", "name,mmsi,category,extra", "MMSI, Category ,NAME", "mmsi,category", ""]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(header=_headers, rows=_rows, newline=st.sampled_from(["\n", "\r\n"]))
def test_random_rows_raise_nothing_but_fleet_file_error(
    tmp_path: Path, header: str, rows: list[list[str]], newline: str
) -> None:
    text = newline.join([header, *(",".join(r) for r in rows)])
    path = write(tmp_path, text, name=f"random{next(_counter)}.csv")
    fleet: Fleet | None = None
    message = ""
    try:
        fleet = load_fleet(str(path))
    except FleetFileError as err:
        message = str(err)
    if fleet is None:
        assert str(path) in message
        return
    for mmsi, (category, name) in fleet.mmsis.items():
        assert 0 <= mmsi <= 999_999_999
        assert category
        assert category == category.strip()
        assert name is None or name == name.strip()
        assert name != ""


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=200))
def test_random_bytes_raise_nothing_but_fleet_file_error(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, data, name=f"bytes{next(_counter)}.csv")
    with contextlib.suppress(FleetFileError):
        load_fleet(str(path))
