import { Args, ArgsType, Field, Query, Resolver } from '@nestjs/graphql'
import { PageArgs } from '../core/connection.js'
import { FlowKind } from '../core/enums.js'
import { TokenFlowConnection } from './token-flow.model.js'
import { TokenFlowsService } from './token-flows.service.js'

@ArgsType()
class TokenFlowArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Network id; all networks when omitted.' })
  network?: string | null

  @Field(() => FlowKind, { nullable: true })
  kind?: FlowKind | null
}

@Resolver()
export class TokenFlowsResolver {
  constructor(private readonly flows: TokenFlowsService) {}

  @Query(() => TokenFlowConnection, { description: 'Classified token flows, newest first.' })
  tokenFlows(@Args() args: TokenFlowArgs): Promise<TokenFlowConnection> {
    return this.flows.list(args)
  }
}
