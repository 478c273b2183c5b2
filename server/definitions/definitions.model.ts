import { Field, ObjectType } from '@nestjs/graphql'
import { Provenance } from '../core/enums.js'

@ObjectType('MetricDisclosure', { description: 'What one network can disclose of a metric.' })
export class MetricDisclosure {
  @Field() network!: string
  @Field(() => Provenance) provenance!: Provenance
  @Field({ description: 'Where the evidence comes from, or why there is none (catalog).' }) how!: string
}

@ObjectType('MetricDefinition', {
  description: 'A metric as METRICS.md defines it, with the SQL computing it.',
})
export class MetricDefinitionModel {
  @Field() id!: string
  @Field() title!: string
  @Field({ description: 'usd, ratio, share (0-1), gpus, customers, seconds, usd_per_gpu_hour, mix.' })
  unit!: string
  @Field({ description: 'Quoted from METRICS.md.' }) definition!: string
  @Field({ description: 'Path of the SQL file, under sql/.' }) sqlFile!: string
  @Field({ description: 'The SQL text, as run (ClickHouse query parameters in {name:Type}).' }) sql!: string
  @Field(() => [MetricDisclosure]) disclosures!: MetricDisclosure[]
}
