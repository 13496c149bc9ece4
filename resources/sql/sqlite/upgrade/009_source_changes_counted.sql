-- Version 9: sources move the target_changes counter too, so that the server's cached source
-- tokens are dropped as soon as another process (`herald-server source revoke`) revokes one.
CREATE TRIGGER sources_insert_counted AFTER INSERT ON sources BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER sources_update_counted AFTER UPDATE ON sources BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER sources_delete_counted AFTER DELETE ON sources BEGIN UPDATE target_changes SET n = n + 1; END;
