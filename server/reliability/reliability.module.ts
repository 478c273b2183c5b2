import { Module } from '@nestjs/common'
import { NetworkReliabilityResolver, ReliabilityResolver } from './reliability.resolver.js'
import { ReliabilityService } from './reliability.service.js'

@Module({
  providers: [NetworkReliabilityResolver, ReliabilityResolver, ReliabilityService],
  exports: [ReliabilityService],
})
export class ReliabilityModule {}
