SELECT COUNT(*), COALESCE(SUM(CASE WHEN monitor_claimer = :claimer THEN 1 ELSE 0 END), 0) FROM logins;
