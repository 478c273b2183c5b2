import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql'
import { Measure } from '../core/measure.js'
import { Granularity, RangeModel } from '../core/range.js'
import type { Window } from '../core/clickhouse-values.js'

@ObjectType('EconomicsPoint', {
  description: 'Demand against subsidy over one bucket (sql/metrics/economics.sql).',
})
export class EconomicsPoint {
  network!: string
  window!: Window
  @Field(() => GraphQLISODateTime) start!: Date
  @Field(() => GraphQLISODateTime) end!: Date
  @Field(() => Measure, { description: 'Customer payments (and job burns on burn-and-mint networks), USD.' })
  demandUsd!: Measure
  @Field(() => Measure, { description: 'Reward emissions, USD.' }) subsidyUsd!: Measure
  @Field(() => Measure) burnsUsd!: Measure
  @Field(() => Measure, { description: 'Fees kept by the protocol, USD.' }) feesUsd!: Measure
  @Field(() => Measure, { description: 'Subsidy / demand; null when demand is 0.' }) subsidyRatio!: Measure
  @Field(() => Measure, { description: 'Demand / subsidy; null when subsidy is 0.' }) demandCoverage!: Measure
  @Field(() => Measure, { description: 'Fees + burns - subsidy, USD.' }) netUsd!: Measure
  @Field(() => Measure, {
    description: 'Distinct paying customers (payers, or job burners on burn-and-mint).',
  })
  payingCustomers!: Measure
  @Field(() => Int, { description: 'Flows behind the point.' }) flows!: number
  @Field(() => Int, { description: 'Of those, flows without a USD price (not in the sums).' })
  unpricedFlows!: number
}

@ObjectType('Economics', { description: 'Demand, subsidy, burns and their ratios (METRICS.md, Economics).' })
export class EconomicsModel {
  network!: string
  totalsWindow!: Window
  seriesWindow!: Window
  @Field(() => RangeModel) range!: RangeModel
  @Field(() => Granularity) granularity!: Granularity
}
