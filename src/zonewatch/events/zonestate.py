"""Where positions are relative to a zone set's zones: inside, near, or outside."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from zonewatch.zones import ZoneSet

__all__ = ["innermost_zone", "near_zone", "zone_label"]

FloatArray = npt.NDArray[np.float64]


def innermost_zone(distance_nm: FloatArray, zone_set: ZoneSet) -> list[str | None]:
    """Kind of the innermost zone containing each position (None outside every zone).

    Parameters
    ----------
    distance_nm
        Distances to the zone set's baseline.
    zone_set
        The zones.

    Examples
    --------
    >>> from zonewatch.zones import load_zone_set
    >>> innermost_zone(np.array([5.0, 20.0, 30.0]), load_zone_set("senkaku"))
    ['territorial_sea', 'contiguous_zone', None]
    """
    zones = sorted(zone_set.zones, key=lambda z: z.distance_nm)
    out: list[str | None] = []
    for d in np.asarray(distance_nm, dtype=np.float64).tolist():
        out.append(next((z.kind for z in zones if d <= z.distance_nm), None))
    return out


def near_zone(distance_nm: FloatArray, zone_set: ZoneSet, within_nm: float) -> list[str | None]:
    """Kind of the outermost zone a position lies outside of but within ``within_nm`` of.

    Examples
    --------
    >>> from zonewatch.zones import load_zone_set
    >>> near_zone(np.array([5.0, 30.0, 40.0]), load_zone_set("senkaku"), 12.0)
    [None, 'contiguous_zone', None]
    """
    outer = max(zone_set.zones, key=lambda z: z.distance_nm)
    out: list[str | None] = []
    for d in np.asarray(distance_nm, dtype=np.float64).tolist():
        near = outer.distance_nm < d <= outer.distance_nm + within_nm
        out.append(outer.kind if near else None)
    return out


def zone_label(kind: str | None, zone_set: ZoneSet) -> str | None:
    """The ``zone`` column value: ``"<kind>:<zone set>"`` (None stays None).

    Examples
    --------
    >>> from zonewatch.zones import load_zone_set
    >>> zone_label("territorial_sea", load_zone_set("senkaku"))
    'territorial_sea:senkaku'
    """
    return None if kind is None else f"{kind}:{zone_set.name}"
