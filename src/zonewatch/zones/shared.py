"""A lock for GEOS work on geometries shared between threads.

Shapely prepares geometries in place, and a prepared GEOS geometry builds its
point locator on first use; the distance kernel builds its search index on
first use too. Two threads doing either at once on the same object corrupt
memory (seen as crashes in ``contains_xy`` when the engine ran tiles in
threads). Every such use on an object that threads share goes through
:data:`GEOS_LOCK`; the work under it is short (a point-in-polygon test of the
positions near land, or building one index level once).
"""

from __future__ import annotations

import threading

__all__ = ["GEOS_LOCK"]

GEOS_LOCK = threading.RLock()
"""Held while testing points against, or building indexes of, shared geometries."""
