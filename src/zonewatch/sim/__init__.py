"""Deterministic scenario simulator of AIS traffic around the Senkaku Islands, with ground truth.

:func:`simulate` plans a period of China Coast Guard patrols (contiguous-zone
days, territorial-sea intrusions), Japan Coast Guard shadows, fishing boats,
merchant transits and a decoy, plus activity for the event catalogue
(fishing boats meeting fish carriers, merchants drifting, a second transmitter
sharing an MMSI, fixes at (0, 0), a coaster whose fixes land inland); emits
the fixes as raw tag-blocked NMEA (with radio gaps, second-receiver
duplicates, spoofed fixes and corrupt lines) and writes the exact ground
truth — days, incidents and every event of the events contract
(:class:`TruthEvent`) — computed from the emitted fixes independently of
zonewatch's own track and event code.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as tmp:
...     result = simulate(SimConfig(days=2, seed=3), Path(tmp))
...     again = Truth.from_json(result.truth_path.read_text())
>>> again == result.truth
True
"""

from __future__ import annotations

from zonewatch.sim.config import SimConfig
from zonewatch.sim.run import SimResult, simulate
from zonewatch.sim.truth import ScenarioError, Truth, TruthEvent, TruthIncident

__all__ = [
    "ScenarioError",
    "SimConfig",
    "SimResult",
    "Truth",
    "TruthEvent",
    "TruthIncident",
    "simulate",
]
