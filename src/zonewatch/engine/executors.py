"""Where tiles run: in this process, in local worker processes, or on a Dask cluster.

Every executor runs the same kernel functions of :mod:`zonewatch.engine.tiles`
on the same :class:`~zonewatch.engine.plan.TileSpec` values and returns their
results in the order of the specs, so the engine's output does not depend on
which one ran them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from typing import Any, Protocol

from zonewatch.engine.plan import TileSpec
from zonewatch.engine.tiles import TileContext
from zonewatch.errors import ParameterError

__all__ = [
    "POOL_ROWS",
    "DaskExecutor",
    "Executor",
    "Kernel",
    "LocalExecutor",
    "default_workers",
    "estimated_rows",
]

Kernel = Callable[[TileContext, TileSpec], Any]
"""A tile kernel: ``(context, spec) -> result``."""

Done = Callable[[int], None]
"""Called with a spec's index when its tile is finished."""


class Executor(Protocol):
    """Runs tile kernels."""

    name: str
    workers: int

    def run(
        self, kernel: Kernel, context: TileContext, specs: Sequence[TileSpec], done: Done
    ) -> list[Any]:
        """Run ``kernel(context, spec)`` for every spec; results in the order of ``specs``."""
        ...

    def close(self) -> None:
        """Release workers."""
        ...


def default_workers() -> int:
    """Worker processes by default: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


_WORKER_CONTEXT: dict[str, TileContext] = {}


def _init_worker(context: TileContext) -> None:
    _WORKER_CONTEXT["context"] = context


def _run_in_worker(kernel: Kernel, spec: TileSpec) -> Any:
    return kernel(_WORKER_CONTEXT["context"], spec)


POOL_ROWS = 2_000_000
"""From this many positions to compute on, :class:`LocalExecutor` uses worker processes."""


def estimated_rows(specs: Sequence[TileSpec]) -> int:
    """About how many positions the tiles read (each bucket's share of its parts)."""
    return round(sum(spec.rows_share for spec in specs))


class LocalExecutor:
    """Tiles in this process (``workers=1``), in threads, or in local worker processes.

    Worker processes are started with ``spawn`` (Polars and NumPy thread
    pools do not survive ``fork``), receive the shared context once and build
    the zone set's indexes again: a second or two before the first tile. So by
    default (``threads=None``) the tiles of a run that reads fewer than
    :data:`POOL_ROWS` positions (small data, or the few tiles an incremental
    re-run computes) run in threads of this process instead; the kernels spend
    their time in Polars, NumPy, numba and PROJ code that releases the GIL.
    ``threads=True`` or ``False`` forces one or the other.
    """

    name = "local"

    def __init__(self, workers: int | None = None, *, threads: bool | None = None) -> None:
        self.workers = default_workers() if workers is None else workers
        if self.workers < 1:
            raise ParameterError(f"--workers must be at least 1, not {self.workers}")
        self.threads = threads
        self._pool: ProcessPoolExecutor | None = None
        self._pool_context: TileContext | None = None

    def run(
        self, kernel: Kernel, context: TileContext, specs: Sequence[TileSpec], done: Done
    ) -> list[Any]:
        """Run the kernel over the specs (see :class:`Executor`)."""
        if self.workers == 1 or len(specs) <= 1:
            results = []
            for i, spec in enumerate(specs):
                results.append(kernel(context, spec))
                done(i)
            return results
        threads = self.threads
        if threads is None:
            threads = self._pool is None and estimated_rows(specs) < POOL_ROWS
        if threads:
            with ThreadPoolExecutor(max_workers=self.workers) as thread_pool:
                return _collect(
                    {thread_pool.submit(kernel, context, spec): i for i, spec in enumerate(specs)},
                    len(specs),
                    done,
                )
        pool = self._get_pool(context)
        return _collect(
            {pool.submit(_run_in_worker, kernel, spec): i for i, spec in enumerate(specs)},
            len(specs),
            done,
        )

    def _get_pool(self, context: TileContext) -> ProcessPoolExecutor:
        if self._pool is not None and self._pool_context is context:
            return self._pool
        self.close()
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(context,),
        )
        self._pool_context = context
        return self._pool

    def close(self) -> None:
        """Shut the worker processes down."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            self._pool_context = None


def _collect(futures: dict[Future[Any], int], n: int, done: Done) -> list[Any]:
    """Results of futures in the order of their indices, reporting each as it finishes."""
    out: list[Any] = [None] * n
    pending = set(futures)
    while pending:
        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in finished:
            out[futures[future]] = future.result()
            done(futures[future])
    return out


class DaskExecutor:
    """Tiles as Dask tasks: on the cluster at ``scheduler``, or on a new LocalCluster.

    Parameters
    ----------
    scheduler
        Address of a running Dask scheduler (``tcp://host:8786``); None starts
        a LocalCluster of ``workers`` single-threaded worker processes.
    workers
        Worker processes of the LocalCluster.

    Workers need zonewatch installed and must be able to read the store's
    Parquet parts at the paths (or fsspec URLs) the catalogue gives.
    """

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as err:  # pragma: no cover - dask is a dependency
            raise ParameterError("--engine dask needs the 'distributed' package") from err
        self.workers = default_workers() if workers is None else workers
        self._cluster = None
        if scheduler is None:
            self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self._client = Client(self._cluster)  # type: ignore[no-untyped-call]
        else:
            try:
                self._client = Client(scheduler, timeout="30s")  # type: ignore[no-untyped-call]
            except OSError as err:
                raise ParameterError(
                    f"cannot reach the Dask scheduler at {scheduler}: {err}"
                ) from err
            self.workers = max(1, len(self._client.scheduler_info()["workers"]))

    def run(
        self, kernel: Kernel, context: TileContext, specs: Sequence[TileSpec], done: Done
    ) -> list[Any]:
        """Run the kernel over the specs as Dask tasks (see :class:`Executor`)."""
        from distributed import as_completed

        if not specs:
            return []
        shared = self._client.scatter(context, broadcast=True, hash=False)  # type: ignore[no-untyped-call]
        futures = [self._client.submit(kernel, shared, spec, pure=False) for spec in specs]
        index = {f.key: i for i, f in enumerate(futures)}
        out: list[Any] = [None] * len(specs)
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            i = index[future.key]
            out[i] = future.result()
            done(i)
            future.release()
        return out

    def close(self) -> None:
        """Disconnect (and stop the LocalCluster when this executor started it)."""
        self._client.close()  # type: ignore[no-untyped-call]
        if self._cluster is not None:
            self._cluster.close()
