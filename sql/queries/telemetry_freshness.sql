-- Last telemetry received per network and provenance.
SELECT network, provenance, max(last_seen) AS last_seen
FROM telemetry_hourly
GROUP BY network, provenance
ORDER BY network, provenance
