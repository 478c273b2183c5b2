import { Module } from '@nestjs/common'
import { NetworkHardwareResolver } from './hardware.resolver.js'
import { HardwareService } from './hardware.service.js'

@Module({ providers: [NetworkHardwareResolver, HardwareService], exports: [HardwareService] })
export class HardwareModule {}
