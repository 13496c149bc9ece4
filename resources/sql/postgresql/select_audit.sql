SELECT id, at, operator, action, target, peer, outcome FROM audit_log ORDER BY id DESC LIMIT NULLIF(GREATEST(CAST(:limit AS BIGINT), -1), -1);
