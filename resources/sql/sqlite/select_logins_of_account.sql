SELECT account_id, app, credentials, logged_in_at, checkpoint, monitor_state, monitor_error, monitor_claimer FROM logins WHERE account_id = :account_id ORDER BY app;
