UPDATE logins SET monitor_claimer = NULL WHERE monitor_claimer = :claimer;
