"""zonewatch.sim."""
