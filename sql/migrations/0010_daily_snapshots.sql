-- Daily snapshots of the chain tables, for the day-bucketed metric queries (sql/metrics/README.md).
--
-- token_flows and job_events are ReplacingMergeTrees read FINAL (replays collapse, reorgs retract), so
-- an insert-time materialized view could count a replayed or retracted row. A snapshot is instead
-- recomputed whole, per network and UTC day, from the FINAL table by the writer after every insert
-- or retraction that touches the day (sql/snapshots/*.sql, ingest/store/snapshots.ts), and rebuilt
-- after every migration. ReplacingMergeTree(refreshed_at) keeps the latest computation of a day;
-- readers use FINAL (a few rows per network and day). A day with nothing left is written as zeros.

-- flows_daily: economics and paying customers. Job burns (a burn carrying a job id) are demand on
-- burn-and-mint networks only, which the query decides from the catalog, so they are kept apart.
-- *_flows count flows; *_unpriced those without a USD price. payment_payers, job_burn_payers: the
-- distinct payers of customer_payment and of job burns, as 64-bit SipHashes of their addresses
-- (counting distinct UInt64 across days is several times faster than merging uniqExact states;
-- two of a million payers share a hash with odds of about 3 in 100 million).
CREATE TABLE IF NOT EXISTS flows_daily
(
    network           LowCardinality(String),
    day               Date,
    payment_usd       Float64,
    payment_flows     UInt64,
    payment_unpriced  UInt64,
    job_burn_usd      Float64,
    burn_usd          Float64,
    burn_flows        UInt64,
    burn_unpriced     UInt64,
    emission_usd      Float64,
    emission_flows    UInt64,
    emission_unpriced UInt64,
    fee_usd           Float64,
    fee_flows         UInt64,
    fee_unpriced      UInt64,
    payment_payers    Array(UInt64),
    job_burn_payers   Array(UInt64),
    refreshed_at      DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(refreshed_at)
ORDER BY (network, day);

-- jobs_daily: jobs by final status, on the day they ended (their finished event), as job_success.sql.
CREATE TABLE IF NOT EXISTS jobs_daily
(
    network      LowCardinality(String),
    day          Date,
    succeeded    UInt64,
    failed       UInt64,
    timed_out    UInt64,
    cancelled    UInt64,
    refreshed_at DateTime64(6, 'UTC')
)
ENGINE = ReplacingMergeTree(refreshed_at)
ORDER BY (network, day);
