DELETE FROM console_sessions WHERE expires_at <= :now;
