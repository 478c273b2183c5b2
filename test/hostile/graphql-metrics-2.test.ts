/**
 * Issue #8, part 4: hostile values in every argument of reliability, retention, hardwareMix and
 * prices (test/hostile/metric-suite.ts). The other metric fields: graphql-metrics-1.test.ts; the
 * list and lookup fields: graphql-lists.test.ts.
 */
import { METRIC_FIELDS_2 } from './graphql-harness.js'
import { metricSuite } from './metric-suite.js'

/** Runs per field and mode (variables, inline literals). */
const RUNS = 6

metricSuite(METRIC_FIELDS_2, RUNS)
