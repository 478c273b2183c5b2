import { Args, ArgsType, Context, Field, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql'
import { NetworkSeriesArgs } from '../core/args.js'
import type { GqlContext } from '../core/loaders.js'
import { DisclosureService } from '../core/disclosure.service.js'
import { RangeService } from '../core/range.service.js'
import { DurationPoint, JobSuccessPoint, ReliabilityModel, UptimePoint } from './reliability.model.js'
import { ReliabilityService, type ReliabilitySpec } from './reliability.service.js'

@ArgsType()
export class ReliabilityArgs extends NetworkSeriesArgs {
  @Field(() => String, { nullable: true, description: 'Job metrics of jobs on this GPU model only.' })
  gpuModel?: string | null
}

@Resolver()
export class NetworkReliabilityResolver {
  constructor(
    private readonly range: RangeService,
    private readonly disclosure: DisclosureService,
  ) {}

  @Query(() => ReliabilityModel, { description: 'Job success, uptime, queue time, time to failure.' })
  async reliability(
    @Args() args: ReliabilityArgs,
    @Context() context: GqlContext,
  ): Promise<ReliabilityModel> {
    const seriesWindow = await this.range.series(args.range, args.granularity, context)
    return {
      network: this.disclosure.checkNetwork(args.network),
      node: '',
      gpuModel: args.gpuModel ?? null,
      range: seriesWindow.range,
      granularity: args.granularity,
      seriesWindow,
      totalsWindow: { range: seriesWindow.range, unit: 'range', previous: null },
    }
  }
}

const first = <T>(list: T[], what: string): T => {
  const [item] = list
  if (item === undefined) throw new Error(`${what}: no row`)
  return item
}

@Resolver(() => ReliabilityModel)
export class ReliabilityResolver {
  constructor(private readonly reliability: ReliabilityService) {}

  private spec(r: ReliabilityModel, totals: boolean): ReliabilitySpec {
    return { window: totals ? r.totalsWindow : r.seriesWindow, gpuModel: r.gpuModel ?? '', node: r.node }
  }

  @ResolveField(() => JobSuccessPoint, { description: 'Over the whole range.' })
  async jobSuccess(@Parent() r: ReliabilityModel, @Context() c: GqlContext): Promise<JobSuccessPoint> {
    return first(await this.reliability.jobSuccess(c, r.network, this.spec(r, true)), 'job success')
  }

  @ResolveField(() => [JobSuccessPoint])
  jobSuccessSeries(@Parent() r: ReliabilityModel, @Context() c: GqlContext): Promise<JobSuccessPoint[]> {
    return this.reliability.jobSuccess(c, r.network, this.spec(r, false))
  }

  @ResolveField(() => UptimePoint, { description: 'Over the whole range (all GPU models).' })
  async uptime(@Parent() r: ReliabilityModel, @Context() c: GqlContext): Promise<UptimePoint> {
    return first(await this.reliability.uptime(c, r.network, this.spec(r, true)), 'uptime')
  }

  @ResolveField(() => [UptimePoint])
  uptimeSeries(@Parent() r: ReliabilityModel, @Context() c: GqlContext): Promise<UptimePoint[]> {
    return this.reliability.uptime(c, r.network, this.spec(r, false))
  }

  @ResolveField(() => DurationPoint, { description: 'Submitted → started, over the whole range.' })
  async queueTime(@Parent() r: ReliabilityModel, @Context() c: GqlContext): Promise<DurationPoint> {
    return first(
      await this.reliability.durations(c, 'queue_time', r.network, this.spec(r, true)),
      'queue time',
    )
  }

  @ResolveField(() => [DurationPoint])
  queueTimeSeries(@Parent() r: ReliabilityModel, @Context() c: GqlContext): Promise<DurationPoint[]> {
    return this.reliability.durations(c, 'queue_time', r.network, this.spec(r, false))
  }

  @ResolveField(() => DurationPoint, { description: 'Running time of failed jobs, over the whole range.' })
  async timeToFailure(@Parent() r: ReliabilityModel, @Context() c: GqlContext): Promise<DurationPoint> {
    const points = await this.reliability.durations(c, 'time_to_failure', r.network, this.spec(r, true))
    return first(points, 'time to failure')
  }

  @ResolveField(() => [DurationPoint])
  timeToFailureSeries(@Parent() r: ReliabilityModel, @Context() c: GqlContext): Promise<DurationPoint[]> {
    return this.reliability.durations(c, 'time_to_failure', r.network, this.spec(r, false))
  }
}
