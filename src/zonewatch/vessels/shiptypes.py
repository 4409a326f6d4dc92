"""AIS ship and cargo types (ITU-R M.1371, table of type-of-ship codes).

The ship type is an 8-bit field of AIS messages 5, 19 and 24B. Its tens digit
gives the kind of ship for 20-99 (the units digit a hazardous-cargo category or
a more precise kind); 0 is "not available", 1-19 and 200-255 are reserved for
future use, 100-199 for regional use. :func:`ship_type_category` folds the
codes into the categories zonewatch reasons about (for example ``55`` is
``"law_enforcement"``, ``30`` is ``"fishing"``).
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

__all__ = [
    "SHIP_TYPE_CATEGORIES",
    "ShipTypeCategory",
    "ship_type_categories",
    "ship_type_category",
    "ship_type_name",
]

ShipTypeCategory = Literal[
    "wing_in_ground",
    "fishing",
    "towing",
    "dredging",
    "diving",
    "military",
    "sailing",
    "pleasure",
    "high_speed",
    "pilot",
    "search_and_rescue",
    "tug",
    "port_tender",
    "anti_pollution",
    "law_enforcement",
    "medical",
    "passenger",
    "cargo",
    "tanker",
    "other",
    "unknown",
]
"""The ship type categories returned by :func:`ship_type_category`."""

SHIP_TYPE_CATEGORIES: tuple[ShipTypeCategory, ...] = get_args(ShipTypeCategory)
"""All ship type categories, in a fixed order."""

_SINGLE: dict[int, tuple[str, ShipTypeCategory]] = {
    0: ("Not available", "unknown"),
    30: ("Fishing", "fishing"),
    31: ("Towing", "towing"),
    32: ("Towing: length exceeds 200 m or breadth exceeds 25 m", "towing"),
    33: ("Engaged in dredging or underwater operations", "dredging"),
    34: ("Engaged in diving operations", "diving"),
    35: ("Engaged in military operations", "military"),
    36: ("Sailing", "sailing"),
    37: ("Pleasure craft", "pleasure"),
    50: ("Pilot vessel", "pilot"),
    51: ("Search and rescue vessel", "search_and_rescue"),
    52: ("Tug", "tug"),
    53: ("Port tender", "port_tender"),
    54: ("Vessel with anti-pollution facilities or equipment", "anti_pollution"),
    55: ("Law enforcement vessel", "law_enforcement"),
    56: ("Spare, for assignment to local vessels", "other"),
    57: ("Spare, for assignment to local vessels", "other"),
    58: ("Medical transport", "medical"),
    59: ("Noncombatant ship according to RR Resolution No. 18", "other"),
}

# Decades whose units digit follows the common pattern: 0 all ships of this type,
# 1-4 hazardous category A-D, 5-8 reserved, 9 no additional information.
_DECADES: dict[int, tuple[str, ShipTypeCategory]] = {
    2: ("Wing in ground (WIG)", "wing_in_ground"),
    4: ("High speed craft (HSC)", "high_speed"),
    6: ("Passenger", "passenger"),
    7: ("Cargo", "cargo"),
    8: ("Tanker", "tanker"),
    9: ("Other type", "other"),
}


def _units_text(units: int) -> str:
    if units == 0:
        return "all ships of this type"
    if 1 <= units <= 4:
        return f"hazardous category {'ABCD'[units - 1]}"
    if units == 9:
        return "no additional information"
    return "reserved for future use"


def _describe(code: int) -> tuple[str, ShipTypeCategory]:
    if code in _SINGLE:
        return _SINGLE[code]
    decade, units = divmod(code, 10)
    if decade in _DECADES:
        text, category = _DECADES[decade]
        if decade == 2 and units > 4:
            # WIG: 25-29 are all reserved (no "no additional information" code).
            return f"{text}, reserved for future use", category
        return f"{text}, {_units_text(units)}", category
    if 1 <= code <= 19 or 38 <= code <= 39 or 200 <= code <= 255:
        return "Reserved for future use", "unknown"
    if 100 <= code <= 199:
        return "Reserved for regional use", "unknown"
    return f"Invalid ship type code {code}", "unknown"


_TABLE: tuple[tuple[str, ShipTypeCategory], ...] = tuple(_describe(c) for c in range(256))
_CATEGORY_LUT = np.array([category for _, category in _TABLE], dtype=object)
_CATEGORY_LUT.setflags(write=False)


def ship_type_name(code: int | None) -> str:
    """Return the ITU description of an AIS ship type code.

    Parameters
    ----------
    code
        The ship type (0-255); None for a missing value.

    Returns
    -------
    str
        The description; ``"Not available"`` for None and 0, and a text
        naming the code for values outside 0-255.

    Examples
    --------
    >>> ship_type_name(55)
    'Law enforcement vessel'
    >>> ship_type_name(84)
    'Tanker, hazardous category D'
    >>> ship_type_name(None)
    'Not available'
    """
    if code is None:
        return _TABLE[0][0]
    if 0 <= code <= 255:
        return _TABLE[code][0]
    return _describe(code)[0]


def ship_type_category(code: int | None) -> ShipTypeCategory:
    """Return the category of an AIS ship type code.

    Parameters
    ----------
    code
        The ship type (0-255); None for a missing value.

    Returns
    -------
    str
        One of :data:`SHIP_TYPE_CATEGORIES`; ``"unknown"`` for None, 0,
        reserved and out-of-range codes.

    Examples
    --------
    >>> ship_type_category(30), ship_type_category(55), ship_type_category(71)
    ('fishing', 'law_enforcement', 'cargo')
    >>> ship_type_category(None), ship_type_category(150)
    ('unknown', 'unknown')
    """
    if code is None or not 0 <= code <= 255:
        return "unknown"
    return _TABLE[code][1]


def ship_type_categories(codes: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """Vectorized :func:`ship_type_category` (NaN/None and out-of-range codes are unknown).

    Parameters
    ----------
    codes
        Integer array, float array with NaN, or object array with None.

    Returns
    -------
    numpy.ndarray
        Object array of category names, same shape.

    Examples
    --------
    >>> ship_type_categories(np.array([30, 55, 0, 300])).tolist()
    ['fishing', 'law_enforcement', 'unknown', 'unknown']
    """
    arr = np.asarray(codes)
    if arr.dtype == object:
        present = ~np.equal(arr, np.array(None, dtype=object))
        values = np.full(arr.shape, -1.0)
        values[present] = arr[present].astype(np.float64)
    else:
        values = arr.astype(np.float64)
    ok = np.isfinite(values) & (values >= 0) & (values <= 255) & (values == np.floor(values))
    index = np.where(ok, values, 0).astype(np.int64)
    out = np.asarray(_CATEGORY_LUT[index], dtype=object)
    out[~ok] = "unknown"
    return out
