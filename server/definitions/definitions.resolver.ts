import { Args, ID, Query, Resolver } from '@nestjs/graphql'
import { DisclosureService } from '../core/disclosure.service.js'
import { SqlService } from '../core/sql.service.js'
import { MetricDefinitionModel } from './definitions.model.js'
import { METRIC_DEFINITIONS, type MetricDefinition } from './definitions.js'

@Resolver(() => MetricDefinitionModel)
export class DefinitionsResolver {
  constructor(
    private readonly sql: SqlService,
    private readonly disclosure: DisclosureService,
  ) {}

  private toModel(d: MetricDefinition): MetricDefinitionModel {
    return {
      id: d.id,
      title: d.title,
      unit: d.unit,
      definition: d.definition,
      sqlFile: `sql/${d.sql}.sql`,
      sql: this.sql.text(d.sql),
      disclosures: this.disclosure.ids().map((network) => ({
        network,
        provenance: this.disclosure.provenance(network, d.disclosure),
        how: this.disclosure.how(network, d.disclosure),
      })),
    }
  }

  @Query(() => [MetricDefinitionModel], {
    description: 'Every metric: definition, SQL and provenance per network.',
  })
  metricDefinitions(): MetricDefinitionModel[] {
    return METRIC_DEFINITIONS.map((d) => this.toModel(d))
  }

  @Query(() => MetricDefinitionModel, { nullable: true })
  metricDefinition(@Args('id', { type: () => ID }) id: string): MetricDefinitionModel | null {
    const d = METRIC_DEFINITIONS.find((m) => m.id === id)
    return d ? this.toModel(d) : null
  }
}
