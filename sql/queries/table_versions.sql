-- The version of every table of the database that has data: a hash of its active parts' names.
-- Every insert, merge, mutation or truncation replaces parts, and a part's name (partition, block
-- numbers, level, mutation) is never reused, so a table whose version is unchanged holds the same
-- rows. The API keeps a query's result while the versions of the tables it reads are unchanged
-- (server/core/result-cache.ts); a table missing here has no parts.
SELECT table, toString(sipHash64(arraySort(groupArray(name)))) AS version
FROM system.parts
WHERE database = currentDatabase() AND active
GROUP BY table
