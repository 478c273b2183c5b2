import { Module } from '@nestjs/common'
import { NetworkRetentionResolver, RetentionResolver } from './retention.resolver.js'
import { RetentionService } from './retention.service.js'

@Module({
  providers: [NetworkRetentionResolver, RetentionResolver, RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
