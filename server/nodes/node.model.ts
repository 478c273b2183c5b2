import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql'
import type { Window } from '../core/clickhouse-values.js'
import { PageInfo } from '../core/connection.js'
import { Measure } from '../core/measure.js'
import { RangeModel } from '../core/range.js'

export enum VerificationStatus {
  verified = 'verified',
  mismatch = 'mismatch',
  unverified = 'unverified',
}
registerEnumType(VerificationStatus, {
  name: 'VerificationStatus',
  description:
    'verified: every GPU in the node’s signed telemetry is the listed model; mismatch: a signed GPU ' +
    'is another model; unverified: no signed telemetry, or a model that names no single GPU.',
})

export enum NodeOrder {
  NODE_ID = 'node',
  LAST_SEEN = 'last_seen',
  UPTIME = 'uptime',
}
registerEnumType(NodeOrder, {
  name: 'NodeOrder',
  description: 'NODE_ID ascending, LAST_SEEN newest first, UPTIME highest first.',
})

@ObjectType('NodeHistoryPoint', {
  description: 'One bucket of a node’s telemetry (sql/queries/node_history.sql).',
})
export class NodeHistoryPoint {
  @Field(() => GraphQLISODateTime) start!: Date
  @Field(() => GraphQLISODateTime) end!: Date
  @Field(() => Float) onlineGpuSeconds!: number
  @Field(() => Float) busyGpuSeconds!: number
  @Field(() => Measure) timeUtilization!: Measure
  @Field(() => Measure) allocationUtilization!: Measure
  @Field(() => Measure) computeUtilization!: Measure
  @Field(() => Measure) uptime!: Measure
}

@ObjectType('Node', {
  description: 'A node: what the network claims about it, and what its telemetry shows.',
})
export class NodeModel {
  window!: Window
  @Field() network!: string
  @Field() id!: string
  @Field(() => RangeModel, { description: 'The range the evidence fields cover.' }) range!: RangeModel
  @Field({ description: 'The network lists it (else it only sent telemetry).' }) listed!: boolean
  @Field(() => String, { nullable: true, description: 'GPU model as the listing names it.' })
  listedName!: string | null
  @Field(() => String, { nullable: true, description: 'Canonical id of the listed model when known.' })
  listedModel!: string | null
  @Field(() => Int, { nullable: true }) listedGpus!: number | null
  @Field(() => GraphQLISODateTime, { nullable: true }) listedAt!: Date | null
  @Field(() => String, { nullable: true }) region!: string | null
  @Field(() => String, { nullable: true, description: 'Where the listing comes from.' }) source!:
    string | null
  @Field(() => Int) gpusSeen!: number
  @Field(() => Float) onlineGpuSeconds!: number
  @Field(() => Float) busyGpuSeconds!: number
  @Field(() => GraphQLISODateTime, { nullable: true }) lastSeen!: Date | null
  @Field(() => [String], { description: 'GPU models in the node’s signed telemetry.' })
  signedModels!: string[]
  @Field(() => Int) signedGpus!: number
  @Field(() => VerificationStatus) verification!: VerificationStatus
  @Field({ description: 'Why: models_match, model_differs, no_signed_telemetry, ...' })
  verificationReason!: string
  @Field(() => Measure) uptime!: Measure
  @Field(() => Measure) timeUtilization!: Measure
}

@ObjectType()
export class NodeEdge {
  @Field() cursor!: string
  @Field(() => NodeModel) node!: NodeModel
}

@ObjectType()
export class NodeConnection {
  @Field(() => [NodeEdge]) edges!: NodeEdge[]
  @Field(() => PageInfo) pageInfo!: PageInfo
}
