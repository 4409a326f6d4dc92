from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from zonewatch.vessels import (
    fleet_yaml,
    fleets,
    history,
    identity,
    membership,
    mid_table,
    mmsi,
    shiptypes,
)


@pytest.mark.parametrize(
    "module", [fleets, fleet_yaml, history, identity, membership, mid_table, mmsi, shiptypes]
)
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
