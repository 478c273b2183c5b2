-- The transactions behind each economics point (METRICS.md: "Every economics point lists the
-- transactions behind it"): per network and bucket, the {per_bucket} largest flows by USD among those
-- the economics sum (customer payments, burns, reward emissions, fees), with their explorer ids.
-- Parameters: {networks}, {from}, {to}, {granularity}, {split} (sql/metrics/README.md),
-- {per_bucket:UInt32}.
SELECT
    network,
    greatest(multiIf(
        {granularity:String} = 'hour', toStartOfHour(block_time),
        {granularity:String} = 'day', toStartOfDay(block_time),
        {granularity:String} = 'week', toDateTime(toMonday(block_time), 'UTC'),
        {granularity:String} = 'month', toDateTime(toStartOfMonth(block_time), 'UTC'),
        if(block_time < {split:DateTime('UTC')}, {from:DateTime('UTC')}, {split:DateTime('UTC')})), {from:DateTime('UTC')}) AS bucket,
    chain,
    block_number,
    block_time,
    tx_id,
    event_index,
    token,
    token_symbol,
    toString(amount) AS amount,
    amount_usd,
    kind,
    payer,
    payee,
    job_id,
    finality
FROM token_flows FINAL
WHERE network IN {networks:Array(String)}
  AND block_time >= {from:DateTime('UTC')} AND block_time < {to:DateTime('UTC')}
  AND kind IN ('customer_payment', 'burn', 'reward_emission', 'fee')
ORDER BY network, bucket, amount_usd DESC NULLS LAST, block_time, chain, tx_id, event_index
LIMIT {per_bucket:UInt32} BY network, bucket
