-- One counter that every change to what an event's targets are read from moves (accounts, devices,
-- device_apps, logins; sources since version 9), whichever connection or process made it; not a
-- device's last_seen alone (version 14): it is written for every connected device; nor a login's
-- claim, checkpoint or monitor state (version 17). The server keeps event targets in memory until
-- it moves; PRAGMA data_version cannot tell those changes from the outbox writes that the server's
-- own background writer commits many times a second.
CREATE TABLE target_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
);
INSERT INTO target_changes (id, n) VALUES (1, 0);
CREATE TRIGGER accounts_insert_counted AFTER INSERT ON accounts BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER accounts_update_counted AFTER UPDATE ON accounts BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER accounts_delete_counted AFTER DELETE ON accounts BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER devices_insert_counted AFTER INSERT ON devices BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER devices_update_counted AFTER UPDATE OF id, account_id, device_id, platform, push_token, name, token_hash, created_at, push_topic, locale, push_token_state, push_token_retired_reason, updated_at, push_token_retired_at, push_key_p256dh, push_key_auth ON devices BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER devices_delete_counted AFTER DELETE ON devices BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER device_apps_insert_counted AFTER INSERT ON device_apps BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER device_apps_update_counted AFTER UPDATE ON device_apps BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER device_apps_delete_counted AFTER DELETE ON device_apps BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER logins_insert_counted AFTER INSERT ON logins BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER logins_update_counted AFTER UPDATE OF account_id, app ON logins BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER logins_delete_counted AFTER DELETE ON logins BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER sources_insert_counted AFTER INSERT ON sources BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER sources_update_counted AFTER UPDATE ON sources BEGIN UPDATE target_changes SET n = n + 1; END;
CREATE TRIGGER sources_delete_counted AFTER DELETE ON sources BEGIN UPDATE target_changes SET n = n + 1; END;
