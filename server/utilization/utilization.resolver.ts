import { Args, ArgsType, Context, Field, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql'
import { NetworkSeriesArgs } from '../core/args.js'
import type { GqlContext } from '../core/loaders.js'
import { DisclosureService } from '../core/disclosure.service.js'
import { RangeService } from '../core/range.service.js'
import { UtilizationKind, UtilizationModel, UtilizationPoint } from './utilization.model.js'
import { UtilizationService } from './utilization.service.js'

@ArgsType()
export class UtilizationArgs extends NetworkSeriesArgs {
  @Field(() => UtilizationKind) kind!: UtilizationKind
  @Field(() => String, { nullable: true, description: 'Only GPUs reporting this model (canonical id).' })
  gpuModel?: string | null
}

@Resolver()
export class NetworkUtilizationResolver {
  constructor(
    private readonly range: RangeService,
    private readonly disclosure: DisclosureService,
  ) {}

  @Query(() => UtilizationModel, { description: 'Time, allocation or compute utilisation.' })
  async utilization(
    @Args() args: UtilizationArgs,
    @Context() context: GqlContext,
  ): Promise<UtilizationModel> {
    const seriesWindow = await this.range.series(args.range, args.granularity, context)
    return {
      network: this.disclosure.checkNetwork(args.network),
      node: '',
      kind: args.kind,
      gpuModel: args.gpuModel ?? null,
      range: seriesWindow.range,
      granularity: args.granularity,
      seriesWindow,
      totalsWindow: { range: seriesWindow.range, unit: 'range', previous: null },
    }
  }
}

@Resolver(() => UtilizationModel)
export class UtilizationResolver {
  constructor(private readonly utilization: UtilizationService) {}

  private spec(u: UtilizationModel, totals: boolean) {
    return {
      window: totals ? u.totalsWindow : u.seriesWindow,
      kind: u.kind,
      gpuModel: u.gpuModel ?? '',
      node: u.node,
    }
  }

  @ResolveField(() => UtilizationPoint, { description: 'The whole range as one point.' })
  async totals(@Parent() u: UtilizationModel, @Context() context: GqlContext): Promise<UtilizationPoint> {
    const [point] = await this.utilization.points(context, u.network, this.spec(u, true))
    if (!point) throw new Error('utilization totals: no row')
    return point
  }

  @ResolveField(() => [UtilizationPoint])
  series(@Parent() u: UtilizationModel, @Context() context: GqlContext): Promise<UtilizationPoint[]> {
    return this.utilization.points(context, u.network, this.spec(u, false))
  }
}
