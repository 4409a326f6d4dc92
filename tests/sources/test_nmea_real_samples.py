"""Every real AIS sample in ../shared/data reads, accounts for every line, and decodes right."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.compute as pc
import pytest

from zonewatch.sources.nmea_file import read_nmea

SAMPLES = [
    "aisdb/test_data_20211101.nm4",
    "gfw_ais_tools/bad-tagblock-group.nmea",
    "gfw_ais_tools/bad-type5.nmea",
    "gfw_ais_tools/ee-multiline.nmea",
    "gfw_ais_tools/errors.nmea",
    "gfw_ais_tools/mixed_types.nmea",
    "gfw_ais_tools/multi-part.nmea",
    "gfw_ais_tools/type1-bad-bitcount.nmea",
    "libais/tagblock.nmea",
    "libais/test.aivdm",
    "libais/typeexamples.nmea",
    "pyais/ais_test_messages",
    "pyais/gatehouse.nmea",
    "pyais/messages.ais",
    "pyais/sample.ais",
    "pyais/timestamped.ais",
]
NOT_NMEA = {".json", ".csv", ".gpkg", ".md"}


def test_sample_list_covers_the_folder(shared_data: Path) -> None:
    found = sorted(
        str(p.relative_to(shared_data))
        for p in shared_data.glob("*/*")
        if p.is_file() and p.suffix not in NOT_NMEA and p.name != "LICENSE"
    )
    assert found == sorted(SAMPLES)


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_reads_and_accounts(shared_data: Path, name: str) -> None:
    path = shared_data / name
    out = read_nmea(path)
    acc = out.accounting
    n_lines = len(path.read_bytes().splitlines())
    assert acc.lines == n_lines
    assert acc.lines == acc.decoded + acc.rejected + acc.pending
    assert acc.rejected == out.rejects.num_rows == sum(acc.rejected_by_reason.values())
    assert acc.positions == out.positions.num_rows
    assert acc.statics == out.statics.num_rows
    assert acc.messages >= max(acc.positions, acc.statics)
    assert out.positions.column("ts").null_count == 0
    if out.positions.num_rows:
        lon, lat = out.positions.column("lon"), out.positions.column("lat")
        assert pc.max(pc.abs(lon)).as_py() <= 180
        assert pc.max(pc.abs(lat)).as_py() <= 90


def test_aisdb_times_sources_and_counts(shared_data: Path) -> None:
    out = read_nmea(shared_data / "aisdb/test_data_20211101.nm4")
    acc = out.accounting
    assert (acc.lines, acc.pending) == (1000, 0)
    assert dict(acc.rejected_by_reason) == {"empty_line": 3, "bad_position": 2}
    assert acc.statics == 46  # 18 two-line type 5 (g: groups) + type 24 parts + type 19
    ts = out.positions.column("ts")
    start = dt.datetime(2021, 11, 1, tzinfo=dt.UTC)
    assert pc.min(ts).as_py() >= start
    assert pc.max(ts).as_py() <= start + dt.timedelta(hours=2)
    first = out.positions.slice(0, 1).to_pylist()[0]
    # line 1 is a type 4 base station report, line 2 a type 27
    assert first["ts"] == dt.datetime.fromtimestamp(1635731909, dt.UTC)
    assert (first["source"], first["line_no"], first["msg_type"]) == ("42809", 2, 27)
    sources = set(out.positions.column("source").to_pylist())
    assert None not in sources
    assert len(sources) > 1
    # the two-fragment type 5 of lines 60-61 (fragment 2 has only g:): time and source of 1
    (row,) = out.statics.filter(pc.equal(out.statics.column("line_no"), 61)).to_pylist()
    assert (row["msg_type"], row["source"]) == (5, "41925")
    assert row["ts"] == dt.datetime.fromtimestamp(1635731893, dt.UTC)


def test_libais_tagblock_matches_json(shared_data: Path) -> None:
    folder = shared_data / "libais"
    out = read_nmea(folder / "tagblock.nmea")
    expected = [json.loads(line) for line in (folder / "tagblock.json").read_text().splitlines()]
    positions = out.positions.to_pylist()
    exp_positions = [e for e in expected if e["type"] == 1]
    assert len(positions) == len(exp_positions) == 3
    # output is in line order; the json lists messages in decode order, match on time
    for exp in exp_positions:
        ts = dt.datetime.fromisoformat(exp["tagblock_timestamp"].replace("Z", "+00:00"))
        (row,) = [p for p in positions if p["ts"] == ts]
        assert row["mmsi"] == exp["mmsi"]
        assert row["source"] == exp["tagblock_station"]
        assert row["lon"] == pytest.approx(exp["lon"], abs=5e-5)
        assert row["lat"] == pytest.approx(exp["lat"], abs=5e-5)
        assert row["sog"] == pytest.approx(exp["speed"], abs=1e-4)
        assert row["cog"] == pytest.approx(exp["course"], abs=1e-4)
        assert row["heading"] == exp["heading"]
    (exp5,) = [e for e in expected if e["type"] == 5]
    (row,) = out.statics.to_pylist()
    assert (row["mmsi"], row["name"], row["callsign"]) == (
        exp5["mmsi"],
        exp5["shipname"],
        exp5["callsign"],
    )
    assert row["ship_type"] is None
    assert exp5["shiptype"] == 0
    assert row["ts"] == dt.datetime(2014, 12, 10, 0, 0, 1, tzinfo=dt.UTC)
    assert row["line_no"] == 3  # fragment 2 arrives two lines after fragment 1


def test_libais_typeexamples_use_uscg_times(shared_data: Path) -> None:
    out = read_nmea(shared_data / "libais/typeexamples.nmea")
    acc = out.accounting
    assert (acc.lines, acc.rejected, acc.positions, acc.statics) == (26, 2, 3, 2)
    assert dict(acc.rejected_by_reason) == {"bad_position": 2}
    assert out.positions.column("ts").to_pylist()[0] == dt.datetime(2012, 1, 1, 5, 1, tzinfo=dt.UTC)
    assert set(out.positions.column("source").to_pylist()) == {"r003669946"}


def test_gfw_errors_file(shared_data: Path) -> None:
    out = read_nmea(shared_data / "gfw_ais_tools/errors.nmea")
    assert dict(out.accounting.rejected_by_reason) == {"bad_checksum": 2}
    assert out.rejects.column("line_no").to_pylist() == [2, 4]
    assert out.accounting.positions == 3


def test_gfw_bad_type5_whole_messages_on_one_line(shared_data: Path) -> None:
    out = read_nmea(shared_data / "gfw_ais_tools/bad-type5.nmea")
    acc = out.accounting
    assert dict(acc.rejected_by_reason) == {"bad_payload": 1, "empty_line": 1, "not_ais": 3}
    assert out.rejects.filter(pc.equal(out.rejects.column("reason"), "bad_payload")).column(
        "line_no"
    ).to_pylist() == [2]
    assert out.statics.column("line_no").to_pylist() == [1, 3]
    assert out.statics.column("ts").to_pylist()[0] == dt.datetime.fromtimestamp(1698785948, dt.UTC)


def test_gfw_multipart_three_fragment_messages(shared_data: Path) -> None:
    out = read_nmea(shared_data / "gfw_ais_tools/multi-part.nmea")
    acc = out.accounting
    assert (acc.lines, acc.decoded, acc.rejected, acc.pending) == (93, 93, 0, 0)
    assert acc.other_types[12] == 10
    assert acc.other_types[14] == 10


def test_gfw_group_with_odd_id(shared_data: Path) -> None:
    acc = read_nmea(shared_data / "gfw_ais_tools/bad-tagblock-group.nmea").accounting
    assert (acc.decoded, acc.messages, dict(acc.other_types)) == (2, 1, {21: 1})


def test_pyais_sample_tag_blocks(shared_data: Path) -> None:
    out = read_nmea(shared_data / "pyais/sample.ais")
    acc = out.accounting
    assert acc.rejected_by_reason["bad_tag_block"] == 4
    (row,) = out.statics.to_pylist()  # the !SAVDM two-part type 5 with g: groups
    assert row["source"] == "b003669710"
    assert row["ts"] == dt.datetime.fromtimestamp(1428621738, dt.UTC)
