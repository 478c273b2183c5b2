import { Module } from '@nestjs/common'
import { NetworkUtilizationResolver, UtilizationResolver } from './utilization.resolver.js'
import { UtilizationService } from './utilization.service.js'

@Module({
  providers: [NetworkUtilizationResolver, UtilizationResolver, UtilizationService],
  exports: [UtilizationService],
})
export class UtilizationModule {}
