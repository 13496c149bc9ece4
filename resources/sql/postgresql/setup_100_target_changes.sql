-- One counter that every change to what an event's targets are read from moves (accounts, devices,
-- device_apps, logins, sources), whichever connection or node made it, and a NOTIFY on channel
-- herald_targets when the change commits: servers keep event targets in memory until told. Not a
-- device's last_seen alone (version 14): it is written for every connected device; nor a login's
-- claim, checkpoint or monitor state (version 17). Sources notify on a channel of their own,
-- herald_sources (version 16), so that registrations and logins leave the cached source tokens
-- alone. Statement-level triggers: one bump per statement, however many rows it touched.
CREATE TABLE target_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO target_changes (id, n) VALUES (1, 0);
CREATE FUNCTION herald_count_target_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE target_changes SET n = n + 1 WHERE id = 1; PERFORM pg_notify('herald_targets', ''); RETURN NULL; END; $$;
CREATE TRIGGER accounts_counted AFTER INSERT OR UPDATE OR DELETE ON accounts FOR EACH STATEMENT EXECUTE FUNCTION herald_count_target_change();
CREATE TRIGGER devices_counted AFTER INSERT OR DELETE OR UPDATE OF id, account_id, device_id, platform, push_token, name, token_hash, created_at, push_topic, locale, push_token_state, push_token_retired_reason, updated_at, push_token_retired_at, push_key_p256dh, push_key_auth ON devices FOR EACH STATEMENT EXECUTE FUNCTION herald_count_target_change();
CREATE TRIGGER device_apps_counted AFTER INSERT OR UPDATE OR DELETE ON device_apps FOR EACH STATEMENT EXECUTE FUNCTION herald_count_target_change();
CREATE TRIGGER logins_counted AFTER INSERT OR DELETE OR UPDATE OF account_id, app ON logins FOR EACH STATEMENT EXECUTE FUNCTION herald_count_target_change();
CREATE FUNCTION herald_count_source_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE target_changes SET n = n + 1 WHERE id = 1; PERFORM pg_notify('herald_sources', ''); RETURN NULL; END; $$;
CREATE TRIGGER sources_counted AFTER INSERT OR UPDATE OR DELETE ON sources FOR EACH STATEMENT EXECUTE FUNCTION herald_count_source_change();
