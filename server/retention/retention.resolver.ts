import { Args, ArgsType, Context, Field, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql'
import { NetworkSeriesArgs } from '../core/args.js'
import type { GqlContext } from '../core/loaders.js'
import { DisclosureService } from '../core/disclosure.service.js'
import { RangeService } from '../core/range.service.js'
import { CohortCell, CohortUnit, CustomerPoint, RetentionModel } from './retention.model.js'
import { RetentionService } from './retention.service.js'

@ArgsType()
export class RetentionArgs extends NetworkSeriesArgs {
  @Field(() => CohortUnit, { defaultValue: CohortUnit.MONTH })
  cohort: CohortUnit = CohortUnit.MONTH
}

@Resolver()
export class NetworkRetentionResolver {
  constructor(
    private readonly range: RangeService,
    private readonly disclosure: DisclosureService,
  ) {}

  @Query(() => RetentionModel, {
    description: 'Customers, cohorts (logo and revenue retention), new vs returning, concentration.',
  })
  async retention(@Args() args: RetentionArgs, @Context() context: GqlContext): Promise<RetentionModel> {
    const seriesWindow = await this.range.series(args.range, args.granularity, context)
    return {
      network: this.disclosure.checkNetwork(args.network),
      range: seriesWindow.range,
      granularity: args.granularity,
      cohortUnit: args.cohort,
      seriesWindow,
      totalsWindow: { range: seriesWindow.range, unit: 'range', previous: null },
    }
  }
}

@Resolver(() => RetentionModel)
export class RetentionResolver {
  constructor(private readonly retention: RetentionService) {}

  @ResolveField(() => CustomerPoint, { description: 'Over the whole range.' })
  async totals(@Parent() r: RetentionModel, @Context() c: GqlContext): Promise<CustomerPoint> {
    const [point] = await this.retention.customers(c, r.network, r.totalsWindow)
    if (!point) throw new Error('customers totals: no row')
    return point
  }

  @ResolveField(() => [CustomerPoint])
  customers(@Parent() r: RetentionModel, @Context() c: GqlContext): Promise<CustomerPoint[]> {
    return this.retention.customers(c, r.network, r.seriesWindow)
  }

  @ResolveField(() => [CohortCell], { description: 'Cohorts starting in the range, by period.' })
  cohorts(@Parent() r: RetentionModel, @Context() c: GqlContext): Promise<CohortCell[]> {
    return this.retention.cohorts(c, r.network, { window: r.totalsWindow, unit: r.cohortUnit })
  }
}
