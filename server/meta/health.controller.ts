import { Controller, Get, ServiceUnavailableException } from '@nestjs/common'
import { MetaService, type Health } from './meta.service.js'

@Controller()
export class HealthController {
  constructor(private readonly meta: MetaService) {}

  /** 200 when ClickHouse answers and every migration is applied, else 503 with the reason. */
  @Get('healthz')
  async healthz(): Promise<Health> {
    const health = await this.meta.health()
    if (!health.ok) throw new ServiceUnavailableException(health)
    return health
  }
}
