-- Version 17: monitors placed by lease, and what the console shows of each node.
-- logins.monitor_claimer names the server run (nodes.claimer) that watches the login; NULL or a
-- run that stopped beating means nobody does, and the server takes it at its next heartbeat.
-- Claims, checkpoints and monitor states are written all the time and say nothing about whom an
-- event reaches, so the logins update trigger now counts only a change of the row's key.
-- nodes gains what the heartbeat reports: where the node listens, its version, and how many
-- sessions and monitors it holds.
ALTER TABLE logins ADD COLUMN monitor_claimer TEXT;
CREATE INDEX logins_monitor_claimer ON logins (monitor_claimer);
DROP TRIGGER logins_update_counted;
CREATE TRIGGER logins_update_counted AFTER UPDATE OF account_id, app ON logins BEGIN UPDATE target_changes SET n = n + 1; END;
ALTER TABLE nodes ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE nodes ADD COLUMN version TEXT NOT NULL DEFAULT '';
ALTER TABLE nodes ADD COLUMN sessions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN monitors INTEGER NOT NULL DEFAULT 0;
