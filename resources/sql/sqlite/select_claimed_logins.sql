SELECT account_id, app FROM logins WHERE monitor_claimer = :claimer ORDER BY account_id, app;
