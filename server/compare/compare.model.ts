import { Field, Float, GraphQLISODateTime, ObjectType } from '@nestjs/graphql'
import { Provenance } from '../core/enums.js'
import { Granularity, RangeModel } from '../core/range.js'
import type { Window } from '../core/clickhouse-values.js'
import { NetworkModel } from '../networks/network.model.js'

@ObjectType('Tile', { description: 'One metric of one network over the range, beside the period before.' })
export class TileModel {
  @Field({ description: 'Metric id (metricDefinitions).' }) metric!: string
  @Field() title!: string
  @Field() unit!: string
  @Field(() => Float, { nullable: true }) value!: number | null
  @Field(() => Float, { nullable: true, description: 'Over the period of the same length just before.' })
  previous!: number | null
  @Field(() => Float, { nullable: true, description: 'value - previous.' }) change!: number | null
  @Field(() => Float, {
    nullable: true,
    description: '(value - previous) / |previous|; null when previous is 0.',
  })
  changeRatio!: number | null
  @Field(() => Provenance) provenance!: Provenance
}

@ObjectType('SeriesPoint')
export class SeriesPointModel {
  @Field(() => GraphQLISODateTime) start!: Date
  @Field(() => GraphQLISODateTime) end!: Date
  @Field(() => Float, { nullable: true }) value!: number | null
}

@ObjectType('Series', { description: 'One metric of one network, bucketed.' })
export class SeriesModel {
  @Field() metric!: string
  @Field() title!: string
  @Field() unit!: string
  @Field(() => Provenance) provenance!: Provenance
  @Field(() => [SeriesPointModel]) points!: SeriesPointModel[]
}

@ObjectType('NetworkComparison', { description: 'One network of a comparison: its tiles and series.' })
export class NetworkComparisonModel {
  tilesWindow!: Window
  seriesWindow!: Window
  @Field(() => NetworkModel) network!: NetworkModel
}

@ObjectType('Comparison', { description: 'Networks side by side over one range.' })
export class ComparisonModel {
  @Field(() => RangeModel) range!: RangeModel
  @Field(() => RangeModel, { nullable: true, description: 'The period before, when previous was asked.' })
  previousRange!: RangeModel | null
  @Field(() => Granularity) granularity!: Granularity
  @Field(() => [NetworkComparisonModel]) networks!: NetworkComparisonModel[]
}
