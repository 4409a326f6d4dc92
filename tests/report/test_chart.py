import dataclasses
import datetime as dt
import struct
import subprocess
import sys
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from PIL import Image
from report_fixtures import empty_report

from zonewatch.report.chart import chart_caption, write_monthly_chart
from zonewatch.report.model import Counts, MonthCounts, Report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_is_valid_sized_and_drawn(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "monthly.png"
    write_monthly_chart(report, path)
    data = path.read_bytes()
    assert png_size(data) == (1000, 760)
    assert 20_000 < len(data) < 400_000
    pixels = np.asarray(Image.open(path).convert("RGB")).reshape(-1, 3).astype(int)
    # the CZ bars (blue) and the TS bars (red) are both on the image
    blue = np.all(np.abs(pixels - [0x4C, 0x78, 0xA8]) < 8, axis=1).sum()
    red = np.all(np.abs(pixels - [0xB2, 0x22, 0x22]) < 8, axis=1).sum()
    assert blue > 5_000
    assert red > 5_000
    assert b"Software" not in data
    assert b"Matplotlib" not in data


def test_same_report_same_bytes(report: Report, tmp_path: Path) -> None:
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    write_monthly_chart(report, first)
    # a user's style settings do not leak into the chart
    with mpl.rc_context({"axes.facecolor": "black", "font.size": 20, "lines.linewidth": 9}):
        write_monthly_chart(report, second)
    assert first.read_bytes() == second.read_bytes()


def test_taller_bars_for_busier_months(report: Report, tmp_path: Path) -> None:
    busier = dataclasses.replace(
        report,
        months=(
            MonthCounts("2024-01", Counts(3, 5, 1, 1, 1)),
            MonthCounts("2024-02", Counts(20, 40, 4, 6, 5)),
        ),
    )
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    write_monthly_chart(report, a)
    write_monthly_chart(busier, b)
    assert a.read_bytes() != b.read_bytes()


@pytest.mark.parametrize("n_months", [0, 1, 36])
def test_any_number_of_months(n_months: int, tmp_path: Path) -> None:
    months = tuple(
        MonthCounts(f"{2022 + i // 12}-{i % 12 + 1:02d}", Counts(20 + i % 9, 50 + i, 2, 3, i % 4))
        for i in range(n_months)
    )
    report = dataclasses.replace(
        empty_report(),
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2024, 12, 31),
        months=months,
    )
    path = tmp_path / "monthly.png"
    write_monthly_chart(report, path)
    assert png_size(path.read_bytes()) == (1000, 760)


def test_caption_states_the_counting_rules(report: Report) -> None:
    caption = chart_caption(report)
    for expected in (
        "calendar days in Asia/Tokyo",
        "within 12 nm",
        "within 24 nm",
        "less than 1 h apart merged",
        "more than 50 kn dropped",
        "gaps over 6 h",
        "Fleet: china-government",
    ):
        assert expected in caption


def test_importing_the_package_does_not_load_matplotlib() -> None:
    code = (
        "import sys, zonewatch.report; "
        "heavy = [m for m in ('matplotlib', 'polars', 'shapely') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
