DELETE FROM console_sessions WHERE token_hash NOT IN (SELECT token_hash FROM console_sessions ORDER BY expires_at DESC, created_at DESC LIMIT :keep);
