import { registerEnumType } from '@nestjs/graphql'

export enum Provenance {
  onchain = 'onchain',
  signed = 'signed',
  reported = 'reported',
  none = 'none',
}
registerEnumType(Provenance, {
  name: 'Provenance',
  description:
    'Where a number comes from, strongest first: onchain > signed > reported > none (not disclosed).',
})

export enum FlowKind {
  customer_payment = 'customer_payment',
  provider_payout = 'provider_payout',
  reward_emission = 'reward_emission',
  burn = 'burn',
  fee = 'fee',
  stake = 'stake',
  other = 'other',
}
registerEnumType(FlowKind, {
  name: 'FlowKind',
  description: 'How a token movement is classified by the catalog.',
})
