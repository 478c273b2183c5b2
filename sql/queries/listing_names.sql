-- Every GPU model name the listings use, so that the server can map them to canonical model ids.
SELECT DISTINCT gpu_model AS name FROM listings ORDER BY name
