UPDATE nodes SET heartbeat_at = :now WHERE claimer = :claimer;
