/**
 * Issue #8, part 4: hostile values in every argument of compare, economics, supply and utilization
 * (test/hostile/metric-suite.ts). The other metric fields: graphql-metrics-2.test.ts; the list and
 * lookup fields: graphql-lists.test.ts.
 */
import { METRIC_FIELDS_1 } from './graphql-harness.js'
import { metricSuite } from './metric-suite.js'

/** Runs per field and mode (variables, inline literals). */
const RUNS = 5

metricSuite(METRIC_FIELDS_1, RUNS)
