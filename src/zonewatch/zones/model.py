"""Records of a zone set: baseline features, zones, polygon zones, lines, and the set itself.

A zone set holds up to three kinds of geometry:

* **baseline features** (island or reef outlines, polygons in lon/lat degrees)
  and the zones measured from them (territorial sea 12 nm, contiguous zone
  24 nm by default, any other distance such as an EEZ-like 200 nm). A position
  is in such a zone when its geodesic distance to the nearest baseline outline
  is at most the zone's distance, so the contiguous zone includes the
  territorial sea for counting;
* **polygon zones** given directly (a marine protected area, a claimed zone
  drawn by someone else): a position is in one when it lies inside the polygon;
* **lines** (a median line) whose crossings are counted, by direction.

Features carry an optional ``group`` (an area such as "Luconia Shoals"): the
per-zone counts of a report are given per area, each area's zones measured
from its own features only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pyproj
import shapely

from zonewatch.errors import ZoneSetError
from zonewatch.geo import METERS_PER_NM
from zonewatch.zones.clusters import ClusteredKernel, make_kernel
from zonewatch.zones.kernel import BaselineKernel

_GEOD = pyproj.Geod(ellps="WGS84")

if TYPE_CHECKING:
    from zonewatch.zones.raster import ZoneLocation, ZoneRaster

__all__ = [
    "CONTIGUOUS_ZONE",
    "DEFAULT_ZONES",
    "TERRITORIAL_SEA",
    "Feature",
    "LineZone",
    "PolygonZone",
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
        shapely Polygon or MultiPolygon in lon/lat degrees (WGS84), or a
        LineString/MultiLineString for a baseline drawn as a line.
    group
        The area the feature belongs to for per-zone counts (for example
        ``"Luconia Shoals"`` for its North and South shoals); empty: the zone
        set as a whole.
    properties
        Other properties of the GeoJSON feature (sources, listed positions),
        kept for export.
    """

    name: str
    geometry: shapely.Polygon | shapely.MultiPolygon | shapely.LineString | shapely.MultiLineString
    group: str = ""
    properties: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class PolygonZone:
    """A zone given directly as a polygon: a position is in it when inside the polygon.

    Attributes
    ----------
    name
        The zone's name, for example ``"Tubbataha Reefs Natural Park"``.
    kind
        Its kind, for example ``"marine_protected_area"``, or
        ``"territorial_sea"`` when a user supplies territorial-sea polygons
        drawn elsewhere.
    geometry
        Polygon or MultiPolygon in lon/lat degrees (WGS84).
    properties
        Other properties of the GeoJSON feature, kept for export.
    """

    name: str
    kind: str
    geometry: shapely.Polygon | shapely.MultiPolygon
    properties: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class LineZone:
    """A line whose crossings are counted, by direction (for example a median line).

    The line runs in the order of its coordinates; ``left`` and ``right`` name
    the sides as seen when walking along it. A crossing from right to left is
    counted as ``"to_<left>"``.

    Attributes
    ----------
    name
        The line's name, for example ``"Taiwan Strait median line"``.
    kind
        Its kind, for example ``"median_line"``.
    geometry
        LineString or MultiLineString in lon/lat degrees (WGS84).
    left, right
        Names of the two sides, for example ``"east"`` and ``"west"``.
    properties
        Other properties of the GeoJSON feature, kept for export.
    """

    name: str
    kind: str
    geometry: shapely.LineString | shapely.MultiLineString
    left: str = "left"
    right: str = "right"
    properties: Mapping[str, Any] = field(default_factory=dict, hash=False)


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
    """Baseline features and the zones measured from them, polygon zones, and lines.

    Build one with :func:`zonewatch.zones.load_zone_set`. Geometry derived
    from the features (the projection, the search index, the zone polygons,
    the raster of the fast zone kernel) is computed on first use and kept.

    Attributes
    ----------
    name
        Short name, for example ``"senkaku"``.
    timezone
        IANA time zone of the zone set, which sets the day boundary for counting.
    features
        The baseline features (may be empty when the set has polygon zones or lines).
    zones
        The zones measured from the baseline, innermost first (empty without features).
    attribution
        Attribution of the outline data (to be shown with maps and reports).
    note
        What the outlines are and how far to trust them.
    polygon_zones
        Zones given directly as polygons.
    lines
        Lines whose crossings are counted.
    properties
        Other top-level properties of the zone set file (title, source), kept for export.

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
    features: tuple[Feature, ...] = ()
    zones: tuple[Zone, ...] = DEFAULT_ZONES
    attribution: str = ""
    note: str = ""
    polygon_zones: tuple[PolygonZone, ...] = ()
    lines: tuple[LineZone, ...] = ()
    properties: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not self.features and not self.polygon_zones and not self.lines:
            raise ZoneSetError(f"zone set {self.name!r} has no features")
        if self.features and not self.zones:
            raise ZoneSetError(f"zone set {self.name!r} has no zones")
        if not self.features and self.zones and self.zones != DEFAULT_ZONES:
            raise ZoneSetError(
                f"zone set {self.name!r} has zones measured from a baseline but no "
                "baseline features"
            )
        if not self.features:
            object.__setattr__(self, "zones", ())
        for zone in self.zones:
            if not math.isfinite(zone.distance_nm) or zone.distance_nm <= 0:
                raise ZoneSetError(
                    f"zone set {self.name!r}: zone {zone.kind!r} has distance_nm "
                    f"{zone.distance_nm!r}; it must be a positive number"
                )
        baseline_kinds = {z.kind for z in self.zones}
        clash = sorted(baseline_kinds & {p.kind for p in self.polygon_zones})
        if clash:
            raise ZoneSetError(
                f"zone set {self.name!r}: kind(s) {', '.join(clash)} are both measured from "
                "the baseline and given as polygons; use one or the other"
            )

    def zone(self, kind: str) -> Zone:
        """The baseline zone of a kind.

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
        kinds = ", ".join(z.kind for z in self.zones) or "none"
        raise ZoneSetError(f"zone set {self.name!r} has no {kind!r} zone (it has: {kinds})")

    @property
    def title(self) -> str:
        """A human-readable name (the file's ``title`` property, else the name)."""
        title = self.properties.get("title")
        return title if isinstance(title, str) and title else self.name

    def areas(self) -> tuple[str, ...]:
        """The areas of the baseline features (their groups), in file order.

        Features without a group form one area named after the zone set's title.

        Examples
        --------
        >>> from zonewatch.zones import load_zone_set
        >>> load_zone_set("senkaku").areas()
        ('Senkaku Islands',)
        """
        seen: dict[str, None] = {}
        for feature in self.features:
            seen.setdefault(feature.group or self.title, None)
        return tuple(seen)

    def area_features(self, area: str) -> tuple[Feature, ...]:
        """The baseline features of one area (see :meth:`areas`)."""
        found = tuple(f for f in self.features if (f.group or self.title) == area)
        if not found:
            raise ZoneSetError(
                f"zone set {self.name!r} has no area {area!r} (areas: {', '.join(self.areas())})"
            )
        return found

    def __getstate__(self) -> dict[str, Any]:
        # drop derived geometry (rebuilt on first use) so zone sets pickle small and fast
        return {k: v for k, v in self.__dict__.items() if k not in _DERIVED}

    @cached_property
    def _kernel(self) -> BaselineKernel | ClusteredKernel:
        if not self.features:
            raise ZoneSetError(
                f"zone set {self.name!r} has no baseline features to measure distances from"
            )
        areas = self.areas()
        if len(areas) == 1:
            return make_kernel([f.geometry for f in self.features])
        parts: list[BaselineKernel] = []
        for kernel in self._area_kernels.values():
            parts.extend(kernel.kernels if isinstance(kernel, ClusteredKernel) else [kernel])
        return ClusteredKernel(parts)

    @cached_property
    def _area_kernels(self) -> dict[str, BaselineKernel | ClusteredKernel]:
        areas = self.areas()
        if len(areas) == 1:
            return {areas[0]: self._kernel}
        return {a: make_kernel([f.geometry for f in self.area_features(a)]) for a in areas}

    @cached_property
    def _zone_geometries(self) -> dict[str, shapely.Polygon | shapely.MultiPolygon]:
        out = {
            z.kind: self._kernel.buffer_lonlat(z.distance_nm * METERS_PER_NM) for z in self.zones
        }
        return {**out, **self._polygon_zone_geometries()}

    def _polygon_zone_geometries(self) -> dict[str, shapely.Polygon | shapely.MultiPolygon]:
        kinds: dict[str, list[shapely.Polygon | shapely.MultiPolygon]] = {}
        for pz in self.polygon_zones:
            kinds.setdefault(pz.kind, []).append(pz.geometry)
        out: dict[str, shapely.Polygon | shapely.MultiPolygon] = {}
        for kind, geoms in kinds.items():
            union = shapely.union_all(geoms)
            assert isinstance(union, shapely.Polygon | shapely.MultiPolygon)
            out[kind] = union
        return out

    @cached_property
    def _raster(self) -> ZoneRaster:
        from zonewatch.zones.raster import ZoneRaster

        return ZoneRaster(self._kernel, tuple(z.distance_nm for z in self.zones))

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

        A zone set without baseline features (only polygon zones or lines)
        gives ``inf`` (the distance to nothing) for every valid position.

        Notes
        -----
        The distance is measured on the WGS84 ellipsoid to the nearest point of
        the outlines (checked against brute force to under a centimetre, worldwide).
        The first call builds a search index (about a second for ``senkaku``);
        then about a million positions per second on one core. See
        :mod:`zonewatch.zones.kernel` for the method, and :meth:`locate` for a
        much faster zone test.

        Examples
        --------
        >>> from zonewatch.zones import load_zone_set
        >>> d = load_zone_set("senkaku").distance_nm([123.476, 123.476], [25.744, 25.95])
        >>> [round(float(v), 2) for v in d]  # on Uotsuri-shima; 0.2 deg north of it
        [0.0, 10.69]
        """
        if not self.features:
            return _no_baseline(lon, lat)
        distance_m = self._kernel.distance_m(lon, lat)
        return np.divide(distance_m, METERS_PER_NM, out=distance_m)

    def distance_bounds_nm(
        self, lon: npt.ArrayLike, lat: npt.ArrayLike, beyond_nm: float
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Bounds (nm) on :meth:`distance_within_nm`, equal where it is known without measuring.

        The zone raster places every position; where it gives the exact
        distance, or a lower bound above ``beyond_nm`` (which
        :meth:`distance_within_nm` returns as is), both bounds are that value.
        Elsewhere they come from the distance in the zone set's local plane,
        padded by the plane's error (:meth:`~zonewatch.zones.kernel.BaselineKernel.plane_error_m`,
        about 10 m at 25 nm), or are the exact distance where the zone set
        has several clusters. A caller measures exactly only where the bounds
        leave its decision open (see :func:`zonewatch.events.presence.zone_intervals`).

        Examples
        --------
        >>> from zonewatch.zones import load_zone_set
        >>> zs = load_zone_set("senkaku")
        >>> lo, hi = zs.distance_bounds_nm([123.6, 127.0], [25.5, 28.0], beyond_nm=25.0)
        >>> d = zs.distance_within_nm([123.6, 127.0], [25.5, 28.0], beyond_nm=25.0)
        >>> bool(lo[0] <= d[0] <= hi[0] and hi[0] - lo[0] < 0.02), bool(lo[1] == hi[1] == d[1] > 25)
        (True, True)
        """
        lon_a, lat_a, lo, need = self._raster_distances(lon, lat, beyond_nm)
        hi = lo.copy()
        if need.size:
            kernel = self._kernel
            if isinstance(kernel, BaselineKernel):
                plane_m = kernel.planar_distance_m(lon_a[need], lat_a[need])
                pad_m = kernel.plane_error_m(plane_m) * 1.01  # the bound is on the exact distance
                lo[need] = np.maximum(plane_m - pad_m, 0.0) / METERS_PER_NM
                hi[need] = (plane_m + pad_m) / METERS_PER_NM
            else:
                lo[need] = hi[need] = self.distance_nm(lon_a[need], lat_a[need])
        return lo, hi

    def distance_within_nm(
        self, lon: npt.ArrayLike, lat: npt.ArrayLike, beyond_nm: float
    ) -> npt.NDArray[np.float64]:
        """Exact distance (nm) where it is at most ``beyond_nm``; a lower bound above it.

        The zone raster places every position first; the exact geodesic
        distance (:meth:`distance_nm`) is computed only for positions that the
        raster's bounds do not put farther than ``beyond_nm``. Any threshold
        test at or below ``beyond_nm`` gives the same answer as with
        :meth:`distance_nm`, at a fraction of the cost when most positions are
        far from the zones.

        Parameters
        ----------
        lon, lat
            Positions in degrees, 1-D arrays of equal length.
        beyond_nm
            Distances above this may be replaced by a lower bound above it.

        Returns
        -------
        numpy.ndarray
            float64 nm (NaN for NaN input).

        Examples
        --------
        >>> from zonewatch.zones import load_zone_set
        >>> zs = load_zone_set("senkaku")
        >>> d = zs.distance_within_nm([123.6, 127.0], [25.5, 28.0], beyond_nm=30.0)
        >>> round(float(d[0]), 3) == round(float(zs.distance_nm(123.6, 25.5)), 3), bool(d[1] > 30)
        (True, True)
        """
        lon_a, lat_a, out, need = self._raster_distances(lon, lat, beyond_nm)
        if need.size:
            out[need] = self.distance_nm(lon_a[need], lat_a[need])
        return out

    def _raster_distances(
        self, lon: npt.ArrayLike, lat: npt.ArrayLike, beyond_nm: float
    ) -> tuple[
        npt.NDArray[np.float64],
        npt.NDArray[np.float64],
        npt.NDArray[np.float64],
        npt.NDArray[np.intp],
    ]:
        """What the zone raster knows of the distances, and which it leaves to measure.

        Returns the positions as flat float64 arrays; per position the exact
        distance where the raster computed it, else its lower bound; and the
        indices of the positions whose exact distance is not known and whose
        lower bound is not above ``beyond_nm`` (none without baseline
        features, where every distance is ``inf``).
        """
        lon_a = np.ascontiguousarray(np.asarray(lon, dtype=np.float64).ravel())
        lat_a = np.ascontiguousarray(np.asarray(lat, dtype=np.float64).ravel())
        if not self.features:
            return lon_a, lat_a, _no_baseline(lon_a, lat_a), np.zeros(0, dtype=np.intp)
        loc = self.locate(lon_a, lat_a, distances="boundary")
        out = loc.lower_nm.astype(np.float64)
        out[loc.exact_index] = loc.exact_distance_nm
        known = np.zeros(out.size, dtype=bool)
        known[loc.exact_index] = True
        return lon_a, lat_a, out, np.flatnonzero(~known & ~(out > beyond_nm))

    def area_distance_nm(
        self,
        area: str,
        lon: npt.ArrayLike,
        lat: npt.ArrayLike,
        *,
        beyond_nm: float | None = None,
    ) -> npt.NDArray[np.float64]:
        """Geodesic distance (nm) to the nearest outline of one area's features.

        Parameters
        ----------
        area
            One of :meth:`areas`.
        lon, lat
            Positions in degrees.
        beyond_nm
            When given, positions that a cheap bound (the geodesic distance to
            the area's bounding circle) puts farther than this get that bound,
            a lower bound of their distance, instead of the exact distance.
            Threshold tests at or below ``beyond_nm`` give the same answers.

        Returns
        -------
        numpy.ndarray
            As :meth:`distance_nm`, measured from that area's features only.

        Examples
        --------
        >>> from zonewatch.zones import load_zone_set
        >>> scs = load_zone_set("south-china-sea")
        >>> d = scs.area_distance_nm("Scarborough Shoal", 117.767, 15.5)
        >>> 10 < float(d) < 20
        True
        """
        if area not in self.areas():
            raise ZoneSetError(
                f"zone set {self.name!r} has no area {area!r} (areas: {', '.join(self.areas())})"
            )
        kernel = self._area_kernels[area]
        if beyond_nm is None:
            distance_m = kernel.distance_m(lon, lat)
            return np.divide(distance_m, METERS_PER_NM, out=distance_m)
        lon_b, lat_b = np.broadcast_arrays(
            np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        )
        cx, cy, radius_m = self._area_circles[area]
        n = lon_b.size
        with np.errstate(invalid="ignore"):
            _, _, d_centre = _GEOD.inv(np.full(n, cx), np.full(n, cy), lon_b.ravel(), lat_b.ravel())
        bound_nm = (np.asarray(d_centre, dtype=np.float64) - radius_m) / METERS_PER_NM
        out = bound_nm.copy()
        near = np.flatnonzero(~(bound_nm > beyond_nm))
        if near.size:
            out[near] = kernel.distance_m(lon_b.ravel()[near], lat_b.ravel()[near]) / METERS_PER_NM
        return out.reshape(lon_b.shape)

    @cached_property
    def _area_circles(self) -> dict[str, tuple[float, float, float]]:
        """Per area: a centre and a radius (m) whose circle holds the area's features."""
        out = {}
        for area in self.areas():
            coords = shapely.get_coordinates([f.geometry for f in self.area_features(area)])
            kernel = self._area_kernels[area]
            lon = kernel.normalise_lon(coords[:, 0])
            cx = float((lon.min() + lon.max()) / 2.0)
            cy = float((coords[:, 1].min() + coords[:, 1].max()) / 2.0)
            _, _, d = _GEOD.inv(np.full(len(lon), cx), np.full(len(lon), cy), lon, coords[:, 1])
            out[area] = (cx, cy, float(np.max(d)) + 1.0)
        return out

    @cached_property
    def _polygon_kernels(self) -> dict[str, BaselineKernel | ClusteredKernel]:
        kinds: dict[str, list[Any]] = {}
        for pz in self.polygon_zones:
            kinds.setdefault(pz.kind, []).append(pz.geometry)
        kernels: dict[str, BaselineKernel | ClusteredKernel] = {
            kind: make_kernel(geoms) for kind, geoms in kinds.items()
        }
        for pz in self.polygon_zones:
            alone = len(kinds[pz.kind]) == 1
            kernels[f"polygon:{pz.name}"] = (
                kernels[pz.kind] if alone else make_kernel([pz.geometry])
            )
        return kernels

    def polygon_distance_nm(
        self, kind_or_name: str, lon: npt.ArrayLike, lat: npt.ArrayLike
    ) -> npt.NDArray[np.float64]:
        """Geodesic distance (nm) to polygon zones of a kind, 0 inside them.

        Parameters
        ----------
        kind_or_name
            A polygon zone kind (all polygons of that kind), or ``"polygon:<name>"``
            for one polygon zone.
        lon, lat
            Positions in degrees.

        Returns
        -------
        numpy.ndarray
            float64 nm, 0.0 inside, NaN for NaN input.
        """
        kernel = self._polygon_kernels.get(kind_or_name)
        if kernel is None:
            known = ", ".join(sorted(self._polygon_kernels)) or "none"
            raise ZoneSetError(
                f"zone set {self.name!r} has no polygon zone {kind_or_name!r} (known: {known})"
            )
        distance_m = kernel.distance_m(lon, lat)
        return np.divide(distance_m, METERS_PER_NM, out=distance_m)

    def locate(
        self, lon: npt.ArrayLike, lat: npt.ArrayLike, *, distances: str = "boundary"
    ) -> ZoneLocation:
        """The zone each position lies in, with its distance to the baseline: the fast kernel.

        Parameters
        ----------
        lon, lat
            Positions in degrees (WGS84), 1-D arrays of equal length (or scalars).
        distances
            ``"boundary"`` (default): the exact distance is computed only where
            the zone is not settled by the precomputed raster (positions within
            a cell's width of a zone limit); every other position gets bounds.
            ``"near"``: the exact distance for every position within the raster
            (the outermost zone plus a margin); positions beyond it get a lower
            bound. ``"all"``: the exact distance everywhere.

        Returns
        -------
        ZoneLocation
            Zone index per position (into :attr:`zones`, -1 outside all zones),
            the exact distance where computed (NaN elsewhere) and lower/upper
            bounds on the distance for every position.

        A zone set without baseline features places every position outside
        (``zone_index`` -1, distance ``inf``).

        Examples
        --------
        >>> from zonewatch.zones import load_zone_set
        >>> loc = load_zone_set("senkaku").locate([123.476, 123.6, 125.5], [25.744, 25.5, 25.8])
        >>> loc.zone_index.tolist(), loc.kinds
        ([0, 1, -1], ('territorial_sea', 'contiguous_zone'))
        >>> bool(loc.lower_nm[2] <= 51.3 <= loc.upper_nm[2])
        True
        """
        if not self.features:
            from zonewatch.zones.raster import no_zones

            return no_zones(lon, lat)
        return self._raster.locate(lon, lat, distances=distances, kinds=self.kind_names())

    def kind_names(self) -> tuple[str, ...]:
        """The kinds of the baseline zones, innermost first."""
        return tuple(z.kind for z in self.zones)

    def zone_geometries(
        self, accuracy_m: float | None = None
    ) -> dict[str, shapely.Polygon | shapely.MultiPolygon]:
        """Each zone as a polygon in lon/lat: every point within its distance of the baseline.

        Parameters
        ----------
        accuracy_m
            None (default): the buffers are drawn in the zone set's azimuthal
            equidistant projection (a few metres from the geodesic truth; meant
            for maps). A number: the polygons are refined until every edge is
            within that many metres of the geodesic limit (0.1 m or more; for
            tests and benchmarks that compare with polygon tools).

        Returns
        -------
        dict
            Zone kind to shapely Polygon/MultiPolygon in lon/lat degrees, also
            for polygon zones (the union of the polygons of each kind).

        Examples
        --------
        >>> from zonewatch.zones import load_zone_set
        >>> sorted(load_zone_set("senkaku").zone_geometries())
        ['contiguous_zone', 'territorial_sea']
        """
        if accuracy_m is None:
            return dict(self._zone_geometries)
        if not math.isfinite(accuracy_m) or accuracy_m < 0.1:
            raise ZoneSetError(f"accuracy_m must be at least 0.1 (got {accuracy_m!r})")
        key = round(float(accuracy_m), 3)
        cache = self._exact_geometries
        if key not in cache:
            from zonewatch.zones.contours import exact_zone_polygon

            cache[key] = {
                z.kind: exact_zone_polygon(
                    self._kernel,
                    z.distance_nm * METERS_PER_NM,
                    self._zone_geometries[z.kind],
                    key,
                )
                for z in self.zones
            }
        return {**cache[key], **self._polygon_zone_geometries()}

    @cached_property
    def _exact_geometries(self) -> dict[float, dict[str, shapely.Polygon | shapely.MultiPolygon]]:
        return {}

    def bounds(self) -> tuple[float, float, float, float]:
        """Lon/lat bounding box ``(min_lon, min_lat, max_lon, max_lat)`` of all zones and lines.

        Examples
        --------
        >>> from zonewatch.zones import load_zone_set
        >>> [round(v, 1) for v in load_zone_set("senkaku").bounds()]
        [123.0, 25.3, 125.0, 26.3]
        """
        shapes: list[Any] = list(self._polygon_zone_geometries().values())
        if self.zones:
            outer = max(self.zones, key=lambda z: z.distance_nm)
            shapes.append(self._zone_geometries[outer.kind])
        shapes.extend(line.geometry for line in self.lines)
        minx, miny, maxx, maxy = shapely.total_bounds(shapes)
        return (float(minx), float(miny), float(maxx), float(maxy))


_DERIVED = frozenset(
    {
        "_kernel",
        "_zone_geometries",
        "_area_kernels",
        "_raster",
        "_exact_geometries",
        "_polygon_kernels",
        "_area_circles",
    }
)


def _no_baseline(lon: npt.ArrayLike, lat: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """``inf`` (the distance to no baseline) for valid positions, NaN for invalid ones."""
    lon_b, lat_b = np.broadcast_arrays(
        np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    )
    valid = np.isfinite(lon_b) & np.isfinite(lat_b) & (np.abs(lat_b) <= 90.0)
    return np.where(valid, np.inf, np.nan)


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
