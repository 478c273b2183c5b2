-- Telemetry samples: one GPU at one time. The biggest table by far, so it is append-only
-- MergeTree with codecs chosen for slowly changing numbers (Delta/DoubleDelta for times, T64 for
-- small integers, Gorilla for floats), partitioned by month for cheap retention.
-- Sort key (network, node_id, gpu_uuid, time): per-node history and per-GPU interval arithmetic
-- read consecutive samples of one GPU; network first because every query names one.
-- Deduplication window: a batch retried after a lost acknowledgement carries the same
-- insert_deduplication_token and is stored once.
CREATE TABLE IF NOT EXISTS telemetry_samples
(
    network         LowCardinality(String),
    node_id         String,
    gpu_uuid        String,
    time            DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
    interval_s      UInt32 CODEC(T64, ZSTD(1)),
    gpu_model       LowCardinality(String),
    gpu_name        LowCardinality(String),
    vram_mib        Nullable(UInt32) CODEC(T64, ZSTD(1)),
    utilization_pct Nullable(Float32) CODEC(Gorilla, ZSTD(1)),
    memory_used_mib Nullable(UInt32) CODEC(T64, ZSTD(1)),
    power_w         Nullable(Float32) CODEC(Gorilla, ZSTD(1)),
    temperature_c   Nullable(Int16) CODEC(T64, ZSTD(1)),
    job_id          String CODEC(ZSTD(1)),
    provenance      LowCardinality(String),
    batch_id        String CODEC(ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (network, node_id, gpu_uuid, time)
SETTINGS non_replicated_deduplication_window = 10000;

-- Hourly rollup per GPU: what dashboards read instead of raw samples.
-- Sort key (network, hour, gpu_model, node_id, gpu_uuid): ranges of hours per network, grouped
-- by model; node and GPU last so the rollup keeps one row per GPU-hour after merges.
CREATE TABLE IF NOT EXISTS telemetry_hourly
(
    network        LowCardinality(String),
    hour           DateTime('UTC'),
    gpu_model      LowCardinality(String),
    node_id        String,
    gpu_uuid       String,
    provenance     LowCardinality(String),
    samples        SimpleAggregateFunction(sum, UInt64),
    online_s       SimpleAggregateFunction(sum, UInt64),
    busy_s         SimpleAggregateFunction(sum, UInt64),
    assigned_s     SimpleAggregateFunction(sum, UInt64),
    util_assigned_sum SimpleAggregateFunction(sum, Float64),
    util_assigned_n   SimpleAggregateFunction(sum, UInt64),
    util_sum       SimpleAggregateFunction(sum, Float64),
    util_n         SimpleAggregateFunction(sum, UInt64),
    power_sum      SimpleAggregateFunction(sum, Float64),
    power_n        SimpleAggregateFunction(sum, UInt64),
    first_seen     SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_seen      SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (network, hour, gpu_model, node_id, gpu_uuid, provenance);

-- A sample is busy when it ran a job, or reported >= 10% utilisation while assigned (METRICS.md).
CREATE MATERIALIZED VIEW IF NOT EXISTS telemetry_hourly_mv TO telemetry_hourly AS
SELECT
    network,
    toStartOfHour(time) AS hour,
    gpu_model,
    node_id,
    gpu_uuid,
    provenance,
    count() AS samples,
    sum(interval_s) AS online_s,
    sumIf(interval_s, job_id != '') AS busy_s,
    sumIf(interval_s, job_id != '') AS assigned_s,
    sumIf(assumeNotNull(utilization_pct), job_id != '' AND utilization_pct IS NOT NULL) AS util_assigned_sum,
    countIf(job_id != '' AND utilization_pct IS NOT NULL) AS util_assigned_n,
    sumIf(assumeNotNull(utilization_pct), utilization_pct IS NOT NULL) AS util_sum,
    countIf(utilization_pct IS NOT NULL) AS util_n,
    sumIf(assumeNotNull(power_w), power_w IS NOT NULL) AS power_sum,
    countIf(power_w IS NOT NULL) AS power_n,
    min(time) AS first_seen,
    max(time) AS last_seen
FROM telemetry_samples
GROUP BY network, hour, gpu_model, node_id, gpu_uuid, provenance;
