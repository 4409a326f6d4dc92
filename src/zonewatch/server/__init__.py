"""zonewatch.server."""
