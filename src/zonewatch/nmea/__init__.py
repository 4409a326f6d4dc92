"""AIVDM/AIVDO sentences: framing, checksums, tag blocks, multipart assembly, decoding.

The steps are separate so that each can be tested and the decode step swapped:
:func:`frame_line` (one line -> sentences or a reject), :class:`Assembler`
(sentences -> complete messages), :func:`decode_with_pyais` (payloads -> columns).
"""

from __future__ import annotations

from zonewatch.nmea.decode import (
    DecodedBatch,
    DecodeFailure,
    PayloadDecoder,
    decode_with_pyais,
)
from zonewatch.nmea.framing import FrameReject, Sentence, TagGroup, frame_line, nmea_checksum
from zonewatch.nmea.multipart import Assembler, FragmentReject, Message

__all__ = [
    "Assembler",
    "DecodeFailure",
    "DecodedBatch",
    "FragmentReject",
    "FrameReject",
    "Message",
    "PayloadDecoder",
    "Sentence",
    "TagGroup",
    "decode_with_pyais",
    "frame_line",
    "nmea_checksum",
]
