import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql'
import type { Window } from '../core/clickhouse-values.js'
import { Provenance } from '../core/enums.js'
import { Measure } from '../core/measure.js'
import { Granularity, RangeModel } from '../core/range.js'

export enum CohortUnit {
  MONTH = 'month',
  WEEK = 'week',
}
registerEnumType(CohortUnit, {
  name: 'CohortUnit',
  description: 'Customers grouped by the calendar month or ISO week of their first payment.',
})

@ObjectType('CustomerPoint', {
  description: 'Paying, new and returning customers and concentration over one bucket (customers.sql).',
})
export class CustomerPoint {
  @Field(() => GraphQLISODateTime) start!: Date
  @Field(() => GraphQLISODateTime) end!: Date
  @Field(() => Provenance) provenance!: Provenance
  @Field(() => Int, { nullable: true }) payingCustomers!: number | null
  @Field(() => Int, { nullable: true, description: 'First payment ever in this bucket.' })
  newCustomers!: number | null
  @Field(() => Int, { nullable: true, description: 'Paid before this bucket too.' })
  returningCustomers!: number | null
  @Field(() => Measure, { description: "Top-10 customers' share of demand (concentration)." })
  top10Share!: Measure
}

@ObjectType('CohortCell', { description: 'One cohort in one period (sql/metrics/cohorts.sql).' })
export class CohortCell {
  @Field(() => GraphQLISODateTime, { description: 'Start of the month or week of first payment.' })
  cohort!: Date
  @Field(() => GraphQLISODateTime) period!: Date
  @Field(() => Int, { description: 'Periods since the cohort period (month or week N).' }) offset!: number
  @Field(() => Provenance) provenance!: Provenance
  @Field(() => Int, { nullable: true }) cohortSize!: number | null
  @Field(() => Int, { nullable: true }) activeCustomers!: number | null
  @Field(() => Float, { nullable: true }) spendUsd!: number | null
  @Field(() => Float, { nullable: true, description: 'Share of the cohort that paid in this period.' })
  logoRetention!: number | null
  @Field(() => Float, { nullable: true, description: "Cohort's spend in this period / in period 0 (NRR)." })
  revenueRetention!: number | null
}

@ObjectType('Retention', { description: 'Customers, cohorts and concentration (METRICS.md, Customers).' })
export class RetentionModel {
  network!: string
  totalsWindow!: Window
  seriesWindow!: Window
  @Field(() => RangeModel) range!: RangeModel
  @Field(() => Granularity) granularity!: Granularity
  @Field(() => CohortUnit) cohortUnit!: CohortUnit
}
