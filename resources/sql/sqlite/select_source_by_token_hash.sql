SELECT id, name, created_at FROM sources WHERE token_hash = :token_hash;
