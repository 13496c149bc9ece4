DELETE FROM live_sessions WHERE claimer NOT IN (SELECT claimer FROM nodes);
