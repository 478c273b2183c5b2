import { Module } from '@nestjs/common'
import { NetworkSupplyResolver, SupplyResolver } from './supply.resolver.js'
import { SupplyService } from './supply.service.js'

@Module({ providers: [NetworkSupplyResolver, SupplyResolver, SupplyService], exports: [SupplyService] })
export class SupplyModule {}
