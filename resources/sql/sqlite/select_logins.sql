SELECT account_id, app, credentials, logged_in_at, checkpoint, monitor_state, monitor_error, monitor_claimer FROM logins ORDER BY account_id, app;
