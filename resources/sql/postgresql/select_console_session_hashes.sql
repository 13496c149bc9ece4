SELECT token_hash FROM console_sessions WHERE expires_at > :now;
