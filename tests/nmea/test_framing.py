from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zonewatch.nmea.framing import (
    FrameReject,
    Sentence,
    TagGroup,
    _frame_general,
    frame_line,
    nmea_checksum,
)
from zonewatch.nmea.testing import sentence, tag_block

PAYLOAD = "15N1u<PP1FJuvSRHOE6QIwwh0HQ6"
PLAIN = sentence(PAYLOAD)  # !AIVDM,1,1,,A,...,0*30


def frame_one(line: str | bytes) -> Sentence:
    raw = line.encode() if isinstance(line, str) else line
    framed = frame_line(raw)
    assert isinstance(framed, tuple), framed
    assert len(framed) == 1
    return framed[0]


def reject_of(line: str | bytes) -> FrameReject:
    raw = line.encode() if isinstance(line, str) else line
    framed = frame_line(raw)
    assert isinstance(framed, FrameReject), framed
    return framed


def test_checksum_matches_known_sentence() -> None:
    assert PLAIN.endswith("*30")
    assert nmea_checksum(b"") == 0
    assert nmea_checksum(b"c:1709251200,s:rx1") == 0x0C


def test_plain_sentence_fields() -> None:
    s = frame_one(PLAIN)
    assert (s.count, s.number, s.seq_id, s.channel) == (1, 1, "", "A")
    assert s.payload == PAYLOAD.encode()
    assert s.fill_bits == 0
    assert (s.ts_ms, s.source, s.group) == (None, None, None)


@pytest.mark.parametrize("talker", ["AI", "AB", "BS", "SA", "AN"])
@pytest.mark.parametrize("formatter", ["VDM", "VDO"])
def test_any_two_letter_talker_and_vdm_vdo(talker: str, formatter: str) -> None:
    s = frame_one(sentence(PAYLOAD, talker=talker, formatter=formatter))
    assert s.payload == PAYLOAD.encode()


def test_multipart_fields_and_empty_channel() -> None:
    s = frame_one(sentence("88888888880", fill_bits=2, count=2, number=2, seq_id="7", channel=""))
    assert (s.count, s.number, s.seq_id, s.channel, s.fill_bits) == (2, 2, "7", "", 2)


def test_tag_block_seconds_source_group() -> None:
    line = tag_block({"g": "1-2-3454", "s": "41925", "c": 1635731893, "t": 1635731965}) + PLAIN
    s = frame_one(line)
    assert s.ts_ms == 1635731893000
    assert s.source == "41925"
    assert s.group == TagGroup(1, 2, "3454")


def test_tag_block_milliseconds_when_above_1e11() -> None:
    s = frame_one(tag_block({"c": 1709251200123}) + PLAIN)
    assert s.ts_ms == 1709251200123


def test_tag_block_time_range_ends_in_2200() -> None:
    assert frame_one(tag_block({"c": 7258118400}) + PLAIN).ts_ms == 7258118400000
    assert reject_of(tag_block({"c": 7258118401}) + PLAIN).reason == "bad_tag_block"
    # 1e11 is still seconds, so far beyond 2200
    assert reject_of(tag_block({"c": 99_999_999_999}) + PLAIN).reason == "bad_tag_block"


def test_tag_block_fractional_seconds() -> None:
    assert frame_one(tag_block({"c": "1709251200.5"}) + PLAIN).ts_ms == 1709251200500


def test_two_tag_blocks_first_value_wins() -> None:
    s = frame_one(tag_block({"s": "a"}) + tag_block({"c": 1709251200, "s": "b"}) + PLAIN)
    assert (s.source, s.ts_ms) == ("a", 1709251200000)


@pytest.mark.parametrize(
    ("prefix", "ts_ms"),
    [
        ("1709251200.123 ", 1709251200123),
        ("1709251200,", 1709251200000),
        ("1709251200\t", 1709251200000),
        ("1709251200;", 1709251200000),
        ("1709251200123 ", 1709251200123),
    ],
)
def test_leading_time_column(prefix: str, ts_ms: int) -> None:
    assert frame_one(prefix + PLAIN).ts_ms == ts_ms


def test_tag_block_time_wins_over_leading_column() -> None:
    line = "1709251200 " + tag_block({"c": 1600000000}) + PLAIN
    assert frame_one(line).ts_ms == 1600000000000


def test_trailing_metadata_is_ignored() -> None:
    s = frame_one(PLAIN + ",d-109,S2105,t050056.00,T56.13718694")
    assert (s.ts_ms, s.source) == (None, None)
    assert frame_one(PLAIN + " some receiver note").payload == PAYLOAD.encode()


def test_uscg_trailing_station_and_time() -> None:
    s = frame_one(PLAIN + ",d-109,S2105,t050056.00,T56.1,r003669946,1325394060,1325394001")
    assert (s.ts_ms, s.source) == (1325394060000, "r003669946")
    s = frame_one(PLAIN + ",b003669794,1272412827")
    assert (s.ts_ms, s.source) == (1272412827000, "b003669794")
    tagged = tag_block({"c": 1600000000, "s": "rx"}) + PLAIN + ",r003669946,1325394060"
    s = frame_one(tagged)
    assert (s.ts_ms, s.source) == (1600000000000, "rx")


def test_whitespace_and_crlf_are_stripped() -> None:
    assert frame_one("  " + PLAIN + " \r").payload == PAYLOAD.encode()


def test_utf8_byte_order_mark_is_ignored() -> None:
    assert frame_one(b"\xef\xbb\xbf" + PLAIN.encode()).payload == PAYLOAD.encode()
    assert reject_of(b"\xef\xbb\xbf").reason == "empty_line"


def test_several_sentences_on_one_line() -> None:
    first = tag_block({"c": 1698785948, "s": "r1"}) + sentence(
        "53l3sj42A590=5Q2220UHE:04=@Ttr222222221@9HH>46ii0=D532Dp?`1D", count=2, seq_id="8"
    )
    second = tag_block({"c": 1698785947}) + sentence(
        "888888888888880", fill_bits=2, count=2, number=2, seq_id="8"
    )
    framed = frame_line((first + second).encode())
    assert isinstance(framed, tuple)
    assert [(s.number, s.ts_ms) for s in framed] == [(1, 1698785948000), (2, 1698785947000)]


def raw_tag(body: str) -> str:
    return f"\\{body}*{nmea_checksum(body.encode()):02X}\\"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"", "empty_line"),
        (b"   \t ", "empty_line"),
        (b"\xff\xfe!AIVDM", "not_text"),
        (PLAIN.encode()[:10] + b"\x00" + PLAIN.encode()[10:], "not_text"),
        (b"abc\x1bdef", "not_text"),
        (b"# a comment", "not_ais"),
        (b"$PGHP,1,2008,5,9,0,0,0,10,338,2,,1,09*17", "not_ais"),
        (b"$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47", "not_ais"),
        (b"IamNotAnAisMessage1111", "not_ais"),
        (PAYLOAD.encode(), "not_ais"),
        ("# 日本語のコメント".encode(), "not_ais"),
        (b"!aivdm,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30", "not_ais"),
        (PLAIN.replace(",0*30", "").encode(), "bad_format"),
        (sentence(PAYLOAD).replace("*30", "*3").encode(), "bad_format"),
        (sentence(PAYLOAD, fill_bits=7).encode(), "bad_format"),
        (sentence(PAYLOAD, seq_id="x").encode(), "bad_format"),
        (sentence(PAYLOAD, channel="ABC").encode(), "bad_format"),
        (sentence(PAYLOAD + ",extra").encode(), "bad_format"),
        (sentence(PAYLOAD, formatter="VDMX").encode(), "bad_format"),
        (("garbage " + PLAIN).encode(), "bad_format"),
        ((PLAIN + "ZZ").encode(), "bad_format"),
        (b"!AIVDM", "bad_format"),
        (PLAIN.replace("*30", "*31").encode(), "bad_checksum"),
        (PLAIN.replace("15N1u", "15N1v").encode(), "bad_checksum"),
        (sentence(PAYLOAD[:10] + "x" + PAYLOAD[11:]).encode(), "bad_payload"),
        (sentence(PAYLOAD[:10] + "Z" + PAYLOAD[11:]).encode(), "bad_payload"),
        (sentence(PAYLOAD, count=2, number=3).encode(), "fragment_mismatch"),
        (sentence(PAYLOAD, count=0, number=1).encode(), "fragment_mismatch"),
        ((tag_block({"c": 1709251200}, checksum="00") + PLAIN).encode(), "bad_tag_block"),
        ((tag_block({"c": 1709251200}, checksum="A") + PLAIN).encode(), "bad_tag_block"),
        (("\\c:1709251200\\" + PLAIN).encode(), "bad_tag_block"),
        ((r"\c:1709251200*2B" + PLAIN).encode(), "bad_tag_block"),
        ((tag_block({"c": "soon"}) + PLAIN).encode(), "bad_tag_block"),
        ((tag_block({"c": 99999999999999}) + PLAIN).encode(), "bad_tag_block"),
        ((tag_block({"g": "1-2"}) + PLAIN).encode(), "bad_tag_block"),
        ((tag_block({"g": "3-2-7"}) + PLAIN).encode(), "bad_tag_block"),
        ((raw_tag("c:1709251200,novalue") + PLAIN).encode(), "bad_tag_block"),
        ((raw_tag("c:1709251200,:x") + PLAIN).encode(), "bad_tag_block"),
    ],
)
def test_reject_reasons(line: bytes, reason: str) -> None:
    rejected = reject_of(line)
    assert rejected.reason == reason
    assert rejected.detail


def test_sentences_separated_by_spaces_are_all_framed() -> None:
    framed = frame_line((PLAIN + "  " + PLAIN).encode())
    assert isinstance(framed, tuple)
    assert len(framed) == 2


def test_sentence_hidden_in_trailing_text_is_rejected() -> None:
    assert reject_of(PLAIN + ",x," + PLAIN).reason == "bad_format"


def test_two_sentence_line_with_bad_second_checksum_is_rejected() -> None:
    line = PLAIN + PLAIN.replace("*30", "*31")
    assert reject_of(line).reason == "bad_checksum"


def test_sentence_value_at_bad_position_detail_names_the_character() -> None:
    rejected = reject_of(sentence(PAYLOAD[:3] + "{" + PAYLOAD[4:]))
    assert rejected.reason == "bad_payload"
    assert "'{'" in rejected.detail
    assert "at 4" in rejected.detail


# -- the fast path agrees with the general framing on every line ----------------------

_BASE_LINES = [
    PLAIN,
    tag_block({"s": "rx1", "c": 1709251200}) + PLAIN,
    tag_block({"g": "1-2-77", "c": 1709251200}) + sentence(PAYLOAD, count=2, seq_id="3"),
    sentence("88888888880", fill_bits=2, count=2, number=2, seq_id="3", channel="B"),
    sentence("KvQ:1o`7EBrBQ`?w", channel="2"),
]


@st.composite
def mutated_lines(draw: st.DrawFn) -> bytes:
    line = bytearray(draw(st.sampled_from(_BASE_LINES)).encode())
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["flip", "cut", "insert"]))
        if not line:
            break
        at = draw(st.integers(0, len(line) - 1))
        if op == "flip":
            line[at] = draw(st.integers(0x20, 0x7E))
        elif op == "cut":
            del line[at:]
        else:
            line.insert(at, draw(st.sampled_from(b",*\\!0A9`w@")))
    return bytes(line)


@settings(max_examples=400, deadline=None)
@given(mutated_lines())
def test_fast_path_agrees_with_general_path(line: bytes) -> None:
    stripped = line.strip()
    expected = _frame_general(stripped) if stripped else FrameReject("empty_line", "blank line")
    assert frame_line(line) == expected


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=120))
def test_random_bytes_never_raise(line: bytes) -> None:
    result = frame_line(line)
    assert isinstance(result, (tuple, FrameReject))
