-- Migrations recorded as applied, in order.
SELECT name FROM plumb_migrations FINAL ORDER BY name
