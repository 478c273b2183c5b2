import { Args, ID, Query, Resolver } from '@nestjs/graphql'
import { NetworkModel } from './network.model.js'
import { NetworksService } from './networks.service.js'

@Resolver(() => NetworkModel)
export class NetworksResolver {
  constructor(private readonly service: NetworksService) {}

  @Query(() => [NetworkModel], { description: 'Every network in the catalog, with what each can disclose.' })
  networks(): NetworkModel[] {
    return this.service.list()
  }

  @Query(() => NetworkModel, { nullable: true, description: 'One network by id (render, ionet, ...).' })
  network(@Args('id', { type: () => ID }) id: string): NetworkModel | null {
    return this.service.find(id)
  }
}
