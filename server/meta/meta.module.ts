import { Module } from '@nestjs/common'
import { HealthController } from './health.controller.js'
import { MetaResolver } from './meta.resolver.js'
import { MetaService } from './meta.service.js'

@Module({ controllers: [HealthController], providers: [MetaResolver, MetaService], exports: [MetaService] })
export class MetaModule {}
