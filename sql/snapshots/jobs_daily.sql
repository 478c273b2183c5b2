-- Recomputes jobs_daily (migration 0010) for one network and the UTC days {from}..{to} (inclusive)
-- from job_events FINAL: a job ends with its finished event (as the `jobs` view and job_success.sql).
-- Every day of the span gets a row, zeros when no job ended.
INSERT INTO jobs_daily
SELECT {network:String}, d.day, j.succeeded, j.failed, j.timed_out, j.cancelled, now64(6)
FROM (SELECT {from:Date} + number AS day FROM numbers(toUInt64(dateDiff('day', {from:Date}, {to:Date}) + 1))) AS d
LEFT JOIN
(
    SELECT
        toDate(ended) AS day,
        countIf(status = 'succeeded') AS succeeded,
        countIf(status = 'failed') AS failed,
        countIf(status = 'timed_out') AS timed_out,
        countIf(status = 'cancelled') AS cancelled
    FROM
    (
        SELECT max(time) AS ended, argMax(status, time) AS status
        FROM job_events FINAL
        WHERE network = {network:String} AND event = 'finished'
          AND time >= toDateTime({from:Date}, 'UTC') AND time < toDateTime({to:Date} + 1, 'UTC')
        GROUP BY job_id
    )
    GROUP BY day
) AS j ON j.day = d.day
