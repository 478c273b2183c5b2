-- Telemetry nodes: the key a node signs with and the last sequence number stored for it.
-- The first signed batch of (network, node_id) binds its public key (trust on first use); a batch
-- signed by another key is refused. Written after the node's samples are stored, so the highest
-- last_seq is always a batch that is in telemetry_samples; ReplacingMergeTree(last_seq) keeps it.
-- last_digest is the SHA-256 of that batch's signed bytes: a retransmission of the same batch is
-- told apart from a replayed or reordered sequence number.
-- Sort key (network, node_id): one row per node after merges; read whole at ingest start-up.
-- Rotating a node's key: ALTER TABLE telemetry_nodes DELETE WHERE network = ... AND node_id = ...
CREATE TABLE IF NOT EXISTS telemetry_nodes
(
    network     LowCardinality(String),
    node_id     String,
    key_type    LowCardinality(String),
    public_key  String,
    last_seq    UInt64,
    last_digest String,
    updated_at  DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(last_seq)
ORDER BY (network, node_id);
