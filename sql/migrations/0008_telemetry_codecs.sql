-- Telemetry storage: measured on 400k samples of 8-GPU nodes at 10 s (bench/telemetry.ts), the
-- codecs of 0003 kept 6.3 bytes per sample, 3.4 of them in power_w (noisy Float32 watts defeat
-- Gorilla) and 0.65 in strings that ZSTD(1) barely compresses.
-- - power_w becomes Decimal(9, 2): watts with nvidia-smi's 0.01 W resolution (ingest rounds to it),
--   as an integer that T64 + ZSTD pack to under 2 bytes;
-- - time: Delta instead of DoubleDelta (samples carry a few ms of timer jitter);
-- - strings repeated along the sort key, utilisation and temperature: ZSTD(3) or Delta.
ALTER TABLE telemetry_samples
    MODIFY COLUMN node_id String CODEC(ZSTD(3)),
    MODIFY COLUMN gpu_uuid String CODEC(ZSTD(3)),
    MODIFY COLUMN time DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    MODIFY COLUMN utilization_pct Nullable(Float32) CODEC(ZSTD(3)),
    MODIFY COLUMN power_w Nullable(Decimal(9, 2)) CODEC(T64, ZSTD(1)),
    MODIFY COLUMN temperature_c Nullable(Int16) CODEC(Delta, ZSTD(1)),
    MODIFY COLUMN job_id String CODEC(ZSTD(3)),
    MODIFY COLUMN batch_id String CODEC(ZSTD(3));
