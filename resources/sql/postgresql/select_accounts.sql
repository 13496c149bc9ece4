SELECT id, name, password_hash, disabled, created_at FROM accounts ORDER BY name;
