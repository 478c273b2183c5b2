-- Job success rate (METRICS.md): "Job success rate = succeeded / (succeeded + failed + timed_out).
-- Customer-cancelled jobs are excluded and counted separately. Always with n and a 95% Wilson
-- interval; networks with n < 30 in the window are marked 'too few jobs'."
-- A job counts in the period in which it ended (its finished event, as in the `jobs` view).
-- {daily:UInt8}: read the daily snapshot (set by the server when buckets are whole days).
-- Wilson score interval with z = 1.959963984540054:
--   centre = (p + z^2/2n) / (1 + z^2/n), half-width = z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n).
-- Optional filters: {gpu_model:String} (the job's GPU model) and {node:String}; '' = all.
-- Parameters: {networks}, {from}, {to}, {granularity}, {split}, {disclosure} (sql/metrics/README.md).
WITH
    1.959963984540054 AS z,
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
    ended AS
    (
        -- Jobs by status per day (the daily snapshot jobs_daily, migration 0010, when every bucket is
        -- made of whole UTC days and no filter is set) or per job (job_events FINAL: a job ends with
        -- its finished event, the jobs view's ended_at and status, so only the finished events in the
        -- range are read, not every job of the network).
        SELECT network, toDateTime(day, 'UTC') AS ended, succeeded, failed, timed_out, cancelled
        FROM jobs_daily FINAL
        WHERE {daily:UInt8} = 1 AND {gpu_model:String} = '' AND {node:String} = ''
          AND network IN {networks:Array(String)}
          AND day >= toDate({from:DateTime('UTC')}) AND day < toDate({to:DateTime('UTC')})
        UNION ALL
        SELECT network, ended, status = 'succeeded', status = 'failed', status = 'timed_out', status = 'cancelled'
        FROM
        (
            SELECT network, max(time) AS ended, argMax(status, time) AS status
            FROM job_events FINAL
            -- When the snapshot answers, the range is empty, so no partition is read (FINAL costs even
            -- when a filter that is always false leaves nothing to read).
            WHERE network IN {networks:Array(String)} AND event = 'finished'
              AND time >= if({daily:UInt8} = 1 AND {gpu_model:String} = '' AND {node:String} = '',
                             {to:DateTime('UTC')}, {from:DateTime('UTC')})
              AND time < {to:DateTime('UTC')}
              AND ({gpu_model:String} = '' OR (network, job_id) IN (
                    SELECT network, job_id FROM job_events
                    WHERE {gpu_model:String} != '' AND network IN {networks:Array(String)} AND event = 'posted'
                      AND gpu_model = {gpu_model:String}))
              AND ({node:String} = '' OR (network, job_id) IN (
                    SELECT network, job_id FROM job_events
                    WHERE {node:String} != '' AND network IN {networks:Array(String)} AND node_id = {node:String}))
            GROUP BY network, job_id
        )
    ),
    counts AS
    (
        SELECT
            network,
            greatest(multiIf(
                {granularity:String} = 'hour', toStartOfHour(ended),
                {granularity:String} = 'day', toStartOfDay(ended),
                {granularity:String} = 'week', toDateTime(toMonday(ended), 'UTC'),
                {granularity:String} = 'month', toDateTime(toStartOfMonth(ended), 'UTC'),
                if(ended < {split:DateTime('UTC')}, {from:DateTime('UTC')}, {split:DateTime('UTC')})), {from:DateTime('UTC')}) AS bucket,
            sum(succeeded) AS succeeded,
            sum(failed) AS failed,
            sum(timed_out) AS timed_out,
            sum(cancelled) AS cancelled
        FROM ended
        GROUP BY network, bucket
    ),
    grid AS
    (
        SELECT n.network AS network, s.bucket AS bucket, s.bucket_end AS bucket_end,
               c.succeeded AS succeeded, c.failed AS failed, c.timed_out AS timed_out, c.cancelled AS cancelled,
               c.succeeded + c.failed + c.timed_out AS n,
               c.succeeded / n AS p,
               {disclosure:Map(String, String)}[concat(n.network, '/job_success')] AS provenance,
               provenance IN ('', 'none') AS undisclosed
        FROM (SELECT arrayJoin({networks:Array(String)}) AS network) AS n
        CROSS JOIN spine AS s
        LEFT JOIN counts AS c ON c.network = n.network AND c.bucket = s.bucket
    )
SELECT
    network,
    bucket,
    bucket_end,
    provenance,
    if(undisclosed, NULL, succeeded) AS succeeded,
    if(undisclosed, NULL, failed) AS failed,
    if(undisclosed, NULL, timed_out) AS timed_out,
    if(undisclosed, NULL, cancelled) AS cancelled,
    if(undisclosed, NULL, n) AS jobs,
    if(undisclosed OR n = 0, NULL, p) AS success_rate,
    if(undisclosed OR n = 0, NULL,
       (p + z * z / (2 * n) - z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)) AS wilson_low,
    if(undisclosed OR n = 0, NULL,
       (p + z * z / (2 * n) + z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)) AS wilson_high,
    if(undisclosed, NULL, n < 30) AS too_few_jobs
FROM grid
ORDER BY network, bucket
