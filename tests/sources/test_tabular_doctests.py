from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from zonewatch.sources import (
    compression,
    csv_dialects,
    csv_file,
    detect,
    files,
    gpkg,
    inputs,
    parquet_file,
    tabular,
)


@pytest.mark.parametrize(
    "module",
    [compression, csv_dialects, csv_file, detect, files, gpkg, inputs, parquet_file, tabular],
)
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
