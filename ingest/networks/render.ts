import type { NetworkInput } from './schema.js'

export const render: NetworkInput = {
  id: 'render',
  name: 'Render',
  website: 'https://rendernetwork.com',
  summary:
    'Burn-and-mint: jobs are priced in USD, the customer burns that value of RENDER (5% kept as a fee); ' +
    'fixed emissions per epoch pay node operators, independent of burns.',
  economics: 'burn-and-mint',
  chains: ['solana', 'ethereum'],
  explorers: { solana: 'https://solscan.io/tx/{tx}', ethereum: 'https://etherscan.io/tx/{tx}' },
  tokens: [
    {
      symbol: 'RENDER',
      chain: 'solana',
      address: 'rndrizKT3MK1iimdxRdWabcF7Zg7AR5T4nud4EkHBof',
      decimals: 8,
      role: 'native',
    },
    {
      symbol: 'RNDR',
      chain: 'ethereum',
      address: '0x6De037ef9aD2725EB40118Bb1702EBb27e4Aeb24',
      decimals: 18,
      role: 'legacy',
    },
  ],
  accounts: [
    {
      chain: 'solana',
      role: 'treasury',
      address: null,
      label: 'treasury holding supply minted outside emissions',
    },
    { chain: 'solana', role: 'fee_wallet', address: null, label: 'job fee wallet (5% kept); not published' },
    {
      chain: 'solana',
      role: 'reward_pool',
      address: null,
      label: 'emission wallet; traced from mintTo recipients',
    },
  ],
  classification: [
    {
      token: 'RENDER',
      movement: 'mint',
      to: 'treasury',
      kind: 'other',
      note: 'supply minted to the treasury (genesis, migration), not an emission',
    },
    {
      token: 'RENDER',
      movement: 'burn',
      kind: 'burn',
      note: 'customer burns RENDER worth the job price: demand',
    },
    {
      token: 'RENDER',
      movement: 'mint',
      kind: 'reward_emission',
      note: 'epoch emissions minted to operators',
    },
    { token: 'RENDER', movement: 'transfer', to: 'fee_wallet', kind: 'fee', note: 'the 5% kept on each job' },
    {
      token: 'RENDER',
      movement: 'transfer',
      from: 'reward_pool',
      kind: 'provider_payout',
      note: 'emission wallet pays operators',
    },
  ],
  disclosure: {
    demand: { provenance: 'onchain', how: 'USD value of RENDER burns on Solana at the burn time' },
    subsidy: { provenance: 'onchain', how: 'RENDER minted by epoch emissions' },
    burns: { provenance: 'onchain', how: 'burn instructions on the RENDER mint' },
    customers: { provenance: 'onchain', how: 'burning addresses' },
    listed_gpus: { provenance: 'reported', how: 'network statistics feed' },
    online_gpus: { provenance: 'signed', how: 'Plumb agent telemetry from participating nodes' },
    verified_gpus: { provenance: 'signed', how: 'signed telemetry matched to listings' },
    time_utilization: { provenance: 'signed', how: 'Plumb agent telemetry' },
    allocation_utilization: { provenance: 'signed', how: 'Plumb agent telemetry (job id on samples)' },
    compute_utilization: { provenance: 'signed', how: 'SM utilisation from nvidia-smi while assigned' },
    job_success: { provenance: 'none', how: 'job outcomes are not settled on chain' },
    uptime: { provenance: 'signed', how: 'Plumb agent telemetry against listing dates' },
    price_per_gpu_hour: { provenance: 'none', how: 'job durations are not on chain' },
  },
}
