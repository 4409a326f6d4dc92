"""Compilation of the bulk NMEA kernels with numba.

The bulk framer (:mod:`zonewatch.nmea.bulkframe`) and decoder
(:mod:`zonewatch.nmea.fastdecode`) are written as plain loops over the bytes
of a batch and compiled with ``numba.njit(cache=True, nogil=True)``: the
machine code is cached next to the modules (``__pycache__``), so only the
first run after an install or a change compiles them (a few seconds), and the
kernels release the GIL, so batches may be prepared in worker threads.

The kernels allocate nothing (callers pass every output and scratch array),
so they are compiled without numba's runtime (``_nrt=False``): with it, every
helper call that takes an array adds atomic reference counting, which cost
more than the framing itself (130 against 90 ns a line, measured).

numba is a dependency of zonewatch. Where it cannot be imported, :func:`njit`
returns the functions unchanged: the same kernels then run as Python, with the
same results, far more slowly. :data:`COMPILED` tells which is the case.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["COMPILED", "njit", "python_kernel"]

F = TypeVar("F", bound=Callable[..., Any])


def _load() -> Any:
    try:
        return importlib.import_module("numba")
    except ImportError:  # pragma: no cover - numba is a dependency
        return None


_NUMBA = _load()
COMPILED = _NUMBA is not None
"""Whether the kernels are compiled (numba importable)."""


def njit(func: F) -> F:
    """Compile ``func`` with ``numba.njit(cache=True, nogil=True)`` (unchanged without numba)."""
    if _NUMBA is None:  # pragma: no cover - numba is a dependency
        return func
    compiled: F = _NUMBA.njit(cache=True, nogil=True, _nrt=False)(func)
    return compiled


def python_kernel(func: Callable[..., Any]) -> Callable[..., Any]:
    """The Python function behind a kernel made by :func:`njit` (to test it uncompiled)."""
    inner: Callable[..., Any] = getattr(func, "py_func", func)
    return inner
