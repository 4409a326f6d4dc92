"""zonewatch.sources."""
