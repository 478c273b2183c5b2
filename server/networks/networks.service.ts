import { Inject, Injectable } from '@nestjs/common'
import type { Network } from '../../ingest/networks/index.js'
import { METRIC_IDS } from '../../ingest/networks/schema.js'
import { Provenance } from '../core/enums.js'
import { CATALOG } from '../core/tokens.js'
import type { NetworkModel } from './network.model.js'

@Injectable()
export class NetworksService {
  constructor(@Inject(CATALOG) private readonly catalog: Network[]) {}

  list(): NetworkModel[] {
    return this.catalog.map(toModel)
  }

  find(id: string): NetworkModel | null {
    const network = this.catalog.find((n) => n.id === id)
    return network ? toModel(network) : null
  }
}

function toModel(network: Network): NetworkModel {
  return {
    ...network,
    disclosures: METRIC_IDS.map((metric) => {
      const d = network.disclosure[metric]
      return { metric, provenance: Provenance[d.provenance], how: d.how }
    }),
  }
}
