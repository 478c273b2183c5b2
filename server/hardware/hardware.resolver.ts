import { Args, Context, Query, Resolver } from '@nestjs/graphql'
import { NetworkRangeArgs } from '../core/args.js'
import type { GqlContext } from '../core/loaders.js'
import { DisclosureService } from '../core/disclosure.service.js'
import { RangeService } from '../core/range.service.js'
import { HardwareMixModel } from './hardware.model.js'
import { groupMix, HardwareService } from './hardware.service.js'

@Resolver()
export class NetworkHardwareResolver {
  constructor(
    private readonly range: RangeService,
    private readonly disclosure: DisclosureService,
    private readonly hardware: HardwareService,
  ) {}

  @Query(() => HardwareMixModel, { description: 'Hardware mix, claimed vs verified (METRICS.md).' })
  async hardwareMix(
    @Args() args: NetworkRangeArgs,
    @Context() context: GqlContext,
  ): Promise<HardwareMixModel> {
    const network = this.disclosure.checkNetwork(args.network)
    const window = await this.range.totals(args.range, false, context)
    const models = await this.hardware.models(context, network, window)
    return {
      network,
      range: window.range,
      models,
      byVramClass: groupMix(models, 'vramClass'),
      bySegment: groupMix(models, 'segment'),
    }
  }
}
