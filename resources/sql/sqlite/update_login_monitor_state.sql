UPDATE logins SET monitor_state = :monitor_state, monitor_error = :monitor_error WHERE account_id = :account_id AND app = :app AND monitor_claimer = :claimer;
