"""Fleet membership over time: each rule applied to the identity as of each time.

:meth:`Fleet.members` answers "is this vessel in the fleet?" from everything
the vessel ever broadcast. :func:`membership_periods` answers "since when,
and until when?": the fleet's rules are applied to every episode of constant
identity (:func:`zonewatch.vessels.history.identity_history`), and the
matching episodes of a vessel that follow each other under the same rule are
joined into one period. Explicit members (by MMSI) are members at all times.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa

from zonewatch.vessels.fleets import (
    EXCLUDE_CATEGORY,
    MEMBERS_SCHEMA,
    MEMBERSHIP_SCHEMA,
    Fleet,
    _prepare_identities,
)
from zonewatch.vessels.history import identity_history
from zonewatch.vessels.mmsi import flags_of

__all__ = ["membership_periods"]


def membership_periods(fleet: Fleet, statics: pl.DataFrame | pa.Table) -> pl.DataFrame:
    """The members of ``fleet`` and when each was one (see :meth:`Fleet.membership`).

    Parameters
    ----------
    fleet
        The fleet.
    statics
        Static reports.

    Returns
    -------
    polars.DataFrame
        Columns of :data:`zonewatch.vessels.fleets.MEMBERSHIP_SCHEMA`.
    """
    history = identity_history(statics).with_row_index("_episode")
    explicit = fleet._explicit_frame().with_columns(
        pl.lit(None, dtype=pl.Datetime("ms", "UTC")).alias("valid_from"),
        pl.lit(None, dtype=pl.Datetime("ms", "UTC")).alias("valid_to"),
    )
    excluded = [m for m, (cat, _) in fleet.mmsis.items() if cat == EXCLUDE_CATEGORY]
    taken = explicit.get_column("mmsi").to_list() + excluded
    episodes = history.filter(~pl.col("mmsi").is_in(taken))
    frames = [explicit.select(list(MEMBERSHIP_SCHEMA))]
    if episodes.height:
        flags = flags_of(episodes.get_column("mmsi").to_numpy().astype(np.int64))
        # the rules key their hits by "mmsi": give them the episode number instead
        as_identities = episodes.select(
            pl.col("_episode").cast(pl.UInt32).alias("mmsi"),
            "name",
            pl.concat_list(pl.col("name")).list.drop_nulls().alias("names"),
            pl.concat_list(pl.col("callsign")).list.drop_nulls().alias("callsigns"),
            "ship_type",
            pl.Series("flag", flags.tolist(), dtype=pl.String),
            "imo",
        )
        eligible = fleet._eligible(
            episodes.select("mmsi", pl.Series("flag", flags.tolist(), dtype=pl.String))
        )
        real = episodes.select("mmsi", pl.Series("flag", flags.tolist(), dtype=pl.String))
        mask = real.select(eligible.alias("ok")).get_column("ok")
        candidates = _prepare_identities(as_identities.filter(mask))
        hits = [h for h in fleet._rule_hits(candidates) if h.height]
        if hits:
            best = (
                pl.concat(hits, how="vertical")
                .sort(["mmsi", "_rule"])
                .unique(subset="mmsi", keep="first", maintain_order=True)
                .rename({"mmsi": "_episode"})
                .with_columns(pl.col("_episode").cast(pl.UInt32))
            )
            matched = (
                episodes.with_columns(pl.col("_episode").cast(pl.UInt32))
                .join(best.drop("name"), on="_episode", how="inner")
                .sort(["mmsi", "valid_from"], nulls_last=False)
            )
            frames.append(_join_runs(matched))
    out = pl.concat(frames, how="vertical")
    return out.select([pl.col(name).cast(dtype) for name, dtype in MEMBERSHIP_SCHEMA.items()]).sort(
        ["mmsi", "valid_from"], nulls_last=False
    )


def _join_runs(matched: pl.DataFrame) -> pl.DataFrame:
    """Join episodes of one vessel that follow each other under the same rule."""
    same_run = (
        (pl.col("mmsi") == pl.col("mmsi").shift(1))
        & (pl.col("_rule") == pl.col("_rule").shift(1))
        & pl.col("valid_from").eq_missing(pl.col("valid_to").shift(1))
    ).fill_null(False)
    runs = matched.with_columns((~same_run).cum_sum().alias("_run"))
    return (
        runs.group_by("_run", maintain_order=True)
        .agg(
            pl.col("mmsi").first(),
            pl.col("category").first(),
            pl.col("name").last(),
            pl.col("matched_by").first(),
            pl.col("valid_from").first(),
            pl.col("valid_to").last(),
        )
        .select([*list(MEMBERS_SCHEMA), "valid_from", "valid_to"])
    )


def member_fixes(fixes: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """The fixes of fleet members taken while they were members.

    Parameters
    ----------
    fixes
        Fixes with ``mmsi`` and ``ts``.
    membership
        A frame as :meth:`Fleet.membership` returns.

    Returns
    -------
    polars.DataFrame
        The rows of ``fixes`` (same columns, same order) whose vessel was a
        member at the fix's time; a vessel with no time limit keeps all its fixes.
    """
    periods = membership.select(
        pl.col("mmsi").cast(pl.UInt32).alias("_m"), "valid_from", "valid_to"
    ).unique()
    unbounded = periods.filter(pl.col("valid_from").is_null() & pl.col("valid_to").is_null())
    keyed = fixes.with_row_index("_row").with_columns(pl.col("mmsi").cast(pl.UInt32).alias("_m"))
    whole = keyed.filter(pl.col("_m").is_in(unbounded["_m"].implode()))
    limited = periods.filter(~pl.col("_m").is_in(unbounded["_m"].implode()))
    parts = [whole]
    if limited.height:
        ts = pl.col("ts").cast(pl.Datetime("ms", "UTC"))
        inside = keyed.join(limited, on="_m", how="inner").filter(
            (pl.col("valid_from").is_null() | (ts >= pl.col("valid_from")))
            & (pl.col("valid_to").is_null() | (ts < pl.col("valid_to")))
        )
        parts.append(inside.drop("valid_from", "valid_to"))
    out = pl.concat(parts, how="vertical").unique("_row").sort("_row")
    return out.drop("_row", "_m")


def membership_text(rows: pl.DataFrame) -> str:
    """The rule that made a vessel a member, with its period when limited (for reports).

    Examples
    --------
    >>> import datetime as dt
    >>> rows = pl.DataFrame({"matched_by": ["name pattern HAIJING (name 'HAI JING 1', flag CN)"],
    ...     "valid_from": [dt.datetime(2024, 3, 3, tzinfo=dt.UTC)], "valid_to": [None]})
    >>> membership_text(rows)
    "name pattern HAIJING (name 'HAI JING 1', flag CN), from 2024-03-03T00:00:00Z"
    """
    parts = []
    for row in rows.iter_rows(named=True):
        text = str(row["matched_by"])
        start, end = row.get("valid_from"), row.get("valid_to")
        if start is not None:
            text += f", from {start.strftime('%Y-%m-%dT%H:%M:%SZ')}"
        if end is not None:
            text += f", until {end.strftime('%Y-%m-%dT%H:%M:%SZ')}"
        parts.append(text)
    return "; ".join(parts)
