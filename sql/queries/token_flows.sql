-- Token flows, newest first, keyset-paginated by (block_time, chain, tx_id, event_index).
-- Empty filters match everything; {after_*} is the cursor of the last row already returned.
SELECT
    network, chain, block_number, block_time, tx_id, event_index, token, token_symbol,
    toString(amount) AS amount, amount_usd, kind, payer, payee, job_id, finality
FROM token_flows FINAL
WHERE ({network:String} = '' OR network = {network:String})
  AND ({kind:String} = '' OR kind = {kind:String})
  AND ({has_cursor:UInt8} = 0
       OR (block_time, chain, tx_id, event_index)
          < ({after_time:DateTime('UTC')}, {after_chain:String}, {after_tx:String}, {after_index:UInt32}))
ORDER BY block_time DESC, chain DESC, tx_id DESC, event_index DESC
LIMIT {limit:UInt32}
