import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql'
import { PageInfo } from '../core/connection.js'
import { Provenance } from '../core/enums.js'

export enum JobStatus {
  succeeded = 'succeeded',
  failed = 'failed',
  timed_out = 'timed_out',
  cancelled = 'cancelled',
  running = 'running',
  queued = 'queued',
}
registerEnumType(JobStatus, { name: 'JobStatus', description: 'A job’s state from its on-chain events.' })

export enum JobOrder {
  NEWEST = 'newest',
  OLDEST = 'oldest',
}
registerEnumType(JobOrder, { name: 'JobOrder', description: 'By submission time.' })

@ObjectType('Job', { description: 'One job, merged from its on-chain events (the jobs view).' })
export class JobModel {
  @Field() network!: string
  @Field() id!: string
  @Field() chain!: string
  @Field({ description: 'Paying address.' }) customer!: string
  @Field({ description: 'Node or provider address as the chain names it.' }) nodeId!: string
  @Field() gpuModel!: string
  @Field(() => Int) gpuCount!: number
  @Field(() => GraphQLISODateTime) submittedAt!: Date
  @Field(() => GraphQLISODateTime, { nullable: true }) startedAt!: Date | null
  @Field(() => GraphQLISODateTime, { nullable: true }) endedAt!: Date | null
  @Field(() => JobStatus) status!: JobStatus
  @Field({ description: 'Price in token units, as a decimal string.' }) price!: string
  @Field() priceToken!: string
  @Field(() => Float, { nullable: true }) priceUsd!: number | null
  @Field(() => Int, { nullable: true, description: 'Submitted → started, seconds.' }) queueSeconds!:
    number | null
  @Field(() => Int, { nullable: true, description: 'Started → ended, seconds.' }) runSeconds!: number | null
  @Field(() => Provenance) provenance!: Provenance
}

@ObjectType()
export class JobEdge {
  @Field() cursor!: string
  @Field(() => JobModel) node!: JobModel
}

@ObjectType()
export class JobConnection {
  @Field(() => [JobEdge]) edges!: JobEdge[]
  @Field(() => PageInfo) pageInfo!: PageInfo
}
