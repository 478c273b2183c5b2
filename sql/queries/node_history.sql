-- History of nodes (a node page): per node and bucket, GPU-seconds online, busy and assigned, the
-- three utilisations (time_utilization.sql, allocation_utilization.sql, compute_utilization.sql) and
-- uptime (uptime.sql) of that node alone. {nodes:Array(String)}: node ids (of {networks}).
-- Only buckets in which the node sent telemetry.
-- {daily:UInt8}: read the daily telemetry rollup (set by the server when buckets are whole days).
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
    listed AS
    (
        SELECT network, node_id, argMax(gpu_count, observed_at) AS gpus, argMax(listed_at, observed_at) AS listed_at
        FROM listings
        WHERE network IN {networks:Array(String)} AND node_id IN {nodes:Array(String)}
          AND observed_at < {to:DateTime('UTC')}
        GROUP BY network, node_id
    ),
    sums AS
    (
        SELECT
            network,
            node_id,
            greatest(multiIf(
                {granularity:String} = 'hour', toStartOfHour(hour),
                {granularity:String} = 'day', toStartOfDay(hour),
                {granularity:String} = 'week', toDateTime(toMonday(hour), 'UTC'),
                {granularity:String} = 'month', toDateTime(toStartOfMonth(hour), 'UTC'),
                if(hour < {split:DateTime('UTC')}, {from:DateTime('UTC')}, {split:DateTime('UTC')})), {from:DateTime('UTC')}) AS bucket,
            multiIf(
                {granularity:String} = 'hour', bucket + INTERVAL 1 HOUR,
                {granularity:String} = 'day', bucket + INTERVAL 1 DAY,
                {granularity:String} = 'week', toDateTime(toMonday(bucket) + 7, 'UTC'),
                {granularity:String} = 'month', toDateTime(toStartOfMonth(bucket) + INTERVAL 1 MONTH, 'UTC'),
                {to:DateTime('UTC')}) AS next_bucket,
            least(next_bucket, {to:DateTime('UTC')}) AS bucket_end,
            sum(online_s) AS online_s,
            sum(busy_s) AS busy_s,
            sum(assigned_s) AS assigned_s,
            sum(util_assigned_sum) AS util_sum,
            sum(util_assigned_n) AS util_n
        FROM rollup
        WHERE network IN {networks:Array(String)} AND node_id IN {nodes:Array(String)}
          AND hour >= {from:DateTime('UTC')} AND hour < {to:DateTime('UTC')}
        GROUP BY network, node_id, bucket
    )
SELECT
    s.network AS network,
    s.node_id AS node_id,
    s.bucket AS bucket,
    s.bucket_end AS bucket_end,
    s.online_s AS online_gpu_seconds,
    s.busy_s AS busy_gpu_seconds,
    {disclosure:Map(String, String)}[concat(s.network, '/time_utilization')] AS time_utilization_provenance,
    if(time_utilization_provenance IN ('', 'none') OR s.online_s = 0, NULL, s.busy_s / s.online_s) AS time_utilization,
    {disclosure:Map(String, String)}[concat(s.network, '/allocation_utilization')] AS allocation_utilization_provenance,
    if(allocation_utilization_provenance IN ('', 'none') OR s.online_s = 0, NULL, s.assigned_s / s.online_s) AS allocation_utilization,
    {disclosure:Map(String, String)}[concat(s.network, '/compute_utilization')] AS compute_utilization_provenance,
    if(compute_utilization_provenance IN ('', 'none') OR s.util_n = 0, NULL, s.util_sum / s.util_n / 100) AS compute_utilization,
    {disclosure:Map(String, String)}[concat(s.network, '/uptime')] AS uptime_provenance,
    l.gpus * greatest(0, dateDiff('second', greatest(s.bucket, l.listed_at), s.bucket_end)) AS listed_s,
    if(uptime_provenance IN ('', 'none') OR listed_s = 0, NULL, s.online_s / listed_s) AS uptime
FROM sums AS s
LEFT JOIN listed AS l ON l.network = s.network AND l.node_id = s.node_id
ORDER BY network, node_id, bucket
