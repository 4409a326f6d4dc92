import dataclasses
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from report_fixtures import (
    CCG_A,
    CCG_B,
    CCG_C,
    StandInZoneSet,
    empty_report,
    year_of_patrols,
)

from zonewatch.errors import ParameterError
from zonewatch.report.html_map import simplify_track, write_map
from zonewatch.report.model import Report, VesselInfo

HERE = Path(__file__).parent
NODE = shutil.which("node")
DATA_RE = re.compile(r'<script type="application/json" id="zw-data">(.*?)</script>', re.S)
SCRIPT_RE = re.compile(r"<script>\n(.*?)\n</script>", re.S)


def page(report: Report, zone_set: StandInZoneSet, tracks: pl.DataFrame, tmp_path: Path) -> str:
    path = tmp_path / "map.html"
    write_map(report, zone_set, tracks, path)
    return path.read_text(encoding="utf-8")


def embedded(html: str) -> dict:
    match = DATA_RE.search(html)
    assert match is not None
    return json.loads(match.group(1))


def test_page_loads_nothing_from_the_network(
    report: Report, zone_set: StandInZoneSet, tracks: pl.DataFrame, tmp_path: Path
) -> None:
    html = page(report, zone_set, tracks, tmp_path)
    assert html.startswith("<!DOCTYPE html>")
    assert "http://" not in html
    assert "https://" not in html
    assert "//cdn" not in html
    assert not re.search(r"\b(src|href|srcset|action)\s*=", html, re.I)
    assert "@import" not in html
    assert "url(" not in html
    assert "fetch(" not in html
    assert "XMLHttpRequest" not in html
    assert "import(" not in html
    assert "default-src 'none'" in html  # and the browser is told to refuse any request
    assert html.count("<script") == 2  # the data and the inline program, nothing else


def test_embedded_data_has_vessels_incidents_and_attribution(
    report: Report, zone_set: StandInZoneSet, tracks: pl.DataFrame, tmp_path: Path
) -> None:
    html = page(report, zone_set, tracks, tmp_path)
    data = embedded(html)
    assert "© OpenStreetMap contributors, ODbL" in html
    assert data["attribution"] == "© OpenStreetMap contributors, ODbL"
    assert [v["mmsi"] for v in data["vessels"]] == [CCG_A, CCG_B, CCG_C]
    assert next(v["matched_by"] for v in data["vessels"]) == "name pattern CHINACOASTGUARD"
    assert len(data["incidents"]) == 2
    second = data["incidents"][1]
    assert second["id"] == "TS-20240210-2300-d4e5f6"
    assert second["vessels"] == [CCG_A, CCG_B]
    assert (second["lon"], second["lat"], second["min_distance_nm"]) == (123.4, 25.79, 7.5)
    assert second["start"] == "2024-02-10T23:00+09:00"
    assert {z["kind"] for z in data["zones"]} == {"territorial_sea", "contiguous_zone"}
    assert next(z["label"] for z in data["zones"]) == "Contiguous zone (24 nm)"
    assert next(f["name"] for f in data["features"]) == "Uotsuri-shima"
    assert all(len(ring) >= 8 for f in data["features"] for p in f["polygons"] for ring in p)
    assert 25.7 < data["lat0"] < 25.9
    assert 123.9 < data["lon0"] < 124.1


def test_tracks_are_clipped_to_the_period_and_split_at_segments(
    report: Report, zone_set: StandInZoneSet, tracks: pl.DataFrame, tmp_path: Path
) -> None:
    data = embedded(page(report, zone_set, tracks, tmp_path))
    a, b, c = data["vessels"]
    assert a["fixes"] == 5  # the fix of 31 December (before the period) is left out
    assert [s["xy"] for s in a["segments"]] == [
        [123.7, 25.9, 123.65, 25.85, 123.61, 25.83],
        [123.8, 26.0, 123.85, 26.02],
    ]
    # minutes after local midnight of 1 January (15:00 UTC on 31 December)
    assert a["segments"][0]["t"] == [5 * 1440 + 540, 5 * 1440 + 570, 5 * 1440 + 600]
    assert b["fixes"] == 3
    assert len(b["segments"]) == 1
    assert c["fixes"] == 0
    assert c["segments"] == []


def test_script_data_cannot_close_its_element(
    report: Report, zone_set: StandInZoneSet, tracks: pl.DataFrame, tmp_path: Path
) -> None:
    name = "</script><script>alert(1)</script><!--"
    hostile = dataclasses.replace(
        report, vessels=(VesselInfo(CCG_A, name, None, "CN", "x</y"), *report.vessels[1:])
    )
    html = page(hostile, zone_set, tracks, tmp_path)
    match = DATA_RE.search(html)
    assert match is not None
    assert "<" not in match.group(1)
    assert embedded(html)["vessels"][0]["name"] == name
    assert html.count("<script") == 2


def test_year_of_ten_vessels_is_small_and_thinned(zone_set: StandInZoneSet, tmp_path: Path) -> None:
    report, tracks = year_of_patrols(n_vessels=10, step_min=5)
    assert tracks.height > 700_000
    html = page(report, zone_set, tracks, tmp_path)
    assert len(html.encode("utf-8")) < 5_000_000
    data = embedded(html)
    assert len(data["vessels"]) == 10
    assert len(data["incidents"]) == 36
    for vessel in data["vessels"]:
        assert vessel["fixes"] > 70_000
        assert 500 < vessel["points"] <= 2000
        assert sum(len(s["t"]) for s in vessel["segments"]) == vessel["points"]
        assert all(len(s["xy"]) == 2 * len(s["t"]) for s in vessel["segments"])
        assert all(s["t"] == sorted(s["t"]) for s in vessel["segments"])


def test_same_input_same_bytes(
    report: Report, zone_set: StandInZoneSet, tracks: pl.DataFrame, tmp_path: Path
) -> None:
    first = page(report, zone_set, tracks, tmp_path)
    assert page(report, zone_set, tracks.reverse(), tmp_path) == first


def test_no_tracks_and_no_incidents(zone_set: StandInZoneSet, tmp_path: Path) -> None:
    empty = pl.DataFrame(
        schema={
            "mmsi": pl.UInt32,
            "ts": pl.Datetime("ms", "UTC"),
            "lon": pl.Float64,
            "lat": pl.Float64,
            "segment": pl.UInt32,
        }
    )
    data = embedded(page(empty_report(), zone_set, empty, tmp_path))
    assert data["vessels"] == []
    assert data["incidents"] == []
    assert len(data["zones"]) == 2


def test_missing_track_column_is_an_error(
    report: Report, zone_set: StandInZoneSet, tracks: pl.DataFrame, tmp_path: Path
) -> None:
    with pytest.raises(ParameterError, match="segment"):
        write_map(report, zone_set, tracks.drop("segment"), tmp_path / "map.html")
    with pytest.raises(ParameterError, match="at least 2"):
        write_map(report, zone_set, tracks, tmp_path / "map.html", max_points_per_vessel=1)


def test_builtin_zone_set_fits(report: Report, tracks: pl.DataFrame, tmp_path: Path) -> None:
    from zonewatch.zones import load_zone_set

    senkaku = load_zone_set("senkaku")
    data = embedded(page(report, senkaku, tracks, tmp_path))
    assert len(data["features"]) == len(senkaku.features) == 8
    assert data["attribution"] == senkaku.attribution
    assert "OpenStreetMap" in data["attribution"]
    assert [z["kind"] for z in data["zones"]] == ["contiguous_zone", "territorial_sea"]


# ---- thinning ------------------------------------------------------------------------------


def test_short_track_is_kept_whole() -> None:
    lon = np.linspace(123.0, 124.0, 50)
    keep = simplify_track(lon, np.full(50, 25.0), np.zeros(50, dtype=np.int64), 50, 25.0)
    assert keep.tolist() == list(range(50))


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 3000),
    n_segments=st.integers(1, 20),
    budget=st.integers(60, 800),
    seed=st.integers(0, 2**16),
)
def test_thinning_meets_the_budget_and_keeps_segment_ends(
    n: int, n_segments: int, budget: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    lon = 123.5 + rng.normal(0, 0.01, n).cumsum()
    lat = 25.7 + rng.normal(0, 0.01, n).cumsum()
    # runs of segment numbers, not necessarily increasing (a number may come back)
    cuts = np.sort(rng.integers(1, n, n_segments - 1)) if n_segments > 1 else np.empty(0, int)
    values = rng.integers(0, 3, n_segments)
    segment = values[np.searchsorted(cuts, np.arange(n), side="right")].astype(np.int64)
    keep = simplify_track(lon, lat, segment, budget, 25.7)
    assert keep.tolist() == sorted(set(keep.tolist()))
    assert 0 <= keep.min()
    assert keep.max() < n
    assert len(keep) <= max(budget, 2 * n_segments)
    starts = np.flatnonzero(np.r_[True, segment[1:] != segment[:-1]])
    ends = np.r_[starts[1:] - 1, n - 1]
    assert set(starts.tolist()) | set(ends.tolist()) <= set(keep.tolist())


# ---- the page's program --------------------------------------------------------------------


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_script_is_valid_javascript(
    report: Report, zone_set: StandInZoneSet, tracks: pl.DataFrame, tmp_path: Path
) -> None:
    match = SCRIPT_RE.search(page(report, zone_set, tracks, tmp_path))
    assert match is not None
    script = tmp_path / "map.js"
    script.write_text(match.group(1), encoding="utf-8")
    assert NODE is not None
    result = subprocess.run([NODE, "--check", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_script_runs_against_a_stand_in_dom(
    report: Report, zone_set: StandInZoneSet, tracks: pl.DataFrame, tmp_path: Path
) -> None:
    # not a browser: a minimal DOM and a canvas that counts calls (tests/report/map_smoke.js)
    path = tmp_path / "map.html"
    write_map(report, zone_set, tracks, path)
    assert NODE is not None
    result = subprocess.run(
        [NODE, str(HERE / "map_smoke.js"), str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["firstDraw"]["fill"] > 0
    assert out["firstDraw"]["stroke"] > 0
    assert out["title"] == "senkaku — china-government"
    assert out["attribution"].startswith("Zone outlines: © OpenStreetMap contributors, ODbL")
    assert out["vesselRows"] == 3
    assert out["incidentRows"] == 2
    assert "TS-20240106-0930-a1b2c3" in out["incidentTooltip"]
    assert "10.25 nm" in out["incidentTooltip"]
    # sweeping the mouse over the map finds a track and tells its vessel and time
    assert out["trackTooltip"].startswith("CHINA COAST GUARD 2502 (413000001)")
    assert "time\u2248 2024-01-0" in out["trackTooltip"]
