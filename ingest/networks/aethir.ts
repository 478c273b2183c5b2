import type { NetworkInput } from './schema.js'

export const aethir: NetworkInput = {
  id: 'aethir',
  name: 'Aethir',
  website: 'https://aethir.com',
  summary:
    '42B ATH supply. Checker-node licences are NFTs on Arbitrum; a daily checker pool of about 2.87M ATH ' +
    '(10% of supply over 4 × 365.25 days) vests as vATH. Cloud hosts earn ATH for proof of capacity and ' +
    'delivery; service fees are priced in fiat and settled in ATH. Revenue figures come from its own feed.',
  economics: 'emission-and-fees',
  chains: ['ethereum', 'arbitrum'],
  explorers: { ethereum: 'https://etherscan.io/tx/{tx}', arbitrum: 'https://arbiscan.io/tx/{tx}' },
  tokens: [
    {
      symbol: 'ATH',
      chain: 'ethereum',
      address: '0xbe0Ed4138121EcFC5c0E56B40517da27E6c5226B',
      decimals: 18,
      role: 'native',
      unconfirmed: true,
    },
    {
      symbol: 'ATHARB',
      chain: 'arbitrum',
      address: '0xc87B37a581ec3257B734886d9d3a581F5A9d056c',
      decimals: 18,
      role: 'native',
      unconfirmed: true,
    },
  ],
  accounts: [
    { chain: 'arbitrum', role: 'licence_nft', address: null, label: 'checker node licence NFT' },
    { chain: 'arbitrum', role: 'reward_pool', address: null, label: 'daily checker and host reward pool' },
    { chain: 'arbitrum', role: 'market', address: null, label: 'service fee settlement' },
  ],
  classification: [
    { token: 'ATHARB', movement: 'mint', kind: 'reward_emission', note: 'daily reward pool' },
    {
      token: 'ATHARB',
      movement: 'transfer',
      from: 'reward_pool',
      kind: 'reward_emission',
      note: 'pool to operators',
    },
    {
      token: 'ATHARB',
      movement: 'job_payment',
      kind: 'customer_payment',
      note: 'service fee paid to the market',
    },
    { token: 'ATHARB', movement: 'job_payout', kind: 'provider_payout', note: 'market pays the host' },
    { token: 'ATHARB', movement: 'burn', kind: 'burn', note: 'tokens burned' },
  ],
  disclosure: {
    demand: { provenance: 'reported', how: "service fees from Aethir's own revenue feed" },
    subsidy: { provenance: 'onchain', how: 'reward pool distributions on Arbitrum' },
    burns: { provenance: 'onchain', how: 'ATH burns' },
    customers: { provenance: 'none', how: 'customers pay off chain in fiat' },
    listed_gpus: { provenance: 'reported', how: 'explorer container counts' },
    online_gpus: { provenance: 'signed', how: 'Plumb agent telemetry' },
    verified_gpus: { provenance: 'signed', how: 'signed telemetry matched to listings' },
    time_utilization: { provenance: 'signed', how: 'Plumb agent telemetry' },
    allocation_utilization: { provenance: 'signed', how: 'Plumb agent telemetry (job id on samples)' },
    compute_utilization: { provenance: 'signed', how: 'SM utilisation from nvidia-smi while assigned' },
    job_success: { provenance: 'none', how: 'proof of delivery outcomes are not public' },
    uptime: { provenance: 'signed', how: 'Plumb agent telemetry against listing dates' },
    price_per_gpu_hour: { provenance: 'reported', how: 'published rate cards' },
  },
}
