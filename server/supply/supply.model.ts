import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql'
import type { Window } from '../core/clickhouse-values.js'
import { Measure } from '../core/measure.js'
import { Granularity, RangeModel } from '../core/range.js'

@ObjectType('SupplyPoint', {
  description: 'The funnel listed → online → busy → verified over one bucket (sql/metrics/supply.sql).',
})
export class SupplyPoint {
  @Field(() => GraphQLISODateTime) start!: Date
  @Field(() => GraphQLISODateTime) end!: Date
  @Field(() => String, { nullable: true, description: 'Listed GPU model; null for the network total.' })
  gpuModel!: string | null
  @Field(() => Measure, { description: 'GPUs the network lists (its own claim).' }) listed!: Measure
  @Field(() => Measure, { description: 'GPUs with telemetry in the bucket.' }) online!: Measure
  @Field(() => Measure, { description: 'Online GPUs that ran a job in the bucket.' }) busy!: Measure
  @Field(() => Measure, { description: 'GPUs whose signed telemetry confirms the listed model.' })
  verified!: Measure
  @Field(() => Measure, { description: 'GPUs whose signed telemetry shows another model than listed.' })
  mismatched!: Measure
}

@ObjectType('Supply', { description: 'Listed, online, busy and verified GPUs (METRICS.md, Supply).' })
export class SupplyModel {
  network!: string
  totalsWindow!: Window
  seriesWindow!: Window
  @Field(() => RangeModel) range!: RangeModel
  @Field(() => Granularity) granularity!: Granularity
}
