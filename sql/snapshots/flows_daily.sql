-- Recomputes flows_daily (migration 0010) for one network and the UTC days {from}..{to} (inclusive)
-- from token_flows FINAL. Every day of the span gets a row, zeros when no flow is left.
INSERT INTO flows_daily
SELECT
    {network:String}, d.day,
    f.payment_usd, f.payment_flows, f.payment_unpriced,
    f.job_burn_usd,
    f.burn_usd, f.burn_flows, f.burn_unpriced,
    f.emission_usd, f.emission_flows, f.emission_unpriced,
    f.fee_usd, f.fee_flows, f.fee_unpriced,
    f.payment_payers, f.job_burn_payers,
    now64(6)
FROM (SELECT {from:Date} + number AS day FROM numbers(toUInt64(dateDiff('day', {from:Date}, {to:Date}) + 1))) AS d
LEFT JOIN
(
    SELECT
        toDate(block_time) AS day,
        sumIf(usd, kind = 'customer_payment') AS payment_usd,
        countIf(kind = 'customer_payment') AS payment_flows,
        countIf(kind = 'customer_payment' AND NOT priced) AS payment_unpriced,
        sumIf(usd, job_burn) AS job_burn_usd,
        sumIf(usd, kind = 'burn') AS burn_usd,
        countIf(kind = 'burn') AS burn_flows,
        countIf(kind = 'burn' AND NOT priced) AS burn_unpriced,
        sumIf(usd, kind = 'reward_emission') AS emission_usd,
        countIf(kind = 'reward_emission') AS emission_flows,
        countIf(kind = 'reward_emission' AND NOT priced) AS emission_unpriced,
        sumIf(usd, kind = 'fee') AS fee_usd,
        countIf(kind = 'fee') AS fee_flows,
        countIf(kind = 'fee' AND NOT priced) AS fee_unpriced,
        groupUniqArrayIf(sipHash64(payer), kind = 'customer_payment') AS payment_payers,
        groupUniqArrayIf(sipHash64(payer), job_burn) AS job_burn_payers
    FROM
    (
        SELECT block_time, kind, payer, ifNull(amount_usd, 0) AS usd, amount_usd IS NOT NULL AS priced,
               kind = 'burn' AND job_id != '' AS job_burn
        FROM token_flows FINAL
        WHERE network = {network:String}
          AND block_time >= toDateTime({from:Date}, 'UTC') AND block_time < toDateTime({to:Date} + 1, 'UTC')
    )
    GROUP BY day
) AS f ON f.day = d.day
