"""zonewatch.zones."""
