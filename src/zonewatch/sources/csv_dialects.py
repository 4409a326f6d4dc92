"""CSV layouts of decoded AIS: MarineCadastre, the Danish Maritime Authority, canonical, custom.

A :class:`CsvDialect` says which header column holds each canonical field
(:data:`~zonewatch.sources.tabular.CANONICAL_COLUMNS`), how times are written
and which text values stand for codes. :func:`detect_dialect` recognises the
published layouts from the header line; any other CSV is read with a column
mapping (:func:`custom_dialect`).

What each layout maps (source column -> canonical field):

- **MarineCadastre** (US, ``MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,
  VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,
  TransceiverClass``; also the snake_case names of later files):
  MMSI -> mmsi, BaseDateTime (UTC, ``2023-01-01T00:00:00``) -> ts, LAT -> lat,
  LON -> lon, SOG -> sog, COG -> cog, Heading -> heading, Status -> nav_status,
  VesselName -> name, IMO (``IMO9241061``) -> imo, CallSign -> callsign,
  VesselType -> ship_type, TransceiverClass (``A``/``B``) -> msg_type 1/18
  (statics 5/24). Length, Width, Draft and Cargo have no canonical field
  (the statics schema holds the four distances to the antenna, which this
  layout does not give) and are not read.
- **Danish Maritime Authority** (``# Timestamp,Type of mobile,MMSI,Latitude,
  Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship
  type,Cargo type,Width,Length,Type of position fixing device,Draught,
  Destination,ETA,Data source type,A,B,C,D``): # Timestamp (UTC,
  ``31/12/2023 23:59:59``) -> ts, Type of mobile -> msg_type (Class A 1,
  Class B 18, Base Station 4, AtoN 21, SAR Airborne 9; others 0), MMSI,
  Latitude, Longitude, Navigational status (text -> code 0-15), SOG, COG,
  Heading, IMO ("Unknown" -> null), Callsign, Name, Ship type (text -> the
  first code of the category: Cargo 70, Tanker 80, Fishing 30, Law
  enforcement 55, ...; "Undefined" -> null), Destination, and A, B, C, D ->
  to_bow, to_stern, to_port, to_starboard. ROT, Cargo type, Width, Length,
  position fixing device, Draught, ETA and Data source type are not read.
- **canonical**: a header holding ``mmsi,ts,lon,lat`` (and any other
  canonical names), as written by zonewatch; ISO 8601 times.
- **custom**: any CSV, with a mapping such as
  ``{"mmsi": "ShipID", "ts": "Time", "lon": "X", "lat": "Y"}`` and a time
  format (see :func:`~zonewatch.sources.tabular.parse_time`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from zonewatch.errors import InputFileError, ParameterError
from zonewatch.sources.tabular import CANONICAL_COLUMNS, REQUIRED_COLUMNS

__all__ = [
    "CANONICAL_CSV",
    "DIALECTS",
    "DMA",
    "DMA_NAV_STATUS",
    "DMA_SHIP_TYPES",
    "DMA_TYPE_OF_MOBILE",
    "MARINECADASTRE",
    "CsvDialect",
    "custom_dialect",
    "detect_dialect",
    "normalize_header",
    "parse_column_mapping",
    "split_header",
]


def normalize_header(name: str) -> str:
    """A header name reduced to lower-case letters and digits.

    Examples
    --------
    >>> normalize_header("Type of mobile"), normalize_header("base_date_time")
    ('typeofmobile', 'basedatetime')
    """
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True)
class CsvDialect:
    """How to read one CSV layout.

    Attributes
    ----------
    name
        Short name (``"marinecadastre"``, ``"dma"``, ``"canonical"``, ``"custom"``).
    columns
        Canonical field -> header names that may hold it, first found wins.
        A name matches exactly, else after :func:`normalize_header` on both sides.
    markers
        Normalized header names that identify the layout (all must be present).
    time_format, time_zone
        How ``ts`` is written (see :func:`zonewatch.sources.tabular.parse_time`).
    delimiter
        The field separator (one character).
    codes
        Canonical field -> lower-case text -> code, for layouts that write codes as text.
    """

    name: str
    columns: Mapping[str, tuple[str, ...]]
    markers: tuple[str, ...] = ()
    time_format: str = "iso"
    time_zone: str = "UTC"
    delimiter: str = ","
    codes: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.columns) - set(CANONICAL_COLUMNS))
        if unknown:
            raise ParameterError(
                f"unknown canonical column(s) {', '.join(unknown)};"
                f" known: {', '.join(CANONICAL_COLUMNS)}"
            )
        missing = [c for c in REQUIRED_COLUMNS if c not in self.columns]
        if missing:
            raise ParameterError(f"the column mapping lacks {', '.join(missing)}")
        if len(self.delimiter) != 1 or self.delimiter in '"\r\n':
            raise ParameterError(f"delimiter must be one character, got {self.delimiter!r}")

    def _find(self, header: Sequence[str]) -> dict[str, int]:
        exact = {name: i for i, name in reversed(list(enumerate(header)))}
        loose = {normalize_header(name): i for i, name in reversed(list(enumerate(header)))}
        found: dict[str, int] = {}
        for canonical, names in self.columns.items():
            for name in names:
                index = exact.get(name, loose.get(normalize_header(name)))
                if index is not None:
                    found[canonical] = index
                    break
        return found

    def resolve(self, header: Sequence[str], path: str = "") -> dict[str, int]:
        """Canonical field -> index of its column in ``header``.

        Raises
        ------
        InputFileError
            If a required field (mmsi, ts, lon, lat) has no column.
        """
        found = self._find(header)
        missing = [c for c in REQUIRED_COLUMNS if c not in found]
        if missing:
            wanted = ", ".join(f"{c} ({' or '.join(self.columns[c])})" for c in missing)
            where = f"{path}: " if path else ""
            raise InputFileError(
                f"{where}the header has no column for {wanted} ({self.name} layout);"
                f" header: {','.join(header)[:200]}"
            )
        return found

    def has_all_columns(self, header: Sequence[str]) -> bool:
        """Whether ``header`` holds a column for every field of this layout."""
        return set(self._find(header)) == set(self.columns)

    def matches(self, header: Sequence[str]) -> bool:
        """Whether ``header`` has this layout's markers and required columns."""
        normalized = {normalize_header(name) for name in header}
        if not self.markers or not set(self.markers) <= normalized:
            return False
        try:
            self.resolve(header)
        except InputFileError:
            return False
        return True


def split_header(line: str, delimiter: str = ",") -> list[str]:
    r"""The column names of a header line (quotes removed, names trimmed, BOM dropped).

    Examples
    --------
    >>> split_header('\ufeff"MMSI", BaseDateTime ,LAT\r')
    ['MMSI', 'BaseDateTime', 'LAT']
    """
    line = line.removeprefix("\ufeff").rstrip("\r\n")
    row = next(csv.reader([line], delimiter=delimiter), [])
    return [name.strip() for name in row]


MARINECADASTRE = CsvDialect(
    name="marinecadastre",
    columns={
        "mmsi": ("MMSI",),
        "ts": ("BaseDateTime", "base_date_time"),
        "lat": ("LAT", "latitude"),
        "lon": ("LON", "longitude"),
        "sog": ("SOG",),
        "cog": ("COG",),
        "heading": ("Heading",),
        "name": ("VesselName", "vessel_name"),
        "imo": ("IMO",),
        "callsign": ("CallSign", "call_sign"),
        "ship_type": ("VesselType", "vessel_type"),
        "nav_status": ("Status",),
        "msg_type": ("TransceiverClass", "transceiver"),
    },
    markers=("mmsi", "basedatetime"),
    codes={"msg_type": {"a": 1, "b": 18, "class a": 1, "class b": 18}},
)
"""US MarineCadastre / NOAA AccessAIS daily CSV files (times in UTC)."""

DMA_NAV_STATUS: dict[str, int] = {
    "under way using engine": 0,
    "at anchor": 1,
    "not under command": 2,
    "restricted maneuverability": 3,
    "restricted manoeuvrability": 3,
    "constrained by her draught": 4,
    "moored": 5,
    "aground": 6,
    "engaged in fishing": 7,
    "under way sailing": 8,
    "reserved for future amendment [hsc]": 9,
    "reserved for future amendment [wig]": 10,
    "reserved for future use [11]": 11,
    "power-driven vessel towing astern": 11,
    "reserved for future use [12]": 12,
    "power-driven vessel pushing ahead or towing alongside": 12,
    "reserved for future use [13]": 13,
    "ais-sart": 14,
    "ais-sart is active": 14,
    "unknown value": 15,
}
"""Danish Maritime Authority navigational status text (lower case) -> AIS code."""

DMA_SHIP_TYPES: dict[str, int] = {
    "wig": 20,
    "fishing": 30,
    "towing": 31,
    "towing long/wide": 32,
    "dredging": 33,
    "diving": 34,
    "military": 35,
    "sailing": 36,
    "pleasure": 37,
    "reserved": 38,
    "hsc": 40,
    "pilot": 50,
    "sar": 51,
    "tug": 52,
    "port tender": 53,
    "anti-pollution": 54,
    "law enforcement": 55,
    "spare 1": 56,
    "spare 2": 57,
    "medical": 58,
    "not party to conflict": 59,
    "passenger": 60,
    "cargo": 70,
    "tanker": 80,
    "other": 90,
}
"""Danish Maritime Authority ship type text (lower case) -> AIS ship type code.

The DMA writes the category, not the code: a category spanning several codes
(cargo 70-79, tanker 80-89, ...) maps to its first code, which keeps the
category (:func:`zonewatch.vessels.shiptypes.ship_type_category`) but not the
hazard digit."""

DMA_TYPE_OF_MOBILE: dict[str, int] = {
    "class a": 1,
    "class b": 18,
    "base station": 4,
    "aton": 21,
    "sar airborne": 9,
    "search and rescue transponder": 1,
    "man overboard device": 1,
    "epirb": 1,
}
"""Danish Maritime Authority "Type of mobile" (lower case) -> AIS message type of the row."""

DMA = CsvDialect(
    name="dma",
    columns={
        "ts": ("# Timestamp", "Timestamp"),
        "msg_type": ("Type of mobile",),
        "mmsi": ("MMSI",),
        "lat": ("Latitude",),
        "lon": ("Longitude",),
        "nav_status": ("Navigational status",),
        "sog": ("SOG",),
        "cog": ("COG",),
        "heading": ("Heading",),
        "imo": ("IMO",),
        "callsign": ("Callsign",),
        "name": ("Name",),
        "ship_type": ("Ship type",),
        "destination": ("Destination",),
        "to_bow": ("A",),
        "to_stern": ("B",),
        "to_port": ("C",),
        "to_starboard": ("D",),
    },
    markers=("timestamp", "typeofmobile", "mmsi"),
    time_format="%d/%m/%Y %H:%M:%S",
    codes={
        "nav_status": DMA_NAV_STATUS,
        "ship_type": DMA_SHIP_TYPES,
        "msg_type": DMA_TYPE_OF_MOBILE,
    },
)
"""Danish Maritime Authority (aisdata.ais.dk) daily CSV files (times in UTC)."""

CANONICAL_CSV = CsvDialect(
    name="canonical",
    columns={name: (name,) for name in CANONICAL_COLUMNS},
    markers=REQUIRED_COLUMNS,
)
"""CSV with zonewatch's own column names (``mmsi, ts, lon, lat, ...``), ISO times."""

DIALECTS: dict[str, CsvDialect] = {d.name: d for d in (MARINECADASTRE, DMA, CANONICAL_CSV)}
"""The layouts :func:`detect_dialect` recognises, by name, in the order tried."""


def detect_dialect(header: Sequence[str]) -> CsvDialect | None:
    """The known layout of a CSV header, or None.

    Examples
    --------
    >>> detect_dialect(split_header("MMSI,BaseDateTime,LAT,LON,SOG")).name
    'marinecadastre'
    >>> detect_dialect(["a", "b"]) is None
    True
    """
    for dialect in DIALECTS.values():
        if dialect.matches(header):
            return dialect
    return None


def custom_dialect(
    columns: Mapping[str, str],
    *,
    time_format: str = "iso",
    time_zone: str = "UTC",
    delimiter: str = ",",
) -> CsvDialect:
    """A layout from a column mapping: canonical field -> header name.

    Parameters
    ----------
    columns
        At least ``mmsi``, ``ts``, ``lon`` and ``lat``; any other of
        :data:`~zonewatch.sources.tabular.CANONICAL_COLUMNS` may be added.
    time_format, time_zone, delimiter
        See :class:`CsvDialect`.

    Raises
    ------
    ParameterError
        For an unknown canonical name, a missing required one, or a bad delimiter.

    Examples
    --------
    >>> d = custom_dialect({"mmsi": "ShipID", "ts": "Time", "lon": "X", "lat": "Y"})
    >>> d.resolve(["Time", "ShipID", "Y", "X"])
    {'mmsi': 1, 'ts': 0, 'lon': 3, 'lat': 2}
    """
    return CsvDialect(
        name="custom",
        columns={canonical: (name,) for canonical, name in columns.items()},
        time_format=time_format,
        time_zone=time_zone,
        delimiter=delimiter,
    )


def parse_column_mapping(text: str) -> dict[str, str]:
    """Parse ``"mmsi=ShipID,ts=Time,lon=X,lat=Y"`` into a mapping.

    Raises
    ------
    ParameterError
        If an item is not ``canonical=header``.

    Examples
    --------
    >>> parse_column_mapping("mmsi=ShipID, ts=Time")
    {'mmsi': 'ShipID', 'ts': 'Time'}
    """
    mapping: dict[str, str] = {}
    for item in text.split(","):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ParameterError(f"column mapping item {item!r} is not canonical=header")
        mapping[key.strip()] = value.strip()
    return mapping
