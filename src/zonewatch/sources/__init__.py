"""Readers of AIS inputs into the columnar tables of ``zonewatch.schema``."""

from __future__ import annotations

from zonewatch.sources.accounting import Accounting, Decoded
from zonewatch.sources.files import check_input_file, file_id, open_text_lines
from zonewatch.sources.nmea_file import (
    NMEABatch,
    NMEAStream,
    iter_nmea,
    read_nmea,
    read_nmea_lines,
)

__all__ = [
    "Accounting",
    "Decoded",
    "NMEABatch",
    "NMEAStream",
    "check_input_file",
    "file_id",
    "iter_nmea",
    "open_text_lines",
    "read_nmea",
    "read_nmea_lines",
]
