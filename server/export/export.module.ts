import { Module } from '@nestjs/common'
import { EconomicsModule } from '../economics/economics.module.js'
import { HardwareModule } from '../hardware/hardware.module.js'
import { JobsModule } from '../jobs/jobs.module.js'
import { NodesModule } from '../nodes/nodes.module.js'
import { PricesModule } from '../prices/prices.module.js'
import { ReliabilityModule } from '../reliability/reliability.module.js'
import { RetentionModule } from '../retention/retention.module.js'
import { SupplyModule } from '../supply/supply.module.js'
import { UtilizationModule } from '../utilization/utilization.module.js'
import { ExportController } from './export.controller.js'
import { ExportService } from './export.service.js'

@Module({
  imports: [
    EconomicsModule,
    SupplyModule,
    UtilizationModule,
    ReliabilityModule,
    RetentionModule,
    HardwareModule,
    PricesModule,
    NodesModule,
    JobsModule,
  ],
  controllers: [ExportController],
  providers: [ExportService],
})
export class ExportModule {}
