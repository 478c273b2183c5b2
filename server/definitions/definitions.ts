import type { MetricId } from '../../ingest/networks/schema.js'
import type { DisclosedMetric } from '../core/disclosure.service.js'

export type Unit = 'usd' | 'ratio' | 'share' | 'gpus' | 'customers' | 'seconds' | 'usd_per_gpu_hour' | 'mix'

export interface MetricDefinition {
  id: string
  title: string
  unit: Unit
  /** Quoted from METRICS.md. */
  definition: string
  /** The SQL file under sql/ that computes it. */
  sql: string
  /** The catalog disclosure (or derived metric) its provenance comes from. */
  disclosure: DisclosedMetric
}

const econ = 'metrics/economics'

/** Every metric the API returns, with its definition (METRICS.md) and the SQL that computes it. */
export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  {
    id: 'demand',
    title: 'Demand',
    unit: 'usd',
    definition:
      'Value paid by customers for compute in the period, settled on chain: customer_payment flows, plus ' +
      'for burn-and-mint networks the USD value of the burns that pay for jobs (Render: customers burn ' +
      'RENDER worth the job’s USD price; a burn immediately re-minted is not demand). Converted at the ' +
      'token’s USD price at the block time.',
    sql: econ,
    disclosure: 'demand',
  },
  {
    id: 'subsidy',
    title: 'Subsidy',
    unit: 'usd',
    definition:
      'Value of tokens newly emitted to the supply side in the period (reward_emission), at the USD ' +
      'price when emitted.',
    sql: econ,
    disclosure: 'subsidy',
  },
  {
    id: 'burns',
    title: 'Burns',
    unit: 'usd',
    definition: 'USD value of tokens burned in the period, at the price at the block time.',
    sql: econ,
    disclosure: 'burns',
  },
  {
    id: 'subsidy_ratio',
    title: 'Subsidy ratio',
    unit: 'ratio',
    definition:
      'Subsidy / demand (how many dollars of tokens per dollar of real demand; < 1 means demand covers rewards).',
    sql: econ,
    disclosure: 'subsidy_ratio',
  },
  {
    id: 'demand_coverage',
    title: 'Demand coverage',
    unit: 'ratio',
    definition: 'Demand / subsidy (depin.ninja calls it issuance coverage).',
    sql: econ,
    disclosure: 'demand_coverage',
  },
  {
    id: 'net',
    title: 'Net',
    unit: 'usd',
    definition: 'Protocol take (fees kept + burns) − subsidy.',
    sql: econ,
    disclosure: 'net',
  },
  {
    id: 'listed_gpus',
    title: 'Listed GPUs',
    unit: 'gpus',
    definition: 'What the network’s registry/explorer claims (source reported).',
    sql: 'metrics/supply',
    disclosure: 'listed_gpus',
  },
  {
    id: 'online_gpus',
    title: 'Online GPUs',
    unit: 'gpus',
    definition: 'GPUs with telemetry in the window (heartbeat within 2 sampling intervals).',
    sql: 'metrics/supply',
    disclosure: 'online_gpus',
  },
  {
    id: 'busy_gpus',
    title: 'Busy GPUs',
    unit: 'gpus',
    definition:
      'Online GPUs that ran at least one job (or reported utilisation ≥ 10% while assigned) in the window.',
    sql: 'metrics/supply',
    disclosure: 'online_gpus',
  },
  {
    id: 'verified_gpus',
    title: 'Verified GPUs',
    unit: 'gpus',
    definition:
      'GPUs whose model is confirmed by signed telemetry from the node’s key and matches the listing; a ' +
      'mismatch (listed H100, reports RTX 3090) is counted and shown as such.',
    sql: 'metrics/supply',
    disclosure: 'verified_gpus',
  },
  {
    id: 'time_utilization',
    title: 'Time utilisation',
    unit: 'share',
    definition:
      'Busy GPU-seconds / online GPU-seconds, from telemetry (each sample covers its interval, capped at ' +
      '2× the nominal interval so gaps are not filled in).',
    sql: 'metrics/time_utilization',
    disclosure: 'time_utilization',
  },
  {
    id: 'allocation_utilization',
    title: 'Allocation utilisation',
    unit: 'share',
    definition: 'GPUs assigned to a job / online GPUs, at each sample time (Akash’s definition).',
    sql: 'metrics/allocation_utilization',
    disclosure: 'allocation_utilization',
  },
  {
    id: 'compute_utilization',
    title: 'Compute utilisation',
    unit: 'share',
    definition: 'Mean SM utilisation reported by the GPU while assigned (shows idle rentals).',
    sql: 'metrics/compute_utilization',
    disclosure: 'compute_utilization',
  },
  {
    id: 'job_success',
    title: 'Job success rate',
    unit: 'share',
    definition:
      'Succeeded / (succeeded + failed + timed_out). Customer-cancelled jobs are excluded and counted ' +
      'separately. Always with n and a 95% Wilson interval; networks with n < 30 in the window are marked ' +
      '“too few jobs”.',
    sql: 'metrics/job_success',
    disclosure: 'job_success',
  },
  {
    id: 'uptime',
    title: 'Node uptime',
    unit: 'share',
    definition: 'Online seconds / seconds since listed, in the window.',
    sql: 'metrics/uptime',
    disclosure: 'uptime',
  },
  {
    id: 'queue_time',
    title: 'Queue time',
    unit: 'seconds',
    definition: 'Submitted → started.',
    sql: 'metrics/queue_time',
    disclosure: 'queue_time',
  },
  {
    id: 'time_to_failure',
    title: 'Time to failure',
    unit: 'seconds',
    definition: 'Median running time of failed jobs.',
    sql: 'metrics/time_to_failure',
    disclosure: 'time_to_failure',
  },
  {
    id: 'paying_customers',
    title: 'Paying customers',
    unit: 'customers',
    definition:
      'A customer is a paying address (payer of customer_payment, or burner for burn-and-mint networks). ' +
      'Also: new vs returning customers per period.',
    sql: 'metrics/customers',
    disclosure: 'customers',
  },
  {
    id: 'concentration',
    title: 'Concentration',
    unit: 'share',
    definition: 'The top-10 customers’ share of demand.',
    sql: 'metrics/customers',
    disclosure: 'concentration',
  },
  {
    id: 'cohort_retention',
    title: 'Cohort retention',
    unit: 'share',
    definition:
      'Cohort = customers by the month (or week) of their first payment. Logo retention at month N = share ' +
      'of the cohort that paid in month N. Revenue retention (NRR) at month N = cohort’s spend in month N / ' +
      'cohort’s spend in month 0.',
    sql: 'metrics/cohorts',
    disclosure: 'customers',
  },
  {
    id: 'hardware_mix',
    title: 'Hardware mix',
    unit: 'mix',
    definition:
      'Share of GPUs by model (count) and by busy GPU-hours, claimed vs verified; VRAM classes (≤ 16 GB, ' +
      '24 GB, 40–48 GB, 80 GB+); datacenter vs consumer cards.',
    sql: 'metrics/hardware_mix',
    disclosure: 'verified_gpus',
  },
  {
    id: 'price_per_gpu_hour',
    title: 'Price per GPU-hour',
    unit: 'usd_per_gpu_hour',
    definition:
      'USD per GPU-hour by GPU model = job payments / (job duration × GPU count), median and interquartile ' +
      'range, beside reference cloud list prices kept in the catalog with their date and source.',
    sql: 'metrics/price_per_gpu_hour',
    disclosure: 'price_per_gpu_hour',
  },
]

export function definitionOf(id: string): MetricDefinition {
  const d = METRIC_DEFINITIONS.find((m) => m.id === id)
  if (!d) throw new Error(`no metric definition ${id}`)
  return d
}

export type { MetricId }
