import { Module } from '@nestjs/common'
import { EconomicsPointResolver, EconomicsResolver, NetworkEconomicsResolver } from './economics.resolver.js'
import { EconomicsService } from './economics.service.js'

@Module({
  providers: [NetworkEconomicsResolver, EconomicsResolver, EconomicsPointResolver, EconomicsService],
  exports: [EconomicsService],
})
export class EconomicsModule {}
