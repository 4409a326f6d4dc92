from __future__ import annotations

import doctest
from types import ModuleType

import pytest

import zonewatch.sim
from zonewatch.sim import identities, land, noise, planted, run


@pytest.mark.parametrize("module", [zonewatch.sim, identities, land, noise, planted, run])
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
