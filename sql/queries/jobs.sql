-- Jobs (the `jobs` view: one row per job merged from its on-chain events), keyset-paginated.
-- Filters ('' = any): {status}, {customer}, {node}, {gpu_model}; {has_range} = 1 keeps jobs
-- submitted in [from, to). Order {order:String}: 'newest' or 'oldest' by submission time; the sort
-- key, network and job id make the cursor ({has_cursor}, {after_key}, {after_network}, {after_job}).
-- Versioned by: job_events
SELECT
    network,
    job_id,
    chain,
    customer,
    node_id,
    gpu_model,
    gpu_count,
    submitted_at,
    started_at,
    ended_at,
    status,
    toString(price) AS price,
    price_token,
    price_usd,
    if(started_at IS NULL, NULL, dateDiff('second', submitted_at, assumeNotNull(started_at))) AS queue_s,
    if(started_at IS NULL OR ended_at IS NULL, NULL,
       dateDiff('second', assumeNotNull(started_at), assumeNotNull(ended_at))) AS run_s,
    source,
    if({order:String} = 'oldest', 1, -1) * toInt64(toUnixTimestamp(submitted_at)) AS sort_key
FROM jobs
WHERE network IN {networks:Array(String)}
  AND ({has_range:UInt8} = 0
       OR (submitted_at >= {from:DateTime('UTC')} AND submitted_at < {to:DateTime('UTC')}))
  AND ({status:String} = '' OR status = {status:String})
  AND ({customer:String} = '' OR customer = {customer:String})
  AND ({node:String} = '' OR node_id = {node:String})
  AND ({gpu_model:String} = '' OR gpu_model = {gpu_model:String})
  AND ({has_cursor:UInt8} = 0
       OR (sort_key, network, job_id) > ({after_key:Int64}, {after_network:String}, {after_job:String}))
ORDER BY sort_key, network, job_id
LIMIT {limit:UInt32}
