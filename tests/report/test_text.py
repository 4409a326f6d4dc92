import io
import re

import pytest
from report_fixtures import CCG_A, CCG_B, empty_report
from rich.console import Console

from zonewatch.report.model import Report
from zonewatch.report.text import render_table


def rendered(report: Report, width: int = 100) -> str:
    console = Console(record=True, width=width, file=io.StringIO())
    render_table(report, console)
    return console.export_text()


def row_cells(text: str, first: str) -> list[str]:
    """The cells of the table row starting with ``first``."""
    line = next(line for line in text.splitlines() if line.startswith(first))
    return line.split()


def test_month_rows_and_bold_total(report: Report) -> None:
    text = rendered(report)
    assert row_cells(text, "2024-01") == ["2024-01", "3", "5", "1", "1", "1"]
    assert row_cells(text, "2024-02") == ["2024-02", "1", "1", "1", "1", "1"]
    assert row_cells(text, "Total") == ["Total", "4", "6", "2", "2", "2"]
    for header in ("CZ days", "CZ vessel-days", "TS days", "TS vessel-days", "TS intrusions"):
        assert header in text


def test_header_incidents_records_vessels_and_input(report: Report) -> None:
    text = rendered(report)
    for expected in (
        "senkaku",
        "Asia/Tokyo",
        "china-government",
        "2024-01-01 to 2024-02-29 (60 days)",
        "local midnight (Asia/Tokyo)",
        "TS-20240106-0930-a1b2c3",
        "2024-02-10 23:00",
        "2024-02-11 01:45",
        "10.25",
        "7.50",
        "2.8 h, 2024-02-10 23:00 to 2024-02-11 01:45",
        "2 days, 2024-01-05 to 2024-01-06",
        "CHINA COAST GUARD 2502",
        "海警2302",
        "name pattern CHINACOASTGUARD",
        "1,000 lines = 950 decoded + 40 rejected + 10 pending",
        "2 files, 900 positions, 50 static reports",
    ):
        assert expected in text, expected
    assert row_cells(text, "checksum") == ["checksum", "30", "75.0%"]
    incident = row_cells(text, "TS-20240210-2300-d4e5f6")
    assert incident[-1] == "yes"
    assert str(CCG_A) in incident
    assert str(CCG_B) in text


@pytest.mark.parametrize("width", [80, 100, 120])
def test_fits_the_console_width(report: Report, width: int) -> None:
    text = rendered(report, width)
    assert max(len(line.rstrip()) for line in text.splitlines()) <= width
    if width >= 100:  # nothing is cut at 100 columns: every incident id and time whole
        assert "TS-20240210-2300-d4e5f6  2024-02-10 23:00  2024-02-11 01:45" in text


def test_no_escape_codes_when_not_a_terminal(report: Report) -> None:
    out = io.StringIO()
    render_table(report, Console(file=out, width=100))
    text = out.getvalue()
    assert "\x1b[" not in text
    assert re.search(r"^Total +4 +6 +2 +2 +2$", text, re.MULTILINE)


def test_empty_report_says_so() -> None:
    text = rendered(empty_report())
    assert "No territorial-sea intrusion incidents in the period." in text
    assert "No fleet vessels seen in the period." in text
    assert "Longest run of consecutive CZ days   none" in text
    assert row_cells(text, "Total") == ["Total", "0", "0", "0", "0", "0"]


def test_unbalanced_input_accounting_is_flagged(report: Report) -> None:
    from dataclasses import replace

    bad = replace(report, input=replace(report.input, lines=1001))
    assert "does not balance: sum is 1,000" in rendered(bad)
