/**
 * Every GraphQL query the dashboard sends: the compare page first, then a network page (nosana).
 * bench/api.ts times each one; bench/load.ts sends them in this order, round and round, on every
 * connection.
 */
export const DASHBOARD_NETWORKS = ['render', 'ionet', 'aethir', 'nosana', 'akash']

const ALL = JSON.stringify(DASHBOARD_NETWORKS)

/** [name, query] */
export const DASHBOARD: [string, string][] = [
  [
    'compare page (5 networks, D30, day, previous)',
    `query ComparePage { compare(networks: ${ALL}, range: { preset: D30 }, granularity: DAY, previous: true) {
      range { from to } previousRange { from to }
      networks { network { id name } tiles { metric title unit value previous change changeRatio provenance }
        series { metric unit provenance points { start value } } } } }`,
  ],
  [
    'compare tiles only (5 networks, D7)',
    `{ compare(networks: ${ALL}, range: { preset: D7 }) { networks { tiles { metric value previous provenance } } } }`,
  ],
  [
    'network: economics (D30, day)',
    `{ economics(network: "nosana") { totals { demandUsd { value provenance } subsidyRatio { value } netUsd { value } }
        series { start demandUsd { value } subsidyUsd { value } burnsUsd { value } } } }`,
  ],
  [
    'network: supply funnel (D30, day)',
    `{ supply(network: "nosana") { totals { listed { value } online { value } busy { value } verified { value } }
        byModel { gpuModel listed { value } online { value } verified { value } mismatched { value } }
        series { start online { value } busy { value } } } }`,
  ],
  [
    'network: utilisation (D30, day)',
    `{ utilization(network: "nosana", kind: TIME) { totals { value } series { start value } } }`,
  ],
  [
    'network: reliability (D30, day)',
    `{ reliability(network: "nosana") { jobSuccess { jobs successRate wilsonLow wilsonHigh tooFewJobs }
        uptime { value } queueTime { medianSeconds } timeToFailure { medianSeconds } jobSuccessSeries { start successRate } } }`,
  ],
  [
    'network: customers and cohorts (D90, week)',
    `{ retention(network: "nosana", range: { preset: D90 }, granularity: WEEK) { totals { payingCustomers newCustomers top10Share { value } }
        customers { start payingCustomers newCustomers returningCustomers } cohorts { cohort offset logoRetention revenueRetention } } }`,
  ],
  [
    'network: hardware mix and prices (D30)',
    `{ hardwareMix(network: "nosana") { models { group claimedGpus { value } verifiedGpus { value } } }
       prices(network: "nosana") { models { gpuModel medianUsdPerGpuHour p25UsdPerGpuHour p75UsdPerGpuHour } } }`,
  ],
  [
    'nodes page (first 50 by uptime)',
    `{ nodes(network: "nosana", orderBy: UPTIME) { edges { node { id verification uptime { value } } } } }`,
  ],
  ['jobs page (first 50)', `{ jobs(network: "nosana") { edges { node { id status submittedAt } } } }`],
]
