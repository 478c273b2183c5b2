import { Module } from '@nestjs/common'
import { NetworksResolver } from './networks.resolver.js'
import { NetworksService } from './networks.service.js'

@Module({ providers: [NetworksResolver, NetworksService], exports: [NetworksService] })
export class NetworksModule {}
