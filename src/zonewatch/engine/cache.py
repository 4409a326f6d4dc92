"""A cache of tile results beside the store, keyed by everything a result depends on.

A tile's key hashes the engine version, the zones and parameters, the fleet
membership of the tile's bucket, the tile's block and read window, and the
store parts it reads (parts never change: each is named by the content hash of
the file it came from). Adding data adds parts, so only the tiles that would
read them get new keys; everything else is reused.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

__all__ = ["TileCache", "tile_key"]

T = TypeVar("T")


def tile_key(kind: str, context_fingerprint: str, bucket_fingerprint: str, spec: Any) -> str:
    """The cache key of one tile's result."""
    payload = json.dumps(
        [kind, context_fingerprint, bucket_fingerprint, spec.key_fields()], sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class TileCache:
    """Tile results stored as Arrow IPC files under one folder.

    Parameters
    ----------
    folder
        Where results go (created when missing), e.g. ``<store>.cache/tiles``.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str, cls: type[T]) -> T | None:
        """The cached result of ``cls`` (a dataclass of frames and ints), or None."""
        path = self._path(key)
        meta_path = path / "meta.json"
        if not meta_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_text())
            values = {
                name: pl.read_ipc(path / f"{name}.arrow") if kind == "frame" else value
                for name, (kind, value) in meta.items()
            }
            return cls(**values)
        except (OSError, ValueError, TypeError, pl.exceptions.PolarsError):
            return None  # a damaged entry is recomputed

    def put(self, key: str, result: Any) -> None:
        """Store a result atomically (written aside, then renamed into place)."""
        assert is_dataclass(result)
        path = self._path(key)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=path.parent))
        meta: dict[str, tuple[str, Any]] = {}
        for f in fields(result):
            value = getattr(result, f.name)
            if isinstance(value, pl.DataFrame):
                value.write_ipc(staging / f"{f.name}.arrow", compression="lz4")
                meta[f.name] = ("frame", None)
            else:
                meta[f.name] = ("value", value)
        (staging / "meta.json").write_text(json.dumps(meta))
        try:
            os.replace(staging, path)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)  # another run stored it first

    def clear(self) -> None:
        """Remove every cached result."""
        shutil.rmtree(self.folder, ignore_errors=True)
