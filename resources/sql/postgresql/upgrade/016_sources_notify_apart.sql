-- Version 16: a change to sources sends NOTIFY herald_sources instead of herald_targets. Every
-- registration and login notified herald_targets, and with it every node dropped the source
-- tokens it keeps in memory too: the next event's source was then read on the event loop, a round
-- trip each. SQLite keeps one counter for both (a read there is local).
CREATE FUNCTION herald_count_source_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE target_changes SET n = n + 1 WHERE id = 1; PERFORM pg_notify('herald_sources', ''); RETURN NULL; END; $$;
DROP TRIGGER sources_counted ON sources;
CREATE TRIGGER sources_counted AFTER INSERT OR UPDATE OR DELETE ON sources FOR EACH STATEMENT EXECUTE FUNCTION herald_count_source_change();
