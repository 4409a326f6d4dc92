"""AIVDM/AIVDO sentences: framing, checksums, tag blocks, multipart assembly, decoding.

The steps are separate so that each can be tested and the decode step swapped:
:func:`frame_line` (one line -> sentences or a reject), :class:`Assembler`
(sentences -> complete messages), :func:`decode_with_pyais` (payloads -> columns).
These per-line steps are the reference. The bulk path does the same for whole
batches of lines with compiled kernels (numba, :mod:`zonewatch.nmea.jit`) and
NumPy: :func:`~zonewatch.nmea.bulkframe.frame_lines`,
:func:`~zonewatch.nmea.fastdecode.decode_spans` (or :func:`decode_fast`, a
drop-in for ``decode_with_pyais``) and :class:`BulkDecoder`, which hands the
lines it cannot settle to the reference steps.
"""

from __future__ import annotations

from zonewatch.nmea.bulk import BatchResult, BulkDecoder
from zonewatch.nmea.decode import (
    DecodedBatch,
    DecodeFailure,
    PayloadDecoder,
    decode_with_pyais,
)
from zonewatch.nmea.fastdecode import decode_fast
from zonewatch.nmea.framing import FrameReject, Sentence, TagGroup, frame_line, nmea_checksum
from zonewatch.nmea.multipart import Assembler, FragmentReject, Message

__all__ = [
    "Assembler",
    "BatchResult",
    "BulkDecoder",
    "DecodeFailure",
    "DecodedBatch",
    "FragmentReject",
    "FrameReject",
    "Message",
    "PayloadDecoder",
    "Sentence",
    "TagGroup",
    "decode_fast",
    "decode_with_pyais",
    "frame_line",
    "nmea_checksum",
]
