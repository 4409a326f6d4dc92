"""Identities and flags from real static reports (aisdb sample), decoded by pyais."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
from pyais.constants import COUNTRY_MAPPING
from pyais.exceptions import AISBaseException
from pyais.stream import FileReaderStream

from zonewatch.schema import STATICS
from zonewatch.vessels.fleets import builtin_fleet, is_fishing
from zonewatch.vessels.identity import vessel_identities

STATICS_SCHEMA = pl.DataFrame(pl.from_arrow(STATICS.empty_table())).schema


def decode_statics(path: Path) -> pl.DataFrame:
    rows: list[dict[str, Any]] = []
    with FileReaderStream(str(path)) as stream:
        messages = list(stream)
    for msg in messages:
        try:
            decoded = msg.decode()
        except AISBaseException:
            continue
        if decoded.msg_type not in (5, 19, 24):
            continue
        ts = None
        if msg.tag_block is not None:
            msg.tag_block.init()
            if msg.tag_block.receiver_timestamp:
                seconds = int(msg.tag_block.receiver_timestamp)
                ts = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        part = None
        if decoded.msg_type == 24:
            part = "A" if decoded.partno == 0 else "B"
        rows.append(
            {
                "mmsi": int(decoded.mmsi),
                "ts": ts,
                "msg_type": decoded.msg_type,
                "part": part,
                "imo": getattr(decoded, "imo", None),
                "callsign": getattr(decoded, "callsign", None),
                "name": getattr(decoded, "shipname", None),
                "ship_type": getattr(decoded, "ship_type", None),
            }
        )
    full = [{name: row.get(name) for name in STATICS_SCHEMA} for row in rows]
    return pl.DataFrame(full, schema=STATICS_SCHEMA)


def test_identities_from_a_real_capture(shared_data: Path) -> None:
    statics = decode_statics(shared_data / "aisdb" / "test_data_20211101.nm4")
    assert statics.height >= 40
    ids = vessel_identities(statics)
    assert ids.height == statics.get_column("mmsi").n_unique()
    assert ids.get_column("mmsi").is_sorted()
    by_mmsi = {row["mmsi"]: row for row in ids.iter_rows(named=True)}
    # spot checks on type 24 parts as pyais decodes them
    assert by_mmsi[512008680]["name"] == "RUA MOANA"
    assert by_mmsi[512008680]["flag"] == "NZ"
    assert by_mmsi[512008679]["callsign"] == "ZMY4381"
    assert by_mmsi[512008679]["ship_type"] == 37
    assert by_mmsi[416004262]["name"] == "JIN MAN NO.66"
    assert by_mmsi[416004262]["flag"] == "TW"
    # every flag agrees with pyais's MID table where pyais has the MID
    for mmsi, row in by_mmsi.items():
        mid = mmsi // 1_000_000
        if 201 <= mid <= 775 and mid in COUNTRY_MAPPING:
            assert row["flag"] == COUNTRY_MAPPING[mid][0], mmsi
    # the latest name equals the last non-empty name pyais decoded for that MMSI
    last_names = (
        statics.filter(pl.col("name").str.strip_chars().str.len_chars() > 0)
        .sort("ts", maintain_order=True, nulls_last=False)
        .group_by("mmsi", maintain_order=True)
        .agg(pl.col("name").last().str.strip_chars())
    )
    for mmsi, name in last_names.iter_rows():
        assert by_mmsi[mmsi]["name"] == name
    fishing = ids.filter(is_fishing(ids)).get_column("mmsi").to_list()
    assert 367423310 in fishing
    assert 576737000 in fishing
    # nothing in this capture (US/NZ waters) is a Chinese government ship
    assert builtin_fleet("china-government").members(ids).height == 0
