"""Decoded (tabular) sources into positions, statics and rejects, with line accounting.

CSV dialects, Parquet and GeoPackage readers all end here. A reader maps its
columns to the canonical names of :data:`CANONICAL_COLUMNS` (text or typed
values), :func:`stage` parses and validates them column-wise, and a
:class:`TabularCollector` turns staged batches into the tables of
``zonewatch.schema`` and the :class:`~zonewatch.sources.accounting.Accounting`.

Rules, the same for every tabular source:

- **Rows.** Each data row is one *line*: for CSV the physical line (the header
  line is not counted, so ``lines`` is the number of physical lines after it),
  for Parquet the row, for GeoPackage the feature. Every row is either
  decoded or rejected (``pending`` is always 0), so
  ``lines == decoded + rejected``.
- **Rejects** keep the line number (1-based physical line in a CSV file, row
  number in Parquet, feature id in GeoPackage), the raw text and a reason:
  ``bad_row``, ``bad_mmsi``, ``bad_time``, ``bad_position``, ``bad_value``
  (:data:`TABULAR_REJECT_REASONS`) or ``empty_line``.
- **Message kinds** come from the ``msg_type`` column: 1, 2, 3, 18, 19, 27 and
  0 (the source does not say) are positions and need a valid position; 5 and
  24 are static reports (no position needed); any other type (4 base station,
  21 aid to navigation, 9 SAR aircraft, ...) is counted in ``other_types``.
- **Not available** values become nulls: SOG outside ``[0, 102.3)``, COG
  outside ``[0, 360)``, heading outside ``0..359`` (511), nav status outside
  ``0..15``, ship type and IMO 0, empty text and the tokens of
  :data:`NULL_TOKENS`. Latitude 91 / longitude 181 (or anything out of range)
  make the row a ``bad_position`` reject.
- **Statics** are derived from rows that carry static fields (name, callsign,
  IMO, ship type, dimensions, destination): one statics row for the first such
  row of each MMSI and for every row where any of those fields differs from
  the previous row of that MMSI, in input order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Literal, get_args

import polars as pl
import pyarrow as pa

from zonewatch.errors import InputFileError, ParameterError
from zonewatch.schema import (
    POSITIONS,
    REJECT_REASONS,
    REJECTS,
    STATICS,
    TABULAR_REJECT_REASONS,
)
from zonewatch.sources.accounting import Accounting, Decoded

__all__ = [
    "CANONICAL_COLUMNS",
    "MAX_RAW_CHARS",
    "NULL_TOKENS",
    "POSITION_MSG_TYPES",
    "REQUIRED_COLUMNS",
    "STATIC_FIELDS",
    "STATIC_MSG_TYPES",
    "TABULAR_REJECT_REASONS",
    "Errors",
    "TabularCollector",
    "parse_time",
    "stage",
]

Errors = Literal["collect", "raise"]
"""What a reader does with a rejected row: collect it into ``rejects``, or raise."""


CANONICAL_COLUMNS: tuple[str, ...] = (
    "mmsi",
    "ts",
    "lon",
    "lat",
    "sog",
    "cog",
    "heading",
    "nav_status",
    "msg_type",
    "source",
    "imo",
    "callsign",
    "name",
    "ship_type",
    "to_bow",
    "to_stern",
    "to_port",
    "to_starboard",
    "destination",
)
"""Column names a reader maps its source columns to."""

REQUIRED_COLUMNS: tuple[str, ...] = ("mmsi", "ts", "lon", "lat")
"""Canonical columns every tabular source must have."""

STATIC_FIELDS: tuple[str, ...] = (
    "imo",
    "callsign",
    "name",
    "ship_type",
    "to_bow",
    "to_stern",
    "to_port",
    "to_starboard",
    "destination",
)
"""Canonical columns that make a statics row."""

POSITION_MSG_TYPES = frozenset({0, 1, 2, 3, 18, 19, 27})
"""Message types whose rows are positions (0: the source does not give the type)."""

STATIC_MSG_TYPES = frozenset({5, 24})
"""Message types whose rows are static reports only."""

NULL_TOKENS: tuple[str, ...] = (
    "",
    "unknown",
    "undefined",
    "not available",
    "n/a",
    "na",
    "nan",
    "null",
    "none",
)
"""Text values read as "not available" (trimmed; in lower, upper, title or capitalized case)."""

MAX_RAW_CHARS = 4096
"""The ``raw`` column of rejects keeps at most this many characters of a row."""

MAX_MMSI = 999_999_999

_TEXT_COLUMNS = ("source", "callsign", "name", "destination")
# numeric column -> (smallest valid value, bound, integral?, polars dtype of the output);
# integral columns are rounded and valid up to the bound, others valid below it
_RANGES: dict[str, tuple[float, float, bool, pl.DataType]] = {
    "sog": (0.0, 102.3, False, pl.Float32()),
    "cog": (0.0, 360.0, False, pl.Float32()),
    "heading": (0.0, 359.0, True, pl.UInt16()),
    "nav_status": (0.0, 15.0, True, pl.UInt8()),
    "imo": (1.0, 4_294_967_295.0, True, pl.UInt32()),
    "ship_type": (1.0, 255.0, True, pl.UInt8()),
    "to_bow": (0.0, 511.0, True, pl.UInt16()),
    "to_stern": (0.0, 511.0, True, pl.UInt16()),
    "to_port": (0.0, 63.0, True, pl.UInt16()),
    "to_starboard": (0.0, 63.0, True, pl.UInt16()),
}
_NUMBER_COLUMNS = ("lon", "lat", "msg_type", *_RANGES)
_SRC = "_src_"  # prefix of the source's original columns kept for reject text
_TEXT = "_text_"  # prefix of a numeric column's text, kept for reject details
_UTC = "UTC"
_TS = pl.Datetime("ms", _UTC)


# -- parsing helpers ---------------------------------------------------------------------


_NULL_FORMS = sorted(
    {form for t in NULL_TOKENS for form in (t, t.upper(), t.title(), t.capitalize())}
)


def _is_null_token(text: pl.Expr) -> pl.Expr:
    """Whether trimmed ``text`` is one of :data:`NULL_TOKENS`."""
    return text.is_in(_NULL_FORMS)


def _clean_text(expr: pl.Expr, strip: str | None = None) -> pl.Expr:
    """Trimmed text (of ``strip`` characters, default whitespace); null tokens become null."""
    text = expr.str.strip_chars(strip)
    return pl.when(_is_null_token(text)).then(None).otherwise(text)


def _finite(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.is_finite()).then(expr).otherwise(None)


def parse_time(text: pl.Expr, time_format: str = "iso", time_zone: str = _UTC) -> pl.Expr:
    """Parse a text column into ``Datetime("ms", "UTC")``; unparseable text gives null.

    Parameters
    ----------
    text
        Expression of the time as text.
    time_format
        ``"iso"``: ISO 8601 ``YYYY-MM-DD[T| ]HH:MM:SS[.fff][Z|±HH:MM]``;
        ``"unix"`` / ``"unix_ms"``: seconds / milliseconds since 1970-01-01 UTC;
        anything else: a ``strftime`` pattern such as ``"%d/%m/%Y %H:%M:%S"``
        (with ``%z`` the offset in the text is used).
    time_zone
        IANA zone of times written without an offset (default UTC). Local
        times that do not exist or are ambiguous (DST changes) give null.

    Returns
    -------
    polars.Expr
        UTC timestamps in milliseconds.

    Examples
    --------
    >>> frame = pl.DataFrame({"t": ["2024-01-01T09:00:00", "2024-01-01 09:00:00+09:00", "x"]})
    >>> frame.select(parse_time(pl.col("t"))).to_series().dt.hour().to_list()
    [9, 0, None]
    """
    stripped = text.str.strip_chars()
    if time_format in ("unix", "unix_ms"):
        scale = 1000.0 if time_format == "unix" else 1.0
        ms = _finite(stripped.cast(pl.Float64, strict=False) * scale).round(0)
        return ms.cast(pl.Int64, strict=False).cast(pl.Datetime("ms")).dt.replace_time_zone(_UTC)
    if time_format == "iso":
        iso = stripped.str.replace(" ", "T", literal=True)
        aware = iso.str.strptime(_TS, "%Y-%m-%dT%H:%M:%S%.f%#z", strict=False)
        naive = iso.str.strptime(pl.Datetime("ms"), "%Y-%m-%dT%H:%M:%S%.f", strict=False)
        return pl.coalesce(aware, _localize(naive, time_zone))
    if "%z" in time_format or "%:z" in time_format or "%#z" in time_format:
        return stripped.str.strptime(_TS, time_format, strict=False)
    naive = stripped.str.strptime(pl.Datetime("ms"), time_format, strict=False)
    return _localize(naive, time_zone)


def _localize(naive: pl.Expr, time_zone: str) -> pl.Expr:
    if time_zone == _UTC:
        return naive.dt.replace_time_zone(_UTC)
    local = naive.dt.replace_time_zone(time_zone, ambiguous="null", non_existent="null")
    return local.dt.convert_time_zone(_UTC)


def _time_expr(
    name: str, dtype: pl.DataType, time_format: str, time_zone: str
) -> tuple[pl.Expr, pl.Expr]:
    """(UTC timestamp, text shown in reject details) of the ``ts`` column."""
    col = pl.col(name)
    if dtype == pl.String:
        return parse_time(col, time_format, time_zone), col
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is None:
            value = _localize(col.cast(pl.Datetime("ms")), time_zone)
        else:
            value = col.dt.convert_time_zone(_UTC).cast(_TS)
        return value, col.cast(pl.String)
    if isinstance(dtype, pl.Date):
        raise InputFileError("the time column holds dates without a time of day; a time is needed")
    if dtype.is_numeric() and time_format in ("unix", "unix_ms"):
        text = col.cast(pl.String)
        return parse_time(text, time_format, time_zone), text
    raise InputFileError(
        f"the time column has type {dtype}; expected text or a timestamp"
        " (or numbers with time_format 'unix' / 'unix_ms')"
    )


def _number_expr(
    name: str, dtype: pl.DataType, codes: Mapping[str, int] | None
) -> tuple[pl.Expr, pl.Expr | None]:
    """(Float64 value, flag "the text is not a number") of a numeric column."""
    col = pl.col(name)
    if dtype == pl.String:
        text = col.str.strip_chars()
        if name == "imo":
            text = text.str.strip_chars_start("IMOimo :#-")
        number = _finite(text.cast(pl.Float64, strict=False))
        if codes:
            mapped = text.str.to_lowercase().replace_strict(
                dict(codes), default=None, return_dtype=pl.Float64
            )
            # a code table's column: unknown text is "not available", not an error
            return pl.coalesce(mapped, number), None
        not_number = number.is_null() & (text.str.len_bytes() > 0)
        bad = not_number & ~_is_null_token(text)
        return number, bad
    if dtype.is_numeric():
        return _finite(col.cast(pl.Float64)), None
    if dtype == pl.Boolean:
        return col.cast(pl.Float64), None
    raise InputFileError(f"column {name} has type {dtype}; expected numbers or text")


def _patch(
    source: pl.DataFrame, columns: pl.DataFrame, need: pl.Expr, targets: Mapping[str, pl.Expr]
) -> pl.DataFrame:
    """Recompute ``targets`` with their slow expressions on the rows where ``need`` holds."""
    rows = columns.select(need.fill_null(False).arg_true()).to_series()
    if rows.len() == 0:
        return columns
    values = source[rows].select([expr.alias(name) for name, expr in targets.items()])
    return columns.with_columns(
        columns.get_column(name).scatter(rows, values.get_column(name)) for name in targets
    )


def _in_range(value: pl.Expr, low: float, high: float, integral: bool) -> pl.Expr:
    ok = (value >= low) & (value <= high)
    if integral:
        ok = ok & (value == value.round(0))
    return ok


def stage(
    frame: pl.DataFrame,
    *,
    time_format: str = "iso",
    time_zone: str = _UTC,
    codes: Mapping[str, Mapping[str, int]] | None = None,
) -> pl.DataFrame:
    """Parse and validate a batch of rows whose columns carry canonical names.

    Parameters
    ----------
    frame
        ``line_no`` (int), optionally ``raw`` (the row as text), ``problem``
        and ``detail`` (a reject reason found while splitting the row, e.g.
        ``bad_row``), and any of :data:`CANONICAL_COLUMNS` as text or typed
        values. Missing optional columns are null.
    time_format, time_zone
        How ``ts`` is written when it is text (see :func:`parse_time`).
    codes
        Per canonical column, a table from lower-case text to code (e.g. the
        Danish Maritime Authority's ship type names); unknown text is null.

    Returns
    -------
    polars.DataFrame
        One row per input row: ``line_no``, ``problem``, ``detail``,
        ``mmsi`` (null when invalid) and ``mmsi_text``, ``ts`` (null when
        invalid) and ``ts_text``, ``lon``/``lat`` and ``position_ok``, the
        other columns cleaned of "not available" values, ``value_problem``,
        and the source's text (``raw``, or its original columns).

    Raises
    ------
    InputFileError
        If a column has a type that cannot hold its values (e.g. ``ts`` as a
        boolean).
    """
    codes = codes or {}
    schema = frame.schema
    # phase 1: parse each column once into a materialized column
    parsed: list[pl.Expr] = [pl.col("line_no").cast(pl.UInt64)]
    for name in ("problem", "detail", "raw"):
        value = pl.col(name).cast(pl.String) if name in schema else pl.lit(None, pl.String)
        parsed.append(value.alias(name))
    if "raw" not in schema:  # keep the source's values for the text of rejects
        parsed.extend(
            pl.col(name).alias(_SRC + name) for name in schema if name in CANONICAL_COLUMNS
        )

    # each entry: (rows needing the slow parse, {column: slow expression over the input})
    slow: list[tuple[pl.Expr, dict[str, pl.Expr]]] = []
    if "mmsi" in schema:
        mmsi_dtype = schema["mmsi"]
        if mmsi_dtype == pl.String:
            parsed.append(pl.col("mmsi").alias("mmsi_text"))
            parsed.append(pl.col("mmsi").cast(pl.Float64, strict=False).alias("_mmsi"))
            need = pl.col("_mmsi").is_null() & pl.col("mmsi_text").is_not_null()
            strip = pl.col("mmsi").str.strip_chars().cast(pl.Float64, strict=False)
            slow.append((need, {"_mmsi": strip}))
        elif mmsi_dtype.is_numeric():
            parsed.append(pl.lit(None, pl.String).alias("mmsi_text"))
            parsed.append(pl.col("mmsi").cast(pl.Float64).alias("_mmsi"))
        else:
            raise InputFileError(f"the MMSI column has type {mmsi_dtype}; expected integers")
    else:
        parsed += [
            pl.lit(None, pl.String).alias("mmsi_text"),
            pl.lit(None, pl.Float64).alias("_mmsi"),
        ]

    if "ts" in schema:
        ts_value, ts_text = _time_expr("ts", schema["ts"], time_format, time_zone)
        if schema["ts"] == pl.String and time_format == "iso":
            # fast path: the common "YYYY-MM-DDTHH:MM:SS"; other ISO forms parsed where it fails
            plain = pl.col("ts").str.strptime(pl.Datetime("ms"), "%Y-%m-%dT%H:%M:%S", strict=False)
            parsed.append(_localize(plain, time_zone).alias("ts"))
            need = pl.col("ts").is_null() & pl.col("ts_text").is_not_null()
            slow.append((need, {"ts": ts_value}))
        else:
            parsed.append(ts_value.alias("ts"))
        parsed.append(ts_text.alias("ts_text"))
    else:
        parsed += [pl.lit(None, _TS).alias("ts"), pl.lit(None, pl.String).alias("ts_text")]

    details: list[str] = []
    for name in _NUMBER_COLUMNS:
        if name not in schema:
            parsed.append(pl.lit(None, pl.Float64).alias("_" + name))
            continue
        value, bad = _number_expr(name, schema[name], codes.get(name))
        if schema[name] != pl.String:
            parsed.append(value.alias("_" + name))
            continue
        # fast path: plain numbers; text, padding and code names parsed where it fails
        parsed.append(pl.col(name).cast(pl.Float64, strict=False).alias("_" + name))
        parsed.append(pl.col(name).alias(_TEXT + name))
        targets = {"_" + name: value}
        if bad is not None:
            parsed.append(pl.lit(False).alias("_bad_" + name))
            targets["_bad_" + name] = bad
            details.append(name)
        need = pl.col("_" + name).is_null() & pl.col(_TEXT + name).is_not_null()
        slow.append((need, targets))
    for name in _TEXT_COLUMNS:
        if name in schema:
            text = _clean_text(pl.col(name).cast(pl.String), " @\t\r\n")
            parsed.append(pl.when(text.str.len_bytes() > 0).then(text).alias(name))
        else:
            parsed.append(pl.lit(None, pl.String).alias(name))
    columns = frame.select(parsed)
    for need, targets in slow:
        columns = _patch(frame, columns, need, targets)

    # phase 2: validate and clean the parsed columns
    mmsi = _finite(pl.col("_mmsi"))
    lon, lat = _finite(pl.col("_lon")), _finite(pl.col("_lat"))
    msg_type = _finite(pl.col("_msg_type")).fill_null(0)
    msg_ok = _in_range(msg_type, 0, 27, integral=True)
    checked: list[pl.Expr] = [
        pl.when(_in_range(mmsi, 1, MAX_MMSI, integral=True))
        .then(mmsi)
        .cast(pl.Int64)
        .alias("mmsi"),
        lon.alias("lon"),
        lat.alias("lat"),
        (lon.is_between(-180, 180) & lat.is_between(-90, 90)).fill_null(False).alias("position_ok"),
        pl.when(msg_ok).then(msg_type).cast(pl.UInt8).alias("msg_type"),
        pl.coalesce(
            pl.when(~msg_ok).then(pl.lit("msg_type")),
            *(pl.when(pl.col("_bad_" + c)).then(pl.lit(c)) for c in details),
        ).alias("value_problem"),
    ]
    for name, (low, bound, integral, dtype) in _RANGES.items():
        value = _finite(pl.col("_" + name))
        if integral:
            value = value.round(0)
            ok = (value >= low) & (value <= bound)
        else:
            ok = (value >= low) & (value < bound)
        checked.append(pl.when(ok).then(value).cast(dtype).alias(name))
    internal = [f"_{name}" for name in _NUMBER_COLUMNS if name != "msg_type"]
    return columns.with_columns(checked).drop(*internal, *(f"_bad_{c}" for c in details))


# -- collecting ------------------------------------------------------------------------


def _kind(msg_type: pl.Expr) -> pl.Expr:
    """The kind of a row by message type: position (also null), static or other."""
    return (
        pl.when(msg_type.is_null() | msg_type.is_in(sorted(POSITION_MSG_TYPES)))
        .then(pl.lit("position"))
        .when(msg_type.is_in(sorted(STATIC_MSG_TYPES)))
        .then(pl.lit("static"))
        .otherwise(pl.lit("other"))
    )


def _reason() -> pl.Expr:
    """The reject reason of a staged row, null when the row is good."""
    return (
        pl.when(pl.col("problem").is_not_null())
        .then(pl.col("problem"))
        .when(pl.col("mmsi").is_null())
        .then(pl.lit("bad_mmsi"))
        .when(pl.col("ts").is_null())
        .then(pl.lit("bad_time"))
        .when((pl.col("_kind") == "position") & ~pl.col("position_ok"))
        .then(pl.lit("bad_position"))
        .when(pl.col("value_problem").is_not_null())
        .then(pl.lit("bad_value"))
    )


def _detail(columns: Sequence[str]) -> pl.Expr:
    """The reject detail of rows with a reason (``_reason``), from the staged ``columns``."""
    reason = pl.col("_reason")
    missing = "(missing)"
    shown_mmsi = pl.coalesce(
        pl.col("mmsi_text"), pl.col("_mmsi").cast(pl.Int64, strict=False).cast(pl.String)
    ).fill_null(missing)
    value = pl.col("value_problem")
    parts = [
        pl.when(value == "msg_type").then(
            pl.format(
                "msg_type {} is not a message type 0..27",
                pl.col("_msg_type").cast(pl.String).fill_null(missing),
            )
        )
    ]
    for column in columns:
        if column.startswith(_TEXT):
            name = column.removeprefix(_TEXT)
            parts.append(
                pl.when(value == name).then(
                    pl.format("{} '{}' is not a number", pl.lit(name), pl.col(column))
                )
            )
    value_detail = pl.coalesce(parts)
    return (
        pl.when(reason == pl.col("problem"))
        .then(pl.col("detail"))
        .when(reason == "bad_mmsi")
        .then(pl.format("MMSI '{}' is not an integer in 1..999999999", shown_mmsi))
        .when(reason == "bad_time")
        .then(pl.format("time '{}' cannot be parsed", pl.col("ts_text").fill_null(missing)))
        .when(reason == "bad_position")
        .then(
            pl.format(
                "lon {}, lat {}: not available or out of range",
                pl.col("lon").cast(pl.String).fill_null(missing),
                pl.col("lat").cast(pl.String).fill_null(missing),
            )
        )
        .otherwise(value_detail)
    )


def _static_msg_type(msg_type: pl.Expr) -> pl.Expr:
    """Message type of a statics row derived from a row of ``msg_type``."""
    return (
        pl.when(msg_type.is_in([1, 2, 3, 27]))
        .then(pl.lit(5, pl.UInt8))
        .when(msg_type.is_in([18, 19]))
        .then(pl.lit(24, pl.UInt8))
        .otherwise(msg_type)
    )


def _to_arrow(frame: pl.DataFrame, schema: pa.Schema) -> pa.Table:
    table = frame.select(schema.names).to_arrow()
    return pa.Table.from_arrays(
        [col.cast(field.type) for col, field in zip(table.columns, schema, strict=True)],
        schema=schema,
    )


class TabularCollector:
    """Turns staged batches of one input into a :class:`Decoded`.

    Parameters
    ----------
    path
        Where the rows come from (recorded in rejects and error messages).
    file_id
        Content hash of the input.
    errors
        ``"collect"`` (default) or ``"raise"``: raise
        :class:`~zonewatch.errors.InputFileError` on the first rejected row.
    """

    def __init__(self, path: str, file_id: str, errors: Errors = "collect") -> None:
        if errors not in get_args(Errors):
            raise ParameterError(f"errors must be 'collect' or 'raise', got {errors!r}")
        self.path = path
        self.file_id = file_id
        self.raise_on_reject = errors == "raise"
        self._positions: list[pa.Table] = []
        self._statics: list[pa.Table] = []
        self._rejects: list[pa.Table] = []
        self._by_reason: Counter[str] = Counter()
        self._other_types: Counter[int] = Counter()
        self._lines = 0
        self._decoded = 0
        self._n_positions = 0
        self._n_statics = 0
        self._last_static = pl.DataFrame(
            schema={"mmsi": pl.Int64, "_key": pl.UInt64, "_state": pl.Boolean}
        )

    def add(self, staged: pl.DataFrame) -> None:
        """Account for one staged batch (the output of :func:`stage`)."""
        if staged.height == 0:
            return
        self._lines += staged.height
        frame = staged.with_columns(_kind(pl.col("msg_type")).alias("_kind")).with_columns(
            _reason().alias("_reason")
        )
        bad = frame.filter(pl.col("_reason").is_not_null())
        good = frame.filter(pl.col("_reason").is_null())
        if bad.height:
            self._add_rejects(bad.with_columns(_detail(bad.columns).alias("_detail")))
        self._decoded += good.height
        positions = good.filter(pl.col("_kind") == "position")
        if positions.height:
            table = _to_arrow(
                positions.with_columns(
                    pl.col("mmsi").cast(pl.UInt32),
                    pl.lit(self.file_id).alias("file_id"),
                ),
                POSITIONS,
            )
            self._positions.append(table)
            self._n_positions += table.num_rows
        others = good.filter(pl.col("_kind") == "other")
        if others.height:
            counts = others.group_by("msg_type").len()
            for msg_type, count in counts.iter_rows():
                self._other_types[int(msg_type)] += int(count)
        self._add_statics(good.filter(pl.col("_kind") != "other"))

    def _add_rejects(self, bad: pl.DataFrame) -> None:
        sources = [c for c in bad.columns if c.startswith(_SRC)]
        if not sources:
            raw = pl.col("raw").fill_null("")
        else:
            raw = pl.concat_str(
                [
                    pl.format(
                        "{}={}",
                        pl.lit(c.removeprefix(_SRC)),
                        pl.col(c).cast(pl.String).fill_null(""),
                    )
                    for c in sources
                ],
                separator=",",
            )
        rejects = bad.select(
            pl.lit(self.file_id).alias("file_id"),
            pl.lit(self.path).alias("path"),
            pl.col("line_no"),
            raw.str.slice(0, MAX_RAW_CHARS).alias("raw"),
            pl.col("_reason").alias("reason"),
            pl.col("_detail").alias("detail"),
        )
        if self.raise_on_reject:
            row = rejects.row(0, named=True)
            raise InputFileError(
                f"{self.path}, line {row['line_no']}: {row['reason']} ({row['detail']}):"
                f" {str(row['raw'])[:80]!r}"
            )
        for reason_value, count in rejects.group_by("reason").len().iter_rows():
            self._by_reason[str(reason_value)] += int(count)
        self._rejects.append(_to_arrow(rejects, REJECTS))

    def _add_statics(self, good: pl.DataFrame) -> None:
        has_static = pl.any_horizontal([pl.col(c).is_not_null() for c in STATIC_FIELDS])
        candidates = good.filter(has_static)
        if candidates.height == 0:
            return
        candidates = candidates.with_columns(
            pl.struct(list(STATIC_FIELDS)).hash(seed=0).alias("_key"),
            pl.lit(False).alias("_state"),
        )
        combined = pl.concat(
            [self._last_static, candidates.select("mmsi", "_key", "_state")], how="vertical"
        ).with_row_index("_order")
        previous = pl.col("_key").shift(1).over("mmsi")
        changed = previous.is_null() | (pl.col("_key") != previous)
        keep_order = combined.filter(changed & ~pl.col("_state")).get_column("_order")
        offset = self._last_static.height
        chosen = candidates.with_row_index("_order", offset=offset).filter(
            pl.col("_order").is_in(keep_order.implode())
        )
        self._last_static = (
            combined.group_by("mmsi", maintain_order=True)
            .agg(pl.col("_key").last())
            .with_columns(pl.lit(True).alias("_state"))
        )
        table = _to_arrow(
            chosen.with_columns(
                pl.col("mmsi").cast(pl.UInt32),
                _static_msg_type(pl.col("msg_type")).alias("msg_type"),
                pl.lit(None, pl.String).alias("part"),
                pl.lit(self.file_id).alias("file_id"),
            ),
            STATICS,
        )
        self._statics.append(table)
        self._n_statics += table.num_rows

    def result(self) -> Decoded:
        """The tables and the accounting of everything added."""
        rejected = sum(self._by_reason.values())
        order = [*REJECT_REASONS, *TABULAR_REJECT_REASONS]
        by_reason = {r: self._by_reason[r] for r in order if self._by_reason[r]}
        by_reason.update({r: n for r, n in self._by_reason.items() if r not in by_reason})
        other = sum(self._other_types.values())
        accounting = Accounting(
            lines=self._lines,
            decoded=self._decoded,
            rejected=rejected,
            pending=0,
            messages=self._decoded,
            positions=self._n_positions,
            statics=self._n_statics,
            other_messages=other,
            rejected_by_reason=by_reason,
            other_types=dict(sorted(self._other_types.items())),
        )
        return Decoded(
            file_id=self.file_id,
            path=self.path,
            positions=_concat(self._positions, POSITIONS),
            statics=_concat(self._statics, STATICS),
            rejects=_concat(self._rejects, REJECTS),
            accounting=accounting,
        )


def _concat(tables: Sequence[pa.Table], schema: pa.Schema) -> pa.Table:
    if not tables:
        return schema.empty_table()
    return pa.concat_tables(tables)
