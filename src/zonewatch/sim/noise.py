"""Noise planted in the simulated feed: spoofed fixes, second-receiver duplicates, corrupt lines.

Each corrupted line is an *extra* line (a damaged copy of a real one, or
garbage), so corruption never removes information the ground truth relies on;
each is built so that exactly one reject reason of
:data:`zonewatch.schema.REJECT_REASONS` applies:

``bad_checksum``
    a position line whose sentence checksum is wrong (tag block intact);
``bad_format``
    a sentence cut inside its payload, losing the fill-bits field, with a
    checksum that matches the cut text (so only the field count is wrong);
``bad_payload``
    one payload character replaced by ``x``, ``y`` or ``z`` (outside the
    six-bit alphabet), checksum recomputed;
``not_ais``
    free text or another NMEA sentence, without ``!`` or a tag block;
``fragment_orphan``
    the first of two fragments of a type 5 message (sequence id 9, used by
    nothing else) whose second never comes; the simulator keeps it more than
    50 lines from any other orphan and from the end of the file.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from pyproj import Geod

from zonewatch.sim.encode import frame_sentence, nmea_checksum, tag_block
from zonewatch.sim.geometry import CENTER_LAT, CENTER_LON

__all__ = [
    "CORRUPTION_KINDS",
    "ORPHAN_SEQ_ID",
    "SPOOF_SPACING",
    "corrupt_line",
    "corruption_counts",
    "garbage_line",
    "orphan_line",
    "pick_spoofs",
    "spoof_positions",
]

CORRUPTION_KINDS: dict[str, float] = {
    "bad_checksum": 0.30,
    "bad_format": 0.20,
    "bad_payload": 0.15,
    "not_ais": 0.25,
    "fragment_orphan": 0.10,
}
"""Corruption kinds (named by the reject reason they cause) and their shares."""

ORPHAN_SEQ_ID = "9"
"""Sequence id reserved for orphan fragments (normal type 5 messages use 0-8)."""

_MAX_NEIGHBOUR_S = 900

SPOOF_SPACING = 12
"""Spoofed fixes are at least this many fixes apart (more than an identity check looks back)."""


def pick_spoofs(
    mmsi: NDArray[np.int64],
    t: NDArray[np.int64],
    n: int,
    rng: np.random.Generator,
    protect: NDArray[np.bool_] | None = None,
) -> NDArray[np.int64]:
    """Indices ``k`` of fixes (sorted by vessel, time) after which to insert a spoofed fix.

    Only where the vessel has fixes ``k-1, k, k+1, k+2`` at most 15 min apart
    (so both neighbours of the spoof are real and close in time), none of them
    ``protect``-ed, and at least :data:`SPOOF_SPACING` fixes apart from each
    other (so that two spoofs never look like a second transmitter).
    """
    if n <= 0 or len(t) < 4:
        return np.zeros(0, dtype=np.int64)
    k = np.arange(1, len(t) - 2)
    same = (mmsi[k - 1] == mmsi[k]) & (mmsi[k + 1] == mmsi[k]) & (mmsi[k + 2] == mmsi[k])
    if protect is not None:
        same &= ~(protect[k - 1] | protect[k] | protect[k + 1] | protect[k + 2])
    dt0 = t[k] - t[k - 1]
    dt1 = t[k + 1] - t[k]
    dt2 = t[k + 2] - t[k + 1]
    ok = same & (dt0 <= _MAX_NEIGHBOUR_S) & (dt1 >= 120) & (dt1 <= _MAX_NEIGHBOUR_S)
    ok &= dt2 <= _MAX_NEIGHBOUR_S
    cand = k[ok]
    if cand.size == 0:
        return np.zeros(0, dtype=np.int64)
    picks = np.sort(rng.choice(cand, size=min(n, cand.size), replace=False))
    keep = np.concatenate([[True], np.diff(picks) >= SPOOF_SPACING])
    return np.asarray(picks[keep], dtype=np.int64)


def spoof_positions(
    n: int, rng: np.random.Generator
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Lon/lat of ``n`` spoofed fixes, 250-500 km from the islands in random directions."""
    geod = Geod(ellps="WGS84")
    az = rng.uniform(0.0, 360.0, n)
    dist = rng.uniform(250e3, 500e3, n)
    lon, lat, _ = geod.fwd(np.full(n, CENTER_LON), np.full(n, CENTER_LAT), az, dist)
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def _split(line: bytes) -> tuple[bytes, bytes]:
    """Tag block (with backslashes) and sentence of a tag-blocked line."""
    end = line.index(b"\\", 1)
    return line[: end + 1], line[end + 1 :]


def corrupt_line(line: bytes, reason: str, rng: np.random.Generator) -> bytes:
    r"""A damaged copy of a single-sentence position line that a reader rejects for ``reason``.

    Examples
    --------
    >>> ok = b"\\s:rx1,c:1709251200*0C\\!AIVDM,1,1,,A,16:F2H@P1W8mEa0>hlh4lSnH0000,0*6F"
    >>> corrupt_line(ok, "bad_format", np.random.default_rng(1)).count(b",")
    6
    """
    tag, sentence = _split(line)
    body = sentence[1 : sentence.index(b"*")]
    fields = body.split(b",")
    payload = fields[5]
    if reason == "bad_checksum":
        good = int(sentence[-2:], 16)
        bad = (good + int(rng.integers(1, 256))) % 256
        return tag + sentence[:-2] + f"{bad:02X}".encode()
    if reason == "bad_format":
        cut = payload[: int(rng.integers(4, len(payload) - 4))]
        new_body = b",".join([*fields[:5], cut])
    elif reason == "bad_payload":
        at = int(rng.integers(0, len(payload)))
        bad_char = bytes([b"xyz"[int(rng.integers(0, 3))]])
        new_body = b",".join([*fields[:5], payload[:at] + bad_char + payload[at + 1 :], fields[6]])
    else:
        raise ValueError(f"corrupt_line cannot make {reason!r}")
    return tag + b"!" + new_body + b"*" + f"{nmea_checksum(new_body):02X}".encode()


_GARBAGE_CHARS = np.frombuffer(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,:;-_=+#()", dtype=np.uint8
)


def garbage_line(rng: np.random.Generator) -> bytes:
    """A line a reader rejects as ``not_ais``: free text, or a GPS sentence."""
    if rng.random() < 0.5:
        lat = rng.uniform(0, 90)
        lon = rng.uniform(0, 180)
        hh, mm, ss = (
            int(v) for v in (rng.integers(0, 24), rng.integers(0, 60), rng.integers(0, 60))
        )
        body = (
            f"GPGGA,{hh:02d}{mm:02d}{ss:02d}.00,{int(lat):02d}{(lat % 1) * 60:07.4f},N,"
            f"{int(lon):03d}{(lon % 1) * 60:07.4f},E,1,08,0.9,12.0,M,21.3,M,,"
        )
        return f"${body}*{nmea_checksum(body.encode()):02X}".encode()
    n = int(rng.integers(12, 70))
    text = _GARBAGE_CHARS[rng.integers(0, len(_GARBAGE_CHARS), n)].tobytes().strip()
    return text or b"no fix"


def orphan_line(payload: str, fill_bits: int, ts_s: int, channel: str) -> bytes:
    """The first of two fragments of a type 5 message, alone, on sequence id 9."""
    del fill_bits  # a first fragment carries no fill bits
    sentence = frame_sentence(payload, 0, 2, 1, ORPHAN_SEQ_ID, channel)
    return (tag_block("rx1", ts_s) + sentence).encode()


def corruption_counts(reasons: list[str]) -> dict[str, int]:
    """Count of corrupted lines per reason (every kind present, zeros included)."""
    return {k: sum(1 for r in reasons if r == k) for k in CORRUPTION_KINDS}
