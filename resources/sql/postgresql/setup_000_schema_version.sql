-- The schema version this database is at. PostgreSQL databases start at the version that
-- brought the engine (11, upgrade/011_*.sql); later upgrades come in pairs, one per engine.
CREATE TABLE schema_version (
    version INTEGER NOT NULL
);
