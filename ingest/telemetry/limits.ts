/** What the telemetry ingest accepts: sizes, counts and physical ranges (README.md, "Limits"). */

/** Request body limit of every ingest route (after gzip/deflate decoding). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024
export const MAX_SAMPLES_PER_BATCH = 20_000
export const MAX_GPUS_PER_BATCH = 256
/** A sample may be at most this far ahead of the server's clock (clock skew). */
export const MAX_FUTURE_MS = 5 * 60_000
export const MAX_INTERVAL_S = 3600

/** Inclusive ranges of what a GPU can physically report. */
export const RANGES = {
  utilizationPct: [0, 100],
  /** 4 TiB: beyond any board made. */
  memoryMiB: [0, 4 * 1024 * 1024],
  /** Watts of one board; a B200 draws 1000 W, a GB200 module 1200 W. */
  powerW: [0, 3000],
  temperatureC: [-40, 150],
} as const satisfies Record<string, readonly [number, number]>
