"""The report as Rich tables, for people at a terminal (``zonewatch report --format table``).

The layout follows the Japan Coast Guard's monthly summaries: counts per month
with a total, then the intrusion incidents, the record stay and run, the fleet
vessels with the rule that made each a member, and the accounting of the input
lines. Tables fit in 100 columns and contain no colour-only information, so the
output reads the same when redirected to a file.
"""

from __future__ import annotations

import datetime as dt

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from zonewatch.report.model import COUNT_KEYS, Counts, Incident, Report

__all__ = ["COUNT_LABELS", "render_table"]

COUNT_LABELS: dict[str, str] = {
    "contiguous_zone_days": "CZ days",
    "contiguous_zone_vessel_days": "CZ vessel-days",
    "territorial_sea_days": "TS days",
    "territorial_sea_vessel_days": "TS vessel-days",
    "territorial_sea_intrusions": "TS intrusions",
}
"""Short column headers of the five counts (CZ: contiguous zone, TS: territorial sea)."""

_TIME = "%Y-%m-%d %H:%M"

_RULED = box.Box(
    "    \n"  # top
    "    \n"  # header cells
    " ── \n"  # under the header
    "    \n"  # body cells
    " ── \n"  # between sections (above the total row)
    " ── \n"  # above a footer
    "    \n"  # footer cells
    "    \n",  # bottom
)
"""Horizontal rules only: under the header and above the total, no vertical lines."""


def _table(title: str) -> Table:
    """A table in the house layout: title on the left, light rules, no outer frame."""
    return Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=_RULED,
        pad_edge=False,
        show_edge=False,
        collapse_padding=True,
    )


def _count_cells(counts: Counts) -> list[str]:
    return [f"{int(getattr(counts, key)):,}" for key in COUNT_KEYS]


def _header(report: Report) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    days = (report.period_end - report.period_start).days + 1
    grid.add_row("Zone set", report.zone_set)
    grid.add_row("Time zone", report.timezone)
    grid.add_row("Fleet", report.fleet)
    grid.add_row(
        "Period",
        f"{report.period_start.isoformat()} to {report.period_end.isoformat()} ({days:,} days)",
    )
    boundary = report.parameters.get("day_boundary", f"local midnight ({report.timezone})")
    grid.add_row(
        "Days",
        f"calendar days from {boundary}; a vessel in the territorial sea is also "
        "counted in the contiguous zone",
    )
    return Group(Text("zonewatch report", style="bold"), grid)


def _months(report: Report) -> Table:
    table = _table("Monthly counts")
    table.add_column("Month", no_wrap=True)
    for key in COUNT_KEYS:
        table.add_column(COUNT_LABELS[key], justify="right", no_wrap=True)
    for i, month in enumerate(report.months):
        table.add_row(
            month.month, *_count_cells(month.counts), end_section=i == len(report.months) - 1
        )
    table.add_row("Total", *_count_cells(report.totals), style="bold")
    return table


def _zones(report: Report) -> RenderableType | None:
    """Per-zone counts (areas of the zone set, polygon zones, lines), when there are any."""
    if not report.zones:
        return None
    table = _table("Per zone")
    for name in ("Area", "Zone", "Days", "Vessel-days", "Entries", "Vessels", "Crossings"):
        right = name in ("Days", "Vessel-days", "Entries", "Vessels")
        table.add_column(name, justify="right" if right else "left", overflow="fold")
    for zone in report.zones:
        label = zone.kind if zone.distance_nm is None else f"{zone.kind} ({zone.distance_nm:g} nm)"
        crossings = ", ".join(f"{k} {v:,}" for k, v in sorted(zone.crossings.items()))
        table.add_row(
            zone.area,
            label,
            f"{zone.days:,}",
            f"{zone.vessel_days:,}",
            f"{zone.entries:,}",
            f"{len(zone.vessels):,}",
            crossings,
        )
    return table


def _local(ts: dt.datetime) -> str:
    return ts.strftime(_TIME)


def _incidents(report: Report) -> RenderableType:
    if not report.incidents:
        return Text("No territorial-sea intrusion incidents in the period.")
    table = _table(
        f"Territorial-sea intrusion incidents ({len(report.incidents):,}; "
        f"times in {report.timezone})"
    )
    table.add_column("Id", no_wrap=True)
    table.add_column("Start", no_wrap=True)
    table.add_column("End", no_wrap=True)
    table.add_column("Hours", justify="right", no_wrap=True)
    table.add_column("Vessels", min_width=9, overflow="fold")
    table.add_column("Closest nm", justify="right", min_width=7)
    table.add_column("Fishing boat near", min_width=7)
    for inc in report.incidents:
        table.add_row(
            inc.id,
            _local(inc.start),
            _local(inc.end),
            f"{inc.duration_h:.1f}",
            " ".join(str(m) for m in inc.vessels),
            f"{inc.min_distance_nm:.2f}",
            "yes" if inc.fishing_vessel_nearby else "no",
        )
    return table


def _stay_line(stay: Incident | None) -> str:
    if stay is None:
        return "none"
    return (
        f"{stay.duration_h:.1f} h, {_local(stay.start)} to {_local(stay.end)} "
        f"({stay.id}, {len(stay.vessels)} vessel{'s' if len(stay.vessels) != 1 else ''})"
    )


def _records(report: Report) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(
        "Longest stay in the territorial sea", _stay_line(report.longest_territorial_sea_stay)
    )
    run = report.longest_contiguous_zone_run
    if run.days and run.start is not None and run.end is not None:
        run_text = f"{run.days:,} days, {run.start.isoformat()} to {run.end.isoformat()}"
    else:
        run_text = "none"
    grid.add_row("Longest run of consecutive CZ days", run_text)
    return grid


def _vessels(report: Report) -> RenderableType:
    if not report.vessels:
        return Text("No fleet vessels seen in the period.")
    table = _table(f"Fleet vessels seen ({len(report.vessels):,})")
    table.add_column("MMSI", no_wrap=True)
    table.add_column("Name", overflow="fold")
    table.add_column("Callsign", no_wrap=True)
    table.add_column("Flag", no_wrap=True)
    table.add_column("Matched by", overflow="fold", ratio=1)
    for vessel in report.vessels:
        table.add_row(
            str(vessel.mmsi),
            vessel.name or "-",
            vessel.callsign or "-",
            vessel.flag or "-",
            vessel.matched_by,
        )
    return table


def _input(report: Report) -> RenderableType:
    summary = report.input
    balance = summary.decoded + summary.rejected + summary.pending
    check = "" if balance == summary.lines else f"  (does not balance: sum is {balance:,})"
    lines = Text.assemble(
        ("Input ", "bold"),
        f"{summary.lines:,} lines = {summary.decoded:,} decoded + {summary.rejected:,} "
        f"rejected + {summary.pending:,} pending{check}\n",
        f"{summary.files:,} files, {summary.positions:,} positions, "
        f"{summary.statics:,} static reports",
    )
    if not summary.rejected_by_reason:
        return lines
    table = _table("Rejected lines by reason")
    table.add_column("Reason", no_wrap=True)
    table.add_column("Lines", justify="right", no_wrap=True)
    table.add_column("Share", justify="right", no_wrap=True)
    ranked = sorted(summary.rejected_by_reason.items(), key=lambda kv: (-kv[1], kv[0]))
    for reason, count in ranked:
        share = f"{100.0 * count / summary.rejected:.1f}%" if summary.rejected else "-"
        table.add_row(reason, f"{count:,}", share)
    return Group(lines, Text(""), table)


def render_table(report: Report, console: Console) -> None:
    """Print the report as Rich tables.

    Parameters
    ----------
    report
        The report to show.
    console
        Where to print. The layout fits a width of 100 columns; narrower
        consoles wrap long cells (vessel lists, rules) rather than cut them.

    Examples
    --------
    >>> import io
    >>> from rich.console import Console
    >>> from zonewatch.report.model import ContiguousRun, Counts, InputSummary, MonthCounts
    >>> jan = Counts(contiguous_zone_days=3, contiguous_zone_vessel_days=7)
    >>> r = Report("senkaku", "Asia/Tokyo", "china-government", dt.date(2024, 1, 1),
    ...            dt.date(2024, 1, 31), {}, jan, (MonthCounts("2024-01", jan),), (), (), (),
    ...            InputSummary(), ContiguousRun(0, None, None))
    >>> console = Console(file=io.StringIO(), record=True, width=100)
    >>> render_table(r, console)
    >>> [line.split() for line in console.export_text().splitlines() if line.startswith("20")]
    [['2024-01', '3', '7', '0', '0', '0']]
    """
    per_zone = _zones(report)
    parts: list[RenderableType] = [
        _header(report),
        _months(report),
        *([per_zone] if per_zone is not None else []),
        _incidents(report),
        _records(report),
        _vessels(report),
        _input(report),
    ]
    if report.notes:
        notes = Table.grid(padding=(0, 1))
        notes.add_column(no_wrap=True)
        notes.add_column(overflow="fold")
        for note in report.notes:
            notes.add_row("-", note)
        parts.append(Group(Text("Notes", style="bold"), notes))
    if report.run is not None:
        run = report.run
        parts.append(
            Text(
                f"Computed by the {run.engine} engine ({run.workers} worker"
                f"{'s' if run.workers != 1 else ''}, {run.buckets} MMSI bucket"
                f"{'s' if run.buckets != 1 else ''}) in {run.seconds:.1f} s: "
                f"{run.tiles - run.tiles_reused} of {run.tiles} tiles computed, "
                f"{run.tiles_reused} reused from the cache; {run.positions:,} positions read.",
                style="dim",
            )
        )
    for i, part in enumerate(parts):
        if i:
            console.print()
        console.print(part)
