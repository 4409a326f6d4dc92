"""zonewatch.events: zone presence and the event catalogue, each event with its evidence.

Every event is a row of :data:`zonewatch.schema.EVENTS` with a stable,
readable id (:mod:`zonewatch.events.records`); ``zonewatch events`` lists
them and ``zonewatch evidence ID`` writes the data behind one. The kinds and
their rules (every number is a parameter, reported in ``parameters``):

``zone_entry`` / ``zone_exit``
    A vessel's track (straight lines between fixes within a segment) crosses
    a zone limit, at the interpolated time and point; ``detail["dwell"]``
    holds the whole presence interval (:mod:`~zonewatch.events.presence`,
    :mod:`~zonewatch.events.catalogue`).
``ais_gap``
    No position for at least 6 h between consecutive cleaned fixes; where it
    started and ended relative to the zones and the shore, the distance and
    implied speed, and ``likely_intentional`` (>= 12 h, starting >= 50 nm from
    shore, after GFW) (:mod:`~zonewatch.events.gaps`).
``loitering``
    Slower than 2 kn (reported SOG, else implied) for at least 2 h, at least
    1 nm from shore ("outside port": no port list ships with zonewatch)
    (:mod:`~zonewatch.events.loitering`).
``encounter``
    Two vessels within 500 m for at least 2 h, each at a median speed under
    2 kn, at least 10 km from shore (GFW; preset ``skylight``: 250 m, 30 min).
``shadowing``
    A non-fleet vessel within 2 nm of a fleet vessel for at least 1 h.
``fishing_approach``
    A fleet vessel inside the territorial sea within 1 nm of a non-fleet
    fishing vessel (ship type 30). These three work on tracks resampled on a
    common epoch-aligned grid with a spatial hash, never all pairs
    (:mod:`~zonewatch.events.resample`, :mod:`~zonewatch.events.pairs`,
    :mod:`~zonewatch.events.encounters`); midnight never splits an episode.
``identity_conflict``
    One MMSI alternating between two places no ship could join
    (:mod:`~zonewatch.events.integrity` states the exact rule).
``position_jump``
    A fix dropped from its track because it implies more than 50 kn against
    both neighbours.
``on_land``
    A fix on the zone set's features (dropped from the track), or at least one
    land-mask cell inland (flagged, kept) (:mod:`~zonewatch.events.shore`).
``null_island``
    Fixes at (0, 0) or out of range, taken out before track cleaning.

:func:`zonewatch.events.detect.detect_events` runs the catalogue on columnar
data; :func:`zonewatch.engine.local.run_events` feeds it from a store.
"""
