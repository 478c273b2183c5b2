import { Field, ObjectType } from '@nestjs/graphql'
import { Measure } from '../core/measure.js'
import { RangeModel } from '../core/range.js'

@ObjectType('HardwareMixRow', {
  description: 'GPUs and busy GPU-hours of one model (or class), claimed vs verified (hardware_mix.sql).',
})
export class HardwareMixRow {
  @Field({ description: 'GPU model id, VRAM class (<=16, 24, 40-48, 80+) or segment.' }) group!: string
  @Field() vramClass!: string
  @Field({ description: 'datacenter, workstation or consumer; unknown when not in the registry.' })
  segment!: string
  @Field(() => Measure, { description: 'GPUs listed with this model.' }) claimedGpus!: Measure
  @Field(() => Measure) claimedGpuShare!: Measure
  @Field(() => Measure, { description: 'Busy GPU-hours of GPUs listed with this model.' })
  claimedBusyGpuHours!: Measure
  @Field(() => Measure) claimedBusyShare!: Measure
  @Field(() => Measure, { description: 'GPUs whose signed telemetry confirms this model.' })
  verifiedGpus!: Measure
  @Field(() => Measure) verifiedGpuShare!: Measure
  @Field(() => Measure) verifiedBusyGpuHours!: Measure
  @Field(() => Measure) verifiedBusyShare!: Measure
}

@ObjectType('HardwareMix', { description: 'Share of GPUs by model and class, claimed vs verified.' })
export class HardwareMixModel {
  network!: string
  @Field(() => RangeModel) range!: RangeModel
  @Field(() => [HardwareMixRow]) models!: HardwareMixRow[]
  @Field(() => [HardwareMixRow], { description: 'Grouped by VRAM class (<=16, 24, 40-48, 80+ GB).' })
  byVramClass!: HardwareMixRow[]
  @Field(() => [HardwareMixRow], { description: 'Grouped by datacenter, workstation and consumer cards.' })
  bySegment!: HardwareMixRow[]
}
