import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql'
import { NetworkSeriesArgs } from '../core/args.js'
import type { GqlContext } from '../core/loaders.js'
import { DisclosureService } from '../core/disclosure.service.js'
import { RangeService } from '../core/range.service.js'
import { SupplyModel, SupplyPoint } from './supply.model.js'
import { SupplyService } from './supply.service.js'

@Resolver()
export class NetworkSupplyResolver {
  constructor(
    private readonly range: RangeService,
    private readonly disclosure: DisclosureService,
  ) {}

  @Query(() => SupplyModel, { description: 'Listed → online → busy → verified GPUs (METRICS.md).' })
  async supply(@Args() args: NetworkSeriesArgs, @Context() context: GqlContext): Promise<SupplyModel> {
    const seriesWindow = await this.range.series(args.range, args.granularity, context)
    return {
      network: this.disclosure.checkNetwork(args.network),
      range: seriesWindow.range,
      granularity: args.granularity,
      seriesWindow,
      totalsWindow: { range: seriesWindow.range, unit: 'range', previous: null },
    }
  }
}

@Resolver(() => SupplyModel)
export class SupplyResolver {
  constructor(private readonly supply: SupplyService) {}

  @ResolveField(() => SupplyPoint, { description: 'The funnel over the whole range, network total.' })
  async totals(@Parent() s: SupplyModel, @Context() context: GqlContext): Promise<SupplyPoint> {
    const [point] = await this.supply.totals(context, s.network, s.totalsWindow)
    if (!point) throw new Error('supply totals: no row')
    return point
  }

  @ResolveField(() => [SupplyPoint], {
    description: 'The funnel over the whole range, per listed GPU model.',
  })
  byModel(@Parent() s: SupplyModel, @Context() context: GqlContext): Promise<SupplyPoint[]> {
    return this.supply.byModel(context, s.network, s.totalsWindow)
  }

  @ResolveField(() => [SupplyPoint], {
    description: 'Per bucket: network totals, or one point per GPU model with byModel.',
  })
  series(
    @Parent() s: SupplyModel,
    @Args('byModel', { defaultValue: false }) byModel: boolean,
    @Context() context: GqlContext,
  ): Promise<SupplyPoint[]> {
    return byModel
      ? this.supply.byModel(context, s.network, s.seriesWindow)
      : this.supply.totals(context, s.network, s.seriesWindow)
  }
}
