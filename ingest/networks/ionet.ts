import type { NetworkInput } from './schema.js'

export const ionet: NetworkInput = {
  id: 'ionet',
  name: 'io.net',
  website: 'https://io.net',
  summary:
    'Bookings, payments and refunds settle in USDC through a Solana escrow (2% fee on USDC payments, ' +
    '0.25% reservation fee on both sides); 300M IO are emitted hourly to workers over 20 years; ' +
    'revenue buys back and burns IO. Explorer "earnings" are estimates, not payments.',
  economics: 'emission-and-buyback',
  chains: ['solana'],
  explorers: { solana: 'https://solscan.io/tx/{tx}' },
  tokens: [
    {
      symbol: 'IO',
      chain: 'solana',
      address: 'BZLbGTNCSFfoth2GYDtwr7e4imWzpR5jqcUuGEwr646K',
      decimals: null,
      role: 'native',
      unconfirmed: true,
    },
    {
      symbol: 'USDC',
      chain: 'solana',
      address: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
      decimals: 6,
      role: 'payment',
    },
  ],
  accounts: [
    {
      chain: 'solana',
      role: 'treasury',
      address: null,
      label: 'treasury holding supply minted outside emissions',
    },
    { chain: 'solana', role: 'escrow', address: null, label: 'booking escrow; not published' },
    {
      chain: 'solana',
      role: 'reward_pool',
      address: null,
      label: 'hourly block-reward distributor; not published',
    },
    { chain: 'solana', role: 'fee_wallet', address: null, label: 'fee wallet; not published' },
  ],
  classification: [
    {
      token: 'IO',
      movement: 'mint',
      to: 'treasury',
      kind: 'other',
      note: 'supply minted to the treasury (genesis, migration), not an emission',
    },
    {
      token: 'USDC',
      movement: 'transfer',
      to: 'escrow',
      kind: 'customer_payment',
      note: 'booking paid into escrow',
    },
    {
      token: 'USDC',
      movement: 'transfer',
      from: 'escrow',
      to: 'fee_wallet',
      kind: 'fee',
      note: 'protocol fee',
    },
    {
      token: 'USDC',
      movement: 'transfer',
      from: 'escrow',
      kind: 'provider_payout',
      note: 'escrow pays the worker',
    },
    { token: 'IO', movement: 'mint', kind: 'reward_emission', note: 'hourly block rewards' },
    {
      token: 'IO',
      movement: 'transfer',
      from: 'reward_pool',
      kind: 'reward_emission',
      note: 'rewards distributed',
    },
    {
      token: 'IO',
      movement: 'transfer',
      from: 'reward_pool',
      kind: 'reward_emission',
      note: 'block rewards paid out of a reward wallet (when not minted directly)',
    },
    { token: 'IO', movement: 'burn', kind: 'burn', note: 'buy-back burn' },
  ],
  disclosure: {
    demand: { provenance: 'onchain', how: 'USDC paid into the booking escrow' },
    subsidy: { provenance: 'onchain', how: 'IO block rewards' },
    burns: { provenance: 'onchain', how: 'IO buy-back burns' },
    customers: { provenance: 'onchain', how: 'addresses paying the escrow' },
    listed_gpus: { provenance: 'reported', how: 'explorer device counts' },
    online_gpus: { provenance: 'signed', how: 'Plumb agent telemetry' },
    verified_gpus: { provenance: 'signed', how: 'signed telemetry matched to listings' },
    time_utilization: { provenance: 'signed', how: 'Plumb agent telemetry' },
    allocation_utilization: { provenance: 'signed', how: 'Plumb agent telemetry (job id on samples)' },
    compute_utilization: { provenance: 'signed', how: 'SM utilisation from nvidia-smi while assigned' },
    job_success: { provenance: 'none', how: 'booking outcomes are not settled on chain' },
    uptime: { provenance: 'signed', how: 'Plumb agent telemetry against listing dates' },
    price_per_gpu_hour: { provenance: 'none', how: 'booking durations are not on chain' },
  },
}
