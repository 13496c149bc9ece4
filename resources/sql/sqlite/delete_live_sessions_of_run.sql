DELETE FROM live_sessions WHERE claimer = :claimer;
