/** What a world run simulates. Same config, same seed: byte-identical world and ground truth. */
export interface WorldConfig {
  seed: number
  days: number
  /** Simulated time zero, UTC midnight. */
  start: Date
  /** Nominal telemetry sampling interval of the node agents. */
  telemetryIntervalS: number
  /** Multiplies node and customer counts (1 = demo size; tests use less). */
  scale: number
}

export const WORLD_START = new Date('2026-01-05T00:00:00Z')

export function worldConfig(overrides: Partial<WorldConfig> = {}): WorldConfig {
  return { seed: 42, days: 30, start: WORLD_START, telemetryIntervalS: 900, scale: 1, ...overrides }
}

export const DAY_S = 86_400
export const HOUR_S = 3_600
