r"""Framing of AIVDM/AIVDO lines: checksums, NMEA 4 tag blocks, time columns.

One physical input line is turned into the sentences it holds (usually one)
or into one :class:`FrameReject` naming why the line cannot be used. Nothing
here decodes the six-bit payload; that is :mod:`zonewatch.nmea.decode`.

Shapes accepted (real feeds, see the samples in ``../shared/data``)::

    !AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30
    \c:1709251200,s:rx1*hh\!AIVDM,...         NMEA 4 tag block(s) before the sentence
    1709251200.123 !AIVDM,...                  leading Unix-seconds column (space, tab, ',' or ';')
    !AIVDM,...*hh,d-109,...,r003669946,1325394060   trailing receiver metadata
    \g:1-2-7,c:..*hh\!AIVDM,2,1,..*hh\g:2-2-7*hh\!AIVDM,2,2,..*hh   one message's fragments

Times are integer milliseconds since the Unix epoch (UTC). A tag-block ``c:``
value is seconds, or milliseconds when larger than 1e11. The trailing metadata
is ignored, except for the US Coast Guard (NAIS) layout ``...,r<station>,<unix
seconds>[,...]``, whose station and time are used where neither a tag block nor
a leading time column gives them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "MAX_TS_MS",
    "FrameReject",
    "Sentence",
    "TagGroup",
    "frame_line",
    "nmea_checksum",
]

MAX_TS_MS = 7_258_118_400_000
"""Latest accepted receive time (2200-01-01 UTC) in ms; later values are malformed."""

_MS_THRESHOLD = 1e11
"""A Unix time above this is taken to be in milliseconds, not seconds."""

_AIS_START = re.compile(rb"!([A-Z]{2})VD[MO]")
# The common shape in one match: [\tag block\]!ccVDx,n,n,seq,chan,payload,fill*hh
_FAST = re.compile(
    rb"(?:\\([ -\[\]-~]*)\\)?"
    rb"!([A-Z]{2}VD[MO],([1-9]),([1-9]),(\d?),([AB12]?),([0-W`-w]+),([0-5]))\*([0-9A-F]{2})"
)
_CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
_TIME_PREFIX = re.compile(rb"(\d{9,13}(?:\.\d{1,9})?)[ \t,;]+")
_PAYLOAD = re.compile(rb"[0-W`-w]*")
_HEX2 = re.compile(rb"[0-9A-Fa-f]{2}")
_UNIX_TIME = re.compile(rb"\d{1,13}(?:\.\d{1,9})?")
_GROUP = re.compile(rb"(\d{1,4})-(\d{1,4})-(\S+)")
_USCG_STATION = re.compile(rb"[rb][A-Za-z0-9_]+")
_USCG_TIME = re.compile(rb"\d{9,10}")


@dataclass(frozen=True, slots=True)
class FrameReject:
    """Why a line cannot be framed: a reason code of ``REJECT_REASONS`` and a short detail."""

    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class TagGroup:
    """An NMEA 4 tag-block group ``g:<sentence>-<size>-<id>``."""

    sentence: int
    size: int
    group_id: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """One checksum-valid AIVDM/AIVDO sentence, with what its line says about it.

    ``ts_ms`` is the receive time in ms since the epoch (tag block ``c:``, else a
    leading time column, else a USCG trailing time), ``source`` the receiving
    station (tag block ``s:``, else the USCG station), both ``None`` when absent.
    """

    count: int
    number: int
    seq_id: str
    channel: str
    payload: bytes
    fill_bits: int
    ts_ms: int | None
    source: str | None
    group: TagGroup | None


@dataclass(frozen=True, slots=True)
class _Tags:
    ts_ms: int | None
    source: str | None
    group: TagGroup | None


_EMPTY = FrameReject("empty_line", "blank line")
_BOM = b"\xef\xbb\xbf"
_NO_TAGS = _Tags(None, None, None)


def nmea_checksum(data: bytes) -> int:
    r"""Return the NMEA checksum (XOR of all bytes) of ``data``.

    ``data`` is what lies between the leading ``!``, ``$`` or ``\`` and the ``*``.

    Examples
    --------
    >>> f"{nmea_checksum(b'AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0'):02X}"
    '30'
    """
    value = 0
    for byte in data:
        value ^= byte
    return value


def _unix_ms(text: bytes) -> int | None:
    """Milliseconds since the epoch from Unix seconds (or ms when > 1e11); None if out of range."""
    value = float(text)
    ms = round(value) if value > _MS_THRESHOLD else round(value * 1000.0)
    if ms < 0 or ms > MAX_TS_MS:
        return None
    return ms


@lru_cache(maxsize=4096)
def _parse_tag_block(content: bytes) -> _Tags | FrameReject:
    """Parse the text between the two backslashes of one tag block (cached: feeds repeat them)."""
    body, star, check = content.rpartition(b"*")
    if not star:
        return FrameReject("bad_tag_block", "tag block without '*' checksum")
    if _HEX2.fullmatch(check) is None:
        return FrameReject(
            "bad_tag_block", f"tag block checksum {_show(check)} is not two hex digits"
        )
    actual = nmea_checksum(body)
    if actual != int(check, 16):
        return FrameReject(
            "bad_tag_block", f"tag block checksum {check.decode()} != computed {actual:02X}"
        )
    ts_ms: int | None = None
    source: str | None = None
    group: TagGroup | None = None
    if not body:
        return _NO_TAGS
    for field in body.split(b","):
        key, colon, value = field.partition(b":")
        if not colon or not key:
            return FrameReject("bad_tag_block", f"tag block field {_show(field)} is not key:value")
        if key == b"c":
            if _UNIX_TIME.fullmatch(value) is None:
                return FrameReject(
                    "bad_tag_block", f"tag block time c:{_show(value)} is not a number"
                )
            ts_ms = _unix_ms(value)
            if ts_ms is None:
                return FrameReject("bad_tag_block", f"tag block time c:{_show(value)} out of range")
        elif key == b"s":
            source = value.decode("utf-8", "replace") or None
        elif key == b"g":
            match = _GROUP.fullmatch(value)
            if match is None:
                return FrameReject(
                    "bad_tag_block", f"tag block group g:{_show(value)} is malformed"
                )
            number, size = int(match[1]), int(match[2])
            if not 1 <= number <= size:
                return FrameReject(
                    "bad_tag_block", f"tag block group g:{_show(value)} is malformed"
                )
            group = TagGroup(number, size, match[3].decode("utf-8", "replace"))
    return _Tags(ts_ms, source, group)


def _uscg_suffix(trailing: bytes) -> tuple[int | None, str | None]:
    """Station and time from USCG-style trailing metadata ``...,r<station>,<unix s>,...``."""
    fields = trailing.split(b",")
    for i in range(len(fields) - 1):
        if _USCG_STATION.fullmatch(fields[i]) and _USCG_TIME.fullmatch(fields[i + 1]):
            return _unix_ms(fields[i + 1]), fields[i].decode("ascii")
    return None, None


def _show(value: bytes, limit: int = 24) -> str:
    """Short printable rendering of a bytes value for reject details."""
    text = value.decode("utf-8", "backslashreplace")
    return repr(text if len(text) <= limit else text[:limit] + "...")


def _frame_fields(body: bytes) -> tuple[int, int, str, str, bytes, int] | FrameReject:
    """Check the comma fields of a checksum-valid sentence body (``AIVDM,...,<fill>``)."""
    fields = body.split(b",")
    if len(fields) != 7:
        return FrameReject("bad_format", f"{len(fields) - 1} fields after the tag, expected 6")
    tag, count_f, number_f, seq_f, channel_f, payload, fill_f = fields
    if len(tag) != 5:
        return FrameReject("bad_format", f"sentence tag {_show(tag)} is not !ccVDM or !ccVDO")
    if len(count_f) != 1 or len(number_f) != 1 or not (count_f + number_f).isdigit():
        return FrameReject(
            "bad_format",
            f"fragment count/number {_show(count_f)}/{_show(number_f)} are not single digits",
        )
    count, number = int(count_f), int(number_f)
    if count == 0 or number == 0 or number > count:
        return FrameReject("fragment_mismatch", f"fragment {number} of {count} is impossible")
    if seq_f and not seq_f.isdigit():
        return FrameReject("bad_format", f"sequence id {_show(seq_f)} is not a number")
    if len(channel_f) > 2 or not (channel_f.isalnum() or not channel_f):
        return FrameReject("bad_format", f"radio channel {_show(channel_f)} is malformed")
    if len(fill_f) != 1 or fill_f not in b"012345":
        return FrameReject("bad_format", f"fill bits {_show(fill_f)} not in 0..5")
    bad = _PAYLOAD.match(payload)
    if bad is None or bad.end() != len(payload):
        at = 0 if bad is None else bad.end()
        return FrameReject(
            "bad_payload", f"payload character {_show(payload[at : at + 1])} at {at + 1}"
        )
    return count, number, seq_f.decode(), channel_f.decode(), payload, int(fill_f)


def _frame_fast(match: re.Match[bytes]) -> tuple[Sentence, ...] | FrameReject | None:
    """Frame a line of the common shape; None when the general path must decide."""
    count, number = int(match[3]), int(match[4])
    if number > count or nmea_checksum(match[2]) != int(match[9], 16):
        return None
    tags = _NO_TAGS
    if match[1] is not None:
        parsed = _parse_tag_block(match[1])
        if isinstance(parsed, FrameReject):
            return parsed
        tags = parsed
    sentence = Sentence(
        count,
        number,
        match[5].decode(),
        match[6].decode(),
        match[7],
        int(match[8]),
        tags.ts_ms,
        tags.source,
        tags.group,
    )
    return (sentence,)


def frame_line(raw: bytes) -> tuple[Sentence, ...] | FrameReject:
    r"""Frame one physical input line into its AIVDM/AIVDO sentence(s).

    Parameters
    ----------
    raw
        The line's bytes without the newline (surrounding whitespace and a UTF-8
        byte-order mark are ignored).

    Returns
    -------
    tuple of Sentence or FrameReject
        The checksum-valid sentences of the line in order (one, except for lines
        that carry all fragments of a message), or why the line is unusable:
        ``empty_line``, ``not_text``, ``not_ais``, ``bad_format``, ``bad_checksum``,
        ``bad_tag_block``, ``bad_payload`` or ``fragment_mismatch``.

    Examples
    --------
    >>> line = b"\\c:1709251200,s:rx1*0C\\!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30"
    >>> (s,) = frame_line(line)
    >>> s.ts_ms, s.source, s.payload[:6]
    (1709251200000, 'rx1', b'15N1u<')
    >>> frame_line(b"# a comment")
    FrameReject(reason='not_ais', detail='no !xxVDM/!xxVDO sentence')
    """
    line = raw.strip()
    if line.startswith(_BOM):
        line = line[len(_BOM) :].strip()
    if not line:
        return _EMPTY
    fast = _FAST.fullmatch(line)
    if fast is not None:
        framed = _frame_fast(fast)
        if framed is not None:
            return framed
    return _frame_general(line)


def _frame_general(line: bytes) -> tuple[Sentence, ...] | FrameReject:
    """Frame a stripped, non-empty line of any shape (the reference for the fast path)."""
    if not line.isascii():
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as err:
            return FrameReject(
                "not_text", f"invalid UTF-8 byte 0x{line[err.start]:02x} at column {err.start + 1}"
            )
    control = _CONTROL.search(line)
    if control is not None:
        at = control.start()
        return FrameReject("not_text", f"control byte 0x{line[at]:02x} at column {at + 1}")
    first = _AIS_START.search(line)
    if first is None:
        return FrameReject("not_ais", "no !xxVDM/!xxVDO sentence")

    pos = 0
    line_ts: int | None = None
    prefix = _TIME_PREFIX.match(line)
    if prefix is not None and prefix.end() <= first.start():
        line_ts = _unix_ms(prefix[1])
        if line_ts is None:
            return FrameReject("bad_format", f"leading time {_show(prefix[1])} out of range")
        pos = prefix.end()

    sentences: list[Sentence] = []
    while True:
        tags = _NO_TAGS
        while line.startswith(b"\\", pos):
            end = line.find(b"\\", pos + 1)
            if end < 0:
                return FrameReject("bad_tag_block", "tag block not closed by '\\'")
            parsed = _parse_tag_block(line[pos + 1 : end])
            if isinstance(parsed, FrameReject):
                return parsed
            if tags is _NO_TAGS:
                tags = parsed
            else:  # several tag blocks: the first value of each key wins
                tags = _Tags(
                    tags.ts_ms if tags.ts_ms is not None else parsed.ts_ms,
                    tags.source if tags.source is not None else parsed.source,
                    tags.group if tags.group is not None else parsed.group,
                )
            pos = end + 1
        if _AIS_START.match(line, pos) is None:
            where = "before" if not sentences else "between sentences near"
            return FrameReject(
                "bad_format", f"unexpected text {where} {_show(line[pos : pos + 12])}"
            )
        star = line.find(b"*", pos)
        if star < 0:
            return FrameReject("bad_format", "sentence without '*' checksum")
        check = line[star + 1 : star + 3]
        if _HEX2.fullmatch(check) is None:
            return FrameReject("bad_format", f"checksum {_show(check)} is not two hex digits")
        body = line[pos + 1 : star]
        actual = nmea_checksum(body)
        if actual != int(check, 16):
            return FrameReject(
                "bad_checksum", f"checksum {check.decode()} != computed {actual:02X}"
            )
        fields = _frame_fields(body)
        if isinstance(fields, FrameReject):
            return fields
        count, number, seq_id, channel, payload, fill_bits = fields
        sentences.append(
            Sentence(
                count, number, seq_id, channel, payload, fill_bits, tags.ts_ms, tags.source,
                tags.group,
            )
        )  # fmt: skip
        pos = star + 3
        after = len(line) - len(line[pos:].lstrip(b" \t"))
        if not line.startswith((b"\\", b"!"), after):
            break
        pos = after

    trailing = line[pos:]
    if trailing[:1].isalnum():
        return FrameReject("bad_format", f"text {_show(trailing[:12])} right after the checksum")
    if _AIS_START.search(trailing) is not None:
        return FrameReject("bad_format", "another sentence inside the trailing text")
    suffix_ts, suffix_source = _uscg_suffix(trailing) if trailing else (None, None)
    fallback_ts = line_ts if line_ts is not None else suffix_ts
    if fallback_ts is None and suffix_source is None:
        return tuple(sentences)
    return tuple(
        Sentence(
            s.count, s.number, s.seq_id, s.channel, s.payload, s.fill_bits,
            s.ts_ms if s.ts_ms is not None else fallback_ts,
            s.source if s.source is not None else suffix_source,
            s.group,
        )
        for s in sentences
    )  # fmt: skip
