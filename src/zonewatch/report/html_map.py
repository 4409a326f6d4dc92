"""A self-contained HTML map of a report: zones, islands, fleet tracks and incidents.

The page is one file that opens from disk and fetches nothing: the data travel
as JSON inside a ``<script type="application/json">`` element, and an inline
script draws them on a canvas (equirectangular projection scaled by the cosine
of a reference latitude, so distances are true near the zone set). It has
mouse pan and zoom, a legend, layer and vessel filters, a graticule with
degree-minute labels, a scale bar in nautical miles, and a popup per incident
at its point of closest approach. A Content-Security-Policy forbids every
network request, so a stray reference could not load anything either.

Tracks are thinned per vessel with Douglas-Peucker on the projected line
until at most ``max_points_per_vessel`` points remain (segments stay apart:
no line joins fixes across a segment break).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from zonewatch.errors import ParameterError
from zonewatch.geo import EARTH_RADIUS_M, METERS_PER_NM
from zonewatch.report.model import Report

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import polars as pl

__all__ = [
    "MAP_TRACK_COLUMNS",
    "FeatureLike",
    "ZoneSetLike",
    "map_data",
    "render_map_html",
    "simplify_track",
    "write_map",
]

MAP_TRACK_COLUMNS = ("mmsi", "ts", "lon", "lat", "segment")
"""Columns :func:`write_map` needs in its ``tracks`` frame."""

_COORD_DECIMALS = 5
"""Coordinates are rounded to 1e-5 degree (about 1 m)."""

_ZONE_TOLERANCE_DEG = 2e-4
"""Simplification of zone outlines (about 20 m), invisible at any useful zoom."""

_FEATURE_TOLERANCE_DEG = 1e-5
"""Simplification of island outlines (about 1 m)."""

_ZONE_COLORS = {"contiguous_zone": "#f0b429", "territorial_sea": "#d64545"}
_PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#637939",
    "#843c39",
)


class FeatureLike(Protocol):
    """What the map needs of a zone-set feature (an island or rock)."""

    @property
    def name(self) -> str:
        """The feature's name."""
        ...

    @property
    def geometry(self) -> Any:
        """Its outline: a shapely geometry in lon/lat degrees."""
        ...


class ZoneSetLike(Protocol):
    """What the map needs of a zone set (:class:`zonewatch.zones.ZoneSet` fits)."""

    @property
    def name(self) -> str:
        """The zone set's name."""
        ...

    @property
    def features(self) -> Sequence[FeatureLike]:
        """The features the zones are measured from."""
        ...

    @property
    def attribution(self) -> str:
        """Credit for the outline data, shown on the map."""
        ...

    def zone_geometries(self) -> Mapping[str, Any]:
        """Each zone kind's area as a shapely geometry in lon/lat degrees."""
        ...


def _color(i: int) -> str:
    """The i-th track colour: the palette, then golden-angle hues."""
    if i < len(_PALETTE):
        return _PALETTE[i]
    hue = (i * 137.508) % 360.0
    return f"hsl({hue:.0f},65%,42%)"


def _round(values: npt.NDArray[np.float64], decimals: int = _COORD_DECIMALS) -> list[float]:
    import numpy as np

    return [float(v) for v in np.round(values, decimals)]


def _flat_ring(coords: npt.NDArray[np.float64]) -> list[float]:
    """``[lon, lat, lon, lat, ...]`` of one ring, rounded."""
    return _round(coords[:, :2].reshape(-1))


def _polygons(geometry: Any, tolerance_deg: float) -> tuple[list[list[list[float]]], list[float]]:
    """Polygon rings (outer first, then holes) and lone points of a geometry.

    Returns ``(polygons, points)``: each polygon a list of flat rings, points a
    flat ``[lon, lat, ...]`` list. Lines are drawn as their points.
    """
    import numpy as np
    import shapely

    polygons: list[list[list[float]]] = []
    points: list[float] = []
    if geometry is None or shapely.is_empty(geometry):
        return polygons, points
    parts = shapely.get_parts(geometry)
    for part in parts:
        kind = shapely.get_type_id(part)
        if kind == 7:  # a nested collection
            sub_polygons, sub_points = _polygons(part, tolerance_deg)
            polygons.extend(sub_polygons)
            points.extend(sub_points)
        elif kind == 3:  # polygon
            simple = shapely.simplify(part, tolerance_deg, preserve_topology=True)
            if shapely.is_empty(simple) or shapely.get_type_id(simple) != 3:
                simple = part
            rings = [simple.exterior, *simple.interiors]
            polygons.append([_flat_ring(np.asarray(ring.coords)) for ring in rings])
        else:  # points and lines
            points.extend(_flat_ring(shapely.get_coordinates(part)))
    return polygons, points


def simplify_track(
    lon: npt.NDArray[np.float64],
    lat: npt.NDArray[np.float64],
    segment: npt.NDArray[np.int64],
    max_points: int,
    lat0: float,
) -> npt.NDArray[np.int64]:
    """Indices of the fixes to keep so that a track has at most ``max_points`` points.

    Parameters
    ----------
    lon, lat
        One vessel's fixes in time order (degrees).
    segment
        Segment number of each fix; fixes of different segments are never joined.
    max_points
        Point budget. It is exceeded only when the track has more segments than
        the budget allows (every segment keeps its two ends, a lone fix itself).
    lat0
        Reference latitude of the projection (x is scaled by ``cos(lat0)``).

    Returns
    -------
    numpy.ndarray
        Sorted indices into the input. Douglas-Peucker on the projected line,
        with the smallest tolerance (on a doubling ladder from 1e-5 degree) that
        meets the budget, so a track that fits is kept whole.

    Examples
    --------
    >>> import numpy as np
    >>> lon = np.array([123.0, 123.1, 123.2, 123.3, 124.0])
    >>> lat = np.array([25.0, 25.0, 25.001, 25.0, 26.0])
    >>> simplify_track(lon, lat, np.array([0, 0, 0, 0, 1]), 3, 25.0).tolist()
    [0, 3, 4]
    """
    import numpy as np
    import shapely

    n = len(lon)
    if n <= max_points:
        return np.arange(n, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, segment[1:] != segment[:-1]])
    sizes = np.diff(np.r_[starts, n])
    run = np.repeat(np.arange(len(starts)), sizes)  # 0, 1, ... per run of equal segment
    multi = np.repeat(sizes >= 2, sizes)
    singles = np.flatnonzero(~multi)
    idx = np.flatnonzero(multi)
    if len(idx) == 0:
        return singles.astype(np.int64)
    coords = np.column_stack(
        [lon[idx] * math.cos(math.radians(lat0)), lat[idx], idx.astype(np.float64)]
    )
    # line ids must run 0..k-1: renumber the runs that hold two or more fixes
    line_ids = np.unique(run[idx], return_inverse=True)[1]
    lines = shapely.linestrings(coords, indices=line_ids)
    lines = lines[~shapely.is_missing(lines)]
    tolerance = 1e-5
    kept = idx
    for _ in range(40):
        simple = shapely.simplify(lines, tolerance, preserve_topology=False)
        kept = shapely.get_coordinates(simple, include_z=True)[:, 2].astype(np.int64)
        if len(kept) + len(singles) <= max_points:
            break
        tolerance *= 2.0
    return np.unique(np.concatenate([kept, singles])).astype(np.int64)


def _period_bounds(report: Report) -> tuple[dt.datetime, dt.datetime]:
    tz = ZoneInfo(report.timezone)
    lo = dt.datetime.combine(report.period_start, dt.time(), tzinfo=tz)
    hi = dt.datetime.combine(report.period_end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return lo.astimezone(dt.UTC), hi.astimezone(dt.UTC)


def _zone_label(kind: str, parameters: Mapping[str, Any]) -> str:
    label = kind.replace("_", " ").capitalize()
    distance = parameters.get(f"{kind}_nm")
    if isinstance(distance, int | float):
        label += f" ({distance:g} nm)"
    return label


def _vessel_tracks(
    report: Report, tracks: pl.DataFrame, lat0: float, max_points: int
) -> list[dict[str, Any]]:
    import numpy as np
    import polars as pl

    missing = [c for c in MAP_TRACK_COLUMNS if c not in tracks.columns]
    if missing:
        raise ParameterError(
            f"map tracks lack column(s) {', '.join(missing)} (have {', '.join(tracks.columns)})"
        )
    lo, hi = _period_bounds(report)
    frame = (
        tracks.select(MAP_TRACK_COLUMNS)
        .filter(
            (pl.col("ts") >= lo)
            & (pl.col("ts") < hi)
            & pl.col("lon").is_finite()
            & pl.col("lat").is_finite()
        )
        .with_columns(
            pl.col("mmsi").cast(pl.Int64),
            pl.col("segment").cast(pl.Int64),
            (pl.col("ts").dt.epoch("s") - int(lo.timestamp())).floordiv(60).alias("t_min"),
        )
        .sort("mmsi", "ts")
    )
    infos = {v.mmsi: v for v in report.vessels}
    order = sorted(set(infos) | set(frame["mmsi"].unique().to_list()))
    by_mmsi = {
        int(key[0]): group for key, group in frame.partition_by("mmsi", as_dict=True).items()
    }
    vessels = []
    for i, mmsi in enumerate(order):
        info = infos.get(mmsi)
        group = by_mmsi.get(mmsi)
        segments: list[dict[str, list[float] | list[int]]] = []
        n_fixes = 0
        if group is not None:
            lon = group["lon"].to_numpy().astype(np.float64)
            lat = group["lat"].to_numpy().astype(np.float64)
            seg = group["segment"].to_numpy().astype(np.int64)
            t_min = group["t_min"].to_numpy().astype(np.int64)
            n_fixes = len(lon)
            keep = simplify_track(lon, lat, seg, max_points, lat0)
            run = np.cumsum(np.r_[False, seg[1:] != seg[:-1]])[keep]
            cuts = np.flatnonzero(run[1:] != run[:-1]) + 1
            for piece in np.split(keep, cuts):
                segments.append(
                    {
                        "xy": _round(np.column_stack([lon[piece], lat[piece]]).reshape(-1)),
                        "t": [int(v) for v in t_min[piece]],
                    }
                )
        vessels.append(
            {
                "mmsi": mmsi,
                "name": info.name if info else None,
                "callsign": info.callsign if info else None,
                "flag": info.flag if info else None,
                "matched_by": info.matched_by if info else None,
                "color": _color(i),
                "fixes": n_fixes,
                "points": sum(len(s["t"]) for s in segments),
                "segments": segments,
            }
        )
    return vessels


def map_data(
    report: Report,
    zone_set: ZoneSetLike,
    tracks: pl.DataFrame,
    *,
    max_points_per_vessel: int = 2000,
) -> dict[str, Any]:
    """Return the JSON object the map page draws.

    Parameters
    ----------
    report, zone_set, tracks, max_points_per_vessel
        As for :func:`write_map`.

    Returns
    -------
    dict
        Keys ``title``, ``zone_set``, ``fleet``, ``timezone``, ``period``,
        ``attribution``, ``notes``, ``totals``, ``lat0``, ``lon0``, ``nm_per_deg``,
        ``bounds`` (the initial view: zones and features), ``t0`` (UTC Unix
        seconds of the period's start; track times ``t`` are minutes after it),
        ``zones``, ``features``, ``vessels``, ``incidents``.
    """
    import numpy as np
    import shapely

    geometries = {k: g for k, g in zone_set.zone_geometries().items() if g is not None}
    zone_items = sorted(
        geometries.items(), key=lambda kv: (-float(shapely.area(kv[1]) or 0.0), kv[0])
    )
    shapes = [*geometries.values(), *(f.geometry for f in zone_set.features)]
    shapes = [g for g in shapes if g is not None and not shapely.is_empty(g)]
    track_lon = tracks["lon"].to_numpy() if "lon" in tracks.columns else np.empty(0)
    track_lat = tracks["lat"].to_numpy() if "lat" in tracks.columns else np.empty(0)
    if shapes:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in shapely.total_bounds(shapes))
    elif np.isfinite(track_lon).any() and np.isfinite(track_lat).any():
        min_lon, max_lon = float(np.nanmin(track_lon)), float(np.nanmax(track_lon))
        min_lat, max_lat = float(np.nanmin(track_lat)), float(np.nanmax(track_lat))
    else:
        min_lon = min_lat = -1.0
        max_lon = max_lat = 1.0
    lat0 = (min_lat + max_lat) / 2.0
    lon0 = (min_lon + max_lon) / 2.0

    zones = []
    for i, (kind, geometry) in enumerate(zone_items):
        polygons, _ = _polygons(geometry, _ZONE_TOLERANCE_DEG)
        zones.append(
            {
                "kind": kind,
                "label": _zone_label(kind, report.parameters),
                "color": _ZONE_COLORS.get(kind, _color(len(_PALETTE) + i)),
                "polygons": polygons,
            }
        )
    features = []
    for feature in zone_set.features:
        polygons, points = _polygons(feature.geometry, _FEATURE_TOLERANCE_DEG)
        anchor = shapely.point_on_surface(feature.geometry)
        features.append(
            {
                "name": feature.name,
                "polygons": polygons,
                "points": points,
                "label": _round(shapely.get_coordinates(anchor).reshape(-1)),
            }
        )
    incidents = [
        {
            "id": inc.id,
            "start": inc.start.isoformat(timespec="minutes"),
            "end": inc.end.isoformat(timespec="minutes"),
            "duration_h": round(inc.duration_h, 2),
            "vessels": list(inc.vessels),
            "min_distance_nm": round(inc.min_distance_nm, 2),
            "fishing_vessel_nearby": inc.fishing_vessel_nearby,
            "closest_mmsi": inc.closest_mmsi,
            "lon": round(inc.closest_lon, _COORD_DECIMALS),
            "lat": round(inc.closest_lat, _COORD_DECIMALS),
        }
        for inc in report.incidents
    ]
    lo, _ = _period_bounds(report)
    return {
        "title": f"{report.zone_set}: {report.fleet}",
        "zone_set": report.zone_set,
        "fleet": report.fleet,
        "timezone": report.timezone,
        "period": {"start": report.period_start.isoformat(), "end": report.period_end.isoformat()},
        "attribution": zone_set.attribution,
        "notes": list(report.notes),
        "totals": report.totals.to_dict(),
        "lat0": round(lat0, 6),
        "lon0": round(lon0, 6),
        "nm_per_deg": math.radians(EARTH_RADIUS_M) / METERS_PER_NM,
        "bounds": [round(v, 6) for v in (min_lon, min_lat, max_lon, max_lat)],
        "t0": int(lo.timestamp()),
        "zones": zones,
        "features": features,
        "vessels": _vessel_tracks(report, tracks, lat0, max_points_per_vessel),
        "incidents": incidents,
    }


def _asset(name: str) -> str:
    return (resources.files("zonewatch.report") / "assets" / name).read_text(encoding="utf-8")


def _script_json(data: Mapping[str, Any]) -> str:
    """JSON safe inside a ``<script>`` element: every ``<`` written as a unicode escape."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c")


def render_map_html(data: Mapping[str, Any]) -> str:
    """Return the map page for a :func:`map_data` object.

    Parameters
    ----------
    data
        The object to embed.

    Returns
    -------
    str
        A complete HTML document with its style, script and data inline.
    """
    values = {
        "TITLE": html.escape(f"zonewatch map: {data['title']}"),
        "CSS": _asset("map.css"),
        "JS": _asset("map.js").replace("</", "<\\/"),
        "DATA": _script_json(data),
    }
    template = _asset("map.html")
    return re.sub(r"\{\{(TITLE|CSS|JS|DATA)\}\}", lambda m: values[m.group(1)], template)


def write_map(
    report: Report,
    zone_set: ZoneSetLike,
    tracks: pl.DataFrame,
    path: Path,
    *,
    max_points_per_vessel: int = 2000,
) -> None:
    """Write the report's map as one self-contained HTML file.

    Parameters
    ----------
    report
        The report (period, incidents, fleet vessels, parameters).
    zone_set
        The zone set: its zones, features and attribution are drawn.
    tracks
        Cleaned fixes of the fleet vessels with columns ``mmsi`` (UInt32),
        ``ts`` (Datetime, UTC), ``lon``, ``lat`` and ``segment`` (UInt32); other
        columns are ignored. Fixes outside the report's period are left out.
    path
        The HTML file to create (replaced if it exists).
    max_points_per_vessel
        Track points kept per vessel (see :func:`simplify_track`).

    Raises
    ------
    ParameterError
        If ``tracks`` lacks a needed column or ``max_points_per_vessel`` < 2.

    Notes
    -----
    The file references no URL: it opens from disk without network access.
    A year of ten vessels stays well under 5 MB.
    """
    if max_points_per_vessel < 2:
        raise ParameterError(
            f"max_points_per_vessel must be at least 2, not {max_points_per_vessel}"
        )
    data = map_data(report, zone_set, tracks, max_points_per_vessel=max_points_per_vessel)
    path.write_text(render_map_html(data), encoding="utf-8", newline="\n")
