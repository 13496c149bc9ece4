INSERT INTO console_sessions (token_hash, operator_id, expires_at, created_at) VALUES (:token_hash, :operator_id, :expires_at, :now);
