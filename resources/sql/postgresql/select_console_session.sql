SELECT s.operator_id, o.name, o.role, o.disabled, s.expires_at FROM console_sessions s JOIN operators o ON o.id = s.operator_id WHERE s.token_hash = :token_hash AND s.expires_at > :now;
