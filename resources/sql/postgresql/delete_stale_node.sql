DELETE FROM nodes WHERE claimer = :claimer AND heartbeat_at < :alive_since;
