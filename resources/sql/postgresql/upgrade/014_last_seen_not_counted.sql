-- Version 14: a device's last_seen alone no longer moves the target_changes counter (nor sends a
-- NOTIFY). The server writes it for every connected device (at most once per device per interval),
-- and each of those writes made every node drop all the event targets it keeps in memory. What
-- cached targets hold of last_seen only breaks ties for the "latest" policy, where the run's own
-- presence is newer. A column added to devices later belongs in this list unless it is written as often.
DROP TRIGGER devices_counted ON devices;
CREATE TRIGGER devices_counted AFTER INSERT OR DELETE OR UPDATE OF id, account_id, device_id, platform, push_token, name, token_hash, created_at, push_topic, locale, push_token_state, push_token_retired_reason, updated_at, push_token_retired_at, push_key_p256dh, push_key_auth ON devices FOR EACH STATEMENT EXECUTE FUNCTION herald_count_target_change();
