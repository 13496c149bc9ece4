SELECT s.device_id, n.node, s.foreground_app FROM live_sessions s JOIN nodes n ON n.claimer = s.claimer WHERE s.claimer <> :claimer AND n.heartbeat_at >= :alive_since;
