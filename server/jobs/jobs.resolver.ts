import { Args, ArgsType, Context, Field, ID, Query, Resolver } from '@nestjs/graphql'
import { PageArgs } from '../core/connection.js'
import { DisclosureService } from '../core/disclosure.service.js'
import type { GqlContext } from '../core/loaders.js'
import { RangeInput } from '../core/range.js'
import { RangeService } from '../core/range.service.js'
import { JobConnection, JobOrder, JobStatus } from './job.model.js'
import { JobsService } from './jobs.service.js'

@ArgsType()
export class JobsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Network id; every network when omitted.' })
  network?: string | null
  @Field(() => RangeInput, { nullable: true, description: 'Jobs submitted in the range; all when omitted.' })
  range?: RangeInput | null
  @Field(() => JobStatus, { nullable: true }) status?: JobStatus | null
  @Field(() => String, { nullable: true, description: 'Paying address.' }) customer?: string | null
  @Field(() => String, { nullable: true, description: 'Node or provider address.' }) node?: string | null
  @Field(() => String, { nullable: true }) gpuModel?: string | null
  @Field(() => JobOrder, { defaultValue: JobOrder.NEWEST }) orderBy: JobOrder = JobOrder.NEWEST
}

@Resolver()
export class JobsResolver {
  constructor(
    private readonly service: JobsService,
    private readonly range: RangeService,
    private readonly disclosure: DisclosureService,
  ) {}

  @Query(() => JobConnection, {
    description: 'Jobs settled on chain, with filters; newest first by default.',
  })
  async jobs(@Args() args: JobsArgs, @Context() context: GqlContext): Promise<JobConnection> {
    const networks = args.network ? this.disclosure.checkNetworks([args.network]) : this.disclosure.ids()
    const window = args.range ? await this.range.totals(args.range, false, context) : null
    return this.service.list({
      networks,
      window,
      status: args.status ?? null,
      customer: args.customer ?? '',
      node: args.node ?? '',
      gpuModel: args.gpuModel ?? '',
      order: args.orderBy,
      first: args.first,
      after: args.after ?? null,
    })
  }
}
