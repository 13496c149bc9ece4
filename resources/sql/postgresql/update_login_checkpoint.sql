UPDATE logins SET checkpoint = :checkpoint WHERE account_id = :account_id AND app = :app AND monitor_claimer = :claimer;
