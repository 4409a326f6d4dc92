"""zonewatch.events."""
