-- Hardware mix (METRICS.md): "Share of GPUs by model (count) and by busy GPU-hours, claimed vs
-- verified; VRAM classes (<= 16 GB, 24 GB, 40-48 GB, 80 GB+); datacenter vs consumer cards."
-- Over the range, per network and GPU model:
--   claimed: GPUs listed before {to} by their listed model, and busy GPU-hours of online GPUs by
--     their node's listed model;
--   verified: GPUs verified in the range (signed telemetry of the listed model, as supply.sql), and
--     their busy GPU-hours, by that model.
-- Shares are of the network's totals. VRAM class and segment of each model come from the GPU model
-- registry ({model_ids} -> {model_vram_classes}, {model_segments}; ingest/telemetry/gpu-models.ts),
-- 'unknown' for a name it does not know. Listing names are mapped to canonical ids as in supply.sql.
-- {daily:UInt8}: read the daily telemetry rollup (set by the server when buckets are whole days).
-- Parameters: {networks}, {from}, {to}, {disclosure} (sql/metrics/README.md), {listed_names},
-- {listed_ids}, {model_ids}, {model_vram_classes}, {model_segments} (Array(String) each).
WITH
    rollup AS
    (
        -- Telemetry per GPU: the daily rollup when every bucket is made of whole UTC days ({daily} = 1),
        -- else the hourly one (migrations 0003, 0009); `hour` is the start of the row's day or hour.
        SELECT network, day AS hour, gpu_model, node_id, gpu_uuid, provenance, online_s, busy_s, assigned_s,
               util_assigned_sum, util_assigned_n, last_seen
        FROM telemetry_daily
        WHERE {daily:UInt8} = 1 AND network IN {networks:Array(String)}
          AND day >= {from:DateTime('UTC')} AND day < {to:DateTime('UTC')}
        UNION ALL
        SELECT network, hour, gpu_model, node_id, gpu_uuid, provenance, online_s, busy_s, assigned_s,
               util_assigned_sum, util_assigned_n, last_seen
        FROM telemetry_hourly
        WHERE {daily:UInt8} = 0 AND network IN {networks:Array(String)}
          AND hour >= {from:DateTime('UTC')} AND hour < {to:DateTime('UTC')}
    ),
    listed AS
    (
        SELECT
            network,
            node_id,
            argMax(gpu_model, observed_at) AS listed_name,
            transform(listed_name, {listed_names:Array(String)}, {listed_ids:Array(String)}, listed_name) AS model,
            argMax(gpu_count, observed_at) AS gpus
        FROM listings
        WHERE network IN {networks:Array(String)} AND observed_at < {to:DateTime('UTC')}
        GROUP BY network, node_id
    ),
    gpus AS
    (
        SELECT
            h.network AS network,
            h.gpu_uuid AS gpu_uuid,
            if(any(l.model) = '', any(h.gpu_model), any(l.model)) AS claimed_model,
            sum(h.busy_s) AS busy_s,
            max(h.provenance = 'signed' AND h.gpu_model NOT IN ('', 'unknown') AND h.gpu_model != l.model) AS mismatched,
            max(h.provenance = 'signed' AND h.gpu_model = l.model) AND NOT mismatched AS verified
        FROM rollup AS h
        LEFT JOIN listed AS l ON l.network = h.network AND l.node_id = h.node_id
        WHERE h.network IN {networks:Array(String)}
          AND h.hour >= {from:DateTime('UTC')} AND h.hour < {to:DateTime('UTC')}
        GROUP BY network, h.node_id, gpu_uuid
    ),
    claimed AS
    (
        SELECT network, model, sum(gpus) AS claimed_gpus
        FROM listed
        GROUP BY network, model
    ),
    used AS
    (
        SELECT network, claimed_model AS model,
               sum(busy_s) / 3600 AS claimed_busy_hours,
               countIf(verified) AS verified_gpus,
               sumIf(busy_s, verified) / 3600 AS verified_busy_hours
        FROM gpus
        GROUP BY network, model
    ),
    mix AS
    (
        SELECT
            if(c.network = '', u.network, c.network) AS network,
            if(c.network = '', u.model, c.model) AS model,
            c.claimed_gpus AS claimed_gpus,
            u.claimed_busy_hours AS claimed_busy_hours,
            u.verified_gpus AS verified_gpus,
            u.verified_busy_hours AS verified_busy_hours
        FROM claimed AS c
        FULL OUTER JOIN used AS u ON u.network = c.network AND u.model = c.model
    ),
    shares AS
    (
        SELECT
            network,
            model,
            claimed_gpus,
            claimed_busy_hours,
            verified_gpus,
            verified_busy_hours,
            claimed_gpus / sum(claimed_gpus) OVER w AS claimed_gpu_share,
            claimed_busy_hours / sum(claimed_busy_hours) OVER w AS claimed_busy_share,
            verified_gpus / sum(verified_gpus) OVER w AS verified_gpu_share,
            verified_busy_hours / sum(verified_busy_hours) OVER w AS verified_busy_share,
            {disclosure:Map(String, String)}[concat(network, '/listed_gpus')] AS claimed_provenance,
            {disclosure:Map(String, String)}[concat(network, '/online_gpus')] AS busy_provenance,
            {disclosure:Map(String, String)}[concat(network, '/verified_gpus')] AS verified_provenance
        FROM mix
        WINDOW w AS (PARTITION BY network)
    )
SELECT
    network,
    model AS gpu_model,
    transform(model, {model_ids:Array(String)}, {model_vram_classes:Array(String)}, 'unknown') AS vram_class,
    transform(model, {model_ids:Array(String)}, {model_segments:Array(String)}, 'unknown') AS segment,
    claimed_provenance,
    if(claimed_provenance IN ('', 'none'), NULL, claimed_gpus) AS claimed_gpus,
    if(claimed_provenance IN ('', 'none') OR isNaN(claimed_gpu_share), NULL, claimed_gpu_share) AS claimed_gpu_share,
    busy_provenance,
    if(busy_provenance IN ('', 'none'), NULL, claimed_busy_hours) AS claimed_busy_gpu_hours,
    if(busy_provenance IN ('', 'none') OR isNaN(claimed_busy_share), NULL, claimed_busy_share) AS claimed_busy_share,
    verified_provenance,
    if(verified_provenance IN ('', 'none'), NULL, verified_gpus) AS verified_gpus,
    if(verified_provenance IN ('', 'none') OR isNaN(verified_gpu_share), NULL, verified_gpu_share) AS verified_gpu_share,
    if(verified_provenance IN ('', 'none'), NULL, verified_busy_hours) AS verified_busy_gpu_hours,
    if(verified_provenance IN ('', 'none') OR isNaN(verified_busy_share), NULL, verified_busy_share) AS verified_busy_share
FROM shares
ORDER BY network, gpu_model
