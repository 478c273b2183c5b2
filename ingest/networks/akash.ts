import type { NetworkInput } from './schema.js'

export const akash: NetworkInput = {
  id: 'akash',
  name: 'Akash',
  website: 'https://akash.network',
  summary:
    'A Cosmos SDK chain (akashnet-2): every lease settles on chain every block (~6 s), bids carry GPU ' +
    'attributes and providers report inventory. Since 2026-03-23 users burn AKT to mint ACT (~$1 compute ' +
    'credit) and providers burn ACT for AKT. GPU utilisation is (active + pending) / (active + pending + available).',
  economics: 'lease-settlement',
  chains: ['akash'],
  explorers: { akash: 'https://www.mintscan.io/akash/tx/{tx}' },
  tokens: [
    { symbol: 'AKT', chain: 'akash', address: 'uakt', decimals: 6, role: 'native' },
    { symbol: 'ACT', chain: 'akash', address: 'uact', decimals: 6, role: 'credit' },
  ],
  accounts: [],
  classification: [],
  disclosure: {
    demand: { provenance: 'none', how: 'Akash settles on a Cosmos chain Plumb does not index yet' },
    subsidy: { provenance: 'none', how: 'Akash settles on a Cosmos chain Plumb does not index yet' },
    burns: { provenance: 'none', how: 'Akash settles on a Cosmos chain Plumb does not index yet' },
    customers: { provenance: 'none', how: 'Akash settles on a Cosmos chain Plumb does not index yet' },
    listed_gpus: { provenance: 'reported', how: 'provider inventory snapshots' },
    online_gpus: { provenance: 'reported', how: 'provider inventory snapshots' },
    verified_gpus: { provenance: 'signed', how: 'signed telemetry matched to provider inventory' },
    time_utilization: { provenance: 'signed', how: 'Plumb agent telemetry' },
    allocation_utilization: {
      provenance: 'reported',
      how: '(active + pending) / (active + pending + available)',
    },
    compute_utilization: { provenance: 'signed', how: 'SM utilisation from nvidia-smi while assigned' },
    job_success: { provenance: 'none', how: 'lease outcomes are not reported' },
    uptime: { provenance: 'reported', how: 'provider uptime checks' },
    price_per_gpu_hour: { provenance: 'onchain', how: 'lease price per block and GPU attributes in bids' },
  },
}
