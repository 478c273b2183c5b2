-- Time utilisation (METRICS.md):
--   "Time utilisation = busy GPU-seconds / online GPU-seconds, from telemetry (each sample covers
--   its interval, capped at 2x the nominal interval so gaps are not filled in)."
-- Busy seconds: samples with a job assigned (the hourly rollup's busy_s).
-- Optional filters: {gpu_model:String} (the model the telemetry reports) and {node:String}; '' = all.
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
    sums AS
    (
        SELECT
            network,
            greatest(multiIf(
                {granularity:String} = 'hour', toStartOfHour(hour),
                {granularity:String} = 'day', toStartOfDay(hour),
                {granularity:String} = 'week', toDateTime(toMonday(hour), 'UTC'),
                {granularity:String} = 'month', toDateTime(toStartOfMonth(hour), 'UTC'),
                if(hour < {split:DateTime('UTC')}, {from:DateTime('UTC')}, {split:DateTime('UTC')})), {from:DateTime('UTC')}) AS bucket,
            sum(busy_s) AS numerator,
            sum(online_s) AS denominator
        FROM rollup
        WHERE network IN {networks:Array(String)}
          AND hour >= {from:DateTime('UTC')} AND hour < {to:DateTime('UTC')}
          AND ({gpu_model:String} = '' OR gpu_model = {gpu_model:String})
          AND ({node:String} = '' OR node_id = {node:String})
        GROUP BY network, bucket
    ),
    grid AS
    (
        SELECT n.network AS network, s.bucket AS bucket, s.bucket_end AS bucket_end,
               u.numerator AS numerator, u.denominator AS denominator
        FROM (SELECT arrayJoin({networks:Array(String)}) AS network) AS n
        CROSS JOIN spine AS s
        LEFT JOIN sums AS u ON u.network = n.network AND u.bucket = s.bucket
    )
SELECT
    network,
    bucket,
    bucket_end,
    {disclosure:Map(String, String)}[concat(network, '/time_utilization')] AS provenance,
    if(provenance IN ('', 'none') OR denominator = 0, NULL, numerator / denominator) AS value,
    if(provenance IN ('', 'none'), NULL, numerator) AS busy_gpu_seconds,
    if(provenance IN ('', 'none'), NULL, denominator) AS online_gpu_seconds
FROM grid
ORDER BY network, bucket
