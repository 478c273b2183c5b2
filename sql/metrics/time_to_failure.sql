-- Time to failure (METRICS.md): "median running time of failed jobs", in seconds (started -> ended),
-- with the interquartile range, over the jobs that ended failed in the period. Timed-out jobs are not
-- failures here: they run to their limit by definition, so they would measure the limit. Quantiles:
-- quantileExactInclusive (linear interpolation between order statistics, as numpy's default).
-- Optional filters: {gpu_model:String} (the job's GPU model) and {node:String}; '' = all.
-- Parameters: {networks}, {from}, {to}, {granularity}, {split}, {disclosure} (sql/metrics/README.md).
WITH
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
    picked AS
    (
        -- The jobs whose finished event falls in the range: only their events are merged, not every
        -- job of the network.
        SELECT DISTINCT network, job_id
        FROM job_events FINAL
        WHERE network IN {networks:Array(String)} AND event = 'finished'
          AND time >= {from:DateTime('UTC')} AND time < {to:DateTime('UTC')}
          AND ({gpu_model:String} = '' OR (network, job_id) IN (
                SELECT network, job_id FROM job_events
                WHERE {gpu_model:String} != '' AND network IN {networks:Array(String)} AND event = 'posted'
                  AND gpu_model = {gpu_model:String}))
          AND ({node:String} = '' OR (network, job_id) IN (
                SELECT network, job_id FROM job_events
                WHERE {node:String} != '' AND network IN {networks:Array(String)} AND node_id = {node:String}))
    ),
    merged AS
    (
        -- Their rows of the `jobs` view (sql/migrations/0002_job_events.sql), merged the same way.
        SELECT
            network,
            job_id,
            anyIf(gpu_model, gpu_model != '') AS gpu_model,
            max(gpu_count) AS gpu_count,
            minIf(time, event = 'posted') AS submitted_at,
            if(countIf(event = 'started') > 0, minIf(time, event = 'started'), NULL) AS started_at,
            if(countIf(event = 'finished') > 0, maxIf(time, event = 'finished'), NULL) AS ended_at,
            if(countIf(event = 'finished') > 0, anyIf(status, event = 'finished'),
               if(countIf(event = 'started') > 0, 'running', 'queued')) AS status,
            anyIf(price_usd, event = 'posted') AS price_usd
        FROM job_events FINAL
        WHERE network IN {networks:Array(String)} AND (network, job_id) IN picked
        GROUP BY network, job_id
    ),
    durations AS
    (
        SELECT
            network,
            greatest(multiIf(
                {granularity:String} = 'hour', toStartOfHour(t),
                {granularity:String} = 'day', toStartOfDay(t),
                {granularity:String} = 'week', toDateTime(toMonday(t), 'UTC'),
                {granularity:String} = 'month', toDateTime(toStartOfMonth(t), 'UTC'),
                if(t < {split:DateTime('UTC')}, {from:DateTime('UTC')}, {split:DateTime('UTC')})), {from:DateTime('UTC')}) AS bucket,
            count() AS n,
            quantilesExactInclusive(0.25, 0.5, 0.75)(seconds) AS q
        FROM
        (
            SELECT network, assumeNotNull(ended_at) AS t, toFloat64(dateDiff('second', assumeNotNull(started_at), assumeNotNull(ended_at))) AS seconds
            FROM merged
            WHERE network IN {networks:Array(String)}
              AND ended_at >= {from:DateTime('UTC')} AND ended_at < {to:DateTime('UTC')}
              AND status = 'failed' AND started_at IS NOT NULL
        )
        GROUP BY network, bucket
    ),
    grid AS
    (
        SELECT n.network AS network, s.bucket AS bucket, s.bucket_end AS bucket_end, d.n AS n, d.q AS q,
               {disclosure:Map(String, String)}[concat(n.network, '/time_to_failure')] AS provenance,
               provenance IN ('', 'none') AS undisclosed
        FROM (SELECT arrayJoin({networks:Array(String)}) AS network) AS n
        CROSS JOIN spine AS s
        LEFT JOIN durations AS d ON d.network = n.network AND d.bucket = s.bucket
    )
SELECT
    network,
    bucket,
    bucket_end,
    provenance,
    if(undisclosed, NULL, n) AS jobs,
    if(undisclosed OR n = 0, NULL, q[2]) AS median_s,
    if(undisclosed OR n = 0, NULL, q[1]) AS p25_s,
    if(undisclosed OR n = 0, NULL, q[3]) AS p75_s
FROM grid
ORDER BY network, bucket
