-- Hardware verification (METRICS.md, "Verified GPUs"): every listed node of a network, its claim
-- (latest listing) against the GPUs its own key signed telemetry for.
--   verified:   every GPU in the node's signed telemetry is the listed model
--   mismatch:   a signed GPU is another (identified) model; both models are returned
--   unverified: no signed telemetry, or a model on either side that names no single model
-- Both sides compare canonical model ids (ingest/telemetry/gpu-models.ts): telemetry rows carry
-- them already; listing names are mapped by the caller, {listed_names} → {listed_ids} ('' = not
-- one model), since normalisation lives in TypeScript.
-- Signed telemetry counts over the day before the node's latest signed sample, so a node that
-- changed its GPUs is judged on what it runs now. GPU counts are returned beside the status.
WITH
    listed AS
    (
        SELECT
            node_id,
            argMax(gpu_model, observed_at) AS listed_name,
            argMax(gpu_count, observed_at) AS listed_count
        FROM listings
        WHERE network = {network:String}
        GROUP BY node_id
    ),
    last_signed AS
    (
        SELECT node_id, max(time) AS last_at
        FROM telemetry_samples
        WHERE network = {network:String} AND provenance = 'signed'
        GROUP BY node_id
    ),
    signed AS
    (
        SELECT
            s.node_id AS node_id,
            arraySort(groupUniqArray(s.gpu_model)) AS models,
            uniqExact(s.gpu_uuid) AS gpus,
            max(s.time) AS last_at
        FROM telemetry_samples AS s
        INNER JOIN last_signed AS l ON s.node_id = l.node_id
        WHERE s.network = {network:String} AND s.provenance = 'signed' AND s.time > l.last_at - INTERVAL 1 DAY
        GROUP BY s.node_id
    )
SELECT
    l.node_id AS node_id,
    l.listed_name AS listed_name,
    transform(l.listed_name, {listed_names:Array(String)}, {listed_ids:Array(String)}, '') AS listed_model,
    l.listed_count AS listed_count,
    s.models AS signed_models,
    s.gpus AS signed_gpus,
    if(s.gpus = 0, NULL, s.last_at) AS last_signed_at,
    multiIf(
        s.gpus = 0, 'no_signed_telemetry',
        listed_model = '', 'listed_model_unknown',
        arrayExists(m -> m != 'unknown' AND m != listed_model, s.models), 'model_differs',
        has(s.models, 'unknown'), 'signed_model_unknown',
        'models_match'
    ) AS reason,
    multiIf(reason = 'models_match', 'verified', reason = 'model_differs', 'mismatch', 'unverified') AS status
FROM listed AS l
LEFT JOIN signed AS s ON l.node_id = s.node_id
ORDER BY node_id
