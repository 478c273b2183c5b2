-- Job lifecycle events (posted, started, finished) as they settle on chain. A job's state is the
-- merge of its events (view `jobs` below), so each event can be indexed, replayed or retracted
-- on its own. Sort key (network, job_id, event, tx_id, event_index): jobs are read per network
-- and merged per job_id; the tail makes the key the event's identity for deduplication.
CREATE TABLE IF NOT EXISTS job_events
(
    network      LowCardinality(String),
    chain        LowCardinality(String),
    job_id       String,
    event        LowCardinality(String),
    time         DateTime('UTC') CODEC(Delta, ZSTD(1)),
    block_number UInt64 CODEC(Delta, ZSTD(1)),
    tx_id        String CODEC(ZSTD(1)),
    event_index  UInt32,
    customer     String CODEC(ZSTD(1)),
    node_id      String CODEC(ZSTD(1)),
    gpu_model    LowCardinality(String),
    gpu_count    UInt16,
    status       LowCardinality(String),
    price        Decimal128(18),
    price_token  LowCardinality(String),
    price_usd    Nullable(Float64),
    source       LowCardinality(String),
    version      UInt64,
    is_deleted   UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
PARTITION BY toYYYYMM(time)
ORDER BY (network, job_id, event, tx_id, event_index)
SETTINGS non_replicated_deduplication_window = 1000;

-- One row per job: the canonical job row. Fields come from the event that owns them.
CREATE VIEW IF NOT EXISTS jobs AS
SELECT
    network,
    job_id,
    any(chain) AS chain,
    anyIf(customer, event = 'posted') AS customer,
    anyIf(node_id, node_id != '') AS node_id,
    anyIf(gpu_model, gpu_model != '') AS gpu_model,
    max(gpu_count) AS gpu_count,
    minIf(time, event = 'posted') AS submitted_at,
    if(countIf(event = 'started') > 0, minIf(time, event = 'started'), NULL) AS started_at,
    if(countIf(event = 'finished') > 0, maxIf(time, event = 'finished'), NULL) AS ended_at,
    if(countIf(event = 'finished') > 0, anyIf(status, event = 'finished'),
       if(countIf(event = 'started') > 0, 'running', 'queued')) AS status,
    anyIf(price, event = 'posted') AS price,
    anyIf(price_token, event = 'posted') AS price_token,
    anyIf(price_usd, event = 'posted') AS price_usd,
    any(source) AS source
FROM job_events FINAL
GROUP BY network, job_id;
