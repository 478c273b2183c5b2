-- Economics: demand against subsidy (METRICS.md).
--   Demand (USD): "value paid by customers for compute in the period, settled on chain:
--     customer_payment flows, plus for burn-and-mint networks the USD value of the burns that pay for
--     jobs (Render: customers burn RENDER worth the job's USD price; a burn immediately re-minted is
--     not demand). Converted at the token's USD price at the block time."
--   Subsidy (USD): "value of tokens newly emitted to the supply side in the period
--     (reward_emission), at the USD price when emitted."
--   Subsidy ratio = subsidy / demand; demand coverage = demand / subsidy;
--   net = protocol take (fees kept + burns) - subsidy.
--   Paying customers: "A customer is a paying address (payer of customer_payment, or burner for
--     burn-and-mint networks)", distinct in each bucket (customers.sql has the new and returning ones),
--     counted by the 64-bit SipHash of the address (migration 0010).
-- A burn pays for a job when it carries the job's id (the settlement memo names it); burns without
-- one (buy-backs) are burns, not demand. {burn_and_mint:Array(String)}: the networks whose catalog
-- economics is burn-and-mint. A ratio whose denominator is 0 is NULL. unpriced_flows counts flows
-- without a USD price at their block time (left out of the sums, never valued at 0 silently).
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
    rollup AS
    (
        -- Per network and day (the daily snapshot, migration 0010, when every bucket is made of whole
        -- UTC days: {daily} = 1) or per hour (token_flows FINAL: replays, retractions and finality
        -- relabels collapse); `hour` is the start of the row's day or hour.
        SELECT network, toDateTime(day, 'UTC') AS hour, payment_usd, job_burn_usd, burn_usd, emission_usd, fee_usd,
               payment_flows + burn_flows + emission_flows + fee_flows AS counted,
               payment_unpriced + burn_unpriced + emission_unpriced + fee_unpriced AS unpriced,
               payment_payers, job_burn_payers
        FROM flows_daily FINAL
        WHERE {daily:UInt8} = 1 AND network IN {networks:Array(String)}
          AND day >= toDate({from:DateTime('UTC')}) AND day < toDate({to:DateTime('UTC')})
        UNION ALL
        SELECT
            network,
            toStartOfHour(block_time) AS hour,
            sumIf(usd, kind = 'customer_payment'),
            sumIf(usd, job_burn),
            sumIf(usd, kind = 'burn'),
            sumIf(usd, kind = 'reward_emission'),
            sumIf(usd, kind = 'fee'),
            countIf(kind IN ('customer_payment', 'burn', 'reward_emission', 'fee')),
            countIf(kind IN ('customer_payment', 'burn', 'reward_emission', 'fee') AND NOT priced),
            groupUniqArrayIf(sipHash64(payer), kind = 'customer_payment'),
            groupUniqArrayIf(sipHash64(payer), job_burn)
        FROM
        (
            SELECT network, block_time, kind, payer, ifNull(amount_usd, 0) AS usd, amount_usd IS NOT NULL AS priced,
                   kind = 'burn' AND job_id != '' AS job_burn
            FROM token_flows FINAL
            -- With {daily} = 1 the range is empty, so no partition is read: FINAL costs even when a
            -- filter that is always false leaves nothing to read.
            WHERE network IN {networks:Array(String)}
              AND block_time >= if({daily:UInt8} = 0, {from:DateTime('UTC')}, {to:DateTime('UTC')})
              AND block_time < {to:DateTime('UTC')}
        )
        GROUP BY network, hour
    ),
    flows AS
    (
        SELECT
            network,
            greatest(multiIf(
                {granularity:String} = 'hour', toStartOfHour(hour),
                {granularity:String} = 'day', toStartOfDay(hour),
                {granularity:String} = 'week', toDateTime(toMonday(hour), 'UTC'),
                {granularity:String} = 'month', toDateTime(toStartOfMonth(hour), 'UTC'),
                if(hour < {split:DateTime('UTC')}, {from:DateTime('UTC')}, {split:DateTime('UTC')})), {from:DateTime('UTC')}) AS bucket,
            has({burn_and_mint:Array(String)}, network) AS burn_and_mint,
            sum(payment_usd) + if(burn_and_mint, sum(job_burn_usd), 0) AS demand,
            sum(emission_usd) AS subsidy,
            sum(burn_usd) AS burns,
            sum(fee_usd) AS fees,
            sum(unpriced) AS unpriced,
            sum(counted) AS counted,
            uniqExactArray(if(burn_and_mint, arrayConcat(payment_payers, job_burn_payers), payment_payers)) AS paying
        FROM rollup
        GROUP BY network, bucket
    ),
    grid AS
    (
        SELECT n.network AS network, s.bucket AS bucket, s.bucket_end AS bucket_end,
               f.demand AS demand, f.subsidy AS subsidy, f.burns AS burns, f.fees AS fees,
               f.unpriced AS unpriced, f.counted AS counted, f.paying AS paying
        FROM (SELECT arrayJoin({networks:Array(String)}) AS network) AS n
        CROSS JOIN spine AS s
        LEFT JOIN flows AS f ON f.network = n.network AND f.bucket = s.bucket
    )
SELECT
    network,
    bucket,
    bucket_end,
    {disclosure:Map(String, String)}[concat(network, '/demand')] AS demand_provenance,
    if(demand_provenance IN ('', 'none'), NULL, demand) AS demand_usd,
    {disclosure:Map(String, String)}[concat(network, '/subsidy')] AS subsidy_provenance,
    if(subsidy_provenance IN ('', 'none'), NULL, subsidy) AS subsidy_usd,
    {disclosure:Map(String, String)}[concat(network, '/burns')] AS burns_provenance,
    if(burns_provenance IN ('', 'none'), NULL, burns) AS burns_usd,
    {disclosure:Map(String, String)}[concat(network, '/fees')] AS fees_provenance,
    if(fees_provenance IN ('', 'none'), NULL, fees) AS fees_usd,
    {disclosure:Map(String, String)}[concat(network, '/subsidy_ratio')] AS subsidy_ratio_provenance,
    if(subsidy_ratio_provenance IN ('', 'none') OR demand = 0, NULL, subsidy / demand) AS subsidy_ratio,
    {disclosure:Map(String, String)}[concat(network, '/demand_coverage')] AS demand_coverage_provenance,
    if(demand_coverage_provenance IN ('', 'none') OR subsidy = 0, NULL, demand / subsidy) AS demand_coverage,
    {disclosure:Map(String, String)}[concat(network, '/net')] AS net_provenance,
    if(net_provenance IN ('', 'none'), NULL, fees + burns - subsidy) AS net_usd,
    {disclosure:Map(String, String)}[concat(network, '/customers')] AS customers_provenance,
    if(customers_provenance IN ('', 'none'), NULL, paying) AS paying_customers,
    counted AS flows,
    unpriced AS unpriced_flows
FROM grid
ORDER BY network, bucket
