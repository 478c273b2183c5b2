/** One example of the explorer: a named operation (its tab title) and the variables it runs with. */
export interface ExplorerExample {
  name: string
  query: string
  variables?: Record<string, unknown>
}

/** What a new tab opens with. */
export const NEW_TAB_QUERY = `# Ctrl-Space completes, Ctrl-Enter runs; the examples
# are in the other tabs.
{
  networks { id name economics }
}
`

const NETWORKS = ['render', 'ionet', 'aethir', 'nosana', 'akash']

// Lines stay under ~56 characters: the width of GraphiQL's query editor on a laptop screen.
export const EXAMPLES: readonly ExplorerExample[] = [
  {
    name: 'CompareNetworks',
    query: `# Networks side by side over the last 30 days, each
# tile beside the 30 days before. Provenance: onchain >
# signed > reported > none (not disclosed: null, not 0).
query CompareNetworks($networks: [ID!]!) {
  compare(
    networks: $networks
    range: { preset: D30 }
    granularity: WEEK
    previous: true
  ) {
    range { from to }
    previousRange { from to }
    networks {
      network { id name }
      tiles {
        metric title unit
        value previous changeRatio provenance
      }
    }
  }
}
`,
    variables: { networks: NETWORKS },
  },
  {
    name: 'Economics',
    query: `# Demand against token subsidy, per week, with the
# largest transactions behind each point.
query Economics($network: ID!) {
  economics(
    network: $network
    range: { preset: D30 }
    granularity: WEEK
  ) {
    range { from to }
    totals {
      demandUsd { value provenance }
      subsidyUsd { value provenance }
      burnsUsd { value provenance }
      feesUsd { value provenance }
      subsidyRatio { value provenance }
      demandCoverage { value provenance }
      netUsd { value provenance }
      flows
      unpricedFlows
    }
    series {
      start
      demandUsd { value }
      subsidyUsd { value }
      transactions(first: 3) {
        blockTime kind tokenSymbol amount amountUsd
        explorerUrl
      }
    }
  }
}
`,
    variables: { network: 'render' },
  },
  {
    name: 'Reliability',
    query: `# Job success with n and its 95% Wilson interval
# (tooFewJobs: n < 30), node uptime, queue time and
# time to failure.
query Reliability($network: ID!) {
  reliability(
    network: $network
    range: { preset: D30 }
    granularity: DAY
  ) {
    range { from to }
    jobSuccess {
      jobs succeeded failed timedOut
      successRate wilsonLow wilsonHigh tooFewJobs
      provenance
    }
    jobSuccessSeries {
      start jobs successRate wilsonLow wilsonHigh
      tooFewJobs
    }
    uptime {
      value onlineGpuSeconds listedGpuSeconds provenance
    }
    queueTime {
      jobs medianSeconds p25Seconds p75Seconds provenance
    }
    timeToFailure { jobs medianSeconds provenance }
  }
}
`,
    variables: { network: 'nosana' },
  },
  {
    name: 'TokenFlows',
    query: `# Customer payments, newest first, 20 a page. For the
# next page, set the variable "after" to endCursor.
query TokenFlows($network: String, $after: String) {
  tokenFlows(
    network: $network
    kind: customer_payment
    first: 20
    after: $after
  ) {
    edges {
      cursor
      node {
        blockTime chain txId tokenSymbol
        amount amountUsd payer payee explorerUrl
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
    variables: { network: 'nosana', after: null },
  },
  {
    name: 'MetricDefinitions',
    query: `# Every metric: its definition, the SQL computing it,
# and what each network can disclose of it.
query MetricDefinitions {
  metricDefinitions {
    id
    title
    unit
    definition
    sqlFile
    sql
    disclosures { network provenance how }
  }
}
`,
  },
  {
    name: 'Meta',
    query: `# The engine behind the API, and how far each source
# is behind its chain head.
query Meta {
  _meta {
    engine
    clickhouseVersion
    migrations
    sources {
      sourceId live lastBlock headBlock lagBlocks
      blocksPerSecond lastError updatedAt
    }
    telemetry { network provenance lastSeen }
  }
}
`,
  },
]
