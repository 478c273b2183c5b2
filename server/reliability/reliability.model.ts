import { Field, Float, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql'
import type { Window } from '../core/clickhouse-values.js'
import { Provenance } from '../core/enums.js'
import { Granularity, RangeModel } from '../core/range.js'

@ObjectType('JobSuccessPoint', {
  description: 'Job success over one bucket, with n and a 95% Wilson interval (sql/metrics/job_success.sql).',
})
export class JobSuccessPoint {
  @Field(() => GraphQLISODateTime) start!: Date
  @Field(() => GraphQLISODateTime) end!: Date
  @Field(() => Provenance) provenance!: Provenance
  @Field(() => Int, { nullable: true }) succeeded!: number | null
  @Field(() => Int, { nullable: true }) failed!: number | null
  @Field(() => Int, { nullable: true }) timedOut!: number | null
  @Field(() => Int, { nullable: true, description: 'Customer-cancelled: not in the rate.' })
  cancelled!: number | null
  @Field(() => Int, { nullable: true, description: 'n = succeeded + failed + timed out.' })
  jobs!: number | null
  @Field(() => Float, { nullable: true, description: 'Succeeded / n; null when n = 0.' })
  successRate!: number | null
  @Field(() => Float, { nullable: true }) wilsonLow!: number | null
  @Field(() => Float, { nullable: true }) wilsonHigh!: number | null
  @Field(() => Boolean, { nullable: true, description: 'n < 30: too few jobs to judge.' })
  tooFewJobs!: boolean | null
}

@ObjectType('DurationPoint', {
  description: 'Median and interquartile range of a job duration over one bucket, in seconds.',
})
export class DurationPoint {
  @Field(() => GraphQLISODateTime) start!: Date
  @Field(() => GraphQLISODateTime) end!: Date
  @Field(() => Provenance) provenance!: Provenance
  @Field(() => Int, { nullable: true }) jobs!: number | null
  @Field(() => Float, { nullable: true }) medianSeconds!: number | null
  @Field(() => Float, { nullable: true }) p25Seconds!: number | null
  @Field(() => Float, { nullable: true }) p75Seconds!: number | null
}

@ObjectType('UptimePoint', {
  description: 'Online GPU-seconds over listed GPU-seconds, in one bucket (sql/metrics/uptime.sql).',
})
export class UptimePoint {
  @Field(() => GraphQLISODateTime) start!: Date
  @Field(() => GraphQLISODateTime) end!: Date
  @Field(() => Provenance) provenance!: Provenance
  @Field(() => Float, { nullable: true }) value!: number | null
  @Field(() => Float, { nullable: true }) onlineGpuSeconds!: number | null
  @Field(() => Float, { nullable: true }) listedGpuSeconds!: number | null
}

@ObjectType('Reliability', {
  description: 'Job success, node uptime, queue time and time to failure (METRICS.md, Reliability).',
})
export class ReliabilityModel {
  network!: string
  node!: string
  totalsWindow!: Window
  seriesWindow!: Window
  @Field(() => RangeModel) range!: RangeModel
  @Field(() => Granularity) granularity!: Granularity
  @Field(() => String, { nullable: true, description: 'Job metrics of this GPU model only.' })
  gpuModel!: string | null
}
