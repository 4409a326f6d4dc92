"""``python -m zonewatch.cli``."""

from zonewatch.cli import run

run()
