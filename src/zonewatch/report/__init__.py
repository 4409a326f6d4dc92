"""zonewatch.report."""
