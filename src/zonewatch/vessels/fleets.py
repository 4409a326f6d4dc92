"""Fleets: which vessels count.

A :class:`Fleet` decides membership by two kinds of rule:

* **explicit members**, MMSI by MMSI (from a fleet file), members whether or
  not any static report was seen for them;
* **pattern rules**, applied to vessels with a ship-form MMSI whose flag (from
  the MID) is one of the fleet's flags: a name pattern, a callsign pattern or
  a ship type. A vessel matches when *any* of the names or callsigns it ever
  broadcast matches.

Name patterns are normalised strings: upper case letters and digits only,
``#`` standing for any digit. A pattern matches a name when the name, upper
cased and stripped of everything but ``A-Z`` and ``0-9``, contains the pattern
at a place where a word of the original name begins (the start of the name,
or after a character that is not a letter). So ``HAIJING`` matches
``"Hai Jing 2502"``, ``"HAIJING2502"`` and ``"CCG-HAIJING 2502"``, but not
``"SHANGHAI JINGHUA"``; ``CHINACOASTGUARD`` matches ``"China Coast-Guard 2302"``.
Callsign patterns match the start of the normalised callsign.

Every member carries the rule that made it one (``matched_by``), in words, for
the report: ``"name pattern HAIJING (name 'HAI JING 2502', flag CN)"`` or
``"fleet file fleet.csv line 3"``.

Fleet files are CSV with a header naming the columns ``mmsi``, ``category``
and ``name`` (any order, extra columns allowed, blank lines and lines starting
with ``#`` skipped). The category ``exclude`` removes a vessel that a pattern
rule would otherwise count (a false positive).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from zonewatch.errors import FleetFileError, ParameterError
from zonewatch.vessels.mmsi import mmsi_kinds
from zonewatch.vessels.shiptypes import ship_type_category, ship_type_name

__all__ = [
    "BUILTIN_FLEETS",
    "EXCLUDE_CATEGORY",
    "MEMBERSHIP_SCHEMA",
    "MEMBERS_SCHEMA",
    "Fleet",
    "FleetMember",
    "builtin_fleet",
    "is_fishing",
    "load_fleet",
    "normalise_text",
]

EXCLUDE_CATEGORY = "exclude"
"""The fleet-file category that removes a vessel from the fleet."""

MEMBERS_SCHEMA: dict[str, pl.DataType] = {
    "mmsi": pl.UInt32(),
    "category": pl.String(),
    "name": pl.String(),
    "matched_by": pl.String(),
}
"""Columns and types of the frame :meth:`Fleet.members` returns."""

MEMBERSHIP_SCHEMA: dict[str, pl.DataType] = {
    **MEMBERS_SCHEMA,
    "valid_from": pl.Datetime("ms", "UTC"),
    "valid_to": pl.Datetime("ms", "UTC"),
}
"""Columns of the frame :meth:`Fleet.membership` returns (null times: unbounded)."""

_PATTERN_RE = re.compile(r"[A-Z0-9#]*[A-Z0-9][A-Z0-9#]*")
_FLAG_RE = re.compile(r"[A-Z]{2}")
_MMSI_RE = re.compile(r"[0-9]{9}")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")
_SEP = "[^A-Z0-9]*"
_FILE_COLUMNS = ("mmsi", "category", "name")


def normalise_text(text: str) -> str:
    """Upper-case ``text`` and drop everything but ``A-Z`` and ``0-9``.

    Examples
    --------
    >>> normalise_text("China Coast-Guard 2302")
    'CHINACOASTGUARD2302'
    """
    return _NOT_ALNUM.sub("", text.upper())


def _pattern_body(pattern: str) -> str:
    """Regex for the pattern's characters, separated by any non-alphanumerics."""
    return _SEP.join("[0-9]" if ch == "#" else ch for ch in pattern)


def _name_regex(pattern: str) -> str:
    return f"(?:^|[^A-Z]){_pattern_body(pattern)}"


def _callsign_regex(pattern: str) -> str:
    return f"^{_SEP}{_pattern_body(pattern)}"


@dataclass(frozen=True)
class FleetMember:
    """One member of a fleet and the rule that made it one."""

    mmsi: int
    category: str
    name: str | None
    matched_by: str


@dataclass(frozen=True)
class Fleet:
    """A set of vessels that count, by explicit MMSI and by pattern rules.

    Attributes
    ----------
    name
        The fleet's name, as reports show it.
    mmsis
        Explicit members: MMSI -> (category, name or None). The category
        ``exclude`` removes the vessel from the fleet.
    name_patterns
        Normalised name patterns (``A-Z``, ``0-9``, ``#`` = any digit), in
        order of precedence (the first that matches is reported).
    callsign_patterns
        Normalised callsign prefixes, likewise.
    flags
        ISO alpha-2 flags (from the MID) to which the pattern and ship type
        rules apply; empty means any flag.
    ship_types
        AIS ship type codes that make a vessel of one of ``flags`` a member;
        empty means none.
    pattern_categories
        Category per pattern (name or callsign) for members found by it;
        patterns not listed get ``default_category``. Members found by ship
        type get the ship type's category (55: ``law_enforcement``).
    default_category
        Category of pattern members whose pattern has no entry above.
    member_sources
        MMSI -> where the explicit member was defined (for ``matched_by``),
        for example ``"fleet file fleet.csv line 3"``.
    """

    name: str
    mmsis: Mapping[int, tuple[str, str | None]] = field(default_factory=dict, hash=False)
    name_patterns: tuple[str, ...] = ()
    callsign_patterns: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()
    ship_types: frozenset[int] = frozenset()
    pattern_categories: Mapping[str, str] = field(default_factory=dict, hash=False)
    default_category: str = "government"
    member_sources: Mapping[int, str] = field(default_factory=dict, hash=False)
    name_regexes: tuple[str, ...] = ()
    callsign_regexes: tuple[str, ...] = ()
    imos: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        for regex in (*self.name_regexes, *self.callsign_regexes):
            try:
                re.compile(regex)
            except (re.error, TypeError) as err:
                raise ParameterError(
                    f"fleet {self.name!r}: regex {regex!r} does not compile: {err}"
                ) from err
        for imo in self.imos:
            if not isinstance(imo, int) or not 1_000_000 <= imo <= 9_999_999:
                raise ParameterError(f"fleet {self.name!r}: IMO {imo!r} is not a 7-digit number")
        object.__setattr__(self, "name_regexes", tuple(self.name_regexes))
        object.__setattr__(self, "callsign_regexes", tuple(self.callsign_regexes))
        object.__setattr__(self, "imos", frozenset(self.imos))
        for pattern in (*self.name_patterns, *self.callsign_patterns):
            if not isinstance(pattern, str) or not _PATTERN_RE.fullmatch(pattern):
                raise ParameterError(
                    f"fleet {self.name!r}: pattern {pattern!r} is not normalised "
                    "(use upper-case A-Z, 0-9 and '#' for a digit)"
                )
        for flag in self.flags:
            if not isinstance(flag, str) or not _FLAG_RE.fullmatch(flag):
                raise ParameterError(f"fleet {self.name!r}: flag {flag!r} is not an alpha-2 code")
        for code in self.ship_types:
            if not isinstance(code, int) or not 0 <= code <= 255:
                raise ParameterError(f"fleet {self.name!r}: ship type {code!r} is not in 0-255")
        members: dict[int, tuple[str, str | None]] = {}
        for mmsi, (category, vessel_name) in self.mmsis.items():
            if not isinstance(mmsi, int) or not 0 <= mmsi <= 999_999_999:
                raise ParameterError(f"fleet {self.name!r}: MMSI {mmsi!r} is not a 9-digit number")
            if not category:
                raise ParameterError(f"fleet {self.name!r}: MMSI {mmsi} has an empty category")
            members[mmsi] = (category, vessel_name)
        object.__setattr__(self, "mmsis", MappingProxyType(members))
        object.__setattr__(self, "name_patterns", tuple(self.name_patterns))
        object.__setattr__(self, "callsign_patterns", tuple(self.callsign_patterns))
        object.__setattr__(self, "flags", frozenset(self.flags))
        object.__setattr__(self, "ship_types", frozenset(self.ship_types))
        object.__setattr__(
            self, "pattern_categories", MappingProxyType(dict(self.pattern_categories))
        )
        object.__setattr__(self, "member_sources", MappingProxyType(dict(self.member_sources)))

    def __reduce__(self) -> tuple[type[Fleet], tuple[Any, ...]]:
        # Read-only mappings cannot be pickled; rebuild from plain dicts (engines
        # send fleets to worker processes).
        return (
            type(self),
            (
                self.name,
                dict(self.mmsis),
                self.name_patterns,
                self.callsign_patterns,
                self.flags,
                self.ship_types,
                dict(self.pattern_categories),
                self.default_category,
                dict(self.member_sources),
                self.name_regexes,
                self.callsign_regexes,
                self.imos,
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the fleet's rules for the report's ``parameters`` object."""
        return {
            "name": self.name,
            "explicit_members": sum(1 for cat, _ in self.mmsis.values() if cat != EXCLUDE_CATEGORY),
            "excluded": sorted(m for m, (cat, _) in self.mmsis.items() if cat == EXCLUDE_CATEGORY),
            "name_patterns": list(self.name_patterns),
            "callsign_patterns": list(self.callsign_patterns),
            "flags": sorted(self.flags),
            "ship_types": sorted(self.ship_types),
            "name_regexes": list(self.name_regexes),
            "callsign_regexes": list(self.callsign_regexes),
            "imos": sorted(self.imos),
        }

    def with_members(self, other: Fleet) -> Fleet:
        """Return this fleet with ``other``'s explicit members added (``other`` wins).

        This is how a user fleet file adds vessels to, or excludes vessels
        from, a built-in fleet.

        Raises
        ------
        ParameterError
            When ``other`` has pattern or ship type rules (only explicit
            members can be merged).

        Examples
        --------
        >>> extra = Fleet("extra", {413999999: ("coast_guard", "HAIJING 9999")})
        >>> merged = builtin_fleet("china-government").with_members(extra)
        >>> merged.name, merged.mmsis[413999999]
        ('china-government+extra', ('coast_guard', 'HAIJING 9999'))
        """
        if (
            other.name_patterns
            or other.callsign_patterns
            or other.ship_types
            or other.name_regexes
            or other.callsign_regexes
            or other.imos
        ):
            raise ParameterError(
                f"fleet {other.name!r} has pattern rules; only explicit members can be merged"
            )
        return Fleet(
            name=f"{self.name}+{other.name}",
            mmsis={**self.mmsis, **other.mmsis},
            name_patterns=self.name_patterns,
            callsign_patterns=self.callsign_patterns,
            flags=self.flags,
            ship_types=self.ship_types,
            pattern_categories=self.pattern_categories,
            default_category=self.default_category,
            member_sources={
                **{m: src for m, src in self.member_sources.items() if m not in other.mmsis},
                **{
                    m: other.member_sources.get(m, f"fleet {other.name} member list")
                    for m in other.mmsis
                },
            },
        )

    def members(self, identities: pl.DataFrame) -> pl.DataFrame:
        """Return the fleet's members among ``identities``, plus its explicit members.

        Parameters
        ----------
        identities
            One row per vessel as from
            :func:`zonewatch.vessels.identity.vessel_identities` (columns
            ``mmsi, names, callsigns, ship_type, flag``; ``name`` is used for
            the member's name when present).

        Returns
        -------
        polars.DataFrame
            Columns of :data:`MEMBERS_SCHEMA`, one row per member, sorted by
            MMSI. Explicit members come first (a fleet file overrides the
            rules), then name patterns, callsign patterns and ship types in
            the fleet's order.

        Examples
        --------
        >>> ids = pl.DataFrame({
        ...     "mmsi": [413000001, 431000001, 412000002],
        ...     "names": [["CHINA COAST GUARD 2502"], ["CHINA COAST GUARD"], ["MIN JIN YU 5"]],
        ...     "callsigns": [[], [], []], "ship_type": [None, None, 30],
        ...     "flag": ["CN", "JP", "CN"],
        ... })
        >>> m = builtin_fleet("china-government").members(ids)
        >>> m.get_column("mmsi").to_list(), m.get_column("category").to_list()
        ([413000001], ['coast_guard'])
        >>> m.get_column("matched_by")[0]
        "name pattern CHINACOASTGUARD (name 'CHINA COAST GUARD 2502', flag CN)"
        """
        ids = _prepare_identities(identities)
        excluded = [m for m, (cat, _) in self.mmsis.items() if cat == EXCLUDE_CATEGORY]
        explicit = self._explicit_frame()
        taken = explicit.get_column("mmsi").to_list() + excluded
        candidates = ids.filter(~pl.col("mmsi").is_in(taken) & self._eligible(ids))
        found = [
            explicit.with_columns(pl.lit(-1, dtype=pl.Int32).alias("_rule")),
            *self._rule_hits(candidates),
        ]
        combined = (
            pl.concat(found, how="vertical")
            .sort(["mmsi", "_rule"])
            .unique(subset="mmsi", keep="first", maintain_order=True)
        )
        latest = ids.select("mmsi", pl.col("name").alias("_latest"))
        result = combined.join(latest, on="mmsi", how="left").with_columns(
            pl.coalesce("name", "_latest").alias("name")
        )
        return result.select(
            [pl.col(name).cast(dtype) for name, dtype in MEMBERS_SCHEMA.items()]
        ).sort("mmsi")

    def member_records(self, identities: pl.DataFrame) -> tuple[FleetMember, ...]:
        """Return :meth:`members` as records (one Python object per member).

        Examples
        --------
        >>> fleet = Fleet("watch", {477000001: ("escort", "SEA STAR")})
        >>> empty = pl.DataFrame({"mmsi": [], "names": [], "callsigns": [],
        ...                       "ship_type": [], "flag": []})
        >>> fleet.member_records(empty)[0].matched_by
        'fleet watch member list'
        """
        return tuple(
            FleetMember(
                mmsi=int(row["mmsi"]),
                category=str(row["category"]),
                name=row["name"],
                matched_by=str(row["matched_by"]),
            )
            for row in self.members(identities).iter_rows(named=True)
        )

    def _explicit_frame(self) -> pl.DataFrame:
        rows = [
            (
                mmsi,
                cat,
                vessel_name,
                self.member_sources.get(mmsi, f"fleet {self.name} member list"),
            )
            for mmsi, (cat, vessel_name) in self.mmsis.items()
            if cat != EXCLUDE_CATEGORY
        ]
        return pl.DataFrame(rows, schema=MEMBERS_SCHEMA, orient="row")

    def _eligible(self, ids: pl.DataFrame) -> pl.Expr:
        """Vessels the rules apply to: ship-form MMSI and one of the fleet's flags."""
        kinds = mmsi_kinds(ids.get_column("mmsi").to_numpy().astype(np.int64))
        ship = pl.Series(values=(kinds == "ship"), dtype=pl.Boolean)
        if not self.flags:
            return pl.lit(ship)
        return pl.lit(ship) & pl.col("flag").is_in(sorted(self.flags)).fill_null(False)

    def _rule_hits(self, candidates: pl.DataFrame) -> Iterator[pl.DataFrame]:
        """Hits of every rule, each row with its rule's precedence in ``_rule``."""
        yield from self._pattern_hits(candidates)
        offset = (
            len(self.name_patterns)
            + len(self.callsign_patterns)
            + len(self.name_regexes)
            + len(self.callsign_regexes)
        )
        yield self._imo_hits(candidates, offset)
        yield self._ship_type_hits(candidates, offset + 1)

    def _pattern_hits(self, candidates: pl.DataFrame) -> Iterator[pl.DataFrame]:
        n_name, n_call = len(self.name_patterns), len(self.callsign_patterns)
        n_name_re = len(self.name_regexes)
        rules = (
            ("names", "name", "pattern", self.name_patterns, _name_regex, 0),
            ("callsigns", "callsign", "pattern", self.callsign_patterns, _callsign_regex, n_name),
            ("names", "name", "regex", self.name_regexes, _user_regex, n_name + n_call),
            (
                "callsigns",
                "callsign",
                "regex",
                self.callsign_regexes,
                _user_regex,
                n_name + n_call + n_name_re,
            ),
        )
        for column, label, how, patterns, to_regex, offset in rules:
            if patterns:
                yield _first_pattern_hits(
                    candidates,
                    column=column,
                    label=label,
                    how=how,
                    patterns=patterns,
                    regexes=[to_regex(p) for p in patterns],
                    categories=[
                        self.pattern_categories.get(p, self.default_category) for p in patterns
                    ],
                    offset=offset,
                )

    def _imo_hits(self, candidates: pl.DataFrame, rule: int) -> pl.DataFrame:
        codes = sorted(self.imos)
        if not codes or "imo" not in candidates.columns:
            return pl.DataFrame(schema={**MEMBERS_SCHEMA, "_rule": pl.Int32()})
        hits = candidates.filter(pl.col("imo").is_in(codes).fill_null(False))
        return hits.select(
            "mmsi",
            pl.lit(self.default_category, dtype=pl.String).alias("category"),
            pl.lit(None, dtype=pl.String).alias("name"),
            pl.format("IMO {} (flag {})", pl.col("imo"), pl.col("flag").fill_null("unknown")).alias(
                "matched_by"
            ),
            pl.lit(rule, dtype=pl.Int32).alias("_rule"),
        )

    def membership(self, statics: pl.DataFrame | pa.Table) -> pl.DataFrame:
        """Members with the time during which each was one (rules applied over time).

        Unlike :meth:`members`, which counts a vessel when *any* name it ever
        broadcast matches, each rule is applied to the vessel's identity as of
        each time (:func:`zonewatch.vessels.history.identity_history`): a
        vessel renamed into the fleet's pattern is a member from its first
        report under the new name. Explicit (MMSI) members are members at all
        times, as before.

        Parameters
        ----------
        statics
            Static reports (the :data:`zonewatch.schema.STATICS` columns).

        Returns
        -------
        polars.DataFrame
            Columns of :data:`MEMBERSHIP_SCHEMA`: one row per member and
            period, sorted by ``mmsi, valid_from``; ``valid_from`` /
            ``valid_to`` null means unbounded.

        Examples
        --------
        >>> import datetime as dt
        >>> t0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
        >>> statics = pl.DataFrame({
        ...     "mmsi": [413000001] * 2, "ts": [t0, t0 + dt.timedelta(days=2)],
        ...     "name": ["MIN YU 1", "HAI JING 2502"], "callsign": [None, None],
        ...     "imo": [None, None], "ship_type": [30, 30],
        ... })
        >>> m = builtin_fleet("china-government").membership(statics)
        >>> m.select("mmsi", "valid_from", "valid_to").rows()[0][1].isoformat()
        '2024-03-03T00:00:00+00:00'
        """
        from zonewatch.vessels.membership import membership_periods

        return membership_periods(self, statics)

    def _ship_type_hits(self, candidates: pl.DataFrame, rule: int) -> pl.DataFrame:
        codes = sorted(self.ship_types)
        if not codes:
            return pl.DataFrame(schema={**MEMBERS_SCHEMA, "_rule": pl.Int32()})
        hits = candidates.filter(pl.col("ship_type").is_in(codes).fill_null(False))
        describe = {c: f"{c} {ship_type_name(c).lower()}" for c in codes}
        return hits.select(
            "mmsi",
            pl.col("ship_type")
            .replace_strict({c: ship_type_category(c) for c in codes}, return_dtype=pl.String)
            .alias("category"),
            pl.lit(None, dtype=pl.String).alias("name"),
            pl.format(
                "ship type {} (flag {})",
                pl.col("ship_type").replace_strict(describe, return_dtype=pl.String),
                pl.col("flag").fill_null("unknown"),
            ).alias("matched_by"),
            pl.lit(rule, dtype=pl.Int32).alias("_rule"),
        )


def _prepare_identities(identities: pl.DataFrame) -> pl.DataFrame:
    """Check and type the identity columns the rules read."""
    frame = identities
    if "names" not in frame.columns and "name" in frame.columns:
        frame = frame.with_columns(pl.concat_list(pl.col("name")).list.drop_nulls().alias("names"))
    if "callsigns" not in frame.columns and "callsign" in frame.columns:
        frame = frame.with_columns(
            pl.concat_list(pl.col("callsign")).list.drop_nulls().alias("callsigns")
        )
    needed = ("mmsi", "names", "callsigns", "ship_type", "flag")
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ParameterError(
            f"identities lack the column(s) {', '.join(missing)}; "
            "pass the frame vessel_identities() returns"
        )
    return frame.select(
        pl.col("mmsi").cast(pl.UInt32),
        (pl.col("name") if "name" in frame.columns else pl.lit(None)).cast(pl.String).alias("name"),
        pl.col("names").cast(pl.List(pl.String)),
        pl.col("callsigns").cast(pl.List(pl.String)),
        pl.col("ship_type").cast(pl.UInt8),
        pl.col("flag").cast(pl.String),
        (pl.col("imo") if "imo" in frame.columns else pl.lit(None)).cast(pl.UInt32).alias("imo"),
    ).filter(pl.col("mmsi").is_not_null())


def _user_regex(regex: str) -> str:
    return f"(?i){regex}"


def _first_pattern_hits(
    candidates: pl.DataFrame,
    *,
    column: str,
    label: str,
    how: str = "pattern",
    patterns: tuple[str, ...],
    regexes: list[str],
    categories: list[str],
    offset: int,
) -> pl.DataFrame:
    """Per vessel, the first pattern (in order) that matches any of its values."""
    long = (
        candidates.select("mmsi", "flag", pl.col(column).alias("_value"))
        .explode("_value")
        .filter(pl.col("_value").is_not_null())
        .with_columns(pl.int_range(pl.len()).over("mmsi").alias("_pos"))
    )
    upper = pl.col("_value").str.to_uppercase()
    index = pl.min_horizontal(
        [
            pl.when(upper.str.contains(regex)).then(pl.lit(i, dtype=pl.Int32))
            for i, regex in enumerate(regexes)
        ]
    )
    hits = (
        long.with_columns(index.alias("_idx"))
        .filter(pl.col("_idx").is_not_null())
        .sort(["mmsi", "_idx", "_pos"])
        .unique(subset="mmsi", keep="first", maintain_order=True)
    )
    positions = list(range(len(patterns)))
    return hits.select(
        "mmsi",
        pl.col("_idx")
        .replace_strict(positions, categories, return_dtype=pl.String)
        .alias("category"),
        pl.lit(None, dtype=pl.String).alias("name"),
        pl.format(
            f"{label} {how} {{}} ({label} '{{}}', flag {{}})",
            pl.col("_idx").replace_strict(positions, list(patterns), return_dtype=pl.String),
            pl.col("_value"),
            pl.col("flag").fill_null("unknown"),
        ).alias("matched_by"),
        (pl.col("_idx") + offset).cast(pl.Int32).alias("_rule"),
    )


def is_fishing(identities: pl.DataFrame) -> pl.Series:
    """Return, per identity row, whether the vessel's ship type is fishing (30).

    Parameters
    ----------
    identities
        A frame with a ``ship_type`` column (null = unknown, not fishing).

    Returns
    -------
    polars.Series
        Boolean series named ``is_fishing``, no nulls.

    Examples
    --------
    >>> is_fishing(pl.DataFrame({"ship_type": [30, 55, None]})).to_list()
    [True, False, False]
    """
    if "ship_type" not in identities.columns:
        raise ParameterError("identities lack the column ship_type")
    fishing = [c for c in range(256) if ship_type_category(c) == "fishing"]
    return (
        identities.select(
            pl.col("ship_type").cast(pl.Int64).is_in(fishing).fill_null(False).alias("is_fishing")
        )
        .to_series()
        .alias("is_fishing")
    )


# --- built-in fleets ---------------------------------------------------------

_CHINA_GOVERNMENT_PATTERNS: tuple[tuple[str, str], ...] = (
    # China Coast Guard (中国海警, Zhongguo Haijing), since 2013
    ("CHINACOASTGUARD", "coast_guard"),
    ("ZHONGGUOHAIJING", "coast_guard"),
    ("HAIJING", "coast_guard"),
    # China Marine Surveillance (中国海监, Haijian), merged into the CCG in 2013
    ("CHINAMARINESURVEILLANCE", "marine_surveillance"),
    ("ZHONGGUOHAIJIAN", "marine_surveillance"),
    ("HAIJIAN", "marine_surveillance"),
    # Fisheries Law Enforcement Command (中国渔政, Yuzheng), merged into the CCG in 2013
    ("CHINAFISHERIESLAW", "fisheries_law_enforcement"),
    ("CHINAFISHERYLAW", "fisheries_law_enforcement"),
    ("ZHONGGUOYUZHENG", "fisheries_law_enforcement"),
    ("YUZHENG", "fisheries_law_enforcement"),
)

_JAPAN_COAST_GUARD_PATTERNS: tuple[str, ...] = (
    "JAPANCOASTGUARD",
    "JCG",
    # JCG hull designations followed by a number: PLH (large patrol vessel with
    # helicopter), PL (large), PM (medium); at a word start and with a digit,
    # so that ordinary names do not match.
    "PLH#",
    "PL#",
    "PM#",
)


def _china_government() -> Fleet:
    return Fleet(
        name="china-government",
        mmsis={},
        name_patterns=tuple(p for p, _ in _CHINA_GOVERNMENT_PATTERNS),
        callsign_patterns=(),
        flags=frozenset({"CN"}),
        ship_types=frozenset({55}),
        pattern_categories=dict(_CHINA_GOVERNMENT_PATTERNS),
        default_category="government",
    )


def _japan_coast_guard() -> Fleet:
    return Fleet(
        name="japan-coast-guard",
        mmsis={},
        name_patterns=_JAPAN_COAST_GUARD_PATTERNS,
        callsign_patterns=(),
        flags=frozenset({"JP"}),
        ship_types=frozenset(),
        default_category="coast_guard",
    )


_BUILTINS = {
    "china-government": _china_government,
    "japan-coast-guard": _japan_coast_guard,
}

BUILTIN_FLEETS: tuple[str, ...] = tuple(_BUILTINS)
"""Names of the built-in fleets."""


def builtin_fleet(name: str) -> Fleet:
    """Return a built-in fleet.

    ``china-government``: China-flagged (MIDs 412, 413, 414) ship-form MMSIs
    whose name matches a China Coast Guard, Marine Surveillance or Fisheries
    Law Enforcement pattern (``CHINACOASTGUARD``, ``ZHONGGUOHAIJING``,
    ``HAIJING``, ``HAIJIAN``, ``YUZHENG``, ...), or whose ship type is 55 (law
    enforcement). No callsign rule: the CCG's callsign conventions are not
    public enough to rely on.

    ``japan-coast-guard``: Japan-flagged (MIDs 431, 432) ship-form MMSIs
    whose name matches ``JAPANCOASTGUARD``, ``JCG`` or a hull number
    ``PLH``/``PL``/``PM`` followed by digits. Ship type 55 is not used: in
    Japan police and fisheries patrol boats broadcast it too.

    Parameters
    ----------
    name
        One of :data:`BUILTIN_FLEETS`.

    Raises
    ------
    ParameterError
        For an unknown name (the message lists the built-ins).

    Examples
    --------
    >>> fleet = builtin_fleet("china-government")
    >>> sorted(fleet.flags), sorted(fleet.ship_types), fleet.name_patterns[0]
    (['CN'], [55], 'CHINACOASTGUARD')
    """
    try:
        factory = _BUILTINS[name]
    except KeyError:
        raise ParameterError(
            f"unknown fleet {name!r}; built-in fleets: {', '.join(BUILTIN_FLEETS)}"
        ) from None
    return factory()


# --- fleet files -------------------------------------------------------------


def load_fleet(spec: str | Path) -> Fleet:
    """Return a built-in fleet by name, or read a fleet CSV file.

    Parameters
    ----------
    spec
        A name from :data:`BUILTIN_FLEETS`, the path of a YAML fleet file
        (``.yaml``/``.yml``, see :mod:`zonewatch.vessels.fleet_yaml`), or the
        path of a UTF-8 CSV file
        whose header names the columns ``mmsi``, ``category`` and ``name``
        (any order, case-insensitive, extra columns allowed). ``mmsi`` is
        nine digits (leading zeros allowed), ``category`` is not empty
        (``exclude`` removes the vessel), ``name`` may be empty. Blank lines
        and lines starting with ``#`` are skipped.

    Returns
    -------
    Fleet
        The built-in fleet, or a fleet of the file's explicit members, named
        after the file, each member's ``matched_by`` naming its line.

    Raises
    ------
    FleetFileError
        When the file is missing, unreadable, empty, lacks the header or a
        column, or has a row with a bad MMSI, an empty category, a duplicate
        MMSI or the wrong number of fields; the message names file and line.

    Examples
    --------
    >>> load_fleet("japan-coast-guard").flags == frozenset({"JP"})
    True
    """
    text_spec = str(spec)
    if isinstance(spec, str) and spec in _BUILTINS:
        return builtin_fleet(spec)
    path = Path(spec)
    if not path.exists():
        raise FleetFileError(
            f"fleet {text_spec!r}: no such file, and not a built-in fleet "
            f"(built-in fleets: {', '.join(BUILTIN_FLEETS)})"
        )
    if not path.is_file():
        raise FleetFileError(f"{path}: fleet file is not a regular file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise FleetFileError(f"{path}: cannot read fleet file: {err}") from err
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise FleetFileError(f"{path}, line {line}: not UTF-8 text ({err.reason})") from err
    if path.suffix.lower() in (".yaml", ".yml"):
        from zonewatch.vessels.fleet_yaml import parse_fleet_yaml

        return parse_fleet_yaml(text, path)
    from zonewatch.vessels.fleet_csv import parse_fleet_csv

    mmsis, sources = parse_fleet_csv(text, path)
    return Fleet(name=path.name, mmsis=mmsis, member_sources=sources)
