SELECT id, account_id, app, source, event_id, sender, subject, body, received_at, created_at, expires_at, state, opened_at FROM notifications WHERE source = :source AND event_id = :event_id;
