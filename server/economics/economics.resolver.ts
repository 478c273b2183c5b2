import { Inject } from '@nestjs/common'
import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql'
import type { Network } from '../../ingest/networks/index.js'
import { NetworkSeriesArgs } from '../core/args.js'
import { badInput } from '../core/errors.js'
import type { GqlContext } from '../core/loaders.js'
import { DisclosureService } from '../core/disclosure.service.js'
import { RangeService } from '../core/range.service.js'
import { CATALOG } from '../core/tokens.js'
import { TokenFlowModel } from '../flows/token-flow.model.js'
import { toTokenFlowModel } from '../flows/token-flows.service.js'
import { EconomicsModel, EconomicsPoint } from './economics.model.js'
import { EconomicsService, MAX_TRANSACTIONS_PER_POINT } from './economics.service.js'

@Resolver()
export class NetworkEconomicsResolver {
  constructor(
    private readonly range: RangeService,
    private readonly disclosure: DisclosureService,
  ) {}

  @Query(() => EconomicsModel, { description: 'Demand against subsidy (METRICS.md, Economics).' })
  async economics(@Args() args: NetworkSeriesArgs, @Context() context: GqlContext): Promise<EconomicsModel> {
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

@Resolver(() => EconomicsModel)
export class EconomicsResolver {
  constructor(private readonly economics: EconomicsService) {}

  @ResolveField(() => EconomicsPoint, { description: 'The whole range as one point.' })
  async totals(@Parent() e: EconomicsModel, @Context() context: GqlContext): Promise<EconomicsPoint> {
    const [point] = await this.economics.points(context, e.network, e.totalsWindow)
    if (!point) throw new Error('economics totals: no row')
    return point
  }

  @ResolveField(() => [EconomicsPoint], { description: 'One point per bucket; every bucket of the range.' })
  series(@Parent() e: EconomicsModel, @Context() context: GqlContext): Promise<EconomicsPoint[]> {
    return this.economics.points(context, e.network, e.seriesWindow)
  }
}

@Resolver(() => EconomicsPoint)
export class EconomicsPointResolver {
  constructor(
    private readonly economics: EconomicsService,
    @Inject(CATALOG) private readonly catalog: Network[],
  ) {}

  @ResolveField(() => [TokenFlowModel], {
    description: 'The largest flows behind the point (by USD), with explorer links.',
  })
  async transactions(
    @Parent() point: EconomicsPoint,
    @Args('first', {
      type: () => Int,
      defaultValue: 10,
      description: `At most ${MAX_TRANSACTIONS_PER_POINT}.`,
    })
    first: number,
    @Context() context: GqlContext,
  ): Promise<TokenFlowModel[]> {
    if (first < 1 || first > MAX_TRANSACTIONS_PER_POINT) {
      throw badInput('first', `must be between 1 and ${MAX_TRANSACTIONS_PER_POINT}`)
    }
    const rows = await this.economics.transactions(context, point, first)
    return rows.map((r) => toTokenFlowModel(r, this.catalog))
  }
}
