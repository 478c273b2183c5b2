import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql'
import { NetworkSeriesArgs } from '../core/args.js'
import type { GqlContext } from '../core/loaders.js'
import { DisclosureService } from '../core/disclosure.service.js'
import { RangeService } from '../core/range.service.js'
import { GpuPriceModel, GpuPricesModel, ReferencePriceModel } from './prices.model.js'
import { PricesService } from './prices.service.js'

@Resolver()
export class NetworkPricesResolver {
  constructor(
    private readonly range: RangeService,
    private readonly disclosure: DisclosureService,
  ) {}

  @Query(() => GpuPricesModel, { description: 'USD per GPU-hour by GPU model, beside cloud prices.' })
  async prices(@Args() args: NetworkSeriesArgs, @Context() context: GqlContext): Promise<GpuPricesModel> {
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

@Resolver(() => GpuPricesModel)
export class GpuPricesResolver {
  constructor(private readonly prices: PricesService) {}

  @ResolveField(() => [GpuPriceModel], { description: 'Per GPU model over the whole range.' })
  models(@Parent() p: GpuPricesModel, @Context() c: GqlContext): Promise<GpuPriceModel[]> {
    return this.prices.prices(c, p.network, p.totalsWindow)
  }

  @ResolveField(() => [GpuPriceModel], { description: 'Per GPU model and bucket (buckets with jobs only).' })
  series(@Parent() p: GpuPricesModel, @Context() c: GqlContext): Promise<GpuPriceModel[]> {
    return this.prices.prices(c, p.network, p.seriesWindow)
  }
}

@Resolver()
export class ReferencePricesResolver {
  constructor(private readonly prices: PricesService) {}

  @Query(() => [ReferencePriceModel], { description: 'Reference cloud list prices kept in the catalog.' })
  referencePrices(): ReferencePriceModel[] {
    return this.prices.referencePrices()
  }
}
