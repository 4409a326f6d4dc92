"""What a reader made of its input: line accounting and the decoded tables."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa

__all__ = ["Accounting", "Decoded"]


@dataclass(frozen=True)
class Accounting:
    """Where every input line went.

    Each physical line is exactly one of: ``decoded`` (part of a decoded
    message; a two-sentence type 5 counts two lines), ``rejected`` (one row of
    the rejects table) or ``pending`` (a multipart fragment still waiting at the
    end of input), so ``lines == decoded + rejected + pending`` always.
    ``messages`` counts decoded messages: those giving ``positions`` and/or
    ``statics`` rows (type 19 gives one of each) and ``other_messages``.

    Raises
    ------
    ValueError
        If the counts do not add up (a reader bug, never bad input).

    Examples
    --------
    >>> a = Accounting(3, 2, 1, 0, 2, 1, 1, 0, {"not_ais": 1}, {})
    >>> a.lines == a.decoded + a.rejected + a.pending
    True
    """

    lines: int
    decoded: int
    rejected: int
    pending: int
    messages: int
    positions: int
    statics: int
    other_messages: int
    rejected_by_reason: Mapping[str, int]
    other_types: Mapping[int, int]
    """Decoded message types that are neither positions nor statics -> count."""

    def __post_init__(self) -> None:
        if self.lines != self.decoded + self.rejected + self.pending:
            raise ValueError(
                f"line accounting does not add up: lines {self.lines} != decoded "
                f"{self.decoded} + rejected {self.rejected} + pending {self.pending}"
            )
        if sum(self.rejected_by_reason.values()) != self.rejected:
            raise ValueError(
                f"rejected {self.rejected} != sum of rejected_by_reason "
                f"{sum(self.rejected_by_reason.values())}"
            )
        if sum(self.other_types.values()) != self.other_messages:
            raise ValueError(
                f"other_messages {self.other_messages} != sum of other_types "
                f"{sum(self.other_types.values())}"
            )


@dataclass(frozen=True)
class Decoded:
    """The result of reading one input: tables of the ``zonewatch.schema`` schemas.

    Attributes
    ----------
    file_id
        Content hash of the input (sha256 hex of the file's bytes).
    path
        Where the input came from, as given.
    positions, statics, rejects
        Tables of schema ``POSITIONS``, ``STATICS`` and ``REJECTS``.
    accounting
        Where every input line went.
    """

    file_id: str
    path: str
    positions: pa.Table
    statics: pa.Table
    rejects: pa.Table
    accounting: Accounting
