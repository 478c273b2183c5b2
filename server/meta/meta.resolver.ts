import { Query, Resolver } from '@nestjs/graphql'
import { MetaModel } from './meta.model.js'
import { MetaService } from './meta.service.js'

@Resolver(() => MetaModel)
export class MetaResolver {
  constructor(private readonly meta: MetaService) {}

  @Query(() => MetaModel, {
    name: '_meta',
    description: 'Engine, ClickHouse version and freshness of every source.',
  })
  getMeta(): Promise<MetaModel> {
    return this.meta.meta()
  }
}
