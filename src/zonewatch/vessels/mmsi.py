"""MMSI forms and the flag behind them.

An MMSI (Maritime Mobile Service Identity, ITU-R M.585) is a nine-digit number,
often stored as an integer so that leading zeros vanish: the base station
``002470000`` is the integer ``2470000``. Every function here reads an integer
as the nine-digit string it stands for (zero-padded on the left).

================  ==================  ========================================
form              kind                MID
================  ==================  ========================================
``MIDXXXXXX``     ship                digits 1-3 (first digit 2-7)
``0MIDXXXXX``     group               digits 2-4
``00MIDXXXX``     base_station        digits 3-5
``111MIDXXX``     sar_aircraft        digits 4-6
``98MIDXXXX``     craft_associated    digits 3-5 (a craft of a parent ship)
``99MIDXXXX``     aid_to_navigation   digits 3-5
``970XXYYYY``     sart                none (AIS search and rescue transmitter)
``972XXYYYY``     mob                 none (man overboard device)
``974XXYYYY``     epirb               none (EPIRB-AIS)
anything else     invalid             none
================  ==================  ========================================

A MID is recognised by its form (first digit 2 to 7), whether or not ITU has
allocated it: :func:`mid_of` returns 200 for ``200123456`` and :func:`flag_of`
returns None because MID 200 has no flag. Other ITU forms (``8MIDXXXXX``
handheld radios) and numbers starting with 1 or 9 that fit none of the forms
above are ``"invalid"`` here.

The scalar functions and the vectorized ones share one classifier, so they
always agree.
"""

from __future__ import annotations

import operator
from typing import Literal, SupportsIndex, get_args

import numpy as np
import numpy.typing as npt

from zonewatch.errors import ParameterError
from zonewatch.vessels.mid_table import MID_TABLE

__all__ = [
    "MMSI_KINDS",
    "MmsiKind",
    "flag_of",
    "flags_of",
    "mid_of",
    "mids_of",
    "mmsi_kind",
    "mmsi_kinds",
]

MmsiKind = Literal[
    "ship",
    "base_station",
    "group",
    "sar_aircraft",
    "aid_to_navigation",
    "craft_associated",
    "sart",
    "mob",
    "epirb",
    "invalid",
]
"""The kinds of MMSI that :func:`mmsi_kind` tells apart."""

MMSI_KINDS: tuple[MmsiKind, ...] = get_args(MmsiKind)
"""All MMSI kinds, in a fixed order (the codes of the vectorized classifier)."""

_KIND_CODE: dict[str, int] = {kind: code for code, kind in enumerate(MMSI_KINDS)}
_KIND_NAMES = np.array(MMSI_KINDS, dtype=object)

_FLAG_LUT = np.full(1000, None, dtype=object)
for _mid, (_alpha2, _name) in MID_TABLE.items():
    _FLAG_LUT[_mid] = _alpha2
_FLAG_LUT.setflags(write=False)


def _as_int64(mmsi: npt.ArrayLike) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Return ``(values, present)``: the MMSIs as int64 (0 where missing) and a presence mask.

    Accepts integer arrays, float arrays (NaN = missing; non-integral = invalid,
    kept as -1) and object arrays (None = missing).
    """
    arr = np.asarray(mmsi)
    if arr.dtype == np.bool_:
        raise ParameterError(f"MMSIs must be integers, got a boolean array: {arr!r}")
    if np.issubdtype(arr.dtype, np.integer):
        if arr.dtype == np.uint64:
            big = arr > np.uint64(np.iinfo(np.int64).max)
            values = np.where(big, -1, arr.astype(np.int64, copy=False)).astype(np.int64)
        else:
            values = arr.astype(np.int64, copy=False)
        return values, np.ones(arr.shape, dtype=np.bool_)
    if np.issubdtype(arr.dtype, np.floating):
        present = ~np.isnan(arr)
        finite = np.where(present, arr, 0.0)
        ok = (finite == np.floor(finite)) & (np.abs(finite) < 1e12)
        values = np.where(ok, finite, -1.0).astype(np.int64)
        return values, present
    if arr.dtype == object:
        present = ~np.equal(arr, np.array(None, dtype=object))
        values = np.zeros(arr.shape, dtype=np.int64)
        try:
            values[present] = arr[present].astype(np.int64)
        except (TypeError, ValueError, OverflowError) as err:
            raise ParameterError(f"MMSIs must be integers or None: {err}") from err
        return values, present
    raise ParameterError(f"MMSIs must be an integer, float or object array, got dtype {arr.dtype}")


def _classify(values: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int16], npt.NDArray[np.int8]]:
    """Return ``(mid, kind_code)`` per MMSI; ``mid`` is -1 where the form has none."""
    m = values
    mid = np.full(m.shape, -1, dtype=np.int16)
    kind = np.full(m.shape, _KIND_CODE["invalid"], dtype=np.int8)
    valid = (m > 0) & (m < 1_000_000_000)

    def assign(mask: npt.NDArray[np.bool_], name: str, mids: npt.NDArray[np.int64] | None) -> None:
        kind[mask] = _KIND_CODE[name]
        if mids is not None:
            mid[mask] = mids[mask]

    def mid_first_digit_ok(digit: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        return (digit >= 2) & (digit <= 7)

    d1 = m // 100_000_000  # first of nine digits
    d12 = m // 10_000_000  # first two
    d123 = m // 1_000_000  # first three

    assign(valid & mid_first_digit_ok(d1), "ship", d123)
    assign(valid & (d1 == 0) & mid_first_digit_ok(d12), "group", m // 100_000)
    assign(valid & (d12 == 0) & mid_first_digit_ok(d123), "base_station", m // 10_000)
    sar = valid & (d123 == 111) & mid_first_digit_ok((m // 100_000) % 10)
    assign(sar, "sar_aircraft", (m // 1_000) % 1000)
    second_mid_ok = mid_first_digit_ok(d123 % 10)
    assign(valid & (d12 == 98) & second_mid_ok, "craft_associated", (m // 10_000) % 1000)
    assign(valid & (d12 == 99) & second_mid_ok, "aid_to_navigation", (m // 10_000) % 1000)
    assign(valid & (d123 == 970), "sart", None)
    assign(valid & (d123 == 972), "mob", None)
    assign(valid & (d123 == 974), "epirb", None)
    return mid, kind


def _scalar(mmsi: SupportsIndex) -> tuple[int, int]:
    try:
        value = operator.index(mmsi)
    except TypeError as err:
        raise ParameterError(f"an MMSI must be an integer, got {mmsi!r}") from err
    if isinstance(mmsi, bool) or not -(2**62) < value < 2**62:
        return -1, _KIND_CODE["invalid"]
    mid, kind = _classify(np.array([value], dtype=np.int64))
    return int(mid[0]), int(kind[0])


def mid_of(mmsi: SupportsIndex) -> int | None:
    """Return the Maritime Identification Digits inside an MMSI, or None.

    Parameters
    ----------
    mmsi
        The MMSI as an integer (``002470000`` is ``2470000``).

    Returns
    -------
    int or None
        The MID for ship, group, base station, SAR aircraft, aid to navigation
        and craft-associated forms (allocated or not); None for SART, MOB,
        EPIRB and invalid numbers.

    Examples
    --------
    >>> mid_of(413123456), mid_of(2470000), mid_of(111232506), mid_of(992351000)
    (413, 247, 232, 235)
    >>> mid_of(970123456) is None, mid_of(123) is None
    (True, True)
    """
    mid, _ = _scalar(mmsi)
    return None if mid < 0 else mid


def mmsi_kind(mmsi: SupportsIndex) -> MmsiKind:
    """Return the kind of station an MMSI identifies, from its form.

    Parameters
    ----------
    mmsi
        The MMSI as an integer.

    Returns
    -------
    str
        One of :data:`MMSI_KINDS`.

    Examples
    --------
    >>> mmsi_kind(413123456), mmsi_kind(2470000), mmsi_kind(41312345)
    ('ship', 'base_station', 'group')
    >>> mmsi_kind(111232506), mmsi_kind(992351000), mmsi_kind(982351000)
    ('sar_aircraft', 'aid_to_navigation', 'craft_associated')
    >>> mmsi_kind(970123456), mmsi_kind(972123456), mmsi_kind(974123456), mmsi_kind(123)
    ('sart', 'mob', 'epirb', 'invalid')
    """
    _, kind = _scalar(mmsi)
    return MMSI_KINDS[kind]


def flag_of(mmsi: SupportsIndex) -> str | None:
    """Return the ISO 3166-1 alpha-2 code of the MID inside an MMSI, or None.

    Parameters
    ----------
    mmsi
        The MMSI as an integer.

    Returns
    -------
    str or None
        The flag (country or area) of the MID; None when the MMSI has no MID
        or its MID is not allocated.

    Examples
    --------
    >>> flag_of(413123456), flag_of(431000001), flag_of(416000001), flag_of(477000001)
    ('CN', 'JP', 'TW', 'HK')
    >>> flag_of(200123456) is None
    True
    """
    mid, _ = _scalar(mmsi)
    return None if mid < 0 else _FLAG_LUT[mid]


def mids_of(mmsi: npt.ArrayLike) -> npt.NDArray[np.int16]:
    """Vectorized :func:`mid_of`: the MID per MMSI, -1 where there is none.

    Parameters
    ----------
    mmsi
        Integer array (or float array with NaN, or object array with None,
        for missing values).

    Returns
    -------
    numpy.ndarray
        int16 array of the same shape.

    Examples
    --------
    >>> mids_of(np.array([413123456, 2470000, 970123456])).tolist()
    [413, 247, -1]
    """
    values, present = _as_int64(mmsi)
    mid, _ = _classify(values)
    mid[~present] = -1
    return mid


def mmsi_kinds(mmsi: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """Vectorized :func:`mmsi_kind` (missing values are ``"invalid"``).

    Examples
    --------
    >>> mmsi_kinds(np.array([413123456, 2470000, 123])).tolist()
    ['ship', 'base_station', 'invalid']
    """
    values, present = _as_int64(mmsi)
    _, kind = _classify(values)
    kind[~present] = _KIND_CODE["invalid"]
    return np.asarray(_KIND_NAMES[kind], dtype=object)


def flags_of(mmsi: npt.ArrayLike) -> npt.NDArray[np.object_]:
    """Vectorized :func:`flag_of`: an object array of alpha-2 codes and None.

    Parameters
    ----------
    mmsi
        Integer array (or float array with NaN, or object array with None,
        for missing values).

    Returns
    -------
    numpy.ndarray
        Object array of the same shape: the flag per MMSI, None where unknown.

    Examples
    --------
    >>> flags_of(np.array([412000001, 431999999, 574000001, 970000001])).tolist()
    ['CN', 'JP', 'VN', None]
    """
    mid = mids_of(mmsi)
    flags = np.asarray(_FLAG_LUT[np.maximum(mid, 0)], dtype=object)
    flags[mid < 0] = None
    return flags
