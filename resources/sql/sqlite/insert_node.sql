INSERT INTO nodes (claimer, node, started_at, heartbeat_at, address, version, sessions, monitors, activity) VALUES (:claimer, :node, :now, :now, :address, :version, :sessions, :monitors, :activity);
