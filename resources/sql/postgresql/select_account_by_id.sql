SELECT id, name, password_hash, disabled, created_at FROM accounts WHERE id = :id;
