r"""Fleet files in YAML: explicit members and rules in one file.

A YAML fleet file is a mapping; every key is optional but the file must
define at least one member or rule::

    name: watch-list              # default: the file name
    category: government          # category of members found by a rule
    members:                      # explicit members, by MMSI
      - {mmsi: 413000001, category: coast_guard, name: HAI JING 2501}
      - 413000002                 # category "member"
    exclude: [412000123]          # never members (false positives of a rule)
    flags: [CN]                   # the rules below apply to these flags (MID); default any
    name_patterns: [HAIJING]      # normalised patterns, as the built-in fleets use
    callsign_patterns: [BCG]
    name_regex: ['^HAI ?JING \\d+']   # regular expressions, case-insensitive
    callsign_regex: []
    imo: [9876543]
    ship_types: [55]

Patterns are normalised (upper case, letters and digits only; ``#`` is any
digit): ``"Hai Jing"`` becomes ``HAIJING``. Errors name the file, the line
(for YAML syntax errors) and the key.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from zonewatch.errors import FleetFileError, ParameterError
from zonewatch.vessels.fleets import EXCLUDE_CATEGORY, Fleet, normalise_text

__all__ = ["parse_fleet_yaml"]

_KEYS = {
    "name",
    "category",
    "members",
    "exclude",
    "flags",
    "name_patterns",
    "callsign_patterns",
    "name_regex",
    "callsign_regex",
    "imo",
    "ship_types",
}


def _list(doc: dict[str, Any], key: str, path: Path) -> list[Any]:
    value = doc.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise FleetFileError(f"{path}: '{key}' must be a list (got {value!r})")
    return value


def _mmsi(value: Any, where: str) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or len(text) != 9:
        raise FleetFileError(f"{where}: mmsi {value!r} is not a 9-digit number")
    return int(text)


def parse_fleet_yaml(text: str, path: Path) -> Fleet:
    r"""Parse a YAML fleet file (see this module's documentation).

    Parameters
    ----------
    text
        The file's content.
    path
        The file (for the fleet's default name and for error messages).

    Returns
    -------
    Fleet
        The fleet; explicit members' ``matched_by`` names the file and entry.

    Raises
    ------
    FleetFileError
        When PyYAML is missing, the YAML is malformed, a key is unknown, or a
        value is invalid; the message names the file and the key.

    Examples
    --------
    >>> fleet = parse_fleet_yaml("{flags: [CN], name_regex: ['^HAI ?JING']}", Path("w.yaml"))
    >>> fleet.name, fleet.name_regexes, sorted(fleet.flags)
    ('w.yaml', ('^HAI ?JING',), ['CN'])
    """
    try:
        yaml: Any = importlib.import_module("yaml")
    except ImportError as err:
        raise FleetFileError(f"{path}: reading YAML fleet files needs PyYAML") from err
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        raise FleetFileError(f"{path}{line}: malformed YAML: {problem}") from err
    if not isinstance(doc, dict):
        raise FleetFileError(f"{path}: a YAML fleet file must be a mapping of keys (got {doc!r})")
    unknown = sorted(set(map(str, doc)) - _KEYS)
    if unknown:
        raise FleetFileError(
            f"{path}: unknown key(s) {', '.join(unknown)}; known keys: {', '.join(sorted(_KEYS))}"
        )
    name = str(doc.get("name") or path.name)
    category = str(doc.get("category") or "government")
    mmsis: dict[int, tuple[str, str | None]] = {}
    sources: dict[int, str] = {}
    for i, entry in enumerate(_list(doc, "members", path)):
        where = f"{path}: members[{i}]"
        if isinstance(entry, dict):
            mmsi = _mmsi(entry.get("mmsi"), where)
            cat = str(entry.get("category") or "member")
            vessel = entry.get("name")
            vessel_name = str(vessel) if vessel is not None else None
        else:
            mmsi, cat, vessel_name = _mmsi(entry, where), "member", None
        if mmsi in mmsis:
            raise FleetFileError(f"{where}: duplicate mmsi {mmsi:09d}")
        mmsis[mmsi] = (cat, vessel_name)
        sources[mmsi] = f"fleet file {path.name} members[{i}]"
    for i, entry in enumerate(_list(doc, "exclude", path)):
        mmsi = _mmsi(entry, f"{path}: exclude[{i}]")
        mmsis[mmsi] = (EXCLUDE_CATEGORY, None)
        sources[mmsi] = f"fleet file {path.name} exclude[{i}]"
    try:
        fleet = Fleet(
            name=name,
            mmsis=mmsis,
            name_patterns=tuple(normalise_text(str(p)) for p in _list(doc, "name_patterns", path)),
            callsign_patterns=tuple(
                normalise_text(str(p)) for p in _list(doc, "callsign_patterns", path)
            ),
            flags=frozenset(str(f).upper() for f in _list(doc, "flags", path)),
            ship_types=frozenset(_ints(doc, "ship_types", path)),
            default_category=category,
            member_sources=sources,
            name_regexes=tuple(str(r) for r in _list(doc, "name_regex", path)),
            callsign_regexes=tuple(str(r) for r in _list(doc, "callsign_regex", path)),
            imos=frozenset(_ints(doc, "imo", path)),
        )
    except ParameterError as err:
        raise FleetFileError(f"{path}: {err}") from err
    has_rules = (
        fleet.name_patterns
        or fleet.callsign_patterns
        or fleet.name_regexes
        or fleet.callsign_regexes
        or fleet.imos
        or fleet.ship_types
    )
    if not mmsis and not has_rules:
        raise FleetFileError(f"{path}: the fleet file defines no member and no rule")
    return fleet


def _ints(doc: dict[str, Any], key: str, path: Path) -> list[int]:
    out = []
    for i, value in enumerate(_list(doc, key, path)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise FleetFileError(f"{path}: {key}[{i}] must be an integer (got {value!r})")
        out.append(value)
    return out
