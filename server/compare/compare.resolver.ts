import { Args, ArgsType, Context, Field, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql'
import { SeriesArgs } from '../core/args.js'
import { DisclosureService } from '../core/disclosure.service.js'
import type { GqlContext } from '../core/loaders.js'
import { previousRange } from '../core/range.js'
import { RangeService } from '../core/range.service.js'
import { NetworksService } from '../networks/networks.service.js'
import { ComparisonModel, NetworkComparisonModel, SeriesModel, TileModel } from './compare.model.js'
import { CompareService } from './compare.service.js'

@ArgsType()
export class CompareArgs extends SeriesArgs {
  @Field(() => [ID], { description: 'Network ids, in the order to show them.' }) networks!: string[]
  @Field({ defaultValue: true, description: 'Also compute each tile over the period just before.' })
  previous: boolean = true
}

@Resolver(() => ComparisonModel)
export class CompareResolver {
  constructor(
    private readonly range: RangeService,
    private readonly disclosure: DisclosureService,
    private readonly networks: NetworksService,
  ) {}

  @Query(() => ComparisonModel, { description: 'Networks side by side: tiles with change, and series.' })
  async compare(@Args() args: CompareArgs, @Context() context: GqlContext): Promise<ComparisonModel> {
    const ids = this.disclosure.checkNetworks(args.networks)
    const seriesWindow = await this.range.series(args.range, args.granularity, context)
    const range = seriesWindow.range
    const previous = args.previous ? previousRange(range) : null
    const tilesWindow = { range, unit: 'range' as const, previous }
    return {
      range,
      previousRange: previous,
      granularity: args.granularity,
      networks: ids.map((id) => {
        const network = this.networks.find(id)
        if (!network) throw new Error(`catalog has no ${id}`)
        return { network, tilesWindow, seriesWindow }
      }),
    }
  }
}

@Resolver(() => NetworkComparisonModel)
export class NetworkComparisonResolver {
  constructor(private readonly compare: CompareService) {}

  @ResolveField(() => [TileModel])
  tiles(@Parent() n: NetworkComparisonModel, @Context() context: GqlContext): Promise<TileModel[]> {
    return this.compare.tiles(context, n.network.id, n.tilesWindow)
  }

  @ResolveField(() => [SeriesModel])
  series(@Parent() n: NetworkComparisonModel, @Context() context: GqlContext): Promise<SeriesModel[]> {
    return this.compare.series(context, n.network.id, n.seriesWindow)
  }
}
