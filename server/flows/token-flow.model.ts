import { Field, Float, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql'
import { FlowKind } from '../core/enums.js'
import { PageInfo } from '../core/connection.js'

@ObjectType('TokenFlow', { description: 'One classified movement of value on chain.' })
export class TokenFlowModel {
  @Field() network!: string
  @Field() chain!: string
  @Field(() => Float, { description: 'Block number or Solana slot.' }) blockNumber!: number
  @Field(() => GraphQLISODateTime) blockTime!: Date
  @Field() txId!: string
  @Field(() => Int) eventIndex!: number
  @Field({ description: 'Mint or contract address.' }) token!: string
  @Field() tokenSymbol!: string
  @Field({ description: 'Exact amount in token units, as a decimal string.' }) amount!: string
  @Field(() => Float, { nullable: true, description: 'USD at block time; null when no price is known.' })
  amountUsd!: number | null
  @Field(() => FlowKind) kind!: FlowKind
  @Field() payer!: string
  @Field() payee!: string
  @Field(() => String, { nullable: true }) jobId!: string | null
  @Field() finality!: string
  @Field(() => String, { nullable: true, description: 'Block explorer link for the transaction.' })
  explorerUrl!: string | null
}

@ObjectType()
export class TokenFlowEdge {
  @Field() cursor!: string
  @Field(() => TokenFlowModel) node!: TokenFlowModel
}

@ObjectType()
export class TokenFlowConnection {
  @Field(() => [TokenFlowEdge]) edges!: TokenFlowEdge[]
  @Field(() => PageInfo) pageInfo!: PageInfo
}
