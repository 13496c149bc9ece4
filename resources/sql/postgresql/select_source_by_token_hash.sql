SELECT id, name, created_at, kind, revoked_at FROM sources WHERE token_hash = :token_hash AND revoked_at IS NULL;
