import { Module } from '@nestjs/common'
import { EconomicsModule } from '../economics/economics.module.js'
import { NetworksModule } from '../networks/networks.module.js'
import { ReliabilityModule } from '../reliability/reliability.module.js'
import { SupplyModule } from '../supply/supply.module.js'
import { UtilizationModule } from '../utilization/utilization.module.js'
import { CompareResolver, NetworkComparisonResolver } from './compare.resolver.js'
import { CompareService } from './compare.service.js'

@Module({
  imports: [NetworksModule, EconomicsModule, SupplyModule, UtilizationModule, ReliabilityModule],
  providers: [CompareResolver, NetworkComparisonResolver, CompareService],
})
export class CompareModule {}
