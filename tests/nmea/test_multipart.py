from __future__ import annotations

import pytest

from zonewatch.nmea.framing import frame_line
from zonewatch.nmea.multipart import Assembler, FragmentReject, Message
from zonewatch.nmea.testing import encode_sentences, sentence, tag_block

FILLER = sentence("15N1u<PP1FJuvSRHOE6QIwwh0HQ6")


def type5(mmsi: int, seq: int, channel: str = "A") -> list[str]:
    return encode_sentences(
        {"type": 5, "mmsi": mmsi, "shipname": f"SHIP {mmsi}", "callsign": "ABC"},
        seq_id=seq,
        channel=channel,
    )


class Run:
    """Feed lines through framing and assembly the way the reader does."""

    def __init__(self, lines: list[str], max_span_lines: int = 50) -> None:
        self.messages: list[Message] = []
        self.rejects: list[FragmentReject] = []
        self.assembler = Assembler(self.messages, self.rejects, max_span_lines=max_span_lines)
        for line_no, line in enumerate(lines, start=1):
            self.assembler.expire(line_no)
            framed = frame_line(line.encode())
            assert isinstance(framed, tuple), (line_no, framed)
            self.assembler.push(line_no, line.encode(), framed)

    def reasons(self) -> list[tuple[int, str]]:
        return [(r.line_no, r.reason) for r in self.rejects]


def test_two_part_in_order() -> None:
    a1, a2 = type5(412000001, 1)
    run = Run([a1, a2])
    (msg,) = run.messages
    assert msg.line_nos == (1, 2)
    assert msg.line_no == 2
    assert msg.fill_bits == 2
    assert len(msg.payload) * 6 - msg.fill_bits == 424
    assert run.assembler.pending_line_count() == 0


def test_out_of_order_fragments() -> None:
    a1, a2 = type5(412000001, 1)
    in_order = Run([a1, a2]).messages[0]
    (msg,) = Run([a2, a1]).messages
    assert msg.payload == in_order.payload
    assert msg.line_nos == (1, 2)


def test_interleaved_messages_with_different_seq_ids() -> None:
    a1, a2 = type5(412000001, 1)
    b1, b2 = type5(412000002, 2)
    c1, c2 = type5(412000003, 3, channel="B")
    run = Run([a1, b1, FILLER, c1, b2, a2, c2])
    assert [m.line_nos for m in run.messages] == [(3,), (2, 5), (1, 6), (4, 7)]
    assert run.rejects == []


def test_same_message_from_two_receivers_interleaved() -> None:
    a1, a2 = type5(412000001, 1)
    lines = [
        tag_block({"s": "rx1", "c": 100}) + a1,
        tag_block({"s": "rx2", "c": 101}) + a1,
        tag_block({"s": "rx1"}) + a2,
        tag_block({"s": "rx2"}) + a2,
    ]
    run = Run(lines)
    assert [(m.source, m.ts_ms, m.line_nos) for m in run.messages] == [
        ("rx1", 100_000, (1, 3)),
        ("rx2", 101_000, (2, 4)),
    ]


def test_tag_block_group_joins_fragment_without_source() -> None:
    a1, a2 = type5(412000001, 2)
    lines = [
        tag_block({"g": "1-2-3454", "s": "41925", "c": 1635731893}) + a1,
        tag_block({"g": "1-2-3455", "s": "41925", "c": 1635731894}) + type5(412000002, 2)[0],
        tag_block({"g": "2-2-3454"}) + a2,
    ]
    run = Run(lines)
    (msg,) = run.messages
    assert (msg.source, msg.ts_ms, msg.line_nos) == ("41925", 1635731893000, (1, 3))
    assert run.assembler.pending_lines() == [(2, lines[1].encode())]


def test_untagged_second_fragment_joins_tagged_first() -> None:
    a1, a2 = type5(412000001, 1)
    run = Run([tag_block({"s": "rx1", "c": 1709251200}) + a1, a2])
    (msg,) = run.messages
    assert (msg.source, msg.ts_ms) == ("rx1", 1709251200000)


def test_time_from_first_fragment_that_has_one() -> None:
    a1, a2 = type5(412000001, 1)
    run = Run([a1, tag_block({"c": 1709251260, "s": "late"}) + a2])
    (msg,) = run.messages
    assert (msg.ts_ms, msg.source) == (1709251260000, "late")
    run = Run([tag_block({"c": 1709251270}) + a2, tag_block({"c": 1709251200}) + a1])
    assert run.messages[0].ts_ms == 1709251200000  # fragment 1 first, by number


@pytest.mark.parametrize(("gap", "orphaned"), [(49, False), (50, False), (51, True)])
def test_orphan_bound_is_50_further_lines(gap: int, orphaned: bool) -> None:
    a1, a2 = type5(412000001, 1)
    lines = [a1, *[FILLER] * (gap - 1), a2]
    run = Run(lines)
    if orphaned:
        assert run.reasons() == [(1, "fragment_orphan")]
        assert "50 lines" in run.rejects[0].detail
        assert all(len(m.line_nos) == 1 for m in run.messages)  # only the fillers
        assert run.assembler.pending_lines() == [(gap + 1, a2.encode())]
    else:
        assert run.rejects == []
        assert run.messages[-1].line_nos == (1, gap + 1)


def test_custom_bound() -> None:
    a1, a2 = type5(412000001, 1)
    assert Run([a1, FILLER, FILLER, a2], max_span_lines=2).reasons() == [(1, "fragment_orphan")]
    assert Run([a1, FILLER, FILLER, a2], max_span_lines=3).rejects == []
    with pytest.raises(ValueError, match="max_span_lines"):
        Assembler([], [], max_span_lines=0)


def test_orphans_are_rejected_in_line_order_across_messages() -> None:
    a1, _ = type5(412000001, 1)
    b1, _ = type5(412000002, 2)
    run = Run([a1, b1, *[FILLER] * 60])
    assert run.reasons() == [(1, "fragment_orphan"), (2, "fragment_orphan")]
    assert run.assembler.has_pending() is False


def test_repeated_fragment_number_starts_a_new_message() -> None:
    a1, a2 = type5(412000001, 1)
    b1, b2 = type5(412000002, 1)  # same seq id reused after a lost fragment
    run = Run([a1, b1, b2])
    assert run.reasons() == [(1, "fragment_orphan")]
    assert "superseded" in run.rejects[0].detail
    assert [m.line_nos for m in run.messages] == [(2, 3)]
    assert (
        run.messages[0].payload
        == Run([b1, b2]).messages[0].payload
        != Run([a1, a2]).messages[0].payload
    )


def test_group_fragment_count_mismatch() -> None:
    a1, _ = type5(412000001, 1)
    three = sentence("88888888880", fill_bits=2, count=3, number=2, seq_id="1")
    lines = [tag_block({"g": "1-2-9"}) + a1, tag_block({"g": "2-3-9"}) + three]
    run = Run(lines)
    assert run.reasons() == [(2, "fragment_mismatch")]
    assert run.assembler.pending_line_count() == 1


def test_different_counts_under_seq_key_are_different_messages() -> None:
    a1, a2 = type5(412000001, 1)
    three = sentence("88888888880", fill_bits=2, count=3, number=2, seq_id="1")
    run = Run([a1, three, a2])
    assert [m.line_nos for m in run.messages] == [(1, 3)]
    assert run.assembler.pending_lines() == [(2, three.encode())]


def test_pending_at_end_is_not_rejected() -> None:
    a1, _ = type5(412000001, 1)
    run = Run([FILLER, a1, FILLER])
    assert run.rejects == []
    assert run.assembler.pending_line_count() == 1
    assert run.assembler.pending_lines() == [(2, a1.encode())]


def test_whole_message_on_one_line() -> None:
    a1, a2 = type5(412000001, 4)
    line = tag_block({"c": 1698785948, "s": "rMT2083"}) + a1 + tag_block({"c": 1698785947}) + a2
    run = Run([line])
    (msg,) = run.messages
    assert msg.line_nos == (1,)
    assert msg.raws == (line.encode(),)
    assert msg.ts_ms == 1698785948000
    assert msg.payload == Run([a1, a2]).messages[0].payload


def test_line_with_fragments_of_two_messages_is_rejected() -> None:
    a1, _ = type5(412000001, 4)
    b1, _ = type5(412000002, 5)
    assert Run([a1 + b1]).reasons() == [(1, "fragment_mismatch")]


def test_line_with_two_single_messages_is_rejected() -> None:
    assert Run([FILLER + FILLER]).reasons() == [(1, "bad_format")]


def test_single_sentence_with_seq_id_is_a_message() -> None:
    run = Run([sentence("15N1u<PP1FJuvSRHOE6QIwwh0HQ6", seq_id="5")])
    assert len(run.messages) == 1
