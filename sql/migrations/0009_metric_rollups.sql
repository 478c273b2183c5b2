-- Rollups the metric queries read instead of scanning raw rows (sql/metrics/README.md).
--
-- telemetry_daily: the hourly rollup's columns per GPU and UTC day, 24 times fewer rows. Day, week,
-- month and whole-range buckets that fall on day boundaries read it; hourly buckets read
-- telemetry_hourly. Fed from telemetry_samples like the hourly rollup (same expressions), with its
-- own deduplication window for retried batches (inserts set deduplicate_blocks_in_dependent_materialized_views).
-- Sort key (network, day, gpu_model, node_id, gpu_uuid, provenance): as telemetry_hourly's.
CREATE TABLE IF NOT EXISTS telemetry_daily
(
    network        LowCardinality(String),
    day            DateTime('UTC'),
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
PARTITION BY toYYYYMM(day)
ORDER BY (network, day, gpu_model, node_id, gpu_uuid, provenance)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS telemetry_daily_mv TO telemetry_daily AS
SELECT
    network,
    toStartOfDay(time) AS day,
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
GROUP BY network, day, gpu_model, node_id, gpu_uuid, provenance;

-- Telemetry stored before this migration, from the hourly rollup (the same sums, a day at a time).
INSERT INTO telemetry_daily
SELECT
    network, toStartOfDay(hour) AS day, gpu_model, node_id, gpu_uuid, provenance,
    sum(samples), sum(online_s), sum(busy_s), sum(assigned_s), sum(util_assigned_sum), sum(util_assigned_n),
    sum(util_sum), sum(util_n), sum(power_sum), sum(power_n), min(first_seen), max(last_seen)
FROM telemetry_hourly
GROUP BY network, day, gpu_model, node_id, gpu_uuid, provenance;

-- customer_first_payment: each customer's first payment (METRICS.md, Customers: new customers and
-- cohorts need it over all history), so the metric queries read their range only. min() is
-- idempotent: a replayed or relabelled flow changes nothing. Only finalized, live flows count, as a
-- retracted (reorged) flow can never be removed from a min; queries take the earlier of this and the
-- payments they read in their range, so unfinalized payments there count too.
-- demand: 'payment' (customer_payment) or 'job_burn' (a burn carrying a job id: demand on
-- burn-and-mint networks only, which the query decides from the catalog).
-- Sort key (network, demand, payer): read per network, joined per payer.
CREATE TABLE IF NOT EXISTS customer_first_payment
(
    network  LowCardinality(String),
    demand   LowCardinality(String),
    payer    String,
    first_at SimpleAggregateFunction(min, DateTime('UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY (network, demand, payer);

CREATE MATERIALIZED VIEW IF NOT EXISTS customer_first_payment_mv TO customer_first_payment AS
SELECT network, if(kind = 'customer_payment', 'payment', 'job_burn') AS demand, payer, min(block_time) AS first_at
FROM token_flows
WHERE is_deleted = 0 AND finality = 'finalized' AND (kind = 'customer_payment' OR (kind = 'burn' AND job_id != ''))
GROUP BY network, demand, payer;

INSERT INTO customer_first_payment
SELECT network, if(kind = 'customer_payment', 'payment', 'job_burn') AS demand, payer, min(block_time)
FROM token_flows FINAL
WHERE finality = 'finalized' AND (kind = 'customer_payment' OR (kind = 'burn' AND job_id != ''))
GROUP BY network, demand, payer;
