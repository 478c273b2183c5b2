import { Field, Float, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql'
import type { Window } from '../core/clickhouse-values.js'
import { Provenance } from '../core/enums.js'
import { Granularity, RangeModel } from '../core/range.js'

@ObjectType('ReferencePrice', {
  description: 'A cloud list price from the catalog, with its date and source.',
})
export class ReferencePriceModel {
  @Field() gpuModel!: string
  @Field() provider!: string
  @Field() offer!: string
  @Field(() => Float) usdPerGpuHour!: number
  @Field({ description: 'When the price was read (YYYY-MM-DD).' }) date!: string
  @Field() source!: string
}

@ObjectType('GpuPrice', {
  description: 'USD per GPU-hour of one GPU model over one bucket: median and IQR (price_per_gpu_hour.sql).',
})
export class GpuPriceModel {
  @Field(() => GraphQLISODateTime) start!: Date
  @Field(() => GraphQLISODateTime) end!: Date
  @Field() gpuModel!: string
  @Field(() => Provenance) provenance!: Provenance
  @Field(() => Int, { nullable: true, description: 'Succeeded, paid jobs behind the figures.' })
  jobs!: number | null
  @Field(() => Float, { nullable: true }) gpuHours!: number | null
  @Field(() => Float, { nullable: true }) paidUsd!: number | null
  @Field(() => Float, { nullable: true }) medianUsdPerGpuHour!: number | null
  @Field(() => Float, { nullable: true }) p25UsdPerGpuHour!: number | null
  @Field(() => Float, { nullable: true }) p75UsdPerGpuHour!: number | null
  @Field(() => [ReferencePriceModel], { description: 'Cloud list prices of the same model.' })
  reference!: ReferencePriceModel[]
}

@ObjectType('GpuPrices', { description: 'Price per GPU-hour by GPU model (METRICS.md, Price).' })
export class GpuPricesModel {
  network!: string
  totalsWindow!: Window
  seriesWindow!: Window
  @Field(() => RangeModel) range!: RangeModel
  @Field(() => Granularity) granularity!: Granularity
}
