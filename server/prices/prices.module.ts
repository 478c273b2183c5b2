import { Module } from '@nestjs/common'
import { GpuPricesResolver, NetworkPricesResolver, ReferencePricesResolver } from './prices.resolver.js'
import { PricesService } from './prices.service.js'

@Module({
  providers: [NetworkPricesResolver, GpuPricesResolver, ReferencePricesResolver, PricesService],
  exports: [PricesService],
})
export class PricesModule {}
