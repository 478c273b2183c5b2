import { Field, Int, ObjectType } from '@nestjs/graphql'
import { Provenance } from '../core/enums.js'

@ObjectType('Token', { description: 'A token of a network on one chain.' })
export class TokenModel {
  @Field() symbol!: string
  @Field() chain!: string
  @Field(() => String, { nullable: true, description: 'Mint or contract address; null for a native coin.' })
  address!: string | null
  @Field(() => Int, { nullable: true, description: 'Null when not confirmed.' })
  decimals!: number | null
  @Field() role!: string
  @Field({ description: 'Seen only in third-party code or press, not in the network’s own documents.' })
  unconfirmed!: boolean
}

@ObjectType('Account', {
  description: 'An on-chain account with a known role (program, escrow, reward pool, ...).',
})
export class AccountModel {
  @Field() chain!: string
  @Field() role!: string
  @Field(() => String, { nullable: true, description: 'Null when the network does not publish it.' })
  address!: string | null
  @Field() label!: string
  @Field() unconfirmed!: boolean
}

@ObjectType('Disclosure', { description: 'Whether and how a network can disclose one metric.' })
export class DisclosureModel {
  @Field() metric!: string
  @Field(() => Provenance) provenance!: Provenance
  @Field({ description: 'Where the evidence comes from, or why there is none.' })
  how!: string
}

@ObjectType('Network', { description: 'A GPU compute network from the catalog.' })
export class NetworkModel {
  @Field() id!: string
  @Field() name!: string
  @Field() website!: string
  @Field() summary!: string
  @Field({ description: 'How value moves: burn-and-mint, emission-and-buyback, job-escrow, ...' })
  economics!: string
  @Field(() => [String]) chains!: string[]
  @Field(() => [TokenModel]) tokens!: TokenModel[]
  @Field(() => [AccountModel]) accounts!: AccountModel[]
  @Field(() => [DisclosureModel]) disclosures!: DisclosureModel[]
}
