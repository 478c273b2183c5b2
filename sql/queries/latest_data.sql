-- The time of the latest data point Plumb holds (chain flows and job events, hourly telemetry), from
-- the parts' min/max index: range presets (D7, D30, ...) end at the end of its UTC day.
-- 1970-01-01 when the database is empty.
-- Versioned by: token_flows, job_events, telemetry_hourly
SELECT toDateTime(max(max_time), 'UTC') AS latest
FROM system.parts
WHERE active AND database = currentDatabase() AND table IN ('token_flows', 'job_events', 'telemetry_hourly')
