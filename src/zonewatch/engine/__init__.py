"""zonewatch.engine."""
