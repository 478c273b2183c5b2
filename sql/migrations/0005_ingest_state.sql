-- Checkpoints: one row per source, the highest `updated_at` wins. Written after the rows it
-- covers, so a restart resumes from a point whose rows are stored. Sort key: the source id.
CREATE TABLE IF NOT EXISTS checkpoints
(
    source_id    String,
    cursor       String,
    block_number UInt64,
    block_hash   String,
    head_number  UInt64,
    updated_at   DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY source_id;

-- Ingest rejections: every refused input with its reason, for the rejection metric and audits.
-- Sort key (endpoint, time): counted per endpoint over time.
CREATE TABLE IF NOT EXISTS ingest_rejections
(
    time     DateTime64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
    endpoint LowCardinality(String),
    status   UInt16,
    reason   LowCardinality(String),
    path     String,
    network  LowCardinality(String),
    node_id  String,
    samples  UInt32
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (endpoint, time)
TTL toDateTime(time) + INTERVAL 90 DAY;
