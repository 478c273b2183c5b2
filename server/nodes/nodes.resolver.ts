import { Args, ArgsType, Context, Field, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql'
import { checkBuckets, Granularity, RangeInput } from '../core/range.js'
import { PageArgs } from '../core/connection.js'
import { DisclosureService } from '../core/disclosure.service.js'
import type { GqlContext } from '../core/loaders.js'
import { RangeService } from '../core/range.service.js'
import { NodeConnection, NodeHistoryPoint, NodeModel, NodeOrder, VerificationStatus } from './node.model.js'
import { NodesService } from './nodes.service.js'

@ArgsType()
export class NodesArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Network id; every network when omitted.' })
  network?: string | null
  @Field(() => RangeInput, { nullable: true, description: 'Range of the evidence fields; D30 when omitted.' })
  range?: RangeInput | null
  @Field(() => String, { nullable: true, description: 'Listed GPU model (canonical id).' })
  gpuModel?: string | null
  @Field(() => VerificationStatus, { nullable: true }) status?: VerificationStatus | null
  @Field(() => NodeOrder, { defaultValue: NodeOrder.NODE_ID }) orderBy: NodeOrder = NodeOrder.NODE_ID
}

@Resolver(() => NodeModel)
export class NodesResolver {
  constructor(
    private readonly nodes: NodesService,
    private readonly range: RangeService,
    private readonly disclosure: DisclosureService,
  ) {}

  @Query(() => NodeConnection, {
    name: 'nodes',
    description: 'Nodes listed or seen, with claim and evidence.',
  })
  async nodesList(@Args() args: NodesArgs, @Context() context: GqlContext): Promise<NodeConnection> {
    const networks = args.network ? this.disclosure.checkNetworks([args.network]) : this.disclosure.ids()
    const window = await this.range.totals(args.range, false, context)
    return this.nodes.list({
      networks,
      window,
      node: '',
      gpuModel: args.gpuModel ?? '',
      status: args.status ?? null,
      order: args.orderBy,
      first: args.first,
      after: args.after ?? null,
    })
  }

  @Query(() => NodeModel, { nullable: true, description: 'One node of a network, with its history.' })
  async node(
    @Args('network', { type: () => ID }) network: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('range', { type: () => RangeInput, nullable: true }) range: RangeInput | null,
    @Context() context: GqlContext,
  ): Promise<NodeModel | null> {
    this.disclosure.checkNetworks([network])
    return this.nodes.one(network, id, await this.range.totals(range, false, context))
  }

  @ResolveField(() => [NodeHistoryPoint], { description: 'Telemetry of this node over its range, bucketed.' })
  history(
    @Parent() node: NodeModel,
    @Args('granularity', { type: () => Granularity, defaultValue: Granularity.DAY }) granularity: Granularity,
    @Context() context: GqlContext,
  ): Promise<NodeHistoryPoint[]> {
    checkBuckets(node.range, granularity)
    return this.nodes.history(context, node, granularity)
  }
}
