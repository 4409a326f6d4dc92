"""Input arguments: directories expanded to files, ``-`` read from standard input.

Standard input is copied to a temporary file before it is read, so that its
content hash (the store's idempotency key) and format detection work as for
any file; the tables then name it :data:`STDIN_NAME`.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa

from zonewatch.errors import InputFileError
from zonewatch.sources.accounting import Decoded

__all__ = ["STDIN", "STDIN_NAME", "expand_inputs", "stdin_copy", "with_path"]

STDIN = "-"
"""The input argument that means standard input."""

STDIN_NAME = "<stdin>"
"""The path recorded for data read from standard input."""


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def expand_inputs(paths: Sequence[Path | str]) -> list[Path]:
    """Replace each directory by the files inside it; keep files and ``-`` as given.

    A directory contributes every regular file below it, recursively, sorted
    by relative path, skipping hidden files and folders (names starting with
    ``.``). Paths that do not exist are kept (the readers report them).

    Raises
    ------
    InputFileError
        If a directory holds no (visible) file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     root = pathlib.Path(d)
    ...     for name in ("b/2.csv", "a.nmea", ".git/x", "b/.hidden"):
    ...         (root / name).parent.mkdir(parents=True, exist_ok=True)
    ...         _ = (root / name).write_text("x")
    ...     [p.relative_to(root).as_posix() for p in expand_inputs([root])]
    ['a.nmea', 'b/2.csv']
    """
    out: list[Path] = []
    for given in paths:
        path = Path(given)
        if str(given) == STDIN or not path.is_dir():
            out.append(path)
            continue
        files = sorted(
            (p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path))),
            key=lambda p: p.relative_to(path).as_posix(),
        )
        if not files:
            raise InputFileError(f"{path}: the directory holds no input files")
        out.extend(files)
    return out


@contextmanager
def stdin_copy(stream: BinaryIO | None = None) -> Iterator[Path]:
    """Copy standard input (or ``stream``) into a temporary file and yield its path.

    The file is removed afterwards.

    Raises
    ------
    InputFileError
        If standard input is a terminal (nothing was piped in).
    """
    source = stream if stream is not None else sys.stdin.buffer
    if stream is None and sys.stdin.isatty():
        raise InputFileError("standard input is a terminal: pipe data in or give files")
    with tempfile.TemporaryDirectory(prefix="zonewatch-stdin-") as folder:
        target = Path(folder) / "stdin"
        with target.open("wb") as sink:
            shutil.copyfileobj(source, sink, 1 << 20)
        yield target


def with_path(decoded: Decoded, path: str) -> Decoded:
    """``decoded`` with ``path`` recorded instead (in the result and in its rejects).

    Examples
    --------
    >>> from zonewatch.sources.tabular import TabularCollector
    >>> out = with_path(TabularCollector("/tmp/x", "id").result(), STDIN_NAME)
    >>> out.path
    '<stdin>'
    """
    rejects = decoded.rejects
    index = rejects.schema.get_field_index("path")
    column = pa.array([path] * rejects.num_rows, rejects.schema.field("path").type)
    rejects = rejects.set_column(index, rejects.schema.field("path"), column)
    return replace(decoded, path=path, rejects=rejects)
