-- Economics: demand against subsidy (METRICS.md).
--   Demand (USD): "value paid by customers for compute in the period, settled on chain:
--     customer_payment flows, plus for burn-and-mint networks the USD value of the burns that pay for
--     jobs (Render: customers burn RENDER worth the job's USD price; a burn immediately re-minted is
--     not demand). Converted at the token's USD price at the block time."
--   Subsidy (USD): "value of tokens newly emitted to the supply side in the period
--     (reward_emission), at the USD price when emitted."
--   Subsidy ratio = subsidy / demand; demand coverage = demand / subsidy;
--   net = protocol take (fees kept + burns) - subsidy.
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
    flows AS
    (
        SELECT
            network,
            bucket,
            sumIf(usd, is_demand) AS demand,
            sumIf(usd, kind = 'reward_emission') AS subsidy,
            sumIf(usd, kind = 'burn') AS burns,
            sumIf(usd, kind = 'fee') AS fees,
            countIf(NOT priced AND (is_demand OR kind IN ('reward_emission', 'burn', 'fee'))) AS unpriced,
            countIf(is_demand OR kind IN ('reward_emission', 'burn', 'fee')) AS counted
        FROM
        (
            SELECT
                network,
                greatest(multiIf(
                    {granularity:String} = 'hour', toStartOfHour(block_time),
                    {granularity:String} = 'day', toStartOfDay(block_time),
                    {granularity:String} = 'week', toDateTime(toMonday(block_time), 'UTC'),
                    {granularity:String} = 'month', toDateTime(toStartOfMonth(block_time), 'UTC'),
                    if(block_time < {split:DateTime('UTC')}, {from:DateTime('UTC')}, {split:DateTime('UTC')})), {from:DateTime('UTC')}) AS bucket,
                kind,
                kind = 'customer_payment'
                    OR (kind = 'burn' AND job_id != '' AND has({burn_and_mint:Array(String)}, network)) AS is_demand,
                ifNull(amount_usd, 0) AS usd,
                amount_usd IS NOT NULL AS priced
            FROM token_flows FINAL
            WHERE network IN {networks:Array(String)}
              AND block_time >= {from:DateTime('UTC')} AND block_time < {to:DateTime('UTC')}
        )
        GROUP BY network, bucket
    ),
    grid AS
    (
        SELECT n.network AS network, s.bucket AS bucket, s.bucket_end AS bucket_end,
               f.demand AS demand, f.subsidy AS subsidy, f.burns AS burns, f.fees AS fees,
               f.unpriced AS unpriced, f.counted AS counted
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
    counted AS flows,
    unpriced AS unpriced_flows
FROM grid
ORDER BY network, bucket
