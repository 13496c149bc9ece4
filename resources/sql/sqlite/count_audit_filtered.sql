SELECT COUNT(*) FROM audit_log WHERE (:operator IS NULL OR operator = :operator) AND (:action IS NULL OR action = :action) AND (:since IS NULL OR at >= :since) AND (:until IS NULL OR at <= :until);
