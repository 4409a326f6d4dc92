"""An independent, brute-force reading of a simulated NMEA file, to check the simulator's truth.

It shares nothing with zonewatch.sim but the zone set: lines are parsed here,
payloads decoded by pyais, spoofed fixes dropped by the 50 kn rule, tracks
split at gaps over 6 h and sampled every ``step_s`` seconds along the straight
lon/lat lines between fixes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pyais

from zonewatch.zones import load_zone_set

_PAYLOAD = re.compile(r"[0-W`-w]+")


@dataclass(frozen=True)
class Fix:
    mmsi: int
    t: int
    lon: float
    lat: float
    sog: float
    cog: float
    source: str
    line_no: int


def _xor(text: str) -> int:
    out = 0
    for ch in text.encode():
        out ^= ch
    return out


def parse_tagged(line: str) -> tuple[dict[str, str], str] | None:
    """Tag-block fields and sentence of a line whose tag block and sentence checksums are valid."""
    if not line.startswith("\\"):
        return None
    end = line.index("\\", 1)
    tag = line[1:end]
    body, check = tag.rsplit("*", 1)
    if int(check, 16) != _xor(body):
        return None
    sentence = line[end + 1 :]
    if "*" not in sentence or int(sentence[-2:], 16) != _xor(sentence[1 : sentence.index("*")]):
        return None
    return dict(kv.split(":", 1) for kv in body.split(",")), sentence


def read_positions(path: Path) -> list[Fix]:
    """Every valid single-sentence type 1/18 report, decoded by pyais."""
    out = []
    for no, line in enumerate(path.read_text().splitlines(), start=1):
        parsed = parse_tagged(line)
        if parsed is None:
            continue
        tags, sentence = parsed
        fields = sentence.split(",")
        if len(fields) != 7 or fields[1] != "1" or fields[5][:1] not in ("1", "B"):
            continue
        if _PAYLOAD.fullmatch(fields[5]) is None:
            continue
        msg = pyais.decode(sentence)
        if msg.msg_type not in (1, 18):
            continue
        out.append(
            Fix(msg.mmsi, int(tags["c"]), msg.lon, msg.lat, msg.speed, msg.course, tags["s"], no)
        )
    return out


def _nm(lon0: float, lat0: float, lon1: float, lat1: float) -> float:
    k = math.cos(math.radians(0.5 * (lat0 + lat1)))
    return math.hypot((lon1 - lon0) * 60 * k, (lat1 - lat0) * 60)


def clean_track(fixes: list[Fix]) -> list[Fix]:
    """Sort, drop exact repeats, drop fixes faster than 50 kn against both neighbours."""
    fixes = sorted(fixes, key=lambda f: (f.t, f.source))
    uniq: list[Fix] = []
    for f in fixes:
        if uniq and (f.lon, f.lat) == (uniq[-1].lon, uniq[-1].lat) and f.t - uniq[-1].t <= 1:
            continue
        uniq.append(f)

    def speed(a: Fix, b: Fix) -> float:
        return _nm(a.lon, a.lat, b.lon, b.lat) / max(abs(b.t - a.t), 1) * 3600

    kept = []
    for i, f in enumerate(uniq):
        prev = uniq[i - 1] if i > 0 else None
        nxt = uniq[i + 1] if i + 1 < len(uniq) else None
        fast = [speed(f, n) > 50 for n in (prev, nxt) if n is not None]
        if fast and all(fast):
            continue
        kept.append(f)
    return kept


@dataclass(frozen=True)
class Reading:
    days: dict[dt.date, tuple[frozenset[int], frozenset[int]]]
    incidents: list[tuple[float, float, frozenset[int]]]


def brute_force(
    tracks: dict[int, list[Fix]], start: dt.date, n_days: int, step_s: int = 30
) -> Reading:
    """Days and incidents by sampling every track every ``step_s`` seconds."""
    zs = load_zone_set("senkaku")
    tz = ZoneInfo("Asia/Tokyo")
    t0 = dt.datetime.combine(start, dt.time(), tz).timestamp()
    t_end = dt.datetime.combine(start + dt.timedelta(days=n_days), dt.time(), tz).timestamp()
    cz: list[set[int]] = [set() for _ in range(n_days)]
    ts: list[set[int]] = [set() for _ in range(n_days)]
    pieces: list[tuple[float, float, int]] = []
    for mmsi, fixes in tracks.items():
        t = np.array([f.t for f in fixes], dtype=np.float64)
        lon = np.array([f.lon for f in fixes])
        lat = np.array([f.lat for f in fixes])
        breaks = np.nonzero(np.diff(t) > 6 * 3600)[0] + 1
        for a, b in zip(np.r_[0, breaks], np.r_[breaks, len(t)], strict=True):
            seg_t = t[a:b]
            grid = np.unique(np.concatenate([np.arange(seg_t[0], seg_t[-1], step_s), seg_t]))
            grid = grid[(grid >= t0) & (grid < t_end)]
            if grid.size == 0:
                continue
            d = zs.distance_nm(np.interp(grid, seg_t, lon[a:b]), np.interp(grid, seg_t, lat[a:b]))
            day = ((grid - t0) // 86400).astype(int)  # Asia/Tokyo has no DST
            for k in np.unique(day[d <= 24.0]):
                cz[k].add(mmsi)
            for k in np.unique(day[d <= 12.0]):
                ts[k].add(mmsi)
            inside = d <= 12.0
            edges = np.diff(np.r_[0, inside.astype(int), 0])
            for s_i, e_i in zip(
                np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0] - 1, strict=True
            ):
                pieces.append((float(grid[s_i]), float(grid[e_i]), mmsi))
    pieces.sort()
    incidents: list[tuple[float, float, frozenset[int]]] = []
    for s, e, m in pieces:
        if incidents and s - incidents[-1][1] < 3600:
            a, b, vs = incidents[-1]
            incidents[-1] = (a, max(b, e), vs | {m})
        else:
            incidents.append((s, e, frozenset({m})))
    days = {
        start + dt.timedelta(days=i): (frozenset(cz[i]), frozenset(ts[i])) for i in range(n_days)
    }
    return Reading(days, incidents)
