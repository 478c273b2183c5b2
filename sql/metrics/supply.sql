-- Supply: listed, online, busy, verified (METRICS.md), per GPU model, per period.
--   Listed GPUs: "what the network's registry/explorer claims (source reported)": GPUs of nodes
--     listed before the end of the period, by the node's latest claim before {to}.
--   Online GPUs: "GPUs with telemetry in the window".
--   Busy GPUs: "online GPUs that ran at least one job (or reported utilisation >= 10% while
--     assigned) in the window": busy seconds in the hourly rollup.
--   Verified GPUs: "GPUs whose model is confirmed by signed telemetry from the node's key and matches
--     the listing; a mismatch (listed H100, reports RTX 3090) is counted and shown as such":
--     mismatched GPUs signed another identified model in the window.
-- The model of a row is the listed model (the funnel compares claims with evidence); telemetry of a
-- node without a listing counts under the model it reports. Listing names are mapped to canonical
-- model ids by the server ({listed_names} -> {listed_ids}, ingest/telemetry/gpu-models.ts), as
-- telemetry rows carry them; a name it does not map is kept as is.
-- Each bucket also has a network total row (gpu_model '', is_total 1): a GPU counts under one model.
-- Model rows are there for every model listed by the end of the bucket or online in it.
-- {daily:UInt8}: read the daily telemetry rollup (set by the server when buckets are whole days).
-- Parameters: {networks}, {from}, {to}, {granularity}, {split}, {disclosure} (sql/metrics/README.md),
-- {listed_names:Array(String)}, {listed_ids:Array(String)}.
WITH
    -- The buckets of the range, computed once (a scalar subquery): starts, and ends (the next start).
    (
        SELECT arraySort(groupUniqArray(greatest(multiIf(
            {granularity:String} = 'hour', toStartOfHour(t),
            {granularity:String} = 'day', toStartOfDay(t),
            {granularity:String} = 'week', toDateTime(toMonday(t), 'UTC'),
            {granularity:String} = 'month', toDateTime(toStartOfMonth(t), 'UTC'),
            if(t < {split:DateTime('UTC')}, {from:DateTime('UTC')}, {split:DateTime('UTC')})), {from:DateTime('UTC')})))
        FROM (SELECT {from:DateTime('UTC')} + toIntervalHour(number) AS t FROM numbers(toUInt64(dateDiff('hour', {from:DateTime('UTC')}, {to:DateTime('UTC')}))))
    ) AS starts,
    arrayPushBack(arrayPopFront(starts), {to:DateTime('UTC')}) AS ends,
    rollup AS
    (
        -- Telemetry per GPU: the daily rollup when every bucket is made of whole UTC days ({daily} = 1),
        -- else the hourly one (migrations 0003, 0009); `hour` is the start of the row's day or hour.
        SELECT network, day AS hour, gpu_model, node_id, gpu_uuid, provenance, online_s, busy_s, assigned_s,
               util_assigned_sum, util_assigned_n, last_seen
        FROM telemetry_daily
        WHERE {daily:UInt8} = 1 AND network IN {networks:Array(String)}
          AND day >= {from:DateTime('UTC')} AND day < {to:DateTime('UTC')}
        UNION ALL
        SELECT network, hour, gpu_model, node_id, gpu_uuid, provenance, online_s, busy_s, assigned_s,
               util_assigned_sum, util_assigned_n, last_seen
        FROM telemetry_hourly
        WHERE {daily:UInt8} = 0 AND network IN {networks:Array(String)}
          AND hour >= {from:DateTime('UTC')} AND hour < {to:DateTime('UTC')}
    ),
    listed AS
    (
        SELECT
            network,
            node_id,
            argMax(gpu_model, observed_at) AS listed_name,
            if(listed_name = '', 'unknown', transform(listed_name, {listed_names:Array(String)}, {listed_ids:Array(String)}, listed_name)) AS model,
            argMax(gpu_count, observed_at) AS gpus,
            argMax(listed_at, observed_at) AS listed_at
        FROM listings
        WHERE network IN {networks:Array(String)} AND observed_at < {to:DateTime('UTC')}
        GROUP BY network, node_id
    ),
    online AS
    (
        -- One row per GPU and bucket it sent telemetry in.
        SELECT
            h.network AS network,
            greatest(multiIf(
                {granularity:String} = 'hour', toStartOfHour(h.hour),
                {granularity:String} = 'day', toStartOfDay(h.hour),
                {granularity:String} = 'week', toDateTime(toMonday(h.hour), 'UTC'),
                {granularity:String} = 'month', toDateTime(toStartOfMonth(h.hour), 'UTC'),
                if(h.hour < {split:DateTime('UTC')}, {from:DateTime('UTC')}, {split:DateTime('UTC')})), {from:DateTime('UTC')}) AS bucket,
            if(any(l.model) = '', if(any(h.gpu_model) = '', 'unknown', any(h.gpu_model)), any(l.model)) AS model,
            toUInt64(sum(h.busy_s) > 0) AS busy,
            toUInt64(max(h.provenance = 'signed' AND h.gpu_model NOT IN ('', 'unknown') AND h.gpu_model != l.model)) AS mismatched,
            toUInt64(max(h.provenance = 'signed' AND h.gpu_model = l.model) AND NOT mismatched) AS verified
        FROM rollup AS h
        LEFT JOIN listed AS l ON l.network = h.network AND l.node_id = h.node_id
        WHERE h.network IN {networks:Array(String)}
          AND h.hour >= {from:DateTime('UTC')} AND h.hour < {to:DateTime('UTC')}
        GROUP BY network, bucket, h.node_id, h.gpu_uuid
    ),
    facts AS
    (
        SELECT network, bucket, model, toUInt64(0) AS listed, toUInt64(1) AS online, busy, verified, mismatched
        FROM online
        UNION ALL
        -- The GPUs of each listed node, in every bucket that ends after its listing.
        SELECT network, b.1 AS bucket, model, toUInt64(gpus), 0, 0, 0, 0
        FROM listed
        ARRAY JOIN arrayZip(starts, ends) AS b
        WHERE listed_at < b.2
        UNION ALL
        -- An empty row per network and bucket, so that every bucket has its total.
        SELECT network, bucket, '', 0, 0, 0, 0, 0
        FROM (SELECT arrayJoin({networks:Array(String)}) AS network)
        ARRAY JOIN starts AS bucket
    ),
    counts AS
    (
        SELECT network, bucket, model, grouping(model) = 1 AS is_total, sum(listed) AS listed_gpus,
               sum(online) AS online_gpus, sum(busy) AS busy_gpus, sum(verified) AS verified_gpus,
               sum(mismatched) AS mismatched_gpus
        FROM facts
        GROUP BY GROUPING SETS ((network, bucket, model), (network, bucket))
        HAVING is_total OR model != ''
    )
SELECT
    network,
    bucket,
    ends[indexOf(starts, bucket)] AS bucket_end,
    if(is_total, '', model) AS gpu_model,
    is_total,
    {disclosure:Map(String, String)}[concat(network, '/listed_gpus')] AS listed_provenance,
    if(listed_provenance IN ('', 'none'), NULL, listed_gpus) AS listed_gpus,
    {disclosure:Map(String, String)}[concat(network, '/online_gpus')] AS online_provenance,
    if(online_provenance IN ('', 'none'), NULL, online_gpus) AS online_gpus,
    if(online_provenance IN ('', 'none'), NULL, busy_gpus) AS busy_gpus,
    {disclosure:Map(String, String)}[concat(network, '/verified_gpus')] AS verified_provenance,
    if(verified_provenance IN ('', 'none'), NULL, verified_gpus) AS verified_gpus,
    if(verified_provenance IN ('', 'none'), NULL, mismatched_gpus) AS mismatched_gpus
FROM counts
ORDER BY network, bucket, is_total DESC, gpu_model
