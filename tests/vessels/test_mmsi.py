from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zonewatch.errors import ParameterError
from zonewatch.vessels.mid_table import MID_TABLE
from zonewatch.vessels.mmsi import (
    MMSI_KINDS,
    flag_of,
    flags_of,
    mid_of,
    mids_of,
    mmsi_kind,
    mmsi_kinds,
)


@pytest.mark.parametrize(
    ("mmsi", "kind", "mid"),
    [
        (413123456, "ship", 413),
        (431000001, "ship", 431),
        (775999999, "ship", 775),
        (201000000, "ship", 201),
        (200123456, "ship", 200),  # MID form, not allocated
        (2470000, "base_station", 247),  # 002470000
        (4310001, "base_station", 431),  # 004310001
        (41312345, "group", 413),  # 041312345
        (24700000, "group", 247),  # 024700000
        (111232506, "sar_aircraft", 232),
        (111413001, "sar_aircraft", 413),
        (992351000, "aid_to_navigation", 235),
        (994311234, "aid_to_navigation", 431),
        (982351000, "craft_associated", 235),
        (984131234, "craft_associated", 413),
        (970123456, "sart", None),
        (972123456, "mob", None),
        (974123456, "epirb", None),
        (123, "invalid", None),
        (0, "invalid", None),
        (-413123456, "invalid", None),
        (1_000_000_000, "invalid", None),
        (123456789, "invalid", None),  # 1xx but not 111MID
        (111012345, "invalid", None),  # 111 + MID starting with 0
        (812345678, "invalid", None),  # 8MID handheld: not a kind we tell apart
        (912345678, "invalid", None),
        (991234567, "invalid", None),  # 99 + MID starting with 1
        (975123456, "invalid", None),
        (1234567, "invalid", None),  # 001234567: 00 + MID starting with 1
        (999999, "invalid", None),  # 000999999
    ],
)
def test_kind_and_mid(mmsi: int, kind: str, mid: int | None) -> None:
    assert mmsi_kind(mmsi) == kind
    assert mid_of(mmsi) == mid


@pytest.mark.parametrize(
    ("mmsi", "flag"),
    [
        (412000001, "CN"),
        (413555001, "CN"),
        (414000001, "CN"),
        (431000001, "JP"),
        (432000001, "JP"),
        (416000001, "TW"),
        (477000001, "HK"),
        (453000001, "MO"),
        (548000001, "PH"),
        (574000001, "VN"),
        (2470000, "IT"),
        (111232506, "GB"),
        (992351000, "GB"),
        (200123456, None),
        (970123456, None),
        (123, None),
    ],
)
def test_flag_of(mmsi: int, flag: str | None) -> None:
    assert flag_of(mmsi) == flag


def test_numpy_scalars_are_accepted() -> None:
    assert flag_of(np.uint32(413000001)) == "CN"
    assert mmsi_kind(np.int64(2470000)) == "base_station"


def test_non_integers_are_rejected() -> None:
    with pytest.raises(ParameterError, match="integer"):
        mmsi_kind("413000001")  # type: ignore[arg-type]
    assert mmsi_kind(True) == "invalid"


def test_flags_of_integer_arrays() -> None:
    mmsi = np.array([413000001, 431000001, 2470000, 970123456, 123, 200123456], dtype=np.uint32)
    assert flags_of(mmsi).tolist() == ["CN", "JP", "IT", None, None, None]
    assert flags_of(mmsi).dtype == object
    assert flags_of(mmsi.astype(np.int64)).tolist() == flags_of(mmsi).tolist()


def test_flags_of_missing_values() -> None:
    assert flags_of(np.array([413000001.0, np.nan, 1.5])).tolist() == ["CN", None, None]
    assert flags_of(np.array([413000001, None], dtype=object)).tolist() == ["CN", None]
    assert mmsi_kinds(np.array([None, 2470000], dtype=object)).tolist() == [
        "invalid",
        "base_station",
    ]
    assert flags_of(np.array([], dtype=np.int64)).tolist() == []
    assert flags_of(np.array([[413000001], [431000001]])).shape == (2, 1)


def test_flags_of_rejects_strings() -> None:
    with pytest.raises(ParameterError):
        flags_of(np.array(["413000001"]))
    with pytest.raises(ParameterError):
        flags_of(np.array([True]))


def test_every_allocated_mid_maps_through_every_form() -> None:
    mids = np.array(sorted(MID_TABLE), dtype=np.int64)
    forms = {
        "ship": mids * 1_000_000 + 123_456,
        "group": mids * 100_000 + 12_345,
        "base_station": mids * 10_000 + 1_234,
        "sar_aircraft": 111_000_000 + mids * 1_000 + 123,
        "aid_to_navigation": 990_000_000 + mids * 10_000 + 1_234,
        "craft_associated": 980_000_000 + mids * 10_000 + 1_234,
    }
    expected_flags = [MID_TABLE[int(m)][0] for m in mids]
    for kind, mmsi in forms.items():
        assert (mmsi_kinds(mmsi) == kind).all(), kind
        assert mids_of(mmsi).tolist() == mids.tolist(), kind
        assert flags_of(mmsi).tolist() == expected_flags, kind


@given(st.integers(min_value=-(10**10), max_value=10**10))
def test_scalar_and_vectorized_agree(mmsi: int) -> None:
    kind = mmsi_kind(mmsi)
    assert kind in MMSI_KINDS
    assert mmsi_kinds(np.array([mmsi], dtype=np.int64))[0] == kind
    mid = mid_of(mmsi)
    assert mids_of(np.array([mmsi], dtype=np.int64))[0] == (-1 if mid is None else mid)
    assert flags_of(np.array([mmsi], dtype=np.int64))[0] == flag_of(mmsi)
    if mid is not None:
        assert 200 <= mid <= 799
        assert str(mid) in f"{mmsi:09d}"
    if kind == "ship":
        assert mid == mmsi // 1_000_000


def test_flags_of_is_fast_on_a_million_mmsis() -> None:
    import time

    rng = np.random.default_rng(0)
    mmsi = rng.integers(0, 1_000_000_000, size=1_000_000, dtype=np.int64)
    start = time.perf_counter()
    flags = flags_of(mmsi)
    elapsed = time.perf_counter() - start
    assert flags.shape == (1_000_000,)
    ships = mmsi[mmsi // 1_000_000 == 413]
    assert set(flags_of(ships).tolist()) <= {"CN"}
    assert elapsed < 2.0, elapsed
