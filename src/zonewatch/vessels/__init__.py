"""zonewatch.vessels."""
