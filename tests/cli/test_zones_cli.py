"""``zonewatch zones`` and ``zonewatch report --zones`` on other zone sets, with per-zone counts."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pyproj import Geod

from zonewatch.cli import main
from zonewatch.zones import load_zone_set, parse_zone_set

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import itertools

from nmea_builder import position, static

GEOD = Geod(ellps="WGS84")
NM = 1852.0
MANILA = ZoneInfo("Asia/Manila")
CCG = 413555001
CCG2 = 413555002
FISHER = 412000456


def manila(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=MANILA).astimezone(dt.UTC)


def track(
    mmsi: int, waypoints: list[tuple[dt.datetime, float, float]], step_min: int = 10
) -> list[tuple[dt.datetime, str]]:
    """Fixes every ``step_min`` along straight lines (in lon/lat) between timed waypoints."""
    out = []
    for (t0, lon0, lat0), (t1, lon1, lat1) in itertools.pairwise(waypoints):
        t = t0
        while t < t1:
            f = (t - t0) / (t1 - t0)
            out.append((t, position(mmsi, t, lon0 + f * (lon1 - lon0), lat0 + f * (lat1 - lat0))))
            t += dt.timedelta(minutes=step_min)
    t, lon, lat = waypoints[-1]
    out.append((t, position(mmsi, t, lon, lat)))
    return out


def write(path: Path, timed: list[tuple[dt.datetime, str]], head: list[str]) -> Path:
    lines = head + [line for _, line in sorted(timed, key=lambda item: item[0])]
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def report(
    path: Path, zones: str, capsys: pytest.CaptureFixture[str], *extra: str
) -> dict[str, Any]:
    capsys.readouterr()
    code = main(["report", str(path), "--zones", zones, "--format", "json", *extra])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    result: dict[str, Any] = json.loads(captured.out)
    return result


def by_area(report_json: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(z["area"], z["kind"]): z for z in report_json["zones"]}


@pytest.fixture(scope="module")
def scs_capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CCG ship entering Scarborough Shoal's 12 nm zone; another 20 nm off Second Thomas."""
    zs = load_zone_set("south-china-sea")
    # a point 8 nm east of Scarborough Shoal's reef, and 40 nm east of it
    east = max(
        zs.area_features("Scarborough Shoal")[0].geometry.exterior.coords, key=lambda c: c[0]
    )
    near = GEOD.fwd(east[0], east[1], 90.0, 8 * NM)[:2]
    far = GEOD.fwd(east[0], east[1], 90.0, 40 * NM)[:2]
    assert 7.9 < float(zs.area_distance_nm("Scarborough Shoal", *near)) < 8.1
    t = manila(2024, 6, 10, 6)
    timed = track(
        CCG,
        [
            (t, *far),
            (t + dt.timedelta(hours=5), *near),
            (t + dt.timedelta(hours=9), *near),
            (t + dt.timedelta(hours=14), *far),
        ],
    )
    # 20 nm west of Second Thomas Shoal (and more than 24 nm from Sabina Shoal)
    west = min(zs.area_features("Second Thomas Shoal")[0].geometry.exterior.coords)
    off = GEOD.fwd(west[0], west[1], 270.0, 20 * NM)[:2]
    timed += track(CCG2, [(t, *off), (t + dt.timedelta(hours=6), *off)])
    head = static(CCG, t - dt.timedelta(hours=1), "CHINA COAST GUARD 3305", "BCG3305", 55)
    head += static(CCG2, t - dt.timedelta(hours=1), "HAI JING 5901", "", 55, seq=2)
    head += static(FISHER, t - dt.timedelta(hours=1), "MIN SHI YU 1", "", 30, seq=3)
    return write(tmp_path_factory.mktemp("scs") / "scs.nmea", timed, head)


def test_report_south_china_sea_with_per_zone_counts(
    scs_capture: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = report(
        scs_capture, "south-china-sea", capsys, "--from", "2024-06-09", "--to", "2024-06-11"
    )
    assert out["zone_set"] == "south-china-sea"
    assert out["timezone"] == "Asia/Manila"
    assert out["totals"] == {
        "contiguous_zone_days": 1,
        "contiguous_zone_vessel_days": 2,
        "territorial_sea_days": 1,
        "territorial_sea_vessel_days": 1,
        "territorial_sea_intrusions": 1,
    }
    zones = by_area(out)
    assert len(zones) == 12  # six areas, two zones each
    ts = zones[("Scarborough Shoal", "territorial_sea")]
    assert (ts["days"], ts["vessel_days"], ts["entries"], ts["vessels"]) == (1, 1, 1, [CCG])
    assert ts["source"] == "baseline"
    assert ts["distance_nm"] == 12.0
    cz = zones[("Scarborough Shoal", "contiguous_zone")]
    assert (cz["days"], cz["entries"], cz["vessels"]) == (1, 1, [CCG])
    thomas = zones[("Second Thomas Shoal", "contiguous_zone")]
    assert (thomas["days"], thomas["entries"], thomas["vessels"]) == (1, 0, [CCG2])
    assert zones[("Second Thomas Shoal", "territorial_sea")]["days"] == 0
    assert zones[("Sabina Shoal", "contiguous_zone")]["days"] == 0
    assert zones[("Vanguard Bank", "territorial_sea")]["vessels"] == []
    assert [v["mmsi"] for v in out["vessels"]] == [CCG, CCG2]


def polygon_zone_set() -> dict[str, Any]:
    """Zones given directly as polygons (no baseline), an MPA and a line, near 5 N 100 E."""

    def square(lon: float, lat: float, half: float) -> list[list[list[float]]]:
        return [
            [
                [lon - half, lat - half],
                [lon + half, lat - half],
                [lon + half, lat + half],
                [lon - half, lat + half],
                [lon - half, lat - half],
            ]
        ]

    def feature(name: str, kind: str, geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
        return {
            "type": "Feature",
            "properties": {"name": name, "kind": kind, **props},
            "geometry": geometry,
        }

    return {
        "type": "FeatureCollection",
        "properties": {"name": "my-sea", "timezone": "Asia/Manila", "title": "My Sea"},
        "features": [
            feature(
                "Inner", "territorial_sea", {"type": "Polygon", "coordinates": square(100, 5, 0.2)}
            ),
            feature(
                "Outer", "contiguous_zone", {"type": "Polygon", "coordinates": square(100, 5, 0.4)}
            ),
            feature(
                "Reserve",
                "marine_protected_area",
                {"type": "Polygon", "coordinates": square(100.6, 5, 0.05)},
            ),
            feature(
                "Divide",
                "median_line",
                {"type": "LineString", "coordinates": [[100.8, 4.0], [100.8, 6.0]]},
                left="west",
                right="east",
            ),
        ],
    }


def test_report_on_a_users_geojson_with_polygon_zones_and_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zones_path = tmp_path / "my.geojson"
    zones_path.write_text(json.dumps(polygon_zone_set()), encoding="utf-8")
    t = manila(2024, 6, 10, 6)
    # from the east, across the line, through the reserve, into the inner zone, out again
    timed = track(
        CCG,
        [
            (t, 101.2, 5.0),
            (t + dt.timedelta(hours=12), 99.9, 5.0),
            (t + dt.timedelta(hours=24), 101.2, 5.01),
        ],
    )
    head = static(CCG, t - dt.timedelta(hours=1), "CHINA COAST GUARD 3305", "BCG3305", 55)
    capture = write(tmp_path / "my.nmea", timed, head)
    out = report(capture, str(zones_path), capsys, "--from", "2024-06-10", "--to", "2024-06-11")
    assert out["zone_set"] == "my-sea"
    totals = out["totals"]
    assert totals["territorial_sea_intrusions"] == 1
    # in the zones from about 13:20 to 22:40 local time on 10 June
    assert (totals["contiguous_zone_days"], totals["territorial_sea_days"]) == (1, 1)
    zones = by_area(out)
    reserve = zones[("Reserve", "marine_protected_area")]
    assert (reserve["source"], reserve["entries"], reserve["vessels"]) == ("polygon", 2, [CCG])
    divide = zones[("Divide", "median_line")]
    assert divide["crossings"] == {"to_west": 1, "to_east": 1}
    assert divide["entries"] == 2
    inner = zones[("Inner", "territorial_sea")]
    assert inner["entries"] == 1
    assert inner["vessels"] == [CCG]


def test_report_on_a_line_only_zone_set_counts_crossings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t = manila(2024, 6, 10, 6)
    timed = track(CCG, [(t, 119.6, 24.8), (t + dt.timedelta(hours=3), 120.2, 24.8)])
    head = static(CCG, t - dt.timedelta(hours=1), "CHINA COAST GUARD 3305", "BCG3305", 55)
    capture = write(tmp_path / "strait.nmea", timed, head)
    out = report(capture, "taiwan-strait", capsys, "--from", "2024-06-10", "--to", "2024-06-10")
    assert out["totals"]["contiguous_zone_days"] == 0
    assert any("no contiguous_zone or territorial_sea zone" in n for n in out["notes"])
    (line,) = out["zones"]
    assert line["crossings"] == {"to_east": 1, "to_west": 0}
    assert (line["days"], line["vessels"]) == (1, [CCG])


def test_zones_list_show_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["zones", "list"]) == 0
    listed = capsys.readouterr().out
    for name in ("senkaku", "south-china-sea", "taiwan-strait"):
        assert name in listed
    assert main(["zones", "show", "south-china-sea", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["timezone"] == "Asia/Manila"
    assert "Luconia Shoals" in shown["areas"]
    assert main(["zones", "show", "taiwan-strait"]) == 0
    assert "sides east / west" in capsys.readouterr().out
    assert main(["zones", "export", "senkaku", "--format", "geojson"]) == 0
    exported = capsys.readouterr().out
    assert parse_zone_set(exported) == load_zone_set("senkaku")
    path = tmp_path / "copy.geojson"
    path.write_text(exported, encoding="utf-8")
    assert main(["zones", "show", str(path)]) == 0
    assert "Uotsuri-shima" in capsys.readouterr().out


def test_zones_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["zones", "show", "atlantis"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("zonewatch: error: unknown zone set 'atlantis'")
    assert err.count("\n") == 1
    assert main(["zones", "export", "senkaku", "--format", "kml"]) == 1
