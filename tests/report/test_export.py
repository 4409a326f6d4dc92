import csv
import io
import json
from pathlib import Path

from report_fixtures import CCG_A, CCG_B, CCG_C, empty_report

from zonewatch.report.export import (
    DAYS_COLUMNS,
    INCIDENT_COLUMNS,
    to_csv,
    to_json,
    write_days_csv,
    write_incidents_csv,
)
from zonewatch.report.model import COUNT_KEYS, Report


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_json_has_exactly_the_contract_keys(report: Report) -> None:
    text = to_json(report)
    assert text.endswith("}\n")
    doc = json.loads(text)
    assert set(doc) == {
        "zone_set",
        "timezone",
        "fleet",
        "period",
        "parameters",
        "totals",
        "months",
        "days",
        "incidents",
        "vessels",
        "input",
        "longest_territorial_sea_stay",
        "longest_contiguous_zone_run",
        "notes",
    }
    assert doc["period"] == {"start": "2024-01-01", "end": "2024-02-29"}
    assert doc["totals"] == dict(zip(COUNT_KEYS, (4, 6, 2, 2, 2), strict=True))
    assert [set(m) for m in doc["months"]] == [{"month", *COUNT_KEYS}] * 2
    assert [m["month"] for m in doc["months"]] == ["2024-01", "2024-02"]
    assert doc["months"][0]["contiguous_zone_vessel_days"] == 5
    assert [set(d) for d in doc["days"]] == [
        {"date", "contiguous_zone_vessels", "territorial_sea_vessels"}
    ] * 4
    assert doc["days"][1] == {
        "date": "2024-01-06",
        "contiguous_zone_vessels": [CCG_A, CCG_B],
        "territorial_sea_vessels": [CCG_A],
    }
    for inc in doc["incidents"]:
        assert {"id", "start", "end", "vessels", "min_distance_nm", "fishing_vessel_nearby"} <= set(
            inc
        )
    assert doc["incidents"][1]["vessels"] == [CCG_A, CCG_B]
    assert doc["incidents"][1]["start"] == "2024-02-10T23:00:00+09:00"
    assert doc["incidents"][1]["fishing_vessel_nearby"] is True
    for vessel in doc["vessels"]:
        assert {"mmsi", "name", "flag", "matched_by"} <= set(vessel)
    assert doc["input"] == {
        "lines": 1000,
        "decoded": 950,
        "rejected": 40,
        "pending": 10,
        "rejected_by_reason": {"checksum": 30, "truncated": 10},
        "files": 2,
        "positions": 900,
        "statics": 50,
    }
    assert doc["longest_territorial_sea_stay"]["incident"] == "TS-20240210-2300-d4e5f6"


def test_json_keeps_non_ascii_names(report: Report) -> None:
    text = to_json(report)
    assert "海警2302" in text
    assert json.loads(text)["vessels"][1]["name"] == "海警2302"


def test_monthly_csv_rows_and_total(report: Report) -> None:
    text = to_csv(report)
    assert text.splitlines()[0] == ",".join(["month", *COUNT_KEYS])
    rows = rows_of(text)
    assert [r["month"] for r in rows] == ["2024-01", "2024-02", "total"]
    assert [int(rows[0][k]) for k in COUNT_KEYS] == [3, 5, 1, 1, 1]
    assert [int(rows[1][k]) for k in COUNT_KEYS] == [1, 1, 1, 1, 1]
    assert [int(rows[2][k]) for k in COUNT_KEYS] == [4, 6, 2, 2, 2]
    assert "\r" not in text


def test_monthly_csv_of_an_empty_report_is_header_and_zero_total() -> None:
    assert to_csv(empty_report()).splitlines() == [
        ",".join(["month", *COUNT_KEYS]),
        "total,0,0,0,0,0",
    ]


def test_incidents_csv(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "incidents.csv"
    write_incidents_csv(report, path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(INCIDENT_COLUMNS)
    rows = rows_of(text)
    assert [r["id"] for r in rows] == ["TS-20240106-0930-a1b2c3", "TS-20240210-2300-d4e5f6"]
    second = rows[1]
    assert second["start"] == "2024-02-10T23:00:00+09:00"
    assert second["end"] == "2024-02-11T01:45:00+09:00"
    assert float(second["duration_h"]) == 2.75
    assert second["vessels"] == f"{CCG_A} {CCG_B}"
    assert float(second["min_distance_nm"]) == 7.5
    assert second["fishing_vessel_nearby"] == "true"
    assert rows[0]["fishing_vessel_nearby"] == "false"
    assert int(second["closest_mmsi"]) == CCG_B
    assert (float(second["closest_lon"]), float(second["closest_lat"])) == (123.4, 25.79)


def test_incidents_csv_without_incidents_is_the_header(tmp_path: Path) -> None:
    path = tmp_path / "incidents.csv"
    write_incidents_csv(empty_report(), path)
    assert path.read_text(encoding="utf-8") == ",".join(INCIDENT_COLUMNS) + "\n"


def test_days_csv_is_a_complete_daily_series(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "days.csv"
    write_days_csv(report, path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(DAYS_COLUMNS)
    rows = rows_of(text)
    assert len(rows) == 31 + 29  # every day of January and February 2024
    assert rows[0]["date"] == "2024-01-01"
    assert rows[-1]["date"] == "2024-02-29"
    by_date = {r["date"]: r for r in rows}
    assert by_date["2024-01-06"] == {
        "date": "2024-01-06",
        "contiguous_zone_vessels": "2",
        "territorial_sea_vessels": "1",
        "cz_mmsis": f"{CCG_A} {CCG_B}",
        "ts_mmsis": str(CCG_A),
    }
    assert by_date["2024-01-31"]["cz_mmsis"] == str(CCG_C)
    assert by_date["2024-01-02"] == {
        "date": "2024-01-02",
        "contiguous_zone_vessels": "0",
        "territorial_sea_vessels": "0",
        "cz_mmsis": "",
        "ts_mmsis": "",
    }
    # the series adds up to the report's totals
    cz = [int(r["contiguous_zone_vessels"]) for r in rows]
    ts = [int(r["territorial_sea_vessels"]) for r in rows]
    assert sum(cz) == report.totals.contiguous_zone_vessel_days
    assert sum(1 for v in cz if v) == report.totals.contiguous_zone_days
    assert sum(ts) == report.totals.territorial_sea_vessel_days
    assert sum(1 for v in ts if v) == report.totals.territorial_sea_days
