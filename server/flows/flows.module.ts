import { Module } from '@nestjs/common'
import { TokenFlowsResolver } from './token-flows.resolver.js'
import { TokenFlowsService } from './token-flows.service.js'

@Module({ providers: [TokenFlowsResolver, TokenFlowsService] })
export class FlowsModule {}
