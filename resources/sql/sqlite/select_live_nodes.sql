SELECT claimer, node FROM nodes WHERE heartbeat_at >= :alive_since ORDER BY node, claimer;
