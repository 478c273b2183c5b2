import type { NetworkInput } from './schema.js'

export const nosana: NetworkInput = {
  id: 'nosana',
  name: 'Nosana',
  website: 'https://nosana.com',
  summary:
    'Jobs live on Solana in the Jobs program (Queued, Running, Done, Stopped), priced in NOS per second; ' +
    '`finish` stores an IPFS hash of the result, whose status tells success; `clean` closes job accounts, ' +
    'so Plumb indexes transactions, not accounts.',
  economics: 'job-escrow',
  chains: ['solana'],
  explorers: { solana: 'https://solscan.io/tx/{tx}' },
  tokens: [
    {
      symbol: 'NOS',
      chain: 'solana',
      address: 'nosXBVoaCTtYdLvKY6Csb4AC8JCdQKKAaWYtx2ZMoo7',
      decimals: 6,
      role: 'native',
    },
  ],
  accounts: [
    {
      chain: 'solana',
      role: 'treasury',
      address: null,
      label: 'treasury holding supply minted outside emissions',
    },
    {
      chain: 'solana',
      role: 'jobs_program',
      address: 'nosJhNRqr2bc9g1nfGDcXXTXvYUmxD4cVwy2pMWhrYM',
      label: 'Nosana Jobs program',
    },
    {
      chain: 'solana',
      role: 'rewards_program',
      address: 'nosRB8DUV67oLNrL45bo2pFLrmsWPiewe2Lk2DRNYCp',
      label: 'Nosana Rewards program',
    },
    {
      chain: 'solana',
      role: 'staking_program',
      address: 'nosScmHY2uR24Zh751PmGj9ww9QRNHewh9H59AfrTJE',
      label: 'Nosana Staking program',
    },
    {
      chain: 'solana',
      role: 'pools_program',
      address: 'nosPdZrfDzND1LAR28FLMDEATUPK53K8xbRBXAirevD',
      label: 'Nosana Pools program',
    },
    {
      chain: 'solana',
      role: 'nodes_program',
      address: 'nosNeZR64wiEhQc5j251bsP4WqDabT6hmz4PHyoHLGD',
      label: 'Nosana Nodes program',
    },
    { chain: 'solana', role: 'escrow', address: null, label: 'job vault (a PDA per market)' },
    { chain: 'solana', role: 'reward_pool', address: null, label: 'pool paying node rewards' },
  ],
  classification: [
    {
      token: 'NOS',
      movement: 'mint',
      to: 'treasury',
      kind: 'other',
      note: 'supply minted to the treasury (genesis, migration), not an emission',
    },
    {
      token: 'NOS',
      movement: 'job_payment',
      kind: 'customer_payment',
      note: 'job posted: NOS into the vault',
    },
    {
      token: 'NOS',
      movement: 'job_payout',
      kind: 'provider_payout',
      note: 'job finished: vault pays the node',
    },
    { token: 'NOS', movement: 'job_refund', kind: 'other', note: 'stopped job refunded' },
    {
      token: 'NOS',
      movement: 'transfer',
      from: 'reward_pool',
      kind: 'reward_emission',
      note: 'pool rewards',
    },
    { token: 'NOS', movement: 'transfer', to: 'staking_program', kind: 'stake', note: 'node stake' },
    { token: 'NOS', movement: 'burn', kind: 'burn', note: 'tokens burned' },
  ],
  disclosure: {
    demand: { provenance: 'onchain', how: 'NOS paid into job vaults by the Jobs program' },
    subsidy: { provenance: 'onchain', how: 'rewards pool distributions' },
    burns: { provenance: 'onchain', how: 'NOS burns' },
    customers: { provenance: 'onchain', how: 'job posting addresses' },
    listed_gpus: { provenance: 'reported', how: 'market node lists' },
    online_gpus: { provenance: 'signed', how: 'Plumb agent telemetry' },
    verified_gpus: { provenance: 'signed', how: 'signed telemetry matched to listings' },
    time_utilization: { provenance: 'signed', how: 'Plumb agent telemetry' },
    allocation_utilization: { provenance: 'onchain', how: 'running jobs in the Jobs program' },
    compute_utilization: { provenance: 'signed', how: 'SM utilisation from nvidia-smi while assigned' },
    job_success: { provenance: 'onchain', how: 'finish status of each job' },
    uptime: { provenance: 'signed', how: 'Plumb agent telemetry against listing dates' },
    price_per_gpu_hour: { provenance: 'onchain', how: 'job price per second and duration' },
  },
}
