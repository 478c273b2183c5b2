-- Price (METRICS.md): "USD per GPU-hour by GPU model = job payments / (job duration x GPU count),
-- median and interquartile range, beside reference cloud list prices kept in the catalog with their
-- date and source."
-- Jobs that succeeded and ended in the period, with a USD payment (price_usd: the customer's
-- payment at its block time), a start, a positive running time (started -> ended) and GPU count.
-- Per GPU model (the model the job booked) and period; quantiles: quantileExactInclusive (linear
-- interpolation between order statistics, as numpy's default). Reference prices come from the
-- catalog (ingest/networks/reference-prices.ts), not from this query.
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
    prices AS
    (
        SELECT
            network,
            greatest(multiIf(
                {granularity:String} = 'hour', toStartOfHour(ended),
                {granularity:String} = 'day', toStartOfDay(ended),
                {granularity:String} = 'week', toDateTime(toMonday(ended), 'UTC'),
                {granularity:String} = 'month', toDateTime(toStartOfMonth(ended), 'UTC'),
                if(ended < {split:DateTime('UTC')}, {from:DateTime('UTC')}, {split:DateTime('UTC')})), {from:DateTime('UTC')}) AS bucket,
            gpu_model,
            count() AS n,
            sum(usd) AS paid_usd,
            sum(hours) AS gpu_hours,
            quantilesExactInclusive(0.25, 0.5, 0.75)(usd / hours) AS q
        FROM
        (
            SELECT
                network,
                gpu_model,
                assumeNotNull(ended_at) AS ended,
                assumeNotNull(price_usd) AS usd,
                dateDiff('second', assumeNotNull(started_at), assumeNotNull(ended_at)) / 3600 * gpu_count AS hours
            FROM merged
            WHERE network IN {networks:Array(String)}
              AND ended_at >= {from:DateTime('UTC')} AND ended_at < {to:DateTime('UTC')}
              AND status = 'succeeded' AND price_usd IS NOT NULL AND started_at IS NOT NULL
              AND gpu_count > 0 AND ended_at > started_at
        )
        GROUP BY network, bucket, gpu_model
    ),
    grid AS
    (
        SELECT p.network AS network, s.bucket AS bucket, s.bucket_end AS bucket_end, p.gpu_model AS gpu_model,
               p.n AS n, p.gpu_hours AS hours, p.paid_usd AS paid, p.q AS q,
               {disclosure:Map(String, String)}[concat(p.network, '/price_per_gpu_hour')] AS provenance,
               provenance IN ('', 'none') AS undisclosed
        FROM prices AS p
        INNER JOIN spine AS s ON s.bucket = p.bucket
    )
SELECT
    network,
    bucket,
    bucket_end,
    gpu_model,
    provenance,
    if(undisclosed, NULL, n) AS jobs,
    if(undisclosed, NULL, hours) AS gpu_hours,
    if(undisclosed, NULL, paid) AS paid_usd,
    if(undisclosed, NULL, q[2]) AS median_usd,
    if(undisclosed, NULL, q[1]) AS p25_usd,
    if(undisclosed, NULL, q[3]) AS p75_usd
FROM grid
ORDER BY network, bucket, gpu_model
