-- A telemetry batch retried with the same deduplication token must not be counted twice in the
-- hourly rollup either: the materialized view's target keeps its own deduplication window
-- (inserts set deduplicate_blocks_in_dependent_materialized_views = 1).
ALTER TABLE telemetry_hourly MODIFY SETTING non_replicated_deduplication_window = 10000;
