INSERT INTO nodes (claimer, node, started_at, heartbeat_at) VALUES (:claimer, :node, :now, :now);
