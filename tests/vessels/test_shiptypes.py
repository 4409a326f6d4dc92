from __future__ import annotations

import numpy as np
import pytest

from zonewatch.vessels.shiptypes import (
    SHIP_TYPE_CATEGORIES,
    ship_type_categories,
    ship_type_category,
    ship_type_name,
)


@pytest.mark.parametrize(
    ("code", "category"),
    [
        (None, "unknown"),
        (0, "unknown"),
        (1, "unknown"),
        (19, "unknown"),
        (20, "wing_in_ground"),
        (24, "wing_in_ground"),
        (29, "wing_in_ground"),
        (30, "fishing"),
        (31, "towing"),
        (32, "towing"),
        (33, "dredging"),
        (34, "diving"),
        (35, "military"),
        (36, "sailing"),
        (37, "pleasure"),
        (38, "unknown"),
        (39, "unknown"),
        (40, "high_speed"),
        (49, "high_speed"),
        (50, "pilot"),
        (51, "search_and_rescue"),
        (52, "tug"),
        (53, "port_tender"),
        (54, "anti_pollution"),
        (55, "law_enforcement"),
        (56, "other"),
        (57, "other"),
        (58, "medical"),
        (59, "other"),
        (60, "passenger"),
        (69, "passenger"),
        (70, "cargo"),
        (79, "cargo"),
        (80, "tanker"),
        (84, "tanker"),
        (89, "tanker"),
        (90, "other"),
        (99, "other"),
        (100, "unknown"),
        (199, "unknown"),
        (200, "unknown"),
        (255, "unknown"),
        (256, "unknown"),
        (-1, "unknown"),
    ],
)
def test_category(code: int | None, category: str) -> None:
    assert ship_type_category(code) == category


@pytest.mark.parametrize(
    ("code", "name"),
    [
        (None, "Not available"),
        (0, "Not available"),
        (30, "Fishing"),
        (52, "Tug"),
        (55, "Law enforcement vessel"),
        (20, "Wing in ground (WIG), all ships of this type"),
        (27, "Wing in ground (WIG), reserved for future use"),
        (41, "High speed craft (HSC), hazardous category A"),
        (49, "High speed craft (HSC), no additional information"),
        (60, "Passenger, all ships of this type"),
        (66, "Passenger, reserved for future use"),
        (73, "Cargo, hazardous category C"),
        (84, "Tanker, hazardous category D"),
        (99, "Other type, no additional information"),
        (38, "Reserved for future use"),
        (150, "Reserved for regional use"),
        (255, "Reserved for future use"),
        (300, "Invalid ship type code 300"),
    ],
)
def test_name(code: int | None, name: str) -> None:
    assert ship_type_name(code) == name


def test_every_code_has_a_name_and_a_known_category() -> None:
    for code in range(256):
        assert ship_type_name(code)
        assert ship_type_category(code) in SHIP_TYPE_CATEGORIES


def test_vectorized_agrees_with_scalar() -> None:
    codes = np.arange(-3, 260)
    expected = [ship_type_category(int(c)) for c in codes]
    assert ship_type_categories(codes).tolist() == expected
    assert ship_type_categories(np.array([30.0, np.nan, 55.5])).tolist() == [
        "fishing",
        "unknown",
        "unknown",
    ]
    assert ship_type_categories(np.array([55, None], dtype=object)).tolist() == [
        "law_enforcement",
        "unknown",
    ]
