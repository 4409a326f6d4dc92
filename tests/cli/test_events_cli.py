"""events, evidence and compare on a short simulated period."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from zonewatch.cli import main
from zonewatch.events.records import EVENT_KINDS
from zonewatch.sim import SimConfig, simulate

EVENT_KEYS = {"id", "kind", "mmsi", "other_mmsi", "zone", "start", "end", "lon", "lat", "detail"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("events_cli")
    sim = simulate(SimConfig(days=20, seed=1), folder / "sim")
    path = folder / "zw.duckdb"
    assert main(["ingest", str(sim.nmea_path), "--db", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def all_events(db: Path) -> dict[str, object]:
    buffer = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(buffer):
        assert main(["events", "--db", str(db)]) == 0
    data: dict[str, object] = json.loads(buffer.getvalue())
    return data


def test_events_json_contract(all_events: dict[str, object]) -> None:
    events = all_events["events"]
    assert isinstance(events, list)
    assert events
    assert all(EVENT_KEYS <= e.keys() for e in events)
    assert {e["kind"] for e in events} <= set(EVENT_KINDS)
    assert {"zone_entry", "zone_exit", "ais_gap", "loitering", "shadowing", "position_jump"} <= {
        e["kind"] for e in events
    }
    assert len({e["id"] for e in events}) == len(events)
    assert all(e["start"].endswith("+09:00") and e["end"].endswith("+09:00") for e in events)
    parameters = all_events["parameters"]
    assert isinstance(parameters, dict)
    assert parameters["encounter"]["preset"] == "gfw"
    assert parameters["ais_gap"]["min_gap_h"] == 6.0
    assert parameters["loitering"]["max_speed_kn"] == 2.0
    assert parameters["shadowing"]["distance_nm"] == 2.0
    gaps = [e for e in events if e["kind"] == "ais_gap"]
    assert all(e["detail"]["duration_h"] >= 6.0 for e in gaps)
    shadows = [e for e in events if e["kind"] == "shadowing"]
    assert all(str(e["other_mmsi"]).startswith("431") for e in shadows)  # JCG ships


def test_events_filters_and_formats(
    db: Path, all_events: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["events", "--db", str(db), "--kind", "loitering", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows
    assert {r["kind"] for r in rows} == {"loitering"}
    assert all(json.loads(r["detail"])["duration_h"] >= 2.0 for r in rows)
    args = ["events", "--db", str(db), "--zone", "territorial_sea", "--format", "geojson"]
    assert main(args) == 0
    geo = json.loads(capsys.readouterr().out)
    assert geo["type"] == "FeatureCollection"
    assert geo["features"]
    assert {f["properties"]["zone"] for f in geo["features"]} == {"territorial_sea:senkaku"}
    assert (
        main(["events", "--db", str(db), "--fleet", "china-government", "--kind", "shadowing"]) == 0
    )
    fleet = json.loads(capsys.readouterr().out)["events"]
    assert fleet
    assert all(str(e["mmsi"])[:3] in {"412", "413", "414"} for e in fleet)
    args = ["events", "--db", str(db), "--kind", "encounter", "--preset", "skylight"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["parameters"]["encounter"]["distance_m"] == 250.0
    assert main(["events", "--db", str(db), "--preset", "nearby"]) == 1
    assert "--preset 'nearby'" in capsys.readouterr().err


def test_evidence_of_a_report_incident(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["report", "--db", str(db), "--format", "json"]) == 0
    incidents = json.loads(capsys.readouterr().out)["incidents"]
    assert incidents
    incident = incidents[0]
    out = tmp_path / "incident"
    assert main(["evidence", incident["id"], "--db", str(db), "--out", str(out)]) == 0
    assert "map.png" in capsys.readouterr().out
    assert (out / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    geo = json.loads((out / "track.geojson").read_text())
    roles = [f["properties"]["role"] for f in geo["features"]]
    assert roles[0] == "event"
    assert {f["properties"]["mmsi"] for f in geo["features"][1:]} == set(incident["vessels"])
    rows = list(csv.DictReader(io.StringIO((out / "positions.csv").read_text())))
    assert rows
    assert {"mmsi", "ts", "lon", "lat", "file_id", "line_no", "status"} <= rows[0].keys()
    assert {int(r["mmsi"]) for r in rows} == set(incident["vessels"])
    summary = (out / "summary.txt").read_text()
    assert incident["id"] in summary
    assert "intrusion_incident" in summary
    assert json.loads((out / "event.json").read_text())["event"]["id"] == incident["id"]


def test_evidence_of_an_event(
    db: Path, all_events: dict[str, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = all_events["events"]
    assert isinstance(events, list)
    shadow = next(e for e in events if e["kind"] == "shadowing")
    out = tmp_path / "shadow"
    assert main(["evidence", shadow["id"], "--db", str(db), "--out", str(out)]) == 0
    record = json.loads((out / "event.json").read_text())["event"]
    assert record == shadow
    rows = list(csv.DictReader(io.StringIO((out / "positions.csv").read_text())))
    assert {int(r["mmsi"]) for r in rows} == {shadow["mmsi"], shadow["other_mmsi"]}
    assert (out / "map.png").stat().st_size > 10_000
    capsys.readouterr()
    assert (
        main(["evidence", "loitering-1-20240101T000000000Z", "--db", str(db), "--out", str(out)])
        == 1
    )
    assert "no event loitering-1-20240101T000000000Z" in capsys.readouterr().err
    assert main(["evidence", "nonsense", "--db", str(db), "--out", str(out)]) == 1


def test_compare_with_an_official_table(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["report", "--db", str(db), "--format", "json"]) == 0
    days = {d["date"]: d for d in json.loads(capsys.readouterr().out)["days"]}
    first, last = min(days), max(days)
    lines = ["date,contiguous_zone_vessels,territorial_sea_vessels"]
    for date, day in sorted(days.items()):
        cz, ts = len(day["contiguous_zone_vessels"]), len(day["territorial_sea_vessels"])
        if date == first:
            cz += 2  # two ships the authority saw that did not transmit
        if date == last:
            cz -= 1  # one the authority did not count
        lines.append(f"{date},{cz},{ts}")
    official = tmp_path / "jcg.csv"
    official.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "cmp"
    args = ["compare", "--official", str(official), "--db", str(db), "--format", "json"]
    assert main([*args, "--out", str(out)]) == 0
    doc = json.loads(capsys.readouterr().out)
    verdicts = {d["date"]: d["verdict"] for d in doc["days"]}
    assert verdicts[first] == "ais_fewer"
    assert doc["summary"]["days_ais_fewer"] == 1
    assert verdicts[last] == "ais_more"
    assert doc["summary"]["days_ais_more"] == 1
    assert doc["summary"]["days_agree"] == len(days) - 2
    assert (out / "comparison.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "comparison.csv").read_text().startswith("date,official_contiguous_zone_vessels")
    assert main(["compare", "--official", str(official), "--db", str(db)]) == 0
    assert "ais fewer" in capsys.readouterr().out
    official.write_text("date,contiguous_zone_vessels,territorial_sea_vessels\n2024-01-01,x,0\n")
    assert main(["compare", "--official", str(official), "--db", str(db)]) == 1
    assert f"{official}:2: contiguous_zone_vessels 'x'" in capsys.readouterr().err
