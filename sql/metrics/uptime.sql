-- Node uptime (METRICS.md): "Node uptime = online seconds / seconds since listed, in the window."
-- Per network (or one node, {node:String}; '' = all), GPU-weighted: online GPU-seconds of listed
-- nodes over listed GPU-seconds, where a node's listed GPUs count from its listing time (latest claim
-- before {to}) to the end of the period. A node listed but never online (a ghost) lowers it.
-- {daily:UInt8}: read the daily telemetry rollup (set by the server when buckets are whole days).
-- Parameters: {networks}, {from}, {to}, {granularity}, {split}, {disclosure} (sql/metrics/README.md).
WITH
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
    spine AS
    (
        SELECT bucket, leadInFrame(bucket, 1, {to:DateTime('UTC')}) OVER (ORDER BY bucket ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS bucket_end
        FROM
        (
            SELECT DISTINCT greatest(multiIf(
                {granularity:String} = 'hour', toStartOfHour(t),
                {granularity:String} = 'day', toStartOfDay(t),
                {granularity:String} = 'week', toDateTime(toMonday(t), 'UTC'),
                {granularity:String} = 'month', toDateTime(toStartOfMonth(t), 'UTC'),
                if(t < {split:DateTime('UTC')}, {from:DateTime('UTC')}, {split:DateTime('UTC')})), {from:DateTime('UTC')}) AS bucket
            FROM (SELECT {from:DateTime('UTC')} + toIntervalHour(number) AS t FROM numbers(toUInt64(dateDiff('hour', {from:DateTime('UTC')}, {to:DateTime('UTC')}))))
        )
    ),
    listed AS
    (
        SELECT network, node_id, argMax(gpu_count, observed_at) AS gpus, argMax(listed_at, observed_at) AS listed_at
        FROM listings
        WHERE network IN {networks:Array(String)} AND observed_at < {to:DateTime('UTC')}
          AND ({node:String} = '' OR node_id = {node:String})
        GROUP BY network, node_id
    ),
    exposure AS
    (
        SELECT l.network AS network, s.bucket AS bucket,
               sum(l.gpus * greatest(0, dateDiff('second', greatest(s.bucket, l.listed_at), s.bucket_end))) AS listed_s
        FROM listed AS l
        CROSS JOIN spine AS s
        GROUP BY network, bucket
    ),
    online AS
    (
        SELECT
            network,
            greatest(multiIf(
                {granularity:String} = 'hour', toStartOfHour(hour),
                {granularity:String} = 'day', toStartOfDay(hour),
                {granularity:String} = 'week', toDateTime(toMonday(hour), 'UTC'),
                {granularity:String} = 'month', toDateTime(toStartOfMonth(hour), 'UTC'),
                if(hour < {split:DateTime('UTC')}, {from:DateTime('UTC')}, {split:DateTime('UTC')})), {from:DateTime('UTC')}) AS bucket,
            sum(online_s) AS online_s
        FROM rollup
        WHERE network IN {networks:Array(String)}
          AND hour >= {from:DateTime('UTC')} AND hour < {to:DateTime('UTC')}
          AND ({node:String} = '' OR node_id = {node:String})
          AND (network, node_id) IN (SELECT network, node_id FROM listed)
        GROUP BY network, bucket
    ),
    grid AS
    (
        SELECT n.network AS network, s.bucket AS bucket, s.bucket_end AS bucket_end,
               o.online_s AS online_s, e.listed_s AS listed_s
        FROM (SELECT arrayJoin({networks:Array(String)}) AS network) AS n
        CROSS JOIN spine AS s
        LEFT JOIN online AS o ON o.network = n.network AND o.bucket = s.bucket
        LEFT JOIN exposure AS e ON e.network = n.network AND e.bucket = s.bucket
    )
SELECT
    network,
    bucket,
    bucket_end,
    {disclosure:Map(String, String)}[concat(network, '/uptime')] AS provenance,
    if(provenance IN ('', 'none') OR listed_s = 0, NULL, online_s / listed_s) AS value,
    if(provenance IN ('', 'none'), NULL, online_s) AS online_gpu_seconds,
    if(provenance IN ('', 'none'), NULL, listed_s) AS listed_gpu_seconds
FROM grid
ORDER BY network, bucket
