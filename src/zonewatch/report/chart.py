"""The monthly chart of a report, in the manner of the Japan Coast Guard's charts.

Two panels share the month axis: above, bars of vessel-days in the contiguous
zone with the number of days as a line on a second axis; below, bars of
territorial-sea intrusion incidents. A caption states the counting rules that
produced the numbers. Matplotlib is imported only when a chart is drawn, and
only its object API is used (no pyplot, no global figure state).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zonewatch.report.model import Report

__all__ = ["chart_caption", "write_monthly_chart"]

_CZ_BAR = "#4c78a8"
_CZ_LINE = "#e45756"
_TS_BAR = "#b22222"
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _num(value: Any) -> str:
    """A parameter value without a useless ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def chart_caption(report: Report) -> str:
    """Return the sentence of counting rules printed under the chart.

    Parameters
    ----------
    report
        The report; its ``parameters`` supply the numbers (missing ones are left out).

    Returns
    -------
    str
        One paragraph, unwrapped.

    Examples
    --------
    >>> import datetime as dt
    >>> from zonewatch.report.model import ContiguousRun, Counts, InputSummary
    >>> r = Report("senkaku", "Asia/Tokyo", "china-government", dt.date(2024, 1, 1),
    ...            dt.date(2024, 1, 31), {"territorial_sea_nm": 12.0, "merge_gap_h": 1.0},
    ...            Counts(), (), (), (), (), InputSummary(), ContiguousRun(0, None, None))
    >>> chart_caption(r)[:60]
    'Days are calendar days in Asia/Tokyo. Territorial sea (TS): '
    """
    p: Mapping[str, Any] = report.parameters
    parts = [f"Days are calendar days in {report.timezone}."]
    if "territorial_sea_nm" in p:
        parts.append(
            f"Territorial sea (TS): within {_num(p['territorial_sea_nm'])} nm of the baseline."
        )
    if "contiguous_zone_nm" in p:
        parts.append(
            f"Contiguous zone (CZ): within {_num(p['contiguous_zone_nm'])} nm, TS included."
        )
    incident = "An intrusion incident is a stay of fleet vessels in the TS"
    if "merge_gap_h" in p:
        incident += f", stays less than {_num(p['merge_gap_h'])} h apart merged"
    parts.append(incident + "; it counts in the month it starts.")
    track = []
    if "max_speed_kn" in p:
        track.append(f"fixes implying more than {_num(p['max_speed_kn'])} kn dropped")
    if "max_gap_h" in p:
        track.append(f"tracks split at gaps over {_num(p['max_gap_h'])} h")
    track.append("straight lines between fixes")
    parts.append("Tracks: " + ", ".join(track) + ".")
    parts.append(f"Fleet: {report.fleet}. Source: AIS, counted by zonewatch.")
    return " ".join(parts)


def _month_labels(months: list[str]) -> list[str]:
    """``Jan`` ... with the year under the first month and under each January."""
    labels = []
    for i, month in enumerate(months):
        year, mm = month.split("-")
        abbr = _MONTH_ABBR[int(mm) - 1]
        labels.append(f"{abbr}\n{year}" if i == 0 or mm == "01" else abbr)
    return labels


def write_monthly_chart(report: Report, path: Path) -> None:
    """Draw the monthly chart of a report into a PNG file.

    Parameters
    ----------
    report
        The report to chart (its ``months``, ``totals`` and ``parameters``).
    path
        The PNG file to create (replaced if it exists).

    Notes
    -----
    The image is 1000 x 760 pixels. Drawing uses Matplotlib's Agg canvas with
    its default style (a user's ``matplotlibrc`` does not change the chart),
    and the PNG carries no software or date metadata, so the same report gives
    the same bytes.
    """
    from matplotlib import style
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    months = [m.month for m in report.months]
    x = list(range(len(months)))
    cz_vessel_days = [m.counts.contiguous_zone_vessel_days for m in report.months]
    cz_days = [m.counts.contiguous_zone_days for m in report.months]
    intrusions = [m.counts.territorial_sea_intrusions for m in report.months]
    labelled = len(months) <= 24
    totals = report.totals

    with style.context("default"):
        fig = Figure(figsize=(10.0, 7.6), dpi=100)
        FigureCanvasAgg(fig)
        grid = fig.add_gridspec(
            2, 1, height_ratios=(3.3, 2), hspace=0.12, left=0.08, right=0.92, top=0.86, bottom=0.17
        )
        top = fig.add_subplot(grid[0])
        bottom = fig.add_subplot(grid[1], sharex=top)

        # The top panel holds two bands: vessel-day bars below, the line of days above,
        # so that the line never crosses a bar or its label.
        vd_max = max([*cz_vessel_days, 1])
        vd_ticks = [t for t in MaxNLocator(nbins=5, integer=True).tick_values(0, vd_max) if t >= 0]
        vd_top = max(vd_ticks[-1], vd_max)
        bars = top.bar(x, cz_vessel_days, color=_CZ_BAR, width=0.7, zorder=2)
        if labelled:
            top.bar_label(bars, fontsize=7, padding=2, color="#333333")
        top.set_ylim(0, vd_top / 0.52)
        top.set_yticks([t for t in vd_ticks if t <= vd_top])
        top.spines["left"].set_bounds(0, vd_top)
        top.spines["top"].set_visible(False)
        top.set_ylabel("Vessel-days (bars)", loc="bottom", color=_CZ_BAR)
        for tick in top.get_yticks():
            top.axhline(tick, color="#e3e3e3", linewidth=0.8, zorder=0)
        top.tick_params(axis="x", labelbottom=False)
        days_axis = top.twinx()
        days_axis.plot(x, cz_days, color=_CZ_LINE, marker="o", markersize=4, linewidth=1.5)
        if labelled:
            for xi, value in zip(x, cz_days, strict=True):
                days_axis.annotate(
                    str(value),
                    (xi, value),
                    xytext=(0, 5),
                    textcoords="offset points",
                    ha="center",
                    fontsize=7,
                    color=_CZ_LINE,
                )
        # 0 days at 62 % of the panel height, 31 days at 94 %
        span = 31 / 0.32
        days_axis.set_ylim(-0.62 * span, 0.38 * span)
        days_axis.set_yticks([0, 10, 20, 31])
        days_axis.spines["right"].set_bounds(0, 31)
        days_axis.spines["right"].set_color(_CZ_LINE)
        days_axis.spines["top"].set_visible(False)
        days_axis.set_ylabel("Days (line)", color=_CZ_LINE, loc="top")
        days_axis.tick_params(axis="y", colors=_CZ_LINE)
        top.set_title(
            f"Contiguous zone: {totals.contiguous_zone_days:,} days, "
            f"{totals.contiguous_zone_vessel_days:,} vessel-days",
            fontsize=10,
            loc="left",
        )

        ts_bars = bottom.bar(x, intrusions, color=_TS_BAR, width=0.7, zorder=2)
        if labelled:
            bottom.bar_label(
                ts_bars, labels=[str(v) if v else "" for v in intrusions], fontsize=7, padding=2
            )
        bottom.set_ylabel("Intrusion incidents")
        bottom.yaxis.set_major_locator(MaxNLocator(integer=True))
        bottom.set_ylim(0, max([*intrusions, 1]) * 1.25)
        bottom.grid(axis="y", color="#e3e3e3", linewidth=0.8, zorder=0)
        bottom.spines["top"].set_visible(False)
        bottom.set_title(
            f"Territorial sea: {totals.territorial_sea_intrusions:,} intrusion incidents, "
            f"{totals.territorial_sea_days:,} days, "
            f"{totals.territorial_sea_vessel_days:,} vessel-days",
            fontsize=10,
            loc="left",
        )
        bottom.set_xlabel(f"Month (local time, {report.timezone})")
        if months:
            step = 1 if len(months) <= 24 else 3
            bottom.set_xticks(x[::step], _month_labels(months)[::step], fontsize=8)
            pad = max(0.0, (6 - len(months)) / 2)  # a few months: keep bars slim, centred
            bottom.set_xlim(-0.6 - pad, len(months) - 0.4 + pad)
        else:
            bottom.set_xticks([])
            top.text(0.5, 0.5, "no months in the period", transform=top.transAxes, ha="center")

        fig.suptitle(
            f"{report.zone_set}: {report.fleet} vessels, "
            f"{report.period_start.isoformat()} to {report.period_end.isoformat()}",
            fontsize=13,
            fontweight="bold",
            y=0.965,
        )
        fig.text(
            0.08,
            0.015,
            textwrap.fill(chart_caption(report), width=150),
            fontsize=7.5,
            color="#444444",
            va="bottom",
            ha="left",
        )
        fig.savefig(path, format="png", dpi=100, metadata={"Software": None})
