SELECT s.claimer FROM live_sessions s JOIN nodes n ON n.claimer = s.claimer WHERE s.device_id = :device_id AND s.foreground_app = :app AND s.claimer <> :claimer AND n.heartbeat_at >= :alive_since;
