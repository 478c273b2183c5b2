-- Freshness of every ingest source: last indexed block/slot against the chain head.
SELECT
    source_id,
    block_number,
    head_number,
    toInt64(head_number) - toInt64(block_number) AS lag_blocks,
    updated_at
FROM checkpoints FINAL
ORDER BY source_id
