-- Customer cohorts and retention (METRICS.md):
--   "Cohort = customers by the month (or week) of their first payment.
--    Logo retention at month N = share of the cohort that paid in month N.
--    Revenue retention (NRR) at month N = cohort's spend in month N / cohort's spend in month 0."
-- One row per cohort and period in which any of its customers paid; cohorts whose period starts in
-- the range (from the period holding {from}), activity up to {to}. Demand as in economics.sql.
-- A customer's first payment: the earlier of customer_first_payment (its first finalized payment
-- ever, migration 0009) and its payments read here, so only the cohorts' periods are scanned.
-- Parameters: {networks}, {from}, {to}, {disclosure} (sql/metrics/README.md), {cohort:String}
-- ('month' or 'week', ISO weeks from Monday).
WITH
    if({cohort:String} = 'week', toMonday({from:DateTime('UTC')}), toStartOfMonth({from:DateTime('UTC')})) AS first_period,
    payer_period AS
    (
        SELECT network, payer, period, sum(usd) AS usd, min(block_time) AS first_in_period
        FROM
        (
            SELECT
                network,
                payer,
                block_time,
                if({cohort:String} = 'week', toMonday(block_time), toStartOfMonth(block_time)) AS period,
                ifNull(amount_usd, 0) AS usd
            FROM token_flows FINAL
            WHERE network IN {networks:Array(String)}
              AND block_time >= toDateTime(first_period, 'UTC') AND block_time < {to:DateTime('UTC')}
              AND (kind = 'customer_payment'
                   OR (kind = 'burn' AND job_id != '' AND has({burn_and_mint:Array(String)}, network)))
        )
        GROUP BY network, payer, period
    ),
    earlier AS
    (
        SELECT network, payer, min(first_at) AS earliest_at, 1 AS known
        FROM customer_first_payment
        WHERE network IN {networks:Array(String)} AND first_at < {to:DateTime('UTC')}
          AND (demand = 'payment' OR (demand = 'job_burn' AND has({burn_and_mint:Array(String)}, network)))
        GROUP BY network, payer
    ),
    activity AS
    (
        SELECT network, cohort, period, count() AS active, sum(usd) AS spend
        FROM
        (
            SELECT network, payer, period, usd,
                   if({cohort:String} = 'week', toMonday(first_at), toStartOfMonth(first_at)) AS cohort
            FROM
            (
                SELECT network, payer, period, usd, if(known = 1, least(earliest, first_in_range), first_in_range) AS first_at
                FROM
                (
                    SELECT p.network AS network, p.payer AS payer, p.period AS period, p.usd AS usd,
                           min(p.first_in_period) OVER (PARTITION BY p.network, p.payer) AS first_in_range,
                           e.known AS known, e.earliest_at AS earliest
                    FROM payer_period AS p
                    LEFT JOIN earlier AS e ON e.network = p.network AND e.payer = p.payer
                )
            )
        )
        WHERE cohort >= first_period
        GROUP BY network, cohort, period
    )
SELECT
    network,
    cohort,
    period,
    if({cohort:String} = 'week', intDiv(dateDiff('day', cohort, period), 7), dateDiff('month', cohort, period)) AS offset,
    {disclosure:Map(String, String)}[concat(network, '/customers')] AS customers_provenance,
    if(customers_provenance IN ('', 'none'), NULL, first_value(active) OVER w) AS cohort_size,
    if(customers_provenance IN ('', 'none'), NULL, active) AS active_customers,
    if(customers_provenance IN ('', 'none'), NULL, spend) AS spend_usd,
    if(customers_provenance IN ('', 'none'), NULL, active / first_value(active) OVER w) AS logo_retention,
    if(customers_provenance IN ('', 'none') OR first_value(spend) OVER w = 0, NULL, spend / first_value(spend) OVER w) AS revenue_retention
FROM activity
WINDOW w AS (PARTITION BY network, cohort ORDER BY period ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
ORDER BY network, cohort, period
