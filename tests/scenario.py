"""Hand-made scenarios around Uotsuri-shima, written as tag-blocked NMEA files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from pyproj import Geod

from nmea_builder import position, static
from zonewatch.zones import load_zone_set

JST = ZoneInfo("Asia/Tokyo")
UOTSURI = (123.476, 25.744)
GEOD = Geod(ellps="WGS84")
CCG = 413555001
CCG2 = 413555002
JP_FISHING = 431000123
CN_FISHING = 412000456


def jst(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JST).astimezone(dt.UTC)


def point_at(distance_nm: float, bearing_deg: float) -> tuple[float, float]:
    """The point on a ray from Uotsuri-shima at ``distance_nm`` from the senkaku baseline."""
    zone_set = load_zone_set("senkaku")
    lo, hi = 0.0, 80_000.0 * 1.852
    for _ in range(60):
        mid = (lo + hi) / 2
        lon, lat, _ = GEOD.fwd(UOTSURI[0], UOTSURI[1], bearing_deg, mid)
        d = float(zone_set.distance_nm(np.array([lon]), np.array([lat]))[0])
        if d < distance_nm:
            lo = mid
        else:
            hi = mid
    lon, lat, _ = GEOD.fwd(UOTSURI[0], UOTSURI[1], bearing_deg, (lo + hi) / 2)
    return float(lon), float(lat)


def statics(t: dt.datetime) -> list[str]:
    lines: list[str] = []
    lines += static(CCG, t, "CHINA COAST GUARD 2501", "BCG2501", 55, seq=1)
    lines += static(CCG2, t, "ZHONG GUO HAI JING 1305", "BCG1305", 55, seq=2)
    lines += static(JP_FISHING, t, "DAI ICHI MARU", "JA1234", 30, seq=3)
    lines += static(CN_FISHING, t, "MIN SHI YU 01234", "BZ1234", 30, seq=4)
    return lines


def stay(
    mmsi: int,
    start: dt.datetime,
    end: dt.datetime,
    distance_nm: float,
    bearing_deg: float = 270.0,
    step_min: int = 10,
    station: str = "rx1",
) -> list[tuple[dt.datetime, str]]:
    """Fixes every ``step_min`` at a fixed distance west of the islands (a loiter)."""
    lon, lat = point_at(distance_nm, bearing_deg)
    out = []
    t = start
    while t <= end:
        out.append((t, position(mmsi, t, lon, lat, speed=0.5, station=station)))
        t += dt.timedelta(minutes=step_min)
    return out


def write(path: Path, timed: list[tuple[dt.datetime, str]], head: list[str] | None = None) -> Path:
    """Write statics first, then the fixes in time order."""
    timed = sorted(timed, key=lambda item: item[0])
    lines = (head or []) + [line for _, line in timed]
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path
