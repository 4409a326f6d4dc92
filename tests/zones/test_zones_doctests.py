from __future__ import annotations

import doctest
from types import ModuleType

import pytest

import zonewatch.zones
from zonewatch.zones import geojson, lines, model, plane, raster


@pytest.mark.parametrize("module", [zonewatch.zones, geojson, lines, model, plane, raster])
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
