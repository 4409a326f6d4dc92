"""Distance to the baseline: the vectorized kernel behind ``ZoneSet.distance_nm``.

How a distance is computed
--------------------------
1. Positions on land (inside a feature polygon) get 0.
2. The others are projected into a local azimuthal equidistant plane centred on
   the zone set (:class:`~zonewatch.zones.plane.LocalPlane`, NumPy). The outline
   segments were projected once into the same plane.
3. The nearest outline segment is found in the plane. A precomputed index
   answers "which segments can be nearest to a point of this cell": the outline
   is sampled every 5 to 50 m (finer where other parts of the outline are
   close), the Voronoi diagram of the samples is built once, and each cell of a
   multi-resolution sparse grid (50 m cells along the coast, up to 400 km cells
   far away) lists the segments whose samples' Voronoi cells reach it, plus a
   margin. Each position is compared with the few segments listed for its cell
   (two to five, typically), all positions at once (NumPy over a ragged array).
4. The nearest point on that segment is taken back to lon/lat (interpolated
   along the segment) and the distance is measured on the WGS84 ellipsoid
   (``pyproj.Geod.inv``). Where another, well-separated part of the outline is
   nearly as close in the plane (within the plane's possible error), its
   ellipsoidal distance is measured too and the smaller one kept.
5. Positions more than a quarter of the globe away (where the plane
   degenerates towards the antipode) are measured on the ellipsoid to the
   outline's convex-hull vertices, where the nearest point then lies.

The plane alone is about 1 m off at 40 nm from the Senkakus (the error grows
with distance); step 4 makes the result the geodesic distance to the outline
(checked against brute force to well under a centimetre, worldwide). The index
is built on first use: about a second for the Senkaku outlines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pyproj
import shapely
import shapely.errors

from zonewatch.zones.plane import LocalPlane
from zonewatch.zones.shared import GEOS_LOCK

__all__ = ["BaselineKernel"]

_GEOD = pyproj.Geod(ellps="WGS84")
_EARTH_RADIUS_M = 6_371_008.8
_HALF_WIDTH_M = 21_000_000.0
"""Half-width of the square that holds the whole plane (pi R is about 20,015 km)."""

_SAMPLE_SPACING_M = 5.0
"""Finest spacing of the outline samples whose Voronoi diagram drives the index."""

_EXACT_CELLS_REACH_M = 10_000.0
"""Levels reaching this far or less keep only cells near the outline itself (not its box)."""

_MAX_SAMPLE_SPACING_M = 50.0
"""Longest sample spacing (on long segments far from any other part of the outline)."""

_SEPARATION_M = 500.0
"""Outline points this close to the planar nearest point are not re-measured on the
ellipsoid: the plane cannot misorder such close points by more than millimetres."""

_HULL_SLACK_M = 10.0
"""Outline vertices this close to the convex hull's boundary count as on it."""

_CHUNK = 131_072
"""Positions processed at a time (bounds the size of the ragged candidate arrays)."""

PLANE_RADIUS_M = 500_000.0
"""Within this distance of the plane's centre, plane distances come with a known error."""

PLANE_RELATIVE_ERROR = 2e-4
"""Bound on the plane's relative distance error near the zones (measured: under 2e-5)."""

Polygonal: TypeAlias = shapely.Polygon | shapely.MultiPolygon
Baseline: TypeAlias = (
    shapely.Polygon | shapely.MultiPolygon | shapely.LineString | shapely.MultiLineString
)
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class _Level:
    """One resolution of the sparse grid: cells of ``cell_m`` within ``reach_m`` of land.

    ``neighbours``: list each candidate's neighbouring segments too (near the coast,
    where a sharp inward corner can make the next segment the nearest).
    ``coarse_samples``: index with outline samples ``_MAX_SAMPLE_SPACING_M`` apart
    (enough for positions kilometres away; a much smaller index to build).
    """

    cell_m: float
    reach_m: float
    margin_m: float
    neighbours: bool = False
    coarse_samples: bool = False


# Finest first; a position uses the finest level that has a cell for it. The margins
# cover the sampling of the outline and near-ties between the plane and the ellipsoid.
_LEVELS = (
    _Level(cell_m=50.0, reach_m=300.0, margin_m=10.0, neighbours=True),
    _Level(cell_m=250.0, reach_m=6_000.0, margin_m=25.0, neighbours=True),
    _Level(cell_m=2_000.0, reach_m=130_000.0, margin_m=250.0, coarse_samples=True),
    _Level(cell_m=20_000.0, reach_m=1_500_000.0, margin_m=5_000.0, coarse_samples=True),
    _Level(cell_m=400_000.0, reach_m=11_000_000.0, margin_m=100_000.0, coarse_samples=True),
)


@dataclass(frozen=True)
class _Grid:
    """Sorted cell keys and, per cell, a CSR slice of candidate segment ids."""

    cell_m: float
    keys: IntArray
    offsets: IntArray
    segments: IntArray


@dataclass(frozen=True)
class _Voronoi:
    """The Voronoi diagram of the outline samples, and which segments each sample is on."""

    tree: shapely.STRtree
    poly_site: IntArray
    site_seg_ptr: IntArray
    site_segs: IntArray


class BaselineKernel:
    """Geodesic distance from positions to a set of polygon outlines (the baseline).

    Parameters
    ----------
    geometries
        Polygons or MultiPolygons in lon/lat degrees, whose union is the land
        whose outline is the baseline, and LineStrings (baselines drawn as
        lines, for example straight baselines). A set that straddles the
        antimeridian (longitudes spanning more than 180 degrees) is unwrapped
        (negative longitudes moved east by 360 degrees) and positions are
        brought into the same range.

    Raises
    ------
    ValueError
        If the geometries hold no polygon.
    """

    def __init__(self, geometries: Sequence[Baseline]) -> None:
        shifted = _unwrap_antimeridian(list(geometries))
        polys = [g for g in shifted if isinstance(g, shapely.Polygon | shapely.MultiPolygon)]
        lines = [g for g in shifted if isinstance(g, shapely.LineString | shapely.MultiLineString)]
        parts = shapely.get_parts(shapely.union_all([shapely.make_valid(g) for g in polys]))
        polygons = [p for p in parts if isinstance(p, shapely.Polygon) and not p.is_empty]
        line_parts: list[shapely.LineString] = []
        if lines:
            merged = shapely.line_merge(shapely.union_all(lines))
            line_parts = [
                p
                for p in shapely.get_parts(merged)
                if isinstance(p, shapely.LineString) and not p.is_empty
            ]
        if not polygons and not line_parts:
            raise ValueError("a baseline needs at least one non-empty polygon or line")
        land = shapely.union_all(polygons) if polygons else shapely.Polygon()
        shapely.prepare(land)
        self.land_lonlat: Polygonal = land
        self._lines_lonlat = line_parts
        everything = shapely.union_all([land, *line_parts])
        minx, miny, maxx, maxy = everything.bounds
        self.plane = LocalPlane((minx + maxx) / 2.0, (miny + maxy) / 2.0)
        self._build_segments()
        self._vor: dict[bool, _Voronoi] = {}
        self._seg_tree: shapely.STRtree | None = None
        self._land_xy: Polygonal | None = None
        self._grids: list[_Grid | None] = [None] * len(_LEVELS)
        self.alternatives_checked = 0
        """How many extra ellipsoidal measurements near-ties have needed (diagnostics)."""

    def normalise_lon(self, lon: FloatArray) -> FloatArray:
        """Longitudes moved by whole turns into the 360 degrees centred on the baseline.

        Zone sets that straddle the antimeridian are held with longitudes beyond
        180; positions are brought into the same range before any test.
        """
        lon0 = self.plane.lon0
        with np.errstate(invalid="ignore"):
            return np.asarray(lon0 + (np.remainder(lon - lon0 + 180.0, 360.0) - 180.0))

    # ------------------------------------------------------------------ outline

    def _build_segments(self) -> None:
        """Outline segments in lon/lat and in the plane, with each segment's neighbours."""
        a_ll: list[FloatArray] = []
        b_ll: list[FloatArray] = []
        prev: list[IntArray] = []
        nxt: list[IntArray] = []
        start = 0
        chains = [(ring, True) for ring in shapely.get_rings(shapely.get_parts(self.land_lonlat))]
        chains += [(line, False) for line in self._lines_lonlat]
        for chain, closed in chains:
            coords = shapely.get_coordinates(chain)
            coords = coords[np.r_[True, np.any(coords[1:] != coords[:-1], axis=1)]]
            if len(coords) < (4 if closed else 2):
                continue
            n = len(coords) - 1
            a_ll.append(coords[:-1])
            b_ll.append(coords[1:])
            if closed:
                prev.append(start + (np.arange(n) - 1) % n)
                nxt.append(start + (np.arange(n) + 1) % n)
            else:
                prev.append(start + np.maximum(np.arange(n) - 1, 0))
                nxt.append(start + np.minimum(np.arange(n) + 1, n - 1))
            start += n
        a = np.concatenate(a_ll)
        b = np.concatenate(b_ll)
        self._seg_lonlat = (a[:, 0].copy(), a[:, 1].copy(), b[:, 0].copy(), b[:, 1].copy())
        self._ax, self._ay = self.plane.forward(a[:, 0], a[:, 1])
        bx, by = self.plane.forward(b[:, 0], b[:, 1])
        self._dx = bx - self._ax
        self._dy = by - self._ay
        len2 = self._dx**2 + self._dy**2
        self._inv_len2 = np.divide(1.0, len2, out=np.zeros_like(len2), where=len2 > 0)
        self._seg_prev = np.concatenate(prev)
        self._seg_next = np.concatenate(nxt)
        self._chord_m = self._chord_deviation_m()
        self._outline_radius_m = float(np.sqrt(np.max(self._ax**2 + self._ay**2)))
        self._far_radius_m = math.pi / 2.0 * _EARTH_RADIUS_M + self._outline_radius_m
        # outline vertices on (or within 10 m of) the convex hull, for far positions
        vx = np.r_[self._ax, bx]
        vy = np.r_[self._ay, by]
        v_ll = np.vstack([a, b])
        hull = shapely.convex_hull(shapely.multipoints(np.column_stack([vx, vy])))
        on_hull = shapely.dwithin(shapely.boundary(hull), shapely.points(vx, vy), _HULL_SLACK_M)
        hull_v = np.unique(v_ll[on_hull], axis=0)
        self._hull_lonlat = (hull_v[:, 0].copy(), hull_v[:, 1].copy())
        # per land part: bounding box in the plane (to find grid cells near land)
        part_of = np.repeat(
            np.arange(len(a_ll)), [len(s) for s in a_ll]
        )  # ring index of each segment; rings are enough for box tests
        self._ring_boxes = np.column_stack(
            [
                np.minimum.reduceat(np.minimum(self._ax, bx), _starts(part_of)),
                np.minimum.reduceat(np.minimum(self._ay, by), _starts(part_of)),
                np.maximum.reduceat(np.maximum(self._ax, bx), _starts(part_of)),
                np.maximum.reduceat(np.maximum(self._ay, by), _starts(part_of)),
            ]
        )

    # -------------------------------------------------------------------- index

    def _grid(self, level: int) -> _Grid:
        """The index at one level, built on first use (far levels are often never needed)."""
        grid = self._grids[level]
        if grid is None:
            with GEOS_LOCK:  # threads share the kernel: build each level once
                grid = self._grids[level]
                if grid is None:
                    grid = self._build_level(
                        _LEVELS[level], self._voronoi(_LEVELS[level].coarse_samples)
                    )
                    self._grids[level] = grid
        return grid

    def _voronoi(self, coarse: bool) -> _Voronoi:
        if coarse not in self._vor:
            self._vor[coarse] = self._build_voronoi(coarse)
        return self._vor[coarse]

    def _build_voronoi(self, coarse: bool) -> _Voronoi:
        site_xy, site_seg_ptr, site_segs = self._samples(coarse)
        ordered = shapely.geos_version >= (3, 12, 0)
        polys, site_xy = _voronoi_cells(site_xy, ordered)
        if ordered and len(polys) == len(site_xy):
            poly_site = np.arange(len(polys), dtype=np.int64)
        else:  # older GEOS: find which sample each Voronoi cell holds
            hit_site, hit_poly = shapely.STRtree(polys).query(
                shapely.points(site_xy), predicate="intersects"
            )
            poly_site = np.full(len(polys), -1, dtype=np.int64)
            poly_site[hit_poly] = hit_site
        # Voronoi cells are convex, but GEOS can return them with zero-width spikes where
        # several samples are equidistant (symmetric outlines); their convex hulls are clean.
        hulls = shapely.convex_hull(polys)
        return _Voronoi(
            tree=shapely.STRtree(hulls),
            poly_site=poly_site,
            site_seg_ptr=site_seg_ptr,
            site_segs=site_segs,
        )

    def _sample_spacing_m(self, seg_len: FloatArray) -> FloatArray:
        """Sample spacing per segment: fine where other parts of the outline are close.

        Between ``_SAMPLE_SPACING_M`` and ``_MAX_SAMPLE_SPACING_M``: an eighth of the
        segment, and at most a quarter of the distance to the nearest segment that does
        not share a vertex with it (long straight coasts need few samples).
        """
        wanted = np.clip(seg_len / 8.0, _SAMPLE_SPACING_M, _MAX_SAMPLE_SPACING_M)
        long = np.flatnonzero(wanted > _SAMPLE_SPACING_M)
        if long.size == 0:
            return wanted
        tree = self._segment_tree()
        lines = tree.geometries
        near_i, near_j = tree.query(lines[long], predicate="dwithin", distance=4.0 * wanted[long])
        seg_i = long[near_i]
        nxt = self._seg_next
        other = (near_j != seg_i) & (near_j != self._seg_prev[seg_i]) & (near_j != nxt[seg_i])
        seg_i, near_j = seg_i[other], near_j[other]
        gap = shapely.distance(lines[seg_i], lines[near_j])
        limit = wanted.copy()
        np.minimum.at(limit, seg_i, gap / 4.0)
        return np.asarray(np.maximum(limit, _SAMPLE_SPACING_M), dtype=np.float64)

    def _samples(self, coarse: bool) -> tuple[FloatArray, IntArray, IntArray]:
        """Outline samples (unique points) and, per sample, the segments it lies on (CSR)."""
        seg_len = np.sqrt(self._dx**2 + self._dy**2)
        spacing = _MAX_SAMPLE_SPACING_M if coarse else self._sample_spacing_m(seg_len)
        pieces = np.maximum(1, np.ceil(seg_len / spacing).astype(np.int64))
        seg_of = np.repeat(np.arange(len(pieces)), pieces)
        j = np.arange(len(seg_of)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        t = j / pieces[seg_of]
        xy = np.column_stack(
            [self._ax[seg_of] + t * self._dx[seg_of], self._ay[seg_of] + t * self._dy[seg_of]]
        )
        # a segment's first sample is its start vertex, shared with the previous segment
        is_vertex = j == 0
        pair_site = np.r_[np.arange(len(seg_of)), np.flatnonzero(is_vertex)]
        pair_seg = np.r_[seg_of, self._seg_prev[seg_of[is_vertex]]]
        uniq, inverse = np.unique(np.round(xy, 3), axis=0, return_inverse=True)
        pairs = np.unique(np.column_stack([inverse.reshape(-1)[pair_site], pair_seg]), axis=0)
        ptr = np.searchsorted(pairs[:, 0], np.arange(len(uniq) + 1)).astype(np.int64)
        return uniq, ptr, pairs[:, 1].astype(np.int64)

    def _cells_within(self, reach_m: float, h: float) -> tuple[IntArray, IntArray]:
        """Grid cells of size ``h`` whose box is within ``reach_m`` of a ring's box."""
        rb = self._ring_boxes
        lo, hi = -_HALF_WIDTH_M, _HALF_WIDTH_M
        regions = shapely.get_parts(
            shapely.union_all(
                shapely.box(
                    np.clip(rb[:, 0] - reach_m, lo, hi),
                    np.clip(rb[:, 1] - reach_m, lo, hi),
                    np.clip(rb[:, 2] + reach_m, lo, hi),
                    np.clip(rb[:, 3] + reach_m, lo, hi),
                )
            )
        )
        ix_list: list[IntArray] = []
        iy_list: list[IntArray] = []
        for x0, y0, x1, y1 in shapely.bounds(regions):
            lo_x = math.floor((max(x0, -_HALF_WIDTH_M) + _HALF_WIDTH_M) / h)
            hi_x = math.floor((min(x1, _HALF_WIDTH_M - 1.0) + _HALF_WIDTH_M) / h)
            lo_y = math.floor((max(y0, -_HALF_WIDTH_M) + _HALF_WIDTH_M) / h)
            hi_y = math.floor((min(y1, _HALF_WIDTH_M - 1.0) + _HALF_WIDTH_M) / h)
            mesh = np.meshgrid(
                np.arange(lo_x, hi_x + 1, dtype=np.int64),
                np.arange(lo_y, hi_y + 1, dtype=np.int64),
                indexing="ij",
            )
            gx = mesh[0].ravel()
            gy = mesh[1].ravel()
            cx0 = gx * h - _HALF_WIDTH_M
            cy0 = gy * h - _HALF_WIDTH_M
            near = np.zeros(gx.shape, dtype=bool)
            for px0, py0, px1, py1 in rb:
                gap_x = np.maximum(np.maximum(px0 - (cx0 + h), cx0 - px1), 0.0)
                gap_y = np.maximum(np.maximum(py0 - (cy0 + h), cy0 - py1), 0.0)
                near |= gap_x * gap_x + gap_y * gap_y <= reach_m * reach_m
            ix_list.append(gx[near])
            iy_list.append(gy[near])
        return np.concatenate(ix_list), np.concatenate(iy_list)

    def _near_outline(
        self, ix: IntArray, iy: IntArray, h: float, reach_m: float
    ) -> tuple[IntArray, IntArray]:
        """Keep the cells within ``reach_m`` of the outline itself, and not inside the land."""
        x0 = ix * h - _HALF_WIDTH_M
        y0 = iy * h - _HALF_WIDTH_M
        centres = shapely.points(x0 + h / 2.0, y0 + h / 2.0)
        near = np.unique(
            self._segment_tree().query(
                centres, predicate="dwithin", distance=reach_m + h * math.sqrt(0.5)
            )[0]
        )
        ix, iy, x0, y0 = ix[near], iy[near], x0[near], y0[near]
        inland = shapely.contains_properly(self._land_plane(), shapely.box(x0, y0, x0 + h, y0 + h))
        return ix[~inland], iy[~inland]

    def _segment_tree(self) -> shapely.STRtree:
        """Outline segments in the plane as an STRtree of line strings."""
        if self._seg_tree is None:
            start = np.column_stack([self._ax, self._ay])
            end = np.column_stack([self._ax + self._dx, self._ay + self._dy])
            self._seg_tree = shapely.STRtree(shapely.linestrings(np.stack([start, end], axis=1)))
        return self._seg_tree

    def _land_plane(self) -> Polygonal:
        """The land in the plane (prepared), to skip grid cells that lie wholly inland."""
        if self._land_xy is None:

            def forward(coords: FloatArray) -> FloatArray:
                return np.column_stack(self.plane.forward(coords[:, 0], coords[:, 1]))

            land = shapely.make_valid(shapely.transform(self.land_lonlat, forward))
            shapely.prepare(land)
            self._land_xy = land
        return self._land_xy

    def _clipped_tree(self, level: _Level, vor: _Voronoi) -> shapely.STRtree:
        """The Voronoi cells cut to where this level's grid cells can be.

        Voronoi cells of outline samples reach far (to the medial axis inland, to
        infinity at sea), so their bounding boxes overlap a great many grid cells.
        Cut to the region within the level's reach of the outline, less the land
        deeper inside than a cell and its margin (positions on land never reach
        the index), they stay small and the exact intersection test is cheap.
        """
        pad = level.reach_m + 2.0 * level.cell_m + level.margin_m
        rb = self._ring_boxes
        region = shapely.box(
            max(float(rb[:, 0].min()) - pad, -_HALF_WIDTH_M),
            max(float(rb[:, 1].min()) - pad, -_HALF_WIDTH_M),
            min(float(rb[:, 2].max()) + pad, _HALF_WIDTH_M),
            min(float(rb[:, 3].max()) + pad, _HALF_WIDTH_M),
        )
        deep = shapely.buffer(self._land_plane(), -(level.cell_m * 1.5 + level.margin_m))
        if not deep.is_empty:
            region = shapely.difference(region, deep)
        shapely.prepare(region)
        hulls = vor.tree.geometries
        candidates = vor.tree.query(region)
        clipped = shapely.empty(len(hulls))  # missing geometries are not indexed
        clipped[candidates] = shapely.intersection(hulls[candidates], region)
        return shapely.STRtree(clipped)

    def _build_level(self, level: _Level, vor: _Voronoi) -> _Grid:
        h = level.cell_m
        ix, iy = self._cells_within(level.reach_m, h)
        if level.reach_m <= _EXACT_CELLS_REACH_M:
            ix, iy = self._near_outline(ix, iy, h, level.reach_m)
        keys, first = np.unique(_cell_key(ix, iy), return_index=True)
        ix, iy = ix[first], iy[first]
        m = level.margin_m
        box = np.column_stack(
            [
                ix * h - _HALF_WIDTH_M - m,
                iy * h - _HALF_WIDTH_M - m,
                (ix + 1) * h - _HALF_WIDTH_M + m,
                (iy + 1) * h - _HALF_WIDTH_M + m,
            ]
        )
        cell_i, poly_i = self._clipped_tree(level, vor).query(
            shapely.box(box[:, 0], box[:, 1], box[:, 2], box[:, 3]), predicate="intersects"
        )
        site = vor.poly_site[poly_i]
        cell_i, site = cell_i[site >= 0], site[site >= 0]
        ptr = vor.site_seg_ptr
        counts = ptr[site + 1] - ptr[site]
        nseg = len(self._ax)
        pair_cell = np.repeat(cell_i, counts)
        pair_seg = vor.site_segs[_ranges(ptr[site], counts)]
        if level.neighbours:
            nxt = self._seg_next
            pair_cell = np.r_[pair_cell, pair_cell, pair_cell]
            pair_seg = np.r_[pair_seg, self._seg_prev[pair_seg], nxt[pair_seg]]
        pairs = np.unique(pair_cell * nseg + pair_seg)
        offsets = np.searchsorted(pairs // nseg, np.arange(len(keys) + 1)).astype(np.int64)
        return _Grid(cell_m=h, keys=keys, offsets=offsets, segments=pairs % nseg)

    # ----------------------------------------------------------------- distance

    def distance_m(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
        """Geodesic distance (m) from each position to the nearest outline.

        0 inside or on the land; NaN where lon or lat is NaN or infinite, or the
        latitude is beyond +-90 degrees. The result has the broadcast shape of
        ``lon`` and ``lat``.
        """
        lon_b, lat_b = np.broadcast_arrays(
            np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        )
        lon_f = self.normalise_lon(lon_b.ravel())
        lat_f = lat_b.ravel()
        out = np.full(lon_f.shape, np.nan)
        valid = np.isfinite(lon_f) & np.isfinite(lat_f) & (np.abs(lat_f) <= 90.0)
        idx = np.flatnonzero(valid)
        for start in range(0, idx.size, _CHUNK):
            part = idx[start : start + _CHUNK]
            out[part] = self._distance_valid(lon_f[part], lat_f[part])
        return out.reshape(lon_b.shape)

    def _chord_deviation_m(self) -> float:
        """How far the outline's segments (straight in lon/lat) stray from their plane chords.

        The exact distance is measured to the point of the lon/lat segment at
        the parameter that is nearest in the plane; the plane distance, to the
        chord's point at that parameter. Sampled at 9 points per segment,
        doubled (the deviation is smooth, largest mid-segment).
        """
        if self._ax.size == 0:
            return 0.0
        alon, alat, blon, blat = self._seg_lonlat
        worst = 0.0
        for t in np.linspace(0.1, 0.9, 9):
            x, y = self.plane.forward(alon + t * (blon - alon), alat + t * (blat - alat))
            off = np.hypot(x - (self._ax + t * self._dx), y - (self._ay + t * self._dy))
            worst = max(worst, float(np.nanmax(off)))
        return 2.0 * worst

    def plane_error_m(self, d_m: FloatArray) -> FloatArray:
        """How far :meth:`planar_distance_m` may be from :meth:`distance_m` (within 500 km).

        The plane's distortion (:data:`PLANE_RELATIVE_ERROR` of the distance
        plus 1 m; measured errors stay under 7 % of that around the built-in
        zone sets) plus how far the outline's segments stray from their chords
        in the plane (:meth:`_chord_deviation_m`: centimetres for coastlines,
        metres for straight baselines tens of kilometres long).
        """
        return np.asarray(PLANE_RELATIVE_ERROR * d_m + 1.0 + self._chord_m, dtype=np.float64)

    def planar_distance_m(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
        """The distance (m) to the nearest outline measured in the local plane.

        Within :data:`PLANE_RADIUS_M` of the plane's centre it is within
        :meth:`plane_error_m` of :meth:`distance_m`; 0 on the land, as there;
        elsewhere (and for NaN input) the exact distance or NaN as there.
        """
        lon_f = self.normalise_lon(np.asarray(lon, dtype=np.float64).ravel())
        lat_f = np.asarray(lat, dtype=np.float64).ravel()
        out = np.full(lon_f.shape, np.nan)
        valid = np.flatnonzero(np.isfinite(lon_f) & np.isfinite(lat_f) & (np.abs(lat_f) <= 90.0))
        if valid.size:
            out[valid] = self._distance_valid(lon_f[valid], lat_f[valid], planar=True)
        return out

    def _distance_valid(self, lon: FloatArray, lat: FloatArray, planar: bool = False) -> FloatArray:
        out = np.zeros(lon.shape)
        with GEOS_LOCK:  # the prepared land is shared between threads
            on_land = shapely.contains_xy(self.land_lonlat, lon, lat)
        sea = np.flatnonzero(~on_land)
        if sea.size == 0:
            return out
        lon = lon[sea]
        lat = lat[sea]
        x, y = self.plane.forward(lon, lat)
        dist = np.full(lon.shape, np.nan)
        # beyond a quarter of the globe the plane degenerates (towards the antipode)
        todo = np.isfinite(x) & np.isfinite(y) & (x * x + y * y < self._far_radius_m**2)
        for level in range(len(_LEVELS)):
            pos = np.flatnonzero(todo)
            if pos.size == 0:
                break
            grid = self._grid(level)
            keys = _cell_key(_cell_index(x[pos], grid.cell_m), _cell_index(y[pos], grid.cell_m))
            row = np.minimum(np.searchsorted(grid.keys, keys), len(grid.keys) - 1)
            found = grid.keys[row] == keys
            pos, row = pos[found], row[found]
            if pos.size:
                starts = grid.offsets[row]
                counts = grid.offsets[row + 1] - starts
                seg = grid.segments[_ranges(starts, counts)]
                if planar:
                    near = x[pos] ** 2 + y[pos] ** 2 < PLANE_RADIUS_M**2
                    dist[pos[near]] = self._planar(x[pos], y[pos], seg, counts)[near]
                    far = ~near
                    if far.any():  # rare: measure those exactly
                        keep = np.repeat(far, counts)
                        dist[pos[far]] = self._resolve(
                            lon[pos[far]],
                            lat[pos[far]],
                            x[pos[far]],
                            y[pos[far]],
                            seg[keep],
                            counts[far],
                        )
                else:
                    dist[pos] = self._resolve(lon[pos], lat[pos], x[pos], y[pos], seg, counts)
                todo[pos] = False
        rest = np.flatnonzero(np.isnan(dist))
        if rest.size:
            dist[rest] = self._far_distance(lon[rest], lat[rest])
        out[sea] = dist
        return out

    def nearest_m(
        self, lon: npt.ArrayLike, lat: npt.ArrayLike
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Geodesic distance (m) to the outline and the nearest outline point (lon, lat).

        For positions at sea within a quarter of the globe (all others get NaN).
        Every candidate segment of the index is measured on the ellipsoid, so the
        nearest point is exact, also where two parts of the outline are nearly
        equidistant. Used to draw zone limits precisely.
        """
        lon_a = self.normalise_lon(np.asarray(lon, dtype=np.float64).ravel())
        lat_a = np.asarray(lat, dtype=np.float64).ravel()
        dist = np.full(lon_a.shape, np.nan)
        qlon = np.full(lon_a.shape, np.nan)
        qlat = np.full(lon_a.shape, np.nan)
        x, y = self.plane.forward(lon_a, lat_a)
        todo = np.isfinite(x) & np.isfinite(y) & (x * x + y * y < self._far_radius_m**2)
        for level in range(len(_LEVELS)):
            pos = np.flatnonzero(todo)
            if pos.size == 0:
                break
            grid = self._grid(level)
            keys = _cell_key(_cell_index(x[pos], grid.cell_m), _cell_index(y[pos], grid.cell_m))
            row = np.minimum(np.searchsorted(grid.keys, keys), len(grid.keys) - 1)
            found = grid.keys[row] == keys
            pos, row = pos[found], row[found]
            if pos.size == 0:
                continue
            starts = grid.offsets[row]
            counts = grid.offsets[row + 1] - starts
            seg = grid.segments[_ranges(starts, counts)]
            owner, t, *_ = self._plane_candidates(x[pos], y[pos], seg, counts)
            alon, alat, blon, blat = (c[seg] for c in self._seg_lonlat)
            clon = alon + t * (blon - alon)
            clat = alat + t * (blat - alat)
            _, _, d = _GEOD.inv(
                lon_a[pos][owner], lat_a[pos][owner], clon, clat, return_back_azimuth=False
            )
            d = np.asarray(d, dtype=np.float64)
            order = np.lexsort((d, owner))
            first = order[np.r_[True, owner[order][1:] != owner[order][:-1]]]
            dist[pos] = d[first]
            qlon[pos] = clon[first]
            qlat[pos] = clat[first]
            todo[pos] = False
        return dist, qlon, qlat

    def _planar(self, x: FloatArray, y: FloatArray, seg: IntArray, counts: IntArray) -> FloatArray:
        """Each position's distance (m) to its nearest candidate segment, in the plane."""
        *_, best_d2 = self._plane_candidates(x, y, seg, counts)
        return np.asarray(np.sqrt(best_d2))

    def _plane_candidates(
        self, x: FloatArray, y: FloatArray, seg: IntArray, counts: IntArray
    ) -> tuple[IntArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
        """Every candidate segment's nearest point to its position, in the plane.

        ``seg`` lists the candidate segments of every position in turn,
        ``counts[i]`` of them for position ``i`` (at least one each). Returns per
        candidate its position's index, the parameter ``t`` of the nearest point
        along the segment, the offset ``ex, ey`` from the position to it and
        its squared length; and per position the smallest squared length.
        """
        owner = np.repeat(np.arange(len(x)), counts)
        group_start = np.cumsum(counts) - counts
        ax = self._ax[seg]
        ay = self._ay[seg]
        dx = self._dx[seg]
        dy = self._dy[seg]
        px = x[owner]
        py = y[owner]
        t = np.clip(((px - ax) * dx + (py - ay) * dy) * self._inv_len2[seg], 0.0, 1.0)
        ex = ax + t * dx - px
        ey = ay + t * dy - py
        d2 = ex * ex + ey * ey
        return owner, t, ex, ey, d2, np.minimum.reduceat(d2, group_start)

    def _resolve(
        self,
        lon: FloatArray,
        lat: FloatArray,
        x: FloatArray,
        y: FloatArray,
        seg: IntArray,
        counts: IntArray,
    ) -> FloatArray:
        """Pick each position's nearest candidate segment in the plane; measure on the ellipsoid.

        ``seg`` lists the candidate segments of every position in turn, ``counts[i]``
        of them for position ``i`` (at least one each).
        """
        owner, t, ex, ey, d2, best_d2 = self._plane_candidates(x, y, seg, counts)
        best_idx = np.flatnonzero(d2 <= best_d2[owner])
        best = best_idx[np.r_[True, owner[best_idx[1:]] != owner[best_idx[:-1]]]]
        dist = self._geodesic(lon, lat, seg[best], t[best])
        # Another part of the outline nearly as close in the plane may be closer on the
        # ellipsoid: measure those too (rare: positions near an equidistance line).
        limit = np.sqrt(best_d2) + self._tie_tolerance_m(np.sqrt(x * x + y * y))
        qx = ex - ex[best][owner]
        qy = ey - ey[best][owner]
        alt = np.flatnonzero(
            (d2 <= (limit * limit)[owner]) & (qx * qx + qy * qy > _SEPARATION_M**2)
        )
        if alt.size:
            self.alternatives_checked += int(alt.size)
            alt_owner = owner[alt]
            alt_dist = self._geodesic(lon[alt_owner], lat[alt_owner], seg[alt], t[alt])
            np.minimum.at(dist, alt_owner, alt_dist)
        return dist

    def _tie_tolerance_m(self, r_m: FloatArray) -> FloatArray:
        """Bound on how much the plane can misorder two outline points seen from ``r_m``.

        ``r_m`` is the position's distance from the plane's centre. Measured for the
        Senkaku outlines (113 km across): the spread of the plane's error over the
        outline is about 1e-5 of ``r_m`` (1.8 m within 200 km, 9 m at 1,000 km).
        The bound is 5 to 25 times that and scales with the outline's size.
        """
        diameter_m = 2.0 * self._outline_radius_m
        spread = (diameter_m / _EARTH_RADIUS_M) * (
            0.3 * _GEOD.es * r_m + r_m * r_m / (60.0 * _EARTH_RADIUS_M)
        )
        return np.asarray(0.05 + spread, dtype=np.float64)

    def _geodesic(
        self, lon: FloatArray, lat: FloatArray, seg: IntArray, t: FloatArray
    ) -> FloatArray:
        """Ellipsoidal distance from positions to the points at ``t`` along segments."""
        alon, alat, blon, blat = (c[seg] for c in self._seg_lonlat)
        _, _, d = _GEOD.inv(
            lon, lat, alon + t * (blon - alon), alat + t * (blat - alat), return_back_azimuth=False
        )
        return np.asarray(d, dtype=np.float64)

    def _far_distance(self, lon: FloatArray, lat: FloatArray) -> FloatArray:
        """Distance from positions more than a quarter of the globe away.

        Seen from there, the distance to a point of the outline is a concave function
        of that point (the ellipsoid's curvature turns it), so its minimum over the
        outline lies at an extreme point: a vertex on the outline's convex hull.
        """
        vlon, vlat = self._hull_lonlat
        n, nv = len(lon), len(vlon)
        _, _, d = _GEOD.inv(
            np.repeat(lon, nv),
            np.repeat(lat, nv),
            np.tile(vlon, n),
            np.tile(vlat, n),
            return_back_azimuth=False,
        )
        return np.asarray(np.min(np.reshape(d, (n, nv)), axis=1), dtype=np.float64)

    # -------------------------------------------------------------------- zones

    def buffer_lonlat(self, distance_m: float) -> Polygonal:
        """The land buffered by ``distance_m``, drawn in PROJ's AEQD plane, in lon/lat degrees.

        Within a few metres of the geodesic buffer near the zone set: meant for maps.
        """
        fwd = pyproj.Transformer.from_crs("EPSG:4326", self.plane.aeqd_crs, always_xy=True)
        inv = pyproj.Transformer.from_crs(self.plane.aeqd_crs, "EPSG:4326", always_xy=True)
        land_xy = shapely.transform(
            shapely.union_all([self.land_lonlat, *self._lines_lonlat]),
            lambda c: np.column_stack(fwd.transform(c[:, 0], c[:, 1])),
        )
        buffered = shapely.buffer(land_xy, distance_m, quad_segs=32)
        buffered = shapely.segmentize(buffered, max(distance_m / 20.0, 100.0))
        out: Polygonal = shapely.transform(
            buffered, lambda c: np.column_stack(inv.transform(c[:, 0], c[:, 1]))
        )
        return out


def _unwrap_antimeridian(geometries: list[Baseline]) -> list[Baseline]:
    """Move negative longitudes east by 360 degrees when the geometries straddle 180."""
    coords = shapely.get_coordinates(geometries)
    if coords.size == 0 or float(np.ptp(coords[:, 0])) <= 180.0:
        return geometries

    def shift(c: FloatArray) -> FloatArray:
        out = c.copy()
        out[:, 0] = np.where(out[:, 0] < 0.0, out[:, 0] + 360.0, out[:, 0])
        return out

    return [shapely.transform(g, shift) for g in geometries]


def _starts(group: IntArray) -> IntArray:
    """Start index of each run of equal values in a sorted array."""
    return np.flatnonzero(np.r_[True, group[1:] != group[:-1]])


def _cell_index(v: FloatArray | float, h: float) -> IntArray:
    return np.floor((np.asarray(v) + _HALF_WIDTH_M) / h).astype(np.int64)


def _cell_key(ix: IntArray, iy: IntArray) -> IntArray:
    return np.asarray(ix * (1 << 31) + iy, dtype=np.int64)


def _ranges(starts: IntArray, counts: IntArray) -> IntArray:
    """Concatenation of ``arange(s, s + c)`` for each start/count pair."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - (np.cumsum(counts) - counts), counts)
    return np.asarray(np.arange(total) + shift, dtype=np.int64)


def _voronoi_cells(
    site_xy: FloatArray, ordered: bool
) -> tuple[npt.NDArray[np.object_], FloatArray]:
    """Voronoi cells of the samples over the whole plane, and the samples used.

    GEOS can fail on degenerate input (regular, cocircular samples along straight
    edges), so the samples are nudged by a deterministic sub-centimetre jitter,
    far below the index margins; a larger one is tried if that still fails.
    """
    extent = shapely.box(-_HALF_WIDTH_M, -_HALF_WIDTH_M, _HALF_WIDTH_M, _HALF_WIDTH_M)
    rng = np.random.default_rng(0)
    for jitter_m in (0.001, 0.01, 0.1):
        jittered = site_xy + rng.uniform(-jitter_m, jitter_m, site_xy.shape)
        try:
            cells = shapely.voronoi_polygons(
                shapely.multipoints(jittered), extend_to=extent, ordered=ordered
            )
        except shapely.errors.GEOSException:
            continue
        return shapely.get_parts(cells), jittered
    raise ValueError("cannot build the Voronoi diagram of the outline samples")
