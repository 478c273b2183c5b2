-- Nodes: every node a network lists or that sent telemetry in the range, with its latest claim and
-- the evidence of the range; keyset-paginated.
--   uptime: online GPU-seconds / listed GPU-seconds in the range (uptime.sql, for one node);
--   time_utilization: busy / online GPU-seconds (time_utilization.sql, for one node);
--   verification over the range (sql/queries/node_verification.sql's rules on the hourly rollup):
--     verified   every signed GPU is the listed model
--     mismatch   a signed GPU is another identified model
--     unverified no signed telemetry, no listing, or a model on either side that names no single model
-- Filters ('' = any): {node}, {gpu_model} (listed model id), {status} (verification).
-- Order {order:String}: 'node' (id), 'last_seen' (newest first), 'uptime' (highest first); the sort
-- key, network and node id make the cursor ({has_cursor}, {after_key}, {after_network}, {after_node}).
-- Listing names are mapped to canonical ids by the server ({listed_names} -> {listed_ids}).
-- {daily:UInt8}: read the daily telemetry rollup (set by the server when buckets are whole days).
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
            transform(listed_name, {listed_names:Array(String)}, {listed_ids:Array(String)}, '') AS listed_id,
            argMax(gpu_count, observed_at) AS gpus,
            argMax(listed_at, observed_at) AS listed_at,
            argMax(region, observed_at) AS region,
            argMax(source, observed_at) AS source
        FROM listings
        WHERE network IN {networks:Array(String)} AND observed_at < {to:DateTime('UTC')}
          AND ({node:String} = '' OR node_id = {node:String})
        GROUP BY network, node_id
    ),
    seen AS
    (
        SELECT
            network,
            node_id,
            uniqExact(gpu_uuid) AS gpus_seen,
            sum(online_s) AS online_s,
            sum(busy_s) AS busy_s,
            max(last_seen) AS last_seen,
            arraySort(groupUniqArrayIf(gpu_model, provenance = 'signed')) AS signed_models,
            uniqExactIf(gpu_uuid, provenance = 'signed') AS signed_gpus
        FROM rollup
        WHERE network IN {networks:Array(String)}
          AND hour >= {from:DateTime('UTC')} AND hour < {to:DateTime('UTC')}
          AND ({node:String} = '' OR node_id = {node:String})
        GROUP BY network, node_id
    ),
    nodes AS
    (
        SELECT
            if(l.network = '', s.network, l.network) AS network,
            if(l.node_id = '', s.node_id, l.node_id) AS node_id,
            l.node_id != '' AS is_listed,
            l.listed_name AS listed_name,
            if(l.listed_id = '', l.listed_name, l.listed_id) AS listed_model,
            l.gpus AS listed_gpus,
            l.listed_at AS listed_at,
            l.region AS region,
            l.source AS source,
            s.gpus_seen AS gpus_seen,
            s.online_s AS online_s,
            s.busy_s AS busy_s,
            if(s.node_id = '', NULL, s.last_seen) AS last_seen,
            s.signed_models AS signed_models,
            s.signed_gpus AS signed_gpus,
            multiIf(
                s.signed_gpus = 0, 'no_signed_telemetry',
                NOT is_listed OR l.listed_id = '', 'listed_model_unknown',
                arrayExists(m -> m NOT IN ('', 'unknown') AND m != l.listed_id, s.signed_models), 'model_differs',
                has(s.signed_models, 'unknown'), 'signed_model_unknown',
                'models_match'
            ) AS reason,
            multiIf(reason = 'models_match', 'verified', reason = 'model_differs', 'mismatch', 'unverified') AS status,
            l.gpus * greatest(0, dateDiff('second', greatest({from:DateTime('UTC')}, l.listed_at), {to:DateTime('UTC')})) AS listed_s,
            if(NOT is_listed OR listed_s = 0, NULL, s.online_s / listed_s) AS uptime,
            if(s.online_s = 0, NULL, s.busy_s / s.online_s) AS time_utilization
        FROM listed AS l
        FULL OUTER JOIN seen AS s ON s.network = l.network AND s.node_id = l.node_id
    )
SELECT
    network,
    node_id,
    is_listed,
    listed_name,
    listed_model,
    listed_gpus,
    listed_at,
    region,
    source,
    gpus_seen,
    online_s AS online_gpu_seconds,
    busy_s AS busy_gpu_seconds,
    last_seen,
    signed_models,
    signed_gpus,
    status,
    reason,
    {disclosure:Map(String, String)}[concat(network, '/uptime')] AS uptime_provenance,
    if(uptime_provenance IN ('', 'none'), NULL, uptime) AS uptime,
    {disclosure:Map(String, String)}[concat(network, '/time_utilization')] AS time_utilization_provenance,
    if(time_utilization_provenance IN ('', 'none'), NULL, time_utilization) AS time_utilization,
    {disclosure:Map(String, String)}[concat(network, '/verified_gpus')] AS verification_provenance,
    multiIf(
        {order:String} = 'last_seen', if(last_seen IS NULL, 1e18, -toFloat64(toUnixTimestamp64Milli(assumeNotNull(last_seen)))),
        {order:String} = 'uptime', if(uptime IS NULL, 1e18, -uptime),
        0.
    ) AS sort_key
FROM nodes
WHERE ({gpu_model:String} = '' OR listed_model = {gpu_model:String})
  AND ({status:String} = '' OR status = {status:String})
  AND ({has_cursor:UInt8} = 0
       OR (sort_key, network, node_id) > ({after_key:Float64}, {after_network:String}, {after_node:String}))
ORDER BY sort_key, network, node_id
LIMIT {limit:UInt32}
