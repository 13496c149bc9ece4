UPDATE logins SET monitor_claimer = NULL WHERE account_id = :account_id AND app = :app AND monitor_claimer = :claimer;
