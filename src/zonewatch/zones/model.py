"""Records of a zone set: baseline features, zones, and the zone set itself.

A zone set is a list of named baseline features (island outlines, polygons in
lon/lat degrees) and the zones measured from them (territorial sea 12 nm,
contiguous zone 24 nm by default). A position is in a zone when its geodesic
distance to the nearest baseline outline is at most the zone's distance, so
the contiguous zone includes the territorial sea for counting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from zonewatch.errors import ZoneSetError
from zonewatch.geo import METERS_PER_NM
from zonewatch.zones.kernel import BaselineKernel

__all__ = [
    "CONTIGUOUS_ZONE",
    "DEFAULT_ZONES",
    "TERRITORIAL_SEA",
    "Feature",
    "Zone",
    "ZoneSet",
    "distance_to_baseline_nm",
]

TERRITORIAL_SEA = "territorial_sea"
"""Zone kind: waters within 12 nm of the baseline (UNCLOS art. 3)."""

CONTIGUOUS_ZONE = "contiguous_zone"
"""Zone kind: waters within 24 nm of the baseline (UNCLOS art. 33), territorial sea included."""


@dataclass(frozen=True)
class Feature:
    """A named baseline feature: an island or rock outline in lon/lat degrees.

    Attributes
    ----------
    name
        The feature's name, for example ``"Uotsuri-shima"``.
    geometry
        Its outline (the low-water line, or an approximation of it) as a
        shapely Polygon or MultiPolygon in lon/lat degrees (WGS84).
    """

    name: str
    geometry: shapely.Polygon | shapely.MultiPolygon


@dataclass(frozen=True)
class Zone:
    """A zone measured from the baseline: every point within ``distance_nm`` of it.

    Attributes
    ----------
    kind
        The zone kind, for example :data:`TERRITORIAL_SEA`.
    distance_nm
        Its outer limit, in nautical miles from the baseline.
    """

    kind: str
    distance_nm: float


DEFAULT_ZONES: tuple[Zone, ...] = (Zone(TERRITORIAL_SEA, 12.0), Zone(CONTIGUOUS_ZONE, 24.0))
"""The zones of a baseline zone set unless its file says otherwise."""


@dataclass(frozen=True)
class ZoneSet:
    """Baseline features and the zones measured from them.

    Build one with :func:`zonewatch.zones.load_zone_set`. Geometry derived
    from the features (the projection, the search index, the zone polygons)
    is computed on first use and kept.

    Attributes
    ----------
    name
        Short name, for example ``"senkaku"``.
    timezone
        IANA time zone of the zone set, which sets the day boundary for counting.
    features
        The baseline features.
    zones
        The zones, innermost first.
    attribution
        Attribution of the outline data (to be shown with maps and reports).
    note
        What the outlines are and how far to trust them.

    Examples
    --------
    >>> from zonewatch.zones import load_zone_set
    >>> senkaku = load_zone_set("senkaku")
    >>> [(z.kind, z.distance_nm) for z in senkaku.zones]
    [('territorial_sea', 12.0), ('contiguous_zone', 24.0)]
    >>> float(senkaku.distance_nm(123.476, 25.744))  # on Uotsuri-shima
    0.0
    """

    name: str
    timezone: str
    features: tuple[Feature, ...]
    zones: tuple[Zone, ...] = DEFAULT_ZONES
    attribution: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if not self.features:
            raise ZoneSetError(f"zone set {self.name!r} has no features")
        if not self.zones:
            raise ZoneSetError(f"zone set {self.name!r} has no zones")
        for zone in self.zones:
            if not math.isfinite(zone.distance_nm) or zone.distance_nm <= 0:
                raise ZoneSetError(
                    f"zone set {self.name!r}: zone {zone.kind!r} has distance_nm "
                    f"{zone.distance_nm!r}; it must be a positive number"
                )

    def zone(self, kind: str) -> Zone:
        """The zone of a kind.

        Raises
        ------
        ZoneSetError
            If the zone set has no zone of that kind.

        Examples
        --------
        >>> from zonewatch.zones import load_zone_set
        >>> load_zone_set("senkaku").zone("territorial_sea").distance_nm
        12.0
        """
        for zone in self.zones:
            if zone.kind == kind:
                return zone
        kinds = ", ".join(z.kind for z in self.zones)
        raise ZoneSetError(f"zone set {self.name!r} has no {kind!r} zone (it has: {kinds})")

    def __getstate__(self) -> dict[str, Any]:
        # drop derived geometry (rebuilt on first use) so zone sets pickle small and fast
        return {k: v for k, v in self.__dict__.items() if k not in _DERIVED}

    @cached_property
    def _kernel(self) -> BaselineKernel:
        return BaselineKernel([f.geometry for f in self.features])

    @cached_property
    def _zone_geometries(self) -> dict[str, shapely.Polygon | shapely.MultiPolygon]:
        return {
            z.kind: self._kernel.buffer_lonlat(z.distance_nm * METERS_PER_NM) for z in self.zones
        }

    def distance_nm(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Geodesic distance (nm) from each position to the nearest feature outline.

        Parameters
        ----------
        lon, lat
            Positions in degrees (WGS84); scalars or arrays that broadcast together.

        Returns
        -------
        numpy.ndarray
            float64 distances in nautical miles, of the broadcast shape: 0.0 inside
            or on a feature, NaN where lon or lat is NaN or out of range.

        Notes
        -----
        The distance is measured on the WGS84 ellipsoid to the nearest point of
        the outlines (checked against brute force to under a centimetre, worldwide).
        The first call builds a search index (about a second for ``senkaku``);
        then about a million positions per second on one core. See
        :mod:`zonewatch.zones.kernel` for the method.

        Examples
        --------
        >>> from zonewatch.zones import load_zone_set
        >>> d = load_zone_set("senkaku").distance_nm([123.476, 123.476], [25.744, 25.95])
        >>> [round(float(v), 2) for v in d]  # on Uotsuri-shima; 0.2 deg north of it
        [0.0, 10.69]
        """
        distance_m = self._kernel.distance_m(lon, lat)
        return np.divide(distance_m, METERS_PER_NM, out=distance_m)

    def zone_geometries(self) -> dict[str, shapely.Polygon | shapely.MultiPolygon]:
        """Each zone as a polygon in lon/lat: every point within its distance of the baseline.

        The buffers are drawn in the zone set's azimuthal equidistant projection
        (a few metres from the geodesic truth; meant for maps) and computed once.

        Returns
        -------
        dict
            Zone kind to shapely Polygon/MultiPolygon in lon/lat degrees.

        Examples
        --------
        >>> from zonewatch.zones import load_zone_set
        >>> sorted(load_zone_set("senkaku").zone_geometries())
        ['contiguous_zone', 'territorial_sea']
        """
        return dict(self._zone_geometries)

    def bounds(self) -> tuple[float, float, float, float]:
        """Lon/lat bounding box ``(min_lon, min_lat, max_lon, max_lat)`` of the outermost zone.

        Examples
        --------
        >>> from zonewatch.zones import load_zone_set
        >>> [round(v, 1) for v in load_zone_set("senkaku").bounds()]
        [123.0, 25.3, 125.0, 26.3]
        """
        outer = max(self.zones, key=lambda z: z.distance_nm)
        minx, miny, maxx, maxy = self.zone_geometries()[outer.kind].bounds
        return (float(minx), float(miny), float(maxx), float(maxy))


_DERIVED = frozenset({"_kernel", "_zone_geometries"})


def distance_to_baseline_nm(
    lon: npt.ArrayLike, lat: npt.ArrayLike, zone_set: ZoneSet
) -> npt.NDArray[np.float64]:
    """Geodesic distance (nm) from positions to the nearest baseline outline of a zone set.

    The functional form of :meth:`ZoneSet.distance_nm`.

    Parameters
    ----------
    lon, lat
        Positions in degrees (WGS84); scalars or arrays that broadcast together.
    zone_set
        The zone set whose features form the baseline.

    Returns
    -------
    numpy.ndarray
        float64 nautical miles: 0.0 inside or on a feature, NaN for NaN input.

    Examples
    --------
    >>> from zonewatch.zones import load_zone_set
    >>> d = distance_to_baseline_nm([124.0], [25.0], load_zone_set("senkaku"))
    >>> d.dtype, d.shape
    (dtype('float64'), (1,))
    """
    return zone_set.distance_nm(lon, lat)
