from __future__ import annotations

import re

import pytest
from pyais.constants import COUNTRY_MAPPING

from zonewatch.vessels.mid_table import MID_TABLE

# Where pyais's table (the oracle) differs from ours, ours follows ITU and ISO 3166-1:
# MIDs pyais lacks, and alpha-2 codes it gets wrong, each with the reason.
MISSING_FROM_PYAIS = {
    550: "Timor-Leste, allocated by ITU",
    638: "South Sudan, allocated by ITU in 2011",
}
KNOWN_DIFFERENCES = {
    608: ("SH", "IO", "Ascension is part of Saint Helena (SH), not the Indian Ocean Territory"),
    618: ("TF", "AQ", "Crozet lies north of 60 S: French Southern Territories (TF)"),
    635: ("TF", "AQ", "Kerguelen lies north of 60 S: French Southern Territories (TF)"),
    740: ("FK", "UK", "Falkland Islands have their own code FK; 'UK' is not ISO alpha-2"),
}


def test_table_size_and_shape() -> None:
    assert 280 <= len(MID_TABLE) <= 300
    for mid, (alpha2, name) in MID_TABLE.items():
        assert 201 <= mid <= 775
        assert re.fullmatch(r"[A-Z]{2}", alpha2), (mid, alpha2)
        assert name
        assert name.strip() == name


def test_every_mid_agrees_with_pyais_or_is_a_documented_difference() -> None:
    assert set(COUNTRY_MAPPING) <= set(MID_TABLE)
    assert set(MID_TABLE) - set(COUNTRY_MAPPING) == set(MISSING_FROM_PYAIS)
    disagree = {
        mid: (MID_TABLE[mid][0], oracle[0])
        for mid, oracle in COUNTRY_MAPPING.items()
        if MID_TABLE[mid][0] != oracle[0]
    }
    assert disagree == {mid: (ours, theirs) for mid, (ours, theirs, _) in KNOWN_DIFFERENCES.items()}


@pytest.mark.parametrize(
    ("mid", "alpha2"),
    [
        (412, "CN"),
        (413, "CN"),
        (414, "CN"),
        (431, "JP"),
        (432, "JP"),
        (416, "TW"),
        (477, "HK"),
        (453, "MO"),
        (548, "PH"),
        (574, "VN"),
        (440, "KR"),
        (445, "KP"),
        (273, "RU"),
        (366, "US"),
        (351, "PA"),
        (636, "LR"),
        (538, "MH"),
        (501, "AQ"),
    ],
)
def test_spot_checks(mid: int, alpha2: str) -> None:
    assert MID_TABLE[mid][0] == alpha2


def test_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        MID_TABLE[999] = ("XX", "Nowhere")  # type: ignore[index]
