r"""Builders of AIVDM lines for tests, examples and simulated feeds.

Payloads are encoded by pyais; this module adds what real feeds wrap around
them: correct (or deliberately wrong) checksums and NMEA 4 tag blocks.

Examples
--------
>>> lines = encode_lines({"type": 1, "mmsi": 412000001, "lon": 123.5, "lat": 25.7},
...                      tags={"c": 1709251200, "s": "rx1"})
>>> lines[0][:30]
'\\c:1709251200,s:rx1*0C\\!AIVDM,'
"""

from __future__ import annotations

from collections.abc import Mapping

import pyais

from zonewatch.nmea.framing import nmea_checksum

__all__ = ["encode_lines", "encode_sentences", "sentence", "tag_block", "with_tag_block"]

TagValue = str | int | float
FieldValue = str | int | float | bytes | bool


def tag_block(fields: Mapping[str, TagValue], *, checksum: str | None = None) -> str:
    r"""Return ``\k:v,...*hh\`` with the correct checksum, or ``checksum`` when given.

    Examples
    --------
    >>> tag_block({"c": 1709251200, "s": "rx1"})
    '\\c:1709251200,s:rx1*0C\\'
    """
    body = ",".join(f"{key}:{value}" for key, value in fields.items())
    check = checksum if checksum is not None else f"{nmea_checksum(body.encode()):02X}"
    return f"\\{body}*{check}\\"


def with_tag_block(line: str, fields: Mapping[str, TagValue]) -> str:
    """Prefix ``line`` with a tag block of ``fields``."""
    return tag_block(fields) + line


def sentence(
    payload: str,
    *,
    fill_bits: int = 0,
    count: int = 1,
    number: int = 1,
    seq_id: str = "",
    channel: str = "A",
    talker: str = "AI",
    formatter: str = "VDM",
    checksum: str | None = None,
) -> str:
    """Return ``!AIVDM,...*hh`` around a raw six-bit payload (correct checksum unless given).

    Examples
    --------
    >>> sentence("15N1u<PP1FJuvSRHOE6QIwwh0HQ6")
    '!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30'
    """
    body = f"{talker}{formatter},{count},{number},{seq_id},{channel},{payload},{fill_bits}"
    check = checksum if checksum is not None else f"{nmea_checksum(body.encode()):02X}"
    return f"!{body}*{check}"


def encode_sentences(
    data: Mapping[str, FieldValue],
    *,
    seq_id: int | None = None,
    channel: str = "A",
    talker: str = "AI",
    formatter: str = "VDM",
) -> list[str]:
    """Encode a message dict (pyais field names, ``type`` key) into its sentences."""
    sentences: list[str] = pyais.encode_dict(
        dict(data),
        talker_id=talker,
        sentence_type=formatter,
        radio_channel=channel,
        seq_id=seq_id,
    )
    return sentences


def encode_lines(
    data: Mapping[str, FieldValue],
    *,
    tags: Mapping[str, TagValue] | None = None,
    tag_every_fragment: bool = False,
    seq_id: int | None = None,
    channel: str = "A",
) -> list[str]:
    """Encode a message into lines, with a tag block on the first (or every) fragment."""
    lines = encode_sentences(data, seq_id=seq_id, channel=channel)
    if tags is None:
        return lines
    return [
        with_tag_block(line, tags) if i == 0 or tag_every_fragment else line
        for i, line in enumerate(lines)
    ]
