import { Module } from '@nestjs/common'
import { DefinitionsResolver } from './definitions.resolver.js'

@Module({ providers: [DefinitionsResolver] })
export class DefinitionsModule {}
