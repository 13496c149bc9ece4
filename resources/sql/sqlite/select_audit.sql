SELECT id, at, operator, action, target, peer, outcome FROM audit_log ORDER BY id DESC LIMIT :limit;
