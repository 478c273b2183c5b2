-- The GPU models a network's listings name (latest claim per node), so that node_verification.sql
-- can be given their canonical ids (normalizeGpuModel runs in TypeScript).
SELECT DISTINCT listed_name
FROM
(
    SELECT argMax(gpu_model, observed_at) AS listed_name
    FROM listings
    WHERE network = {network:String}
    GROUP BY node_id
)
ORDER BY listed_name
