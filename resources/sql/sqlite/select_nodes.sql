SELECT claimer, node, address, version, started_at, heartbeat_at, sessions, monitors, activity FROM nodes ORDER BY node, started_at, claimer;
