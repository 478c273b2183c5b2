import { Field, Float, GraphQLISODateTime, ObjectType, registerEnumType } from '@nestjs/graphql'
import type { Window } from '../core/clickhouse-values.js'
import { Provenance } from '../core/enums.js'
import { Granularity, RangeModel } from '../core/range.js'

export enum UtilizationKind {
  TIME = 'time',
  ALLOCATION = 'allocation',
  COMPUTE = 'compute',
}
registerEnumType(UtilizationKind, {
  name: 'UtilizationKind',
  description:
    'TIME: busy / online GPU-seconds. ALLOCATION: GPUs assigned to a job / online GPUs at each sample ' +
    'time. COMPUTE: mean SM utilisation while assigned (METRICS.md, Utilisation).',
})

@ObjectType('UtilizationPoint', { description: 'One bucket of a utilisation series, a share in [0, 1].' })
export class UtilizationPoint {
  @Field(() => GraphQLISODateTime) start!: Date
  @Field(() => GraphQLISODateTime) end!: Date
  @Field(() => Float, { nullable: true, description: 'Null when not disclosed or nothing was online.' })
  value!: number | null
  @Field(() => Float, {
    nullable: true,
    description: 'Busy or assigned GPU-seconds (TIME, ALLOCATION), utilisation sum in percent (COMPUTE).',
  })
  numerator!: number | null
  @Field(() => Float, {
    nullable: true,
    description: 'Online GPU-seconds (TIME, ALLOCATION), samples with a reading while assigned (COMPUTE).',
  })
  denominator!: number | null
  @Field(() => Provenance) provenance!: Provenance
}

@ObjectType('Utilization', { description: 'One kind of utilisation, labelled (METRICS.md, Utilisation).' })
export class UtilizationModel {
  network!: string
  node!: string
  totalsWindow!: Window
  seriesWindow!: Window
  @Field(() => UtilizationKind) kind!: UtilizationKind
  @Field(() => String, { nullable: true, description: 'The GPU model filter (reported model).' })
  gpuModel!: string | null
  @Field(() => RangeModel) range!: RangeModel
  @Field(() => Granularity) granularity!: Granularity
}
