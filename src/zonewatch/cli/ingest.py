"""``zonewatch ingest``: decode files into the store, with the line accounting."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from zonewatch.cli.common import (
    DEFAULT_DB,
    EXIT_OK,
    EXIT_REJECTED,
    err_console,
    ingest_files,
    out_console,
)
from zonewatch.sources.csv_dialects import parse_column_mapping
from zonewatch.store import Store

__all__ = ["ingest_command"]


def ingest_command(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="NMEA, CSV (MarineCadastre, DMA, canonical), Parquet or GeoPackage files,"
            " plain or .gz/.bz2/.zst; directories; - for standard input."
        ),
    ],
    db: Annotated[Path, typer.Option("--db", help="Store file.")] = DEFAULT_DB,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit with code 2 when any line was rejected.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the accounting as JSON.")] = False,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help="Column mapping for CSV files of other layouts, e.g."
            " mmsi=ShipID,ts=Time,lon=X,lat=Y (fields: see zonewatch.sources.tabular).",
        ),
    ] = None,
    time_format: Annotated[
        str | None,
        typer.Option(
            "--time-format",
            help="Time format of --columns CSV files: iso (default), unix, unix_ms"
            " or a strftime pattern such as '%d/%m/%Y %H:%M:%S'.",
        ),
    ] = None,
) -> int:
    """Decode input files into the store; a file already ingested (same content) is skipped."""
    mapping = parse_column_mapping(columns) if columns else None
    with Store(db) as store:
        results = ingest_files(store, inputs, columns=mapping, time_format=time_format)
    rejected = sum(acc.rejected for _, acc, _ in results)
    if as_json:
        rows = [
            {
                "path": str(path),
                "stored": stored,
                "lines": acc.lines,
                "decoded": acc.decoded,
                "rejected": acc.rejected,
                "pending": acc.pending,
                "messages": acc.messages,
                "positions": acc.positions,
                "statics": acc.statics,
                "other_messages": acc.other_messages,
                "rejected_by_reason": dict(sorted(acc.rejected_by_reason.items())),
            }
            for path, acc, stored in results
        ]
        sys.stdout.write(json.dumps({"db": str(db), "files": rows}, indent=2) + "\n")
    else:
        table = Table(title=f"ingest into {db}")
        for col in ("file", "lines", "decoded", "rejected", "pending", "positions", "statics", ""):
            table.add_column(col, justify="left" if col in ("file", "") else "right")
        for path, acc, stored in results:
            table.add_row(
                str(path),
                f"{acc.lines:,}",
                f"{acc.decoded:,}",
                f"{acc.rejected:,}",
                f"{acc.pending:,}",
                f"{acc.positions:,}",
                f"{acc.statics:,}",
                "stored" if stored else "already in store: unchanged",
            )
        console = out_console()
        console.print(table)
        reasons: dict[str, int] = {}
        for _, acc, _ in results:
            for reason, count in acc.rejected_by_reason.items():
                reasons[reason] = reasons.get(reason, 0) + count
        if reasons:
            console.print(
                "rejected by reason: " + ", ".join(f"{k} {v:,}" for k, v in sorted(reasons.items()))
            )
    if strict and rejected:
        err_console().print(f"zonewatch: {rejected:,} line(s) rejected (--strict)")
        return EXIT_REJECTED
    return EXIT_OK
