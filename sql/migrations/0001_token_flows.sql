-- Token flows: one classified movement of value on chain (ARCHITECTURE.md, canonical rows).
-- Sort key (network, block_time, chain, tx_id, event_index): every economics query filters one
-- network over a time range, so those lead; (chain, tx_id, event_index) makes the key the flow's
-- identity, so ReplacingMergeTree collapses a replayed range to one row per flow. A reorg writes
-- the same key with is_deleted = 1 and a higher version; readers use FINAL.
CREATE TABLE IF NOT EXISTS token_flows
(
    network      LowCardinality(String),
    chain        LowCardinality(String),
    block_number UInt64 CODEC(Delta, ZSTD(1)),
    block_hash   String CODEC(ZSTD(1)),
    block_time   DateTime('UTC') CODEC(Delta, ZSTD(1)),
    tx_id        String CODEC(ZSTD(1)),
    event_index  UInt32,
    token        LowCardinality(String),
    token_symbol LowCardinality(String),
    amount       Decimal128(18),
    amount_usd   Nullable(Float64),
    kind         LowCardinality(String),
    payer        String CODEC(ZSTD(1)),
    payee        String CODEC(ZSTD(1)),
    job_id       String CODEC(ZSTD(1)),
    finality     LowCardinality(String),
    version      UInt64,
    is_deleted   UInt8
)
ENGINE = ReplacingMergeTree(version, is_deleted)
PARTITION BY toYYYYMM(block_time)
ORDER BY (network, block_time, chain, tx_id, event_index)
SETTINGS non_replicated_deduplication_window = 1000;
