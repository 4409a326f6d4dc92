"""Settings of a simulated scenario around the Senkaku Islands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zonewatch.errors import ParameterError

__all__ = ["SimConfig"]


@dataclass(frozen=True)
class SimConfig:
    """Everything that shapes a simulated period of AIS traffic; one seed, one output.

    Rates are per calendar day in Asia/Tokyo unless stated. The defaults give a
    year that resembles what Japan's Coast Guard reported for 2023-2024: about
    350 contiguous-zone days and about 40 territorial-sea intrusions, around
    0.9 million NMEA lines.

    Attributes
    ----------
    start, days
        First local (Asia/Tokyo) day and number of days simulated.
    seed
        Seed of the random generator; the same config always gives the same bytes.
    cz_day_rate
        Long-run share of days on which a China Coast Guard group is in the
        contiguous zone (groups stay for runs of weeks; absences last ~1-2 days).
    intrusions_per_year
        Planned territorial-sea intrusion incidents per 365.25 days.
    fishing_approach_share
        Share of intrusions in which a CCG ship shadows a Japanese fishing boat.
    group_size
        Smallest and largest number of CCG ships in a patrol group.
    n_ccg
        CCG ships in the pool (at most 12; fixed MMSIs).
    report_interval_s
        Position report interval of CCG and JCG ships.
    fishing_report_interval_s, merchant_report_interval_s
        Position report intervals of fishing boats (class B) and merchant ships.
    static_interval_s
        Static data (type 5, or type 24 A+B) is sent when a vessel appears and then
        about this often.
    n_fishing_jp, n_fishing_cn, n_merchant
        Pools of Japanese fishing boats, Chinese fishing boats and merchant ships.
    jp_fishing_trips_per_week
        Japanese fishing trips to the islands per week, besides those the CCG approaches.
    merchant_transits_per_day
        Merchant ships crossing the 60 nm circle around the islands per day.
    decoy_trips_per_year
        Survey trips of a Chinese research ship (China MID, not a fleet member)
        into the contiguous zone and territorial sea.
    gap_rate
        Probability that a CCG ship goes silent for 1-5 h during a slow drift
        phase while well inside the contiguous zone.
    dark_outside_rate
        Probability, per absence run, that a lone CCG ship waits outside the
        contiguous zone and goes silent for more than 6 h (the line between its
        fixes crosses the zone, but a gap over 6 h ends the track segment).
    duplicate_rate
        Share of position sentences also heard by a second receiver (``s:rx2``).
    spoof_rate
        Share of position fixes followed by a spoofed fix hundreds of km away.
    corrupt_rate
        Corrupted lines added per emitted line (bad checksum, truncated, bad
        payload, garbage text, lone first fragment).
    encounters_per_month
        Chinese fishing boats meeting a fish carrier at sea, both drifting side
        by side for 2.5-5.5 h outside the contiguous zone (the first crosses
        midnight UTC, the second midnight in Tokyo). Months are 30 days.
    loitering_merchants_per_month
        Merchant transits that stop and drift for 3-9 h outside the contiguous zone.
    shared_mmsi_per_month
        Episodes in which a second transmitter, far away, uses a Chinese fishing
        boat's MMSI for 2-5 h.
    null_island_per_month
        Merchant transits reporting one to three consecutive fixes at (0, 0).
    gps_faults_per_month
        Trips of a coaster off north-east Taiwan whose receiver puts two or three
        consecutive fixes inland.
    n_carrier, n_meeting
        Pools of fish carriers and of the fishing boats that meet them.
    compress
        Write ``senkaku.nmea.gz`` instead of ``senkaku.nmea``.
    """

    start: dt.date = dt.date(2024, 1, 1)
    days: int = 366
    seed: int = 0
    cz_day_rate: float = 0.955
    intrusions_per_year: float = 40.0
    fishing_approach_share: float = 0.4
    group_size: tuple[int, int] = (2, 4)
    n_ccg: int = 10
    report_interval_s: int = 600
    fishing_report_interval_s: int = 600
    merchant_report_interval_s: int = 360
    static_interval_s: int = 3 * 3600
    n_fishing_jp: int = 8
    n_fishing_cn: int = 14
    n_merchant: int = 40
    jp_fishing_trips_per_week: float = 1.5
    merchant_transits_per_day: float = 8.0
    decoy_trips_per_year: float = 10.0
    gap_rate: float = 0.15
    dark_outside_rate: float = 0.6
    duplicate_rate: float = 0.08
    spoof_rate: float = 0.0005
    corrupt_rate: float = 0.001
    encounters_per_month: float = 3.0
    loitering_merchants_per_month: float = 2.0
    shared_mmsi_per_month: float = 2.0
    null_island_per_month: float = 3.0
    gps_faults_per_month: float = 2.0
    n_carrier: int = 4
    n_meeting: int = 4
    compress: bool = False

    def __post_init__(self) -> None:
        def bad(name: str, value: object, why: str) -> ParameterError:
            return ParameterError(f"SimConfig.{name}={value!r}: {why}")

        if self.days < 1:
            raise bad("days", self.days, "must be at least 1")
        if not 0.0 <= self.cz_day_rate <= 1.0:
            raise bad("cz_day_rate", self.cz_day_rate, "must be in [0, 1]")
        lo, hi = self.group_size
        if not 1 <= lo <= hi <= 4:
            raise bad("group_size", self.group_size, "must satisfy 1 <= min <= max <= 4")
        if not 2 * hi <= self.n_ccg <= 12:
            raise bad("n_ccg", self.n_ccg, f"must be in [{2 * hi}, 12] for groups of {hi}")
        for name in (
            "report_interval_s",
            "fishing_report_interval_s",
            "merchant_report_interval_s",
        ):
            value = getattr(self, name)
            if not 120 <= value <= 1800:
                raise bad(name, value, "must be in [120, 1800] s")
        if not 1800 <= self.static_interval_s <= 86400:
            raise bad("static_interval_s", self.static_interval_s, "must be in [1800, 86400] s")
        for name in ("n_fishing_jp", "n_fishing_cn", "n_merchant", "n_carrier", "n_meeting"):
            value = getattr(self, name)
            if not 1 <= value <= 999:
                raise bad(name, value, "must be in [1, 999]")
        for name in (
            "encounters_per_month",
            "loitering_merchants_per_month",
            "shared_mmsi_per_month",
            "null_island_per_month",
            "gps_faults_per_month",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 30.0:
                raise bad(name, value, "must be in [0, 30]")
        for name in (
            "intrusions_per_year",
            "jp_fishing_trips_per_week",
            "merchant_transits_per_day",
            "decoy_trips_per_year",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1000.0:
                raise bad(name, value, "must be in [0, 1000]")
        for name in (
            "fishing_approach_share",
            "gap_rate",
            "dark_outside_rate",
            "duplicate_rate",
            "spoof_rate",
            "corrupt_rate",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise bad(name, value, "must be in [0, 1]")
        if self.spoof_rate > 0.05:
            raise bad("spoof_rate", self.spoof_rate, "must be at most 0.05 (isolated spoofs)")
        if self.corrupt_rate > 0.05:
            raise bad("corrupt_rate", self.corrupt_rate, "must be at most 0.05")
