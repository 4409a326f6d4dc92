"""Arrow schemas of the columnar tables that flow between zonewatch stages.

Every stage is a pure function over tables of these schemas. Times are UTC
(``timestamp[ms, tz=UTC]``); "not available" values are nulls, never AIS
sentinels (lon 181, lat 91, SOG 102.3, COG 360, heading 511).
"""

from __future__ import annotations

import pyarrow as pa

__all__ = [
    "EVENTS",
    "INGEST_LOG",
    "POSITIONS",
    "REJECTS",
    "REJECT_REASONS",
    "STATICS",
    "TABULAR_REJECT_REASONS",
    "TS",
    "empty_table",
]

TS = pa.timestamp("ms", tz="UTC")

POSITIONS = pa.schema(
    [
        pa.field("mmsi", pa.uint32(), nullable=False),
        pa.field("ts", TS, nullable=False),
        pa.field("lon", pa.float64(), nullable=False),
        pa.field("lat", pa.float64(), nullable=False),
        pa.field("sog", pa.float32()),  # knots, null = not available
        pa.field("cog", pa.float32()),  # degrees true, null = not available
        pa.field("heading", pa.uint16()),  # degrees true, null = not available
        pa.field("nav_status", pa.uint8()),
        pa.field("msg_type", pa.uint8(), nullable=False),
        pa.field("source", pa.string()),  # receiver / station id (tag block s:), else null
        pa.field("file_id", pa.string()),  # content hash of the input file (provenance)
        pa.field("line_no", pa.uint64()),  # 1-based line of the (last) sentence in that file
    ]
)
"""Decoded position reports (AIS types 1, 2, 3, 18, 19, 27), one row per message."""

STATICS = pa.schema(
    [
        pa.field("mmsi", pa.uint32(), nullable=False),
        pa.field("ts", TS),
        pa.field("msg_type", pa.uint8(), nullable=False),
        pa.field("part", pa.string()),  # type 24: "A" or "B"; else null
        pa.field("imo", pa.uint32()),
        pa.field("callsign", pa.string()),
        pa.field("name", pa.string()),
        pa.field("ship_type", pa.uint8()),
        pa.field("to_bow", pa.uint16()),
        pa.field("to_stern", pa.uint16()),
        pa.field("to_port", pa.uint16()),
        pa.field("to_starboard", pa.uint16()),
        pa.field("destination", pa.string()),
        pa.field("source", pa.string()),
        pa.field("file_id", pa.string()),
        pa.field("line_no", pa.uint64()),
    ]
)
"""Static and voyage data (AIS types 5, 19, 24): a history, joined to positions as of time."""

REJECT_REASONS: dict[str, str] = {
    "empty_line": "the line is blank",
    "not_text": "the line is not valid UTF-8 text or holds control bytes",
    "not_ais": "not an AIVDM/AIVDO sentence (comment, other NMEA sentence, free text)",
    "bad_format": "an AIVDM/AIVDO sentence with the wrong number or shape of fields",
    "bad_checksum": "the NMEA checksum does not match",
    "bad_tag_block": "the NMEA 4 tag block is malformed or its checksum does not match",
    "bad_payload": "the six-bit payload cannot be decoded (bad characters, wrong length)",
    "fragment_orphan": "a multipart fragment whose other fragments never arrived in time",
    "fragment_mismatch": "a fragment whose count or number does not fit its message",
    "no_timestamp": "a position report with no receive time (no tag block or time column)",
    "bad_position": "a position report without a usable position (lon/lat not available)",
}
"""Reject reason codes of NMEA input and their meaning (the documented list)."""

TABULAR_REJECT_REASONS: dict[str, str] = {
    "bad_row": "a CSV row with the wrong number of fields or unbalanced quotes",
    "bad_mmsi": "the MMSI is missing or not an integer in 1..999999999",
    "bad_time": "the time is missing or does not match the source's time format",
    "bad_value": "a numeric column holds text that is not a number, or a message type "
    "outside 0..27",
}
"""Reject reasons of tabular sources (CSV, Parquet, GeoPackage), which also use
``empty_line`` and ``bad_position``."""

REJECTS = pa.schema(
    [
        pa.field("file_id", pa.string(), nullable=False),
        pa.field("path", pa.string(), nullable=False),
        pa.field("line_no", pa.uint64(), nullable=False),
        pa.field("raw", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
    ]
)
"""Input lines that could not be used, with where they came from and why."""

INGEST_LOG = pa.schema(
    [
        pa.field("file_id", pa.string(), nullable=False),  # sha256 of the file content
        pa.field("path", pa.string(), nullable=False),
        pa.field("ingested_at", TS, nullable=False),
        pa.field("lines", pa.uint64(), nullable=False),
        pa.field("decoded", pa.uint64(), nullable=False),
        pa.field("rejected", pa.uint64(), nullable=False),
        pa.field("pending", pa.uint64(), nullable=False),
        pa.field("messages", pa.uint64(), nullable=False),
        pa.field("positions", pa.uint64(), nullable=False),
        pa.field("statics", pa.uint64(), nullable=False),
        pa.field("other_messages", pa.uint64(), nullable=False),
        pa.field("other_types", pa.string()),  # JSON object: message type -> count
    ]
)
"""One row per ingested file; ``lines == decoded + rejected + pending``."""

EVENTS = pa.schema(
    [
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("zone", pa.string()),  # e.g. "territorial_sea:senkaku"
        pa.field("mmsi", pa.uint32()),
        pa.field("other_mmsi", pa.uint32()),
        pa.field("start", TS, nullable=False),
        pa.field("end", TS, nullable=False),
        pa.field("lon", pa.float64()),
        pa.field("lat", pa.float64()),
        pa.field("min_distance_nm", pa.float64()),
        pa.field("detail", pa.string()),  # JSON object
    ]
)
"""Detected events; each can hand back the positions behind it."""


def empty_table(schema: pa.Schema) -> pa.Table:
    """Return an empty table of ``schema``.

    Examples
    --------
    >>> empty_table(POSITIONS).num_rows
    0
    """
    return schema.empty_table()
