-- The key and last stored sequence number of every telemetry node (loaded at ingest start-up).
SELECT
    network,
    node_id,
    argMax(key_type, last_seq) AS bound_key_type,
    argMax(public_key, last_seq) AS bound_public_key,
    max(last_seq) AS max_seq,
    argMax(last_digest, last_seq) AS max_seq_digest
FROM telemetry_nodes
GROUP BY network, node_id
