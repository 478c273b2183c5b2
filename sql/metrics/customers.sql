-- Customers (METRICS.md): "A customer is a paying address (payer of customer_payment, or burner for
-- burn-and-mint networks)." Per period: paying customers, new customers (whose first payment ever
-- falls in the period) and returning ones (paid before the period), and concentration, "the top-10
-- customers' share of demand" in the period. Demand is economics.sql's: customer payments, plus
-- burns that pay for a job on burn-and-mint networks ({burn_and_mint:Array(String)}).
-- A customer's first payment is the earlier of its first finalized payment ever (customer_first_payment,
-- migration 0009) and its payments read in the range, so only the range is scanned.
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
    payments AS
    (
        -- The payments in the range, per payer and bucket (FINAL: replays, retractions and relabels collapse).
        SELECT network, payer, bucket, sum(usd) AS usd, min(block_time) AS first_in_bucket
        FROM
        (
            SELECT
                network,
                payer,
                block_time,
                greatest(multiIf(
                    {granularity:String} = 'hour', toStartOfHour(block_time),
                    {granularity:String} = 'day', toStartOfDay(block_time),
                    {granularity:String} = 'week', toDateTime(toMonday(block_time), 'UTC'),
                    {granularity:String} = 'month', toDateTime(toStartOfMonth(block_time), 'UTC'),
                    if(block_time < {split:DateTime('UTC')}, {from:DateTime('UTC')}, {split:DateTime('UTC')})), {from:DateTime('UTC')}) AS bucket,
                ifNull(amount_usd, 0) AS usd
            FROM token_flows FINAL
            WHERE network IN {networks:Array(String)}
              AND block_time >= {from:DateTime('UTC')} AND block_time < {to:DateTime('UTC')}
              AND (kind = 'customer_payment'
                   OR (kind = 'burn' AND job_id != '' AND has({burn_and_mint:Array(String)}, network)))
        )
        GROUP BY network, payer, bucket
    ),
    earlier AS
    (
        SELECT network, payer, min(first_at) AS earliest_at, 1 AS known
        FROM customer_first_payment
        WHERE network IN {networks:Array(String)} AND first_at < {to:DateTime('UTC')}
          AND (demand = 'payment' OR (demand = 'job_burn' AND has({burn_and_mint:Array(String)}, network)))
        GROUP BY network, payer
    ),
    per_payer AS
    (
        SELECT network, payer, bucket, usd, if(known = 1, least(earliest, first_in_range), first_in_range) AS first_at
        FROM
        (
            SELECT p.network AS network, p.payer AS payer, p.bucket AS bucket, p.usd AS usd,
                   min(p.first_in_bucket) OVER (PARTITION BY p.network, p.payer) AS first_in_range,
                   e.known AS known, e.earliest_at AS earliest
            FROM payments AS p
            LEFT JOIN earlier AS e ON e.network = p.network AND e.payer = p.payer
        )
    ),
    per_bucket AS
    (
        SELECT
            p.network AS network,
            p.bucket AS bucket,
            count() AS paying,
            countIf(p.first_at >= p.bucket AND p.first_at < s.bucket_end) AS new,
            sum(p.usd) AS demand,
            arraySum(arraySlice(arrayReverseSort(groupArray(p.usd)), 1, 10)) AS top10
        FROM per_payer AS p
        INNER JOIN spine AS s ON s.bucket = p.bucket
        GROUP BY network, bucket
    ),
    grid AS
    (
        SELECT n.network AS network, s.bucket AS bucket, s.bucket_end AS bucket_end,
               c.paying AS paying, c.new AS new, c.demand AS demand, c.top10 AS top10
        FROM (SELECT arrayJoin({networks:Array(String)}) AS network) AS n
        CROSS JOIN spine AS s
        LEFT JOIN per_bucket AS c ON c.network = n.network AND c.bucket = s.bucket
    )
SELECT
    network,
    bucket,
    bucket_end,
    {disclosure:Map(String, String)}[concat(network, '/customers')] AS customers_provenance,
    if(customers_provenance IN ('', 'none'), NULL, paying) AS paying_customers,
    if(customers_provenance IN ('', 'none'), NULL, new) AS new_customers,
    if(customers_provenance IN ('', 'none'), NULL, paying - new) AS returning_customers,
    {disclosure:Map(String, String)}[concat(network, '/concentration')] AS concentration_provenance,
    if(concentration_provenance IN ('', 'none') OR demand = 0, NULL, top10 / demand) AS top10_share
FROM grid
ORDER BY network, bucket
