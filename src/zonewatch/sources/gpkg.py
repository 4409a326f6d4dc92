"""Reading point layers of GeoPackage files (SQLite) without GDAL.

A GeoPackage stores each feature's geometry as a blob: a header (``GP``,
version, flags, SRS id, optional envelope) followed by ISO WKB. Point blobs
are parsed column-wise with NumPy (:func:`gpkg_points`). Attribute columns are
matched to canonical fields by name, case-insensitively: the canonical names
and the MarineCadastre names (``mmsi``, ``basedatetime`` -> ts, ``sog``,
``cog``, ``heading``, ``status`` -> nav_status, ``vesselname`` -> name,
``imo``, ``callsign``, ``vesseltype`` -> ship_type, ``transceiverclass`` ->
msg_type). Longitude and latitude come from the geometry, which must be in
EPSG:4326. The feature id is the row's ``line_no``; ``lines`` counts features.
Validation follows :mod:`zonewatch.sources.tabular`; a feature whose geometry
is missing, empty or not a point is rejected as ``bad_position``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

from zonewatch.errors import InputFileError, ParameterError
from zonewatch.sources.accounting import Decoded
from zonewatch.sources.compression import decompressed_copy
from zonewatch.sources.csv_dialects import MARINECADASTRE, CsvDialect
from zonewatch.sources.files import check_regular_file, file_id
from zonewatch.sources.tabular import CANONICAL_COLUMNS, Errors, TabularCollector, stage

__all__ = ["BATCH_FEATURES", "gpkg_layers", "gpkg_points", "read_gpkg"]

BATCH_FEATURES = 100_000
"""Features read and validated at a time."""

_ENVELOPE_BYTES = np.array([0, 32, 48, 48, 64, -1, -1, -1], dtype=np.int64)
_POINT_TYPES = np.array([1, 1001, 2001, 3001, 0x80000001, 0x40000001, 0xC0000001], dtype=np.uint32)
_ATTRIBUTES = CsvDialect(
    name="gpkg",
    columns={
        name: (name, *MARINECADASTRE.columns.get(name, ()))
        for name in CANONICAL_COLUMNS
        if name not in ("lon", "lat")
    }
    | {"lon": ("_lon",), "lat": ("_lat",)},
)


def gpkg_points(
    blobs: pa.Array,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.object_]]:
    r"""Decode GeoPackage point geometries, column-wise.

    Parameters
    ----------
    blobs
        A binary Arrow array of GeoPackage geometry blobs (nulls allowed).

    Returns
    -------
    tuple
        ``(x, y, problem)``: coordinates (NaN where there is no point) and, per
        blob, None or why it holds no usable point.

    Examples
    --------
    >>> import struct
    >>> blob = b"GP\x00\x01" + struct.pack("<i", 4326) + struct.pack("<BIdd", 1, 1, 123.5, 25.75)
    >>> x, y, problem = gpkg_points(pa.array([blob, None], pa.binary()))
    >>> x.tolist()[0], y.tolist()[0], problem.tolist()
    (123.5, 25.75, [None, 'no geometry'])
    """
    array = blobs.cast(pa.binary()) if blobs.type != pa.binary() else blobs
    n = len(array)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    problem = np.full(n, None, dtype=object)
    if n == 0:
        return x, y, problem
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[array.offset : array.offset + n + 1]
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else np.empty(0)
    data = np.concatenate([data, np.zeros(96, dtype=np.uint8)])  # room for reads past the end
    start = offsets[:-1].astype(np.int64)
    length = (offsets[1:] - offsets[:-1]).astype(np.int64)
    valid = np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    problem[~valid] = "no geometry"
    problem[valid & (length < 8)] = "geometry blob too short"
    ok = valid & (length >= 8)
    magic = (data[start] == ord("G")) & (data[start + 1] == ord("P"))
    problem[ok & ~magic] = "not a GeoPackage geometry blob"
    ok &= magic
    flags = data[start + 3].astype(np.int64)
    envelope = _ENVELOPE_BYTES[(flags >> 1) & 7]
    problem[ok & (envelope < 0)] = "invalid envelope code"
    ok &= envelope >= 0
    empty = (flags & 0x10) != 0
    problem[ok & empty] = "empty geometry"
    ok &= ~empty
    wkb = start + 8 + np.maximum(envelope, 0)
    wkb_bytes = length - (wkb - start)
    problem[ok & (wkb_bytes < 5)] = "geometry blob too short"
    ok &= wkb_bytes >= 5
    little = data[wkb] == 1
    type_bytes = data[wkb[:, None] + np.arange(1, 5)]
    coord_bytes = data[wkb[:, None] + np.arange(5, 21)]
    type_le = type_bytes.copy().view("<u4").ravel()
    type_be = type_bytes.copy().view(">u4").ravel()
    geometry_type = np.where(little, type_le, type_be)
    point = np.isin(geometry_type, _POINT_TYPES)
    problem[ok & ~point] = "not a point geometry"
    ok &= point
    problem[ok & (wkb_bytes < 21)] = "geometry blob too short for a point"
    ok &= wkb_bytes >= 21
    le = coord_bytes.copy().view("<f8")
    be = coord_bytes.copy().view(">f8")
    coords = np.where(little[:, None], le, be).astype(np.float64)
    x[ok] = coords[ok, 0]
    y[ok] = coords[ok, 1]
    return x, y, problem


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def gpkg_layers(connection: sqlite3.Connection) -> list[str]:
    """Names of the feature layers listed in ``gpkg_contents``."""
    rows = connection.execute(
        "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name"
    ).fetchall()
    return [str(row[0]) for row in rows]


def _layer_setup(
    connection: sqlite3.Connection, layer: str | None, path: Path
) -> tuple[str, str, str, list[str]]:
    """(layer, id column, geometry column, attribute columns) of the layer to read."""
    layers = gpkg_layers(connection)
    if layer is None:
        if len(layers) != 1:
            listed = ", ".join(layers) or "none"
            raise InputFileError(
                f"{path}: {len(layers)} feature layers ({listed}); name the one to read"
            )
        layer = layers[0]
    elif layer not in layers:
        raise InputFileError(f"{path}: no feature layer {layer!r} (layers: {', '.join(layers)})")
    geometry = connection.execute(
        "SELECT g.column_name, g.geometry_type_name, g.srs_id, s.organization,"
        " s.organization_coordsys_id FROM gpkg_geometry_columns g"
        " LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id WHERE g.table_name = ?",
        [layer],
    ).fetchone()
    if geometry is None:
        raise InputFileError(f"{path}: layer {layer!r} has no geometry column")
    column, geometry_type, srs_id, organization, code = geometry
    if str(geometry_type).upper() not in ("POINT", "GEOMETRY"):
        raise InputFileError(f"{path}: layer {layer!r} holds {geometry_type}, not points")
    is_wgs84 = srs_id == 4326 or (str(organization).upper() == "EPSG" and code == 4326)
    if not is_wgs84:
        raise InputFileError(
            f"{path}: layer {layer!r} uses SRS {srs_id} ({organization} {code});"
            " only EPSG:4326 longitude/latitude is read"
        )
    info = connection.execute(f"PRAGMA table_info({_quote(layer)})").fetchall()
    keys = [str(row[1]) for row in info if row[5]]
    id_column = keys[0] if len(keys) == 1 else "rowid"
    attributes = [str(row[1]) for row in info if str(row[1]) not in (id_column, column)]
    return layer, id_column, str(column), attributes


def _attribute_columns(attributes: Sequence[str], path: Path) -> dict[str, str]:
    """Canonical field -> attribute column, for the fields the layer has."""
    indices = _ATTRIBUTES.resolve([*attributes, "_lon", "_lat"], str(path))
    return {
        canonical: attributes[index]
        for canonical, index in indices.items()
        if canonical not in ("lon", "lat")
    }


def read_gpkg(
    path: Path | str,
    *,
    layer: str | None = None,
    errors: Errors = "collect",
    time_zone: str = "UTC",
    batch_features: int = BATCH_FEATURES,
) -> Decoded:
    """Read a GeoPackage point layer of AIS fixes into the zonewatch tables.

    Parameters
    ----------
    path
        The ``.gpkg`` file (plain or compressed: decompressed into a temporary file).
    layer
        The feature layer; by default the only one.
    errors
        ``"collect"`` (default) or ``"raise"`` on the first rejected feature.
    time_zone
        Zone of times written without an offset (default UTC).
    batch_features
        Features read at a time (bounds memory).

    Returns
    -------
    Decoded
        Positions (and statics when the layer has static columns), rejects and
        the accounting (``lines`` = features; ``line_no`` = feature id).

    Raises
    ------
    InputFileError
        If the file is not a GeoPackage, the layer is missing or ambiguous,
        not points, not EPSG:4326, or lacks an MMSI or time column.
    """
    path = Path(path)
    if batch_features < 1:
        raise ParameterError(f"batch_features must be positive, got {batch_features}")
    check_regular_file(path)
    collector = TabularCollector(str(path), file_id(path), errors)
    with decompressed_copy(path) as plain:
        try:
            connection = sqlite3.connect(f"{plain.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error as err:
            raise InputFileError(f"{path}: cannot open as SQLite: {err}") from err
        try:
            _read_layer(connection, collector, layer, path, time_zone, batch_features)
        except sqlite3.Error as err:
            raise InputFileError(f"{path}: not a readable GeoPackage: {err}") from err
        finally:
            connection.close()
    return collector.result()


def _read_layer(
    connection: sqlite3.Connection,
    collector: TabularCollector,
    layer: str | None,
    path: Path,
    time_zone: str,
    batch_features: int,
) -> None:
    name, id_column, geometry, attributes = _layer_setup(connection, layer, path)
    mapped = _attribute_columns(attributes, path)
    selected = ", ".join(f"CAST({_quote(column)} AS TEXT)" for column in mapped.values())
    sql = (
        f"SELECT {_quote(id_column)}, {_quote(geometry)}"
        f"{', ' + selected if selected else ''} FROM {_quote(name)} ORDER BY {_quote(id_column)}"
    )
    cursor = connection.execute(sql)
    while True:
        rows = cursor.fetchmany(batch_features)
        if not rows:
            break
        columns = list(zip(*rows, strict=True))
        x, y, problem = gpkg_points(pa.array(columns[1], pa.binary()))
        frame = pl.DataFrame(
            {
                "line_no": pl.Series(columns[0], dtype=pl.Int64),
                "lon": x,
                "lat": y,
                "detail": pl.Series(problem.tolist(), dtype=pl.String),
                **{
                    canonical: pl.Series(values, dtype=pl.String)
                    for canonical, values in zip(mapped, columns[2:], strict=True)
                },
            }
        ).with_columns(
            pl.when(pl.col("detail").is_not_null()).then(pl.lit("bad_position")).alias("problem"),
            pl.format("geometry: {}", pl.col("detail")).alias("detail"),
        )
        collector.add(stage(frame, time_zone=time_zone))
