"""The zonewatch error family.

Every error zonewatch raises on purpose derives from :class:`ZonewatchError`;
the CLI turns these into one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

__all__ = [
    "ChecksumError",
    "FleetFileError",
    "FragmentError",
    "InputFileError",
    "NMEAError",
    "ParameterError",
    "StoreError",
    "ZoneSetError",
    "ZonewatchError",
]


class ZonewatchError(Exception):
    """Base class of every error raised by zonewatch."""


class InputFileError(ZonewatchError, ValueError):
    """An input file is missing, unreadable, empty or not of a known format."""


class NMEAError(ZonewatchError, ValueError):
    """An NMEA sentence cannot be framed or decoded."""

    def __init__(self, message: str, reason: str = "bad_format") -> None:
        super().__init__(message)
        self.reason = reason


class ChecksumError(NMEAError):
    """The NMEA checksum does not match the sentence."""


class FragmentError(NMEAError):
    """A multipart message cannot be assembled."""


class ZoneSetError(ZonewatchError, ValueError):
    """A zone set is unknown or its definition is invalid."""


class FleetFileError(ZonewatchError, ValueError):
    """A fleet file is malformed (the message names the file and line)."""


class StoreError(ZonewatchError):
    """The embedded store cannot be opened or written."""


class ParameterError(ZonewatchError, ValueError):
    """A parameter or option value is invalid (for example --from after --to)."""
