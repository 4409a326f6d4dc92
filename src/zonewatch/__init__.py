"""zonewatch: verifiable statistics of government vessel activity in disputed maritime zones."""

from __future__ import annotations

from zonewatch.errors import ZonewatchError

__all__ = ["ZonewatchError", "__version__"]

__version__ = "0.1.0"
