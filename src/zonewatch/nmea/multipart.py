"""Assembly of multipart AIS messages from framed sentences.

Fragments are matched by the NMEA 4 tag-block group (``g:<n>-<size>-<id>``)
when the group size equals the fragment count, else by
``(source, channel, sequence id, fragment count)``, where a fragment without a
source (feeds often tag the first fragment only) joins the latest pending
message that matches on the rest. Fragments of different
messages may interleave and arrive in any order. A message must be complete
within ``max_span_lines`` lines after its first fragment's line, or its
fragments are rejected as ``fragment_orphan``; what is still incomplete at the
end of input is *pending*, not rejected.

Rules for conflicting fragments (documented choices):

- a fragment whose number the pending message already holds starts a new
  message under that key; the held fragments are rejected as
  ``fragment_orphan`` (sequence ids are reused, and a lost fragment must not
  swallow the next message);
- a fragment whose count differs from the pending message of the same
  tag-block group is rejected as ``fragment_mismatch``;
- a line that holds several sentences must hold exactly all fragments of one
  message (else ``fragment_mismatch``, or ``bad_format`` for several
  single-sentence messages on one line), so that every line keeps one fate.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

from zonewatch.nmea.framing import Sentence

__all__ = ["DEFAULT_MAX_SPAN_LINES", "Assembler", "FragmentReject", "Message"]

DEFAULT_MAX_SPAN_LINES = 50
"""A multipart message must be complete within this many lines after its first fragment."""

_Key = tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class Message:
    """One complete AIS message: the joined payload and where it came from.

    ``line_nos`` are the input lines that held its sentences, ascending, and
    ``raws`` those lines' bytes in the same order. ``ts_ms`` and ``source`` come
    from the first fragment (by fragment number) that has them.
    """

    payload: bytes
    fill_bits: int
    ts_ms: int | None
    source: str | None
    line_nos: tuple[int, ...]
    raws: tuple[bytes, ...]

    @property
    def line_no(self) -> int:
        """The line of the message's last sentence (where it became complete)."""
        return self.line_nos[-1]


@dataclass(frozen=True, slots=True)
class FragmentReject:
    """A line rejected in assembly: ``fragment_orphan``, ``fragment_mismatch`` or ``bad_format``."""

    line_no: int
    raw: bytes
    reason: str
    detail: str


@dataclass(slots=True)
class _Partial:
    count: int
    first_line: int
    describe: str
    fragments: dict[int, tuple[int, bytes, Sentence]] = field(default_factory=dict)


def _build(parts: Sequence[tuple[int, bytes, Sentence]]) -> Message:
    """Join fragments given in fragment-number order into one message."""
    ts_ms = next((s.ts_ms for _, _, s in parts if s.ts_ms is not None), None)
    source = next((s.source for _, _, s in parts if s.source is not None), None)
    by_line = sorted({line_no: raw for line_no, raw, _ in parts}.items())
    return Message(
        payload=b"".join(s.payload for _, _, s in parts),
        fill_bits=parts[-1][2].fill_bits,
        ts_ms=ts_ms,
        source=source,
        line_nos=tuple(line_no for line_no, _ in by_line),
        raws=tuple(raw for _, raw in by_line),
    )


class Assembler:
    """Turn framed lines into complete messages, in the order they complete.

    Complete messages are appended to ``messages``, rejected lines to
    ``rejects``; both lists belong to the caller, who may drain them at any time.

    Parameters
    ----------
    messages
        Output list of complete messages.
    rejects
        Output list of lines rejected during assembly.
    max_span_lines
        A multipart message must be complete by line ``first + max_span_lines``.

    Examples
    --------
    >>> from zonewatch.nmea.framing import frame_line
    >>> done: list[Message] = []
    >>> bad: list[FragmentReject] = []
    >>> asm = Assembler(done, bad)
    >>> lines = [
    ...     b"!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
    ...     b"!AIVDM,2,2,1,A,88888888880,2*25",
    ... ]
    >>> for n, line in enumerate(lines, 1):
    ...     asm.expire(n)
    ...     asm.push(n, line, frame_line(line))
    >>> done[0].line_nos, len(done[0].payload), asm.pending_line_count()
    ((1, 2), 71, 0)
    """

    __slots__ = ("_pending", "max_span_lines", "messages", "rejects")

    def __init__(
        self,
        messages: list[Message],
        rejects: list[FragmentReject],
        *,
        max_span_lines: int = DEFAULT_MAX_SPAN_LINES,
    ) -> None:
        if max_span_lines < 1:
            raise ValueError(f"max_span_lines must be >= 1, got {max_span_lines}")
        self.messages = messages
        self.rejects = rejects
        self.max_span_lines = max_span_lines
        self._pending: OrderedDict[_Key, _Partial] = OrderedDict()

    def has_pending(self) -> bool:
        """Whether any multipart message is waiting for fragments."""
        return bool(self._pending)

    def pending_line_count(self) -> int:
        """Return the number of lines held by incomplete messages."""
        return sum(len(p.fragments) for p in self._pending.values())

    def pending_lines(self) -> list[tuple[int, bytes]]:
        """Return ``(line_no, raw)`` of every line held by incomplete messages, by line."""
        held = [(n, raw) for p in self._pending.values() for n, raw, _ in p.fragments.values()]
        return sorted(held)

    def pending_sentences(self) -> list[Sentence]:
        """Return the sentences of the lines held by incomplete messages (in no set order)."""
        return [s for p in self._pending.values() for _, _, s in p.fragments.values()]

    def expire(self, line_no: int) -> None:
        """Reject, as orphans, messages that cannot complete by ``line_no`` any more."""
        pending = self._pending
        limit = line_no - self.max_span_lines
        while pending:
            key = next(iter(pending))
            partial = pending[key]
            if partial.first_line >= limit:
                return
            del pending[key]
            self._orphan(
                partial,
                f"{partial.describe}: not complete within {self.max_span_lines} lines "
                f"of line {partial.first_line}",
            )

    def _orphan(self, partial: _Partial, detail: str) -> None:
        held = sorted((n, raw, s.number) for n, raw, s in partial.fragments.values())
        for n, raw, number in held:
            self.rejects.append(
                FragmentReject(
                    n, raw, "fragment_orphan", f"fragment {number}/{partial.count} {detail}"
                )
            )

    def push(self, line_no: int, raw: bytes, sentences: Sequence[Sentence]) -> None:
        """Add the sentences of one framed line (call :meth:`expire` first)."""
        if len(sentences) > 1:
            self._push_whole_line(line_no, raw, sentences)
            return
        sentence = sentences[0]
        if sentence.count == 1:
            self.messages.append(
                Message(
                    sentence.payload,
                    sentence.fill_bits,
                    sentence.ts_ms,
                    sentence.source,
                    (line_no,),
                    (raw,),
                )
            )
            return
        group = sentence.group
        key: _Key
        if group is not None and group.size == sentence.count:
            key = ("g", group.group_id)
            describe = f"of group {group.group_id}"
        else:
            key = ("s", sentence.source, sentence.channel, sentence.seq_id, str(sentence.count))
            describe = f"(seq {sentence.seq_id or '-'}, channel {sentence.channel or '-'})"
        pending = self._pending
        partial = pending.get(key)
        if partial is None and key[0] == "s":
            key, partial = self._sourceless_match(key, sentence.number)
        if partial is not None:
            if partial.count != sentence.count:
                self.rejects.append(
                    FragmentReject(
                        line_no,
                        raw,
                        "fragment_mismatch",
                        f"fragment count {sentence.count} differs from {partial.count} "
                        f"of the message {describe} begun on line {partial.first_line}",
                    )
                )
                return
            if sentence.number in partial.fragments:
                del pending[key]
                self._orphan(partial, f"{describe}: superseded by a new message on line {line_no}")
                partial = None
        if partial is None:
            partial = _Partial(sentence.count, line_no, describe)
            pending[key] = partial
        partial.fragments[sentence.number] = (line_no, raw, sentence)
        if len(partial.fragments) == partial.count:
            del pending[key]
            fragments = partial.fragments
            self.messages.append(_build([fragments[i] for i in range(1, partial.count + 1)]))

    def _sourceless_match(self, key: _Key, number: int) -> tuple[_Key, _Partial | None]:
        """Find a pending message that differs from ``key`` only by a missing source.

        Feeds often put a tag block (with ``s:``) on the first fragment only.
        The most recent such message still missing fragment ``number`` wins.
        """
        source, rest = key[1], key[2:]
        for other in reversed(self._pending):
            if other[0] == "s" and other[2:] == rest and (source is None or other[1] is None):
                partial = self._pending[other]
                if number not in partial.fragments:
                    return other, partial
        return key, None

    def _push_whole_line(self, line_no: int, raw: bytes, sentences: Sequence[Sentence]) -> None:
        """Assemble a line of several sentences, which must be exactly one whole message."""
        n = len(sentences)
        if all(s.count == 1 for s in sentences):
            self.rejects.append(
                FragmentReject(line_no, raw, "bad_format", f"{n} separate messages on one line")
            )
            return
        numbers = sorted(s.number for s in sentences)
        if any(s.count != n for s in sentences) or numbers != list(range(1, n + 1)):
            self.rejects.append(
                FragmentReject(
                    line_no,
                    raw,
                    "fragment_mismatch",
                    f"the {n} sentences on this line are not the {n} fragments of one message",
                )
            )
            return
        ordered = sorted(sentences, key=lambda s: s.number)
        self.messages.append(_build([(line_no, raw, s) for s in ordered]))
