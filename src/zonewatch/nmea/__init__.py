"""zonewatch.nmea."""
