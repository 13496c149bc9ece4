UPDATE nodes SET heartbeat_at = :now, address = :address, version = :version, sessions = :sessions, monitors = :monitors, activity = :activity WHERE claimer = :claimer;
