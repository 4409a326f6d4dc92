"""Who sails in the scenario: MMSIs, names, call signs and ship types.

The China Coast Guard ships and the Japan Coast Guard patrol ships are fixed
lists (the same MMSIs for every seed). Fishing boats and merchant ships are
drawn from a fixed internal seed, so they too do not change with the
scenario's seed. AIS names hold at most 20 characters, so CCG names use the
compact forms seen on AIS (``CHINACOASTGUARD2301``, ``ZHONGGUOHAIJING1401``)
or the short ones (``HAI JING 2502``); each matches one of the fleet patterns
``CHINA COAST GUARD``/``CHINACOASTGUARD``/``ZHONG GUO HAI JING``/``HAIJING``/``HAI JING``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = ["Identity", "Roster", "roster"]

Role = Literal[
    "ccg", "jcg", "fishing_jp", "fishing_cn", "merchant", "decoy", "carrier", "meeting", "coaster"
]


@dataclass(frozen=True)
class Identity:
    """Static data of one simulated vessel."""

    mmsi: int
    name: str
    callsign: str
    ship_type: int
    role: Role
    class_b: bool = False
    length_m: int = 50
    beam_m: int = 8
    imo: int = 0
    destination: str = ""


_CCG = (
    (413520230, "CHINACOASTGUARD2301", "BOCG231"),
    (413520231, "CHINACOASTGUARD2302", "BOCG232"),
    (413520233, "CHINACOASTGUARD2305", "BOCG235"),
    (413520238, "CHINA COAST GUARD", "BOCG238"),
    (413529140, "ZHONGGUOHAIJING1401", "BOHJ141"),
    (413529141, "ZHONG GUO HAI JING", "BOHJ142"),
    (412520250, "HAI JING 2502", "BOHJ252"),
    (412520251, "HAIJING 2501", "BOHJ251"),
    (412520130, "CHINACOASTGUARD1305", "BOCG135"),
    (412529310, "ZHONGGUOHAIJING2306", "BOHJ236"),
    (413520240, "CHINACOASTGUARD2401", "BOCG241"),
    (412520310, "HAI JING 3105", "BOHJ315"),
)

_JCG = (
    (431000561, "JCG PL 61 HATERUMA", "JGPL61"),
    (431000562, "JCG PL 62 ISHIGAKI", "JGPL62"),
    (431000563, "JCG PL 63 KARIMATA", "JGPL63"),
    (431000564, "JCG PL 64 IRABU", "JGPL64"),
    (431000565, "JCG PL 65 TARAMA", "JGPL65"),
    (431000509, "JCG PLH 09 RYUKYU", "JGPLH09"),
)

_DECOY = Identity(
    413301880, "XIANG YANG HONG 18", "BSRV18", 90, "decoy", length_m=100, beam_m=17, imo=9871234
)

_JP_NAMES = (
    "DAI ICHI SHINKO MARU", "ZUIHO MARU", "DAI 8 KAIYO MARU", "TOMI MARU NO 3",
    "KATSU MARU", "DAI 2 YAEYAMA MARU", "HOKO MARU", "DAI 11 EBISU MARU",
    "SEISHO MARU", "DAI 3 KOTOBUKI MARU",
)  # fmt: skip
_CN_PREFIXES = (
    "MIN SHI YU",
    "MIN LONG YU",
    "ZHE LING YU",
    "ZHE DAI YU",
    "MIN JIN YU",
    "FU YUAN YU",
)
_MERCHANT_WORDS = (
    "EVER", "OCEAN", "PACIFIC", "GLORY", "STAR", "BRIGHT", "GRACE", "SUN", "HARMONY", "PEARL",
    "ORIENT", "SEA", "ASIA", "GOLDEN", "SILVER", "FORTUNE", "PIONEER", "UNITY", "VICTORY", "LUCKY",
)  # fmt: skip
_MERCHANT_MIDS = (351, 352, 353, 354, 355, 356, 357, 370, 371, 372, 373, 636, 538, 477, 563, 564,
                  565, 431, 413, 416, 440, 441, 215, 249)  # fmt: skip


_CARRIER_NAMES = ("LU RONG YU LENG 8", "ZHE DAI LENG 66", "FU YUAN YU LENG 9", "MIN LENG 818")
_COASTER = Identity(
    416004120, "TAI HSING NO 12", "BR4120", 70, "coaster", length_m=48, beam_m=9, imo=9300412
)


@dataclass(frozen=True)
class Roster:
    """All identities of a scenario, by role.

    ``carrier`` ships (fish carriers, China MID) meet the ``meeting`` fishing
    boats (China MID, ship type 30) at sea; the ``coaster`` sails off Taiwan.
    """

    ccg: tuple[Identity, ...]
    jcg: tuple[Identity, ...]
    fishing_jp: tuple[Identity, ...]
    fishing_cn: tuple[Identity, ...]
    merchant: tuple[Identity, ...]
    decoy: Identity
    carrier: tuple[Identity, ...] = ()
    meeting: tuple[Identity, ...] = ()
    coaster: Identity = _COASTER

    def all(self) -> tuple[Identity, ...]:
        """Every identity, fleet first."""
        return (
            self.ccg + self.jcg + self.fishing_jp + self.fishing_cn + self.merchant + (self.decoy,)
            + self.carrier + self.meeting + (self.coaster,)
        )  # fmt: skip

    def fishing(self) -> tuple[Identity, ...]:
        """Every fishing vessel (AIS ship type 30)."""
        return self.fishing_jp + self.fishing_cn + self.meeting


def roster(
    n_ccg: int,
    n_fishing_jp: int,
    n_fishing_cn: int,
    n_merchant: int,
    n_carrier: int = 4,
    n_meeting: int = 4,
) -> Roster:
    """Identities for pools of the given sizes (independent of the scenario seed).

    The pools drawn last (carriers, meeting boats) never change the identities
    of the others.

    Examples
    --------
    >>> r = roster(10, 4, 4, 4)
    >>> r.ccg[0].name, r.ccg[0].mmsi, len(r.merchant)
    ('CHINACOASTGUARD2301', 413520230, 4)
    """
    rng = np.random.default_rng(20240101)
    ccg = tuple(Identity(m, n, c, 55, "ccg", length_m=99, beam_m=12) for m, n, c in _CCG[:n_ccg])
    jcg = tuple(Identity(m, n, c, 55, "jcg", length_m=89, beam_m=11) for m, n, c in _JCG)
    used: set[int] = {i.mmsi for i in ccg + jcg} | {_DECOY.mmsi}

    def fresh(mid: int) -> int:
        while True:
            mmsi = mid * 1_000_000 + int(rng.integers(0, 1_000_000))
            if mmsi not in used:
                used.add(mmsi)
                return mmsi

    jp = tuple(
        Identity(
            fresh(431 if k % 3 else 432),
            _JP_NAMES[k % len(_JP_NAMES)] if k < len(_JP_NAMES) else f"DAI {k} FUKU MARU",
            f"JD{2000 + 37 * k}",
            30,
            "fishing_jp",
            class_b=True,
            length_m=15,
            beam_m=4,
        )
        for k in range(n_fishing_jp)
    )
    cn = tuple(
        Identity(
            fresh(412),
            f"{_CN_PREFIXES[k % len(_CN_PREFIXES)]} {int(rng.integers(10000, 99999)):05d}",
            f"BZ{int(rng.integers(1000, 9999))}",
            30,
            "fishing_cn",
            class_b=True,
            length_m=35,
            beam_m=7,
        )
        for k in range(n_fishing_cn)
    )
    merchant = []
    for _k in range(n_merchant):
        mid = int(rng.choice(_MERCHANT_MIDS))
        words = rng.choice(len(_MERCHANT_WORDS), size=2, replace=False)
        name = f"{_MERCHANT_WORDS[words[0]]} {_MERCHANT_WORDS[words[1]]} {int(rng.integers(1, 30))}"
        cargo = bool(rng.random() < 0.6)
        merchant.append(
            Identity(
                fresh(mid),
                name[:20],
                f"{'V' if mid < 400 else 'B'}R{int(rng.integers(1000, 9999))}",
                int(rng.integers(70, 80) if cargo else rng.integers(80, 90)),
                "merchant",
                length_m=int(rng.integers(120, 300)),
                beam_m=int(rng.integers(20, 45)),
                imo=int(rng.integers(9_100_000, 9_900_000)),
                destination=str(rng.choice(["SHANGHAI", "KAOHSIUNG", "NAHA", "BUSAN", "KEELUNG"])),
            )
        )
    used.add(_COASTER.mmsi)
    carrier = tuple(
        Identity(
            fresh(413 if k % 2 else 412),
            _CARRIER_NAMES[k % len(_CARRIER_NAMES)] + ("" if k < len(_CARRIER_NAMES) else f"{k}"),
            f"BL{int(rng.integers(1000, 9999))}",
            70,
            "carrier",
            length_m=int(rng.integers(70, 110)),
            beam_m=int(rng.integers(12, 17)),
            imo=int(rng.integers(8_500_000, 9_400_000)),
            destination="ZHOUSHAN",
        )
        for k in range(n_carrier)
    )
    meeting = tuple(
        Identity(
            fresh(412),
            f"{_CN_PREFIXES[(k + 3) % len(_CN_PREFIXES)]} {int(rng.integers(10000, 99999)):05d}",
            f"BZ{int(rng.integers(1000, 9999))}",
            30,
            "meeting",
            class_b=True,
            length_m=38,
            beam_m=7,
        )
        for k in range(n_meeting)
    )
    return Roster(ccg, jcg, jp, cn, tuple(merchant), _DECOY, carrier, meeting)
