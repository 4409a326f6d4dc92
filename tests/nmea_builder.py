"""Build tag-blocked AIVDM lines for hand-made test scenarios (pyais encodes the payloads)."""

from __future__ import annotations

import datetime as dt
from functools import reduce

import pyais


def checksum(text: str) -> str:
    return f"{reduce(lambda a, c: a ^ ord(c), text, 0):02X}"


def tag(sentence: str, ts: dt.datetime, station: str = "rx1") -> str:
    body = f"s:{station},c:{int(ts.timestamp())}"
    return f"\\{body}*{checksum(body)}\\{sentence}"


def position(
    mmsi: int, ts: dt.datetime, lon: float, lat: float, speed: float = 8.0, station: str = "rx1"
) -> str:
    (sentence,) = pyais.encode_dict(
        {
            "type": 1,
            "mmsi": mmsi,
            "lon": lon,
            "lat": lat,
            "speed": speed,
            "course": 90.0,
            "heading": 90,
        },
        sentence_type="VDM",
    )
    return tag(sentence, ts, station)


def static(
    mmsi: int, ts: dt.datetime, name: str, callsign: str = "", ship_type: int = 0, seq: int = 1
) -> list[str]:
    sentences = pyais.encode_dict(
        {"type": 5, "mmsi": mmsi, "shipname": name, "callsign": callsign, "ship_type": ship_type},
        sentence_type="VDM",
        seq_id=seq,
    )
    return [tag(sentences[0], ts), sentences[1]]
