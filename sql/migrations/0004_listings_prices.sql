-- Listings: what a network's registry or explorer claims about a node. Each observation is kept
-- (claims change over time); the latest one per node is the current claim.
-- Sort key (network, node_id, observed_at): read per network, latest per node.
CREATE TABLE IF NOT EXISTS listings
(
    network     LowCardinality(String),
    node_id     String,
    observed_at DateTime('UTC') CODEC(Delta, ZSTD(1)),
    listed_at   DateTime('UTC'),
    gpu_model   LowCardinality(String),
    gpu_count   UInt16,
    region      LowCardinality(String),
    source      LowCardinality(String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(observed_at)
ORDER BY (network, node_id, observed_at);

-- Prices: token -> USD over time. Sort key (token, time, source): every lookup is "price of this
-- token at or before this time" (ASOF JOIN), which wants token then time.
CREATE TABLE IF NOT EXISTS prices
(
    token  LowCardinality(String),
    time   DateTime('UTC') CODEC(Delta, ZSTD(1)),
    usd    Float64 CODEC(Gorilla, ZSTD(1)),
    source LowCardinality(String)
)
ENGINE = ReplacingMergeTree
ORDER BY (token, time, source);
