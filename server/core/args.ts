import { ArgsType, Field, ID } from '@nestjs/graphql'
import { Granularity, RangeInput } from './range.js'

@ArgsType()
export class RangeArgs {
  @Field(() => RangeInput, { nullable: true, description: 'D30 when omitted.' })
  range?: RangeInput | null
}

@ArgsType()
export class SeriesArgs extends RangeArgs {
  @Field(() => Granularity, { defaultValue: Granularity.DAY })
  granularity: Granularity = Granularity.DAY
}

@ArgsType()
export class NetworkRangeArgs extends RangeArgs {
  @Field(() => ID, { description: 'Network id (render, ionet, aethir, nosana, akash, ...).' })
  network!: string
}

@ArgsType()
export class NetworkSeriesArgs extends SeriesArgs {
  @Field(() => ID, { description: 'Network id (render, ionet, aethir, nosana, akash, ...).' })
  network!: string
}
