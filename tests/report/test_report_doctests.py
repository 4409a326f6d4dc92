from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from zonewatch.report import chart, export, html_map, text


@pytest.mark.parametrize("module", [chart, export, html_map, text])
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
