from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from zonewatch.events import integrity, official, pairs, records, resample, shore, zonestate


@pytest.mark.parametrize(
    "module", [integrity, official, pairs, records, resample, shore, zonestate]
)
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
