import { Field, Float, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql'

@ObjectType({ description: 'How far one chain source is behind its chain head.' })
export class SourceFreshness {
  @Field() sourceId!: string
  @Field(() => Int, { nullable: true }) lastBlock!: number | null
  @Field(() => Int, { nullable: true }) headBlock!: number | null
  @Field(() => Int, { nullable: true, description: 'Chain head minus last indexed block or slot.' })
  lagBlocks!: number | null
  @Field(() => GraphQLISODateTime, { nullable: true }) updatedAt!: Date | null
  @Field({ description: 'True when the source runs in this server process (its rate and errors are live).' })
  live!: boolean
  @Field(() => Float, { nullable: true, description: 'Blocks or slots indexed per second, recently.' })
  blocksPerSecond!: number | null
  @Field(() => String, { nullable: true, description: 'The last RPC or indexing error, if any.' })
  lastError!: string | null
  @Field(() => GraphQLISODateTime, { nullable: true }) lastErrorAt!: Date | null
}

@ObjectType({ description: 'Last telemetry received for one network.' })
export class TelemetryFreshness {
  @Field() network!: string
  @Field() provenance!: string
  @Field(() => GraphQLISODateTime) lastSeen!: Date
}

@ObjectType('Meta', { description: 'The engine behind the API and the freshness of every source.' })
export class MetaModel {
  @Field({ description: 'embedded (chdb in the server process) or server (ClickHouse over HTTP).' })
  engine!: string
  @Field() clickhouseVersion!: string
  @Field(() => [String], { description: 'Migrations applied, in order.' }) migrations!: string[]
  @Field(() => [SourceFreshness]) sources!: SourceFreshness[]
  @Field(() => [TelemetryFreshness]) telemetry!: TelemetryFreshness[]
}
