"""The evidence behind one event or incident, written as files a person can read.

:func:`write_evidence` writes, for an :class:`Evidence` record:

``positions.csv``
    every position of the vessels involved from ``margin`` before to
    ``margin`` after the event, with its provenance (input file hash and line)
    and whether the track kept it (or why it was dropped);
``track.geojson``
    the event as a point and each vessel's cleaned track as a line (one line
    per track segment), in WGS84 lon/lat;
``map.png``
    the zones, the island outlines, the tracks (bold during the event) and
    the event's position;
``summary.txt``
    what happened, when (UTC and local time), where, the vessels, and the
    event's detail;
``event.json``
    the event record itself.

Finding the event (from its id) is the engine's business; see
``zonewatch.cli.evidence``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import shapely

from zonewatch.zones import ZoneSet

__all__ = ["Evidence", "write_evidence"]

_ZONE_COLORS = {"contiguous_zone": "#f0b429", "territorial_sea": "#d64545"}
_PALETTE = ("#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


@dataclass(frozen=True)
class Evidence:
    """One event or incident and the data behind it.

    Attributes
    ----------
    event_id, kind
        The event's id and kind (``"intrusion_incident"`` for report incidents).
    start, end
        UTC, tz-aware.
    mmsis
        The vessels involved.
    lon, lat
        The event's position (None when it has none).
    zone
        ``"<kind>:<zone set>"`` or None.
    record
        The event as listed by ``zonewatch events`` (or the incident as in the report).
    positions
        Raw positions of the vessels in the window, with ``status`` (``kept``,
        ``dropped: <reason>``, ``null_island``) and ``segment`` (null when dropped).
    names
        Vessel names by MMSI, where known.
    parameters
        The parameters the event was detected with.
    """

    event_id: str
    kind: str
    start: dt.datetime
    end: dt.datetime
    mmsis: tuple[int, ...]
    lon: float | None
    lat: float | None
    zone: str | None
    record: Mapping[str, Any]
    positions: pl.DataFrame
    names: Mapping[int, str] = field(default_factory=dict)
    parameters: Mapping[str, Any] = field(default_factory=dict)


def _iso(ts: dt.datetime) -> str:
    return ts.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _write_csv(evidence: Evidence, path: Path) -> None:
    frame = evidence.positions.sort("ts", "mmsi").with_columns(
        pl.col("ts").dt.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").alias("ts"),
        pl.col("sog").round(1),
        pl.col("cog").round(1),
    )
    frame.write_csv(path)


def _segments(evidence: Evidence) -> list[tuple[int, int, pl.DataFrame]]:
    kept = evidence.positions.filter(pl.col("status") == "kept").sort("mmsi", "ts")
    out = []
    for (mmsi, segment), part in kept.group_by(["mmsi", "segment"], maintain_order=True):
        out.append((int(str(mmsi)), int(str(segment)), part))
    return out


def _write_geojson(evidence: Evidence, path: Path) -> None:
    features: list[dict[str, Any]] = []
    if evidence.lon is not None and evidence.lat is not None:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [evidence.lon, evidence.lat]},
                "properties": {"role": "event", **dict(evidence.record)},
            }
        )
    for mmsi, segment, part in _segments(evidence):
        coords = [[round(x, 6), round(y, 6)] for x, y in zip(part["lon"], part["lat"], strict=True)]
        geometry: dict[str, Any] = (
            {"type": "LineString", "coordinates": coords}
            if len(coords) > 1
            else {"type": "Point", "coordinates": coords[0]}
        )
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "role": "track",
                    "mmsi": mmsi,
                    "name": evidence.names.get(mmsi),
                    "segment": segment,
                    "start": _iso(part["ts"][0]),
                    "end": _iso(part["ts"][-1]),
                    "fixes": part.height,
                },
            }
        )
    doc = {"type": "FeatureCollection", "event_id": evidence.event_id, "features": features}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _polygons(geometry: Any) -> list[Any]:
    if geometry is None or geometry.is_empty:
        return []
    if isinstance(geometry, shapely.Polygon):
        return [geometry]
    return [g for g in getattr(geometry, "geoms", []) if isinstance(g, shapely.Polygon)]


def _extent(evidence: Evidence) -> tuple[float, float, float, float]:
    kept = evidence.positions.filter(pl.col("status") == "kept")
    lons = kept["lon"].to_list()
    lats = kept["lat"].to_list()
    if evidence.lon is not None and evidence.lat is not None:
        lons.append(evidence.lon)
        lats.append(evidence.lat)
    if not lons:
        lons, lats = [0.0], [0.0]
    x0, x1, y0, y1 = min(lons), max(lons), min(lats), max(lats)
    pad = max(x1 - x0, y1 - y0, 0.05) * 0.15
    return x0 - pad, x1 + pad, y0 - pad, y1 + pad


def _write_png(evidence: Evidence, zone_set: ZoneSet, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch

    fig, ax = plt.subplots(figsize=(8.5, 7.5), dpi=110)
    try:
        x0, x1, y0, y1 = _extent(evidence)
        handles = []
        for kind, geometry in sorted(
            zone_set.zone_geometries().items(), key=lambda kv: -zone_set.zone(kv[0]).distance_nm
        ):
            color = _ZONE_COLORS.get(kind, "#9aa5b1")
            for poly in _polygons(geometry):
                xs, ys = poly.exterior.xy
                ax.fill(xs, ys, color=color, alpha=0.18, lw=0)
                ax.plot(xs, ys, color=color, lw=1.0)
            label = f"{kind.replace('_', ' ')} ({zone_set.zone(kind).distance_nm:g} nm)"
            handles.append(Patch(facecolor=color, alpha=0.4, label=label))
        for feature in zone_set.features:
            for poly in _polygons(feature.geometry):
                xs, ys = poly.exterior.xy
                ax.fill(xs, ys, color="#3d3d3d", lw=0.5)
        colors = {m: _PALETTE[i % len(_PALETTE)] for i, m in enumerate(evidence.mmsis)}
        labelled: set[int] = set()
        start_ms = evidence.start.timestamp() * 1000
        end_ms = evidence.end.timestamp() * 1000
        for mmsi, _segment, part in _segments(evidence):
            color = colors.get(mmsi, "#555555")
            name = evidence.names.get(mmsi)
            track_label = None if mmsi in labelled else f"{mmsi} {name or ''}".strip()
            labelled.add(mmsi)
            ax.plot(part["lon"], part["lat"], color=color, lw=1.0, alpha=0.7, label=track_label)
            t = part["ts"].dt.epoch("ms").to_numpy()
            during = (t >= start_ms) & (t <= end_ms)
            if during.any():
                ax.plot(
                    part["lon"].to_numpy()[during],
                    part["lat"].to_numpy()[during],
                    color=color,
                    lw=2.6,
                )
            ax.plot(part["lon"][0], part["lat"][0], "o", color=color, ms=3)
        dropped = evidence.positions.filter(
            (pl.col("status") != "kept") & (pl.col("status") != "dropped: duplicate")
        )
        if dropped.height:
            ax.plot(dropped["lon"], dropped["lat"], "x", color="#b00020", ms=5, label="dropped fix")
        detail = evidence.record.get("detail")
        if isinstance(detail, Mapping) and isinstance(detail.get("end"), Mapping):
            a, b = detail["start"], detail["end"]
            ax.plot(
                [a["lon"], b["lon"]],
                [a["lat"], b["lat"]],
                "--",
                color="#555555",
                lw=1.4,
                label=f"gap: no position for {detail.get('duration_h', '?')} h",
            )
            ax.plot(b["lon"], b["lat"], "s", color="#555555", ms=6)
        if evidence.lon is not None and evidence.lat is not None:
            ax.plot(
                evidence.lon, evidence.lat, "*", color="black", ms=15, mec="white", label="event"
            )
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        mid_lat = (y0 + y1) / 2.0
        ax.set_aspect(1.0 / max(np.cos(np.radians(mid_lat)), 0.05))
        ax.set_xlabel("longitude (°E)")
        ax.set_ylabel("latitude (°N)")
        tz = ZoneInfo(zone_set.timezone)
        ax.set_title(
            f"{evidence.kind.replace('_', ' ')}: {evidence.event_id}\n"
            f"{evidence.start.astimezone(tz):%Y-%m-%d %H:%M} to "
            f"{evidence.end.astimezone(tz):%Y-%m-%d %H:%M} ({zone_set.timezone})",
            fontsize=10,
        )
        track_handles, _ = ax.get_legend_handles_labels()
        ax.legend(handles=[*handles, *track_handles], loc="best", fontsize=8, framealpha=0.85)
        ax.grid(True, lw=0.3, alpha=0.5)
        note = f"Zones from {zone_set.name} outlines. {zone_set.attribution}".strip()
        fig.text(0.01, 0.01, note, fontsize=7, color="#555555")
        fig.savefig(path)
    finally:
        plt.close(fig)


def _summary(evidence: Evidence, zone_set: ZoneSet, files: Sequence[str]) -> str:
    tz = ZoneInfo(zone_set.timezone)
    hours = (evidence.end - evidence.start).total_seconds() / 3600.0
    lines = [
        f"Event {evidence.event_id}",
        f"Kind: {evidence.kind}",
        f"Start: {_iso(evidence.start)} (UTC) = {evidence.start.astimezone(tz).isoformat()}",
        f"End:   {_iso(evidence.end)} (UTC) = {evidence.end.astimezone(tz).isoformat()}",
        f"Duration: {hours:.2f} h",
    ]
    if evidence.lon is not None and evidence.lat is not None:
        lines.append(f"Position: {evidence.lat:.5f} N, {evidence.lon:.5f} E")
    lines.append(f"Zone: {evidence.zone or 'outside the zones of ' + zone_set.name}")
    lines.append("Vessels:")
    for mmsi in evidence.mmsis:
        lines.append(f"  {mmsi}  {evidence.names.get(mmsi) or '(name not broadcast)'}")
    counts = evidence.positions.group_by("status").len().sort("status")
    lines.append(f"Positions behind it: {evidence.positions.height}")
    for status, n in counts.iter_rows():
        lines.append(f"  {status}: {n}")
    detail = evidence.record.get("detail")
    if not isinstance(detail, Mapping):  # a report incident: its own fields
        detail = {k: v for k, v in evidence.record.items() if k not in ("id", "start", "end")}
    if detail:
        lines.append("Detail:")
        for key, value in detail.items():
            lines.append(f"  {key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("Files:")
    lines.extend(f"  {name}" for name in files)
    lines.append(
        "Times are UTC unless marked; tracks are straight lines between fixes within a segment."
    )
    if zone_set.attribution:
        lines.append(f"Outlines: {zone_set.attribution}")
    return "\n".join(lines) + "\n"


def write_evidence(evidence: Evidence, zone_set: ZoneSet, out: Path) -> list[Path]:
    """Write the evidence files of one event into ``out`` (created if needed).

    Parameters
    ----------
    evidence
        The event and its positions.
    zone_set
        Zones and outlines for the map.
    out
        The folder.

    Returns
    -------
    list of pathlib.Path
        The files written: ``summary.txt``, ``positions.csv``,
        ``track.geojson``, ``map.png``, ``event.json``.
    """
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "summary": out / "summary.txt",
        "positions": out / "positions.csv",
        "track": out / "track.geojson",
        "map": out / "map.png",
        "event": out / "event.json",
    }
    _write_csv(evidence, paths["positions"])
    _write_geojson(evidence, paths["track"])
    _write_png(evidence, zone_set, paths["map"])
    paths["event"].write_text(
        json.dumps(
            {"event": dict(evidence.record), "parameters": dict(evidence.parameters)},
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    names = [p.name for p in paths.values()]
    paths["summary"].write_text(_summary(evidence, zone_set, names), encoding="utf-8")
    return list(paths.values())
