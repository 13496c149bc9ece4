-- The schema version this database is at; the highest upgrade/NNN number when it was set up.
CREATE TABLE schema_version (
    version INTEGER NOT NULL
);
