DELETE FROM console_sessions WHERE token_hash = :token_hash;
