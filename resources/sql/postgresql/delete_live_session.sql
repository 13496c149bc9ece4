DELETE FROM live_sessions WHERE device_id = :device_id AND claimer = :claimer;
