"""Vessel identity: MMSI forms, MID -> flag, ship types, identities over time, and fleets."""

from __future__ import annotations

from zonewatch.vessels.fleets import (
    BUILTIN_FLEETS,
    Fleet,
    FleetMember,
    builtin_fleet,
    is_fishing,
    load_fleet,
)
from zonewatch.vessels.history import identities_as_of, identity_as_of, identity_history
from zonewatch.vessels.identity import vessel_identities
from zonewatch.vessels.mid_table import MID_TABLE
from zonewatch.vessels.mmsi import flag_of, flags_of, mid_of, mmsi_kind
from zonewatch.vessels.shiptypes import ship_type_category, ship_type_name

__all__ = [
    "BUILTIN_FLEETS",
    "MID_TABLE",
    "Fleet",
    "FleetMember",
    "builtin_fleet",
    "flag_of",
    "flags_of",
    "identities_as_of",
    "identity_as_of",
    "identity_history",
    "is_fishing",
    "load_fleet",
    "mid_of",
    "mmsi_kind",
    "ship_type_category",
    "ship_type_name",
    "vessel_identities",
]
